"""Every route × every role × every method matches this policy (SECURITY.md row 11).

A new route without an entry in POLICY makes ``test_every_route_has_a_policy`` fail.
Records belong to organisation A (``employer``); ``other_employer`` runs organisation B.
"""

import pytest

from matching.extensions import db
from tests.factories import (
    ActivityFactory,
    FundingLineFactory,
    JobPostingFactory,
    MembershipFactory,
    OrganisationFactory,
    SupportCaseFactory,
    UserFactory,
)

ROLES = (
    "anonymous",
    "candidate",
    "other_candidate",
    "employer",
    "other_employer",
    "officer",
    "admin",
)
OK, LOGIN, DENIED, HIDDEN = "ok", "login", 403, 404


def everyone():
    return dict.fromkeys(ROLES, OK)


def only(*allowed, hidden=(), anonymous=LOGIN):
    """Allowed roles get OK, ``hidden`` get 404, other roles 403, anonymous login."""
    expected = dict.fromkeys(ROLES, DENIED)
    expected["anonymous"] = anonymous
    for role in allowed:
        expected[role] = OK
    for role in hidden:
        expected[role] = HIDDEN
    return expected


LOGGED_IN = only(*ROLES[1:])
CANDIDATES = only("candidate", "other_candidate")
EMPLOYERS = only("employer", "other_employer")
OFFICERS = only("officer", "admin")
ADMINS = only("admin")

# Records of organisation A: its employer and officers may read them; the employer of
# organisation B must not learn they exist (404); candidates are refused (403).
ORG_A_READERS = only("employer", "officer", "admin", hidden=("other_employer",))
# The activity was written by `officer`, visible to the employer: only its author edits.
AUTHOR_ONLY = only("officer", hidden=("other_employer",))


def ORG_A(w):  # noqa: N802  (URL argument builders read like constants in the table)
    return {"organisation_id": w["org_a"].id}


def CASE_A(w):  # noqa: N802
    return {"case_id": w["case_a"].id}


def FUNDING_A(w):  # noqa: N802
    return {"case_id": w["case_a"].id, "funding_id": w["funding_a"].id}


def ACTIVITY_A(w):  # noqa: N802
    return {"case_id": w["case_a"].id, "activity_id": w["activity_a"].id}


def POSTING_A(w):  # noqa: N802
    return {"posting_id": w["posting_a"].id}


# endpoint -> (url arguments from the world, {method: expected per role})
POLICY = {
    "core.home": (None, {"GET": everyone()}),
    "core.set_language": (None, {"POST": everyone()}),
    "core.privacy": (None, {"GET": everyone()}),
    "core.accessibility": (None, {"GET": everyone()}),
    "core.health": (None, {"GET": everyone()}),
    "core.officer_home": (None, {"GET": OFFICERS}),
    "core.employer_home": (None, {"GET": EMPLOYERS}),
    "core.candidate_home": (None, {"GET": CANDIDATES}),
    "communes.suggestions": (None, {"GET": everyone()}),
    "accounts.login": (None, {"GET": everyone(), "POST": everyone()}),
    "accounts.logout": (None, {"POST": LOGGED_IN}),
    "accounts.register_candidate": (None, {"GET": everyone(), "POST": everyone()}),
    "accounts.register_employer": (None, {"GET": everyone(), "POST": everyone()}),
    "accounts.check_inbox": (None, {"GET": everyone()}),
    "accounts.verify_email": (lambda w: {"token": "x"}, {"GET": everyone()}),
    "accounts.forgot_password": (None, {"GET": everyone(), "POST": everyone()}),
    "accounts.reset_password": (
        lambda w: {"token": "x"},
        {"GET": everyone(), "POST": everyone()},
    ),
    "accounts.accept_invitation": (
        lambda w: {"token": "x"},
        {"GET": everyone(), "POST": everyone()},
    ),
    "accounts.profile": (None, {"GET": LOGGED_IN, "POST": LOGGED_IN}),
    "accounts.change_password": (None, {"GET": LOGGED_IN, "POST": LOGGED_IN}),
    "organisations.attach": (None, {"GET": EMPLOYERS}),
    "organisations.create": (None, {"POST": EMPLOYERS}),
    "organisations.join": (None, {"POST": EMPLOYERS}),
    "organisations.pending_memberships": (None, {"GET": OFFICERS}),
    "organisations.decide": (
        lambda w: {
            "organisation_id": w["org_a"].id,
            "membership_id": w["pending_a"].id,
            "decision": "accepter",
        },
        {"POST": only("employer", "officer", "admin", hidden=("other_employer",))},
    ),
    "organisations.index": (None, {"GET": OFFICERS}),
    "organisations.new": (None, {"GET": OFFICERS, "POST": OFFICERS}),
    "organisations.detail": (ORG_A, {"GET": ORG_A_READERS}),
    "organisations.edit": (ORG_A, {"GET": ORG_A_READERS, "POST": ORG_A_READERS}),
    "cases.index": (None, {"GET": OFFICERS}),
    "cases.board": (None, {"GET": OFFICERS}),
    "cases.employer_list": (None, {"GET": EMPLOYERS}),
    "cases.request_case": (None, {"GET": EMPLOYERS, "POST": EMPLOYERS}),
    "cases.new": (ORG_A, {"GET": OFFICERS, "POST": OFFICERS}),
    "cases.detail": (CASE_A, {"GET": ORG_A_READERS}),
    "cases.edit": (CASE_A, {"GET": OFFICERS, "POST": OFFICERS}),
    "cases.change_stage": (CASE_A, {"POST": OFFICERS}),
    "cases.readiness": (CASE_A, {"GET": ORG_A_READERS, "POST": ORG_A_READERS}),
    "cases.barriers": (CASE_A, {"GET": ORG_A_READERS, "POST": ORG_A_READERS}),
    "cases.new_funding": (CASE_A, {"GET": ORG_A_READERS, "POST": ORG_A_READERS}),
    "cases.edit_funding": (FUNDING_A, {"GET": ORG_A_READERS, "POST": ORG_A_READERS}),
    "cases.delete_funding": (FUNDING_A, {"POST": ORG_A_READERS}),
    "cases.add_activity": (CASE_A, {"POST": ORG_A_READERS}),
    "cases.edit_activity": (ACTIVITY_A, {"GET": AUTHOR_ONLY, "POST": AUTHOR_ONLY}),
    "cases.delete_activity": (ACTIVITY_A, {"POST": AUTHOR_ONLY}),
    "postings.index": (
        None,
        {"GET": only("employer", "other_employer", "officer", "admin")},
    ),
    "postings.new": (
        lambda w: {"structure": w["org_a"].id},
        {
            "GET": only("employer", "other_employer", "officer", "admin"),
            "POST": only("employer", "other_employer", "officer", "admin"),
        },
    ),
    "postings.detail": (POSTING_A, {"GET": ORG_A_READERS}),
    "postings.edit": (POSTING_A, {"GET": ORG_A_READERS, "POST": ORG_A_READERS}),
    "postings.transition": (
        lambda w: {"posting_id": w["posting_a"].id, "action": "publier"},
        {"POST": ORG_A_READERS},
    ),
    "admin.users": (None, {"GET": ADMINS}),
    "admin.create_user": (None, {"GET": ADMINS, "POST": ADMINS}),
    "admin.toggle_user": (
        lambda w: {"user_id": w["candidate"].id, "action": "desactiver"},
        {"POST": ADMINS},
    ),
    "admin.emails": (None, {"GET": ADMINS}),
    "admin.email": (lambda w: {"email_id": w["email"].id}, {"GET": ADMINS}),
    "admin.retry_email": (lambda w: {"email_id": w["email"].id}, {"POST": ADMINS}),
    "admin.reminder_settings": (None, {"POST": ADMINS}),
    "reminders.preferences": (None, {"GET": LOGGED_IN, "POST": LOGGED_IN}),
}


