"""Hypothesis fuzzes every form of the app (SECURITY.md row 20): random unicode in
every field — null bytes, 10,000 characters, right-to-left marks — gives a field
error or a success, never a 500, and a refused submission saves nothing.

Forms are discovered from the pages themselves: every POST route of the access policy
is tried as a role allowed to use it, with the fields of the form its page shows.
"""

from html.parser import HTMLParser

import pytest
from flask import url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from matching.extensions import db
from tests.test_access_policy import OK, POLICY, ROLES, world  # noqa: F401  (fixture)

NASTY = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "x" * 10_000,
            "\u202egnp.exe",
            "\u200f\u200e",
            "<script>alert(1)</script>",
            "'; DROP TABLE users; --",
            "-1",
            "99999999999999999999",
            "2026-02-30",
            "NaN",
            "   ",
            "\r\nBcc: x@example.org",
        ]
    ),
)

# Some routes change who is logged in or end the session: fuzzing them says nothing.
SKIP = {"accounts.logout", "core.set_language"}


class FormFields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.in_post_form = False
        self.names: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_post_form = (attrs.get("method") or "").lower() == "post"
        elif self.in_post_form and tag in ("input", "select", "textarea"):
            name = attrs.get("name")
            if name and name != "csrf_token" and attrs.get("type") != "hidden":
                self.names.add(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_post_form = False


def allowed_role(methods):
    for role in ROLES:
        if role != "anonymous" and methods["POST"][role] == OK:
            return role
    return "anonymous" if methods["POST"]["anonymous"] == OK else None


CASES = [
    (endpoint, allowed_role(methods))
    for endpoint, (_, methods) in POLICY.items()
    if "POST" in methods and endpoint not in SKIP and allowed_role(methods)
]


def row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
        if table.name
        not in ("email_messages", "audit_events", "candidate_events", "activities")
    }


@pytest.mark.parametrize(("endpoint", "role"), CASES)
def test_every_form_survives_random_input(app, client, login, world, endpoint, role):  # noqa: F811
    url_args, methods = POLICY[endpoint]
    with app.test_request_context():
        url = url_for(endpoint, **(url_args(world) if url_args else {}))
    if role != "anonymous":
        login(world[role])
    names = {"note", "title"}
    if "GET" in methods:
        parser = FormFields()
        parser.feed(client.get(url).get_data(as_text=True))
        names |= parser.names

    @settings(
        max_examples=8,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
        ],
        database=None,
    )
    @given(st.fixed_dictionaries(dict.fromkeys(sorted(names), NASTY)))
    def post(data):
        before = row_counts()
        response = client.post(url, data=data)
        assert response.status_code < 500, (endpoint, data)
        if response.status_code not in (302, 303):
            db.session.expire_all()
            assert row_counts() == before, (endpoint, data)

    post()