@pytest.fixture
def world(app):
    from matching.reminders.models import EmailMessage

    org_a, org_b = OrganisationFactory(name="A"), OrganisationFactory(name="B")
    users = {
        "candidate": UserFactory(role="candidate"),
        "other_candidate": UserFactory(role="candidate"),
        "employer": MembershipFactory(organisation=org_a).user,
        "other_employer": MembershipFactory(organisation=org_b).user,
        "officer": UserFactory(role="officer"),
        "admin": UserFactory(role="officer", is_admin=True),
    }
    pending = MembershipFactory(
        organisation=org_a, status="pending", is_org_admin=False
    )
    email = EmailMessage(key="tx:test", recipient_email="x@example.org", subject="Test")
    db.session.add(email)
    case_a = SupportCaseFactory(organisation=org_a, officer=users["officer"])
    funding_a = FundingLineFactory(case=case_a)
    activity_a = ActivityFactory(
        case=case_a, author=users["officer"], visibility="employer"
    )
    posting_a = JobPostingFactory(organisation=org_a, case=case_a)
    db.session.commit()
    return {
        **users,
        "org_a": org_a,
        "org_b": org_b,
        "pending_a": pending,
        "email": email,
        "case_a": case_a,
        "funding_a": funding_a,
        "activity_a": activity_a,
        "posting_a": posting_a,
    }


def test_every_route_has_a_policy(app):
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        methods = rule.methods - {"HEAD", "OPTIONS"}
        declared = POLICY.get(rule.endpoint, (None, {}))[1]
        missing += [f"{rule.endpoint} {m}" for m in methods if m not in declared]
    assert missing == [], "routes without an access policy: " + ", ".join(missing)


CASES = [
    (endpoint, method, role)
    for endpoint, (_, methods) in POLICY.items()
    for method in methods
    for role in ROLES
]


@pytest.mark.parametrize(("endpoint", "method", "role"), CASES)
def test_route_policy(app, client, login, world, endpoint, method, role):
    from flask import url_for

    url_args, methods = POLICY[endpoint]
    expected = methods[method][role]
    with app.test_request_context():
        url = url_for(endpoint, **(url_args(world) if url_args else {}))
    if role != "anonymous":
        login(world[role])
    response = client.open(url, method=method)
    location = response.headers.get("Location", "")
    if expected == OK:
        assert response.status_code < 400 or response.status_code == 422, (
            response.status_code
        )
        assert not location.startswith("/connexion?next="), location
    elif expected == LOGIN:
        assert response.status_code == 302
        assert location.startswith("/connexion?next=")
    else:
        assert response.status_code == expected
