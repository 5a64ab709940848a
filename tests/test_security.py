"""Headers, CSRF, escaping (SECURITY.md rows 15, 16, 22)."""

import pytest
from sqlalchemy import select

from matching.accounts.models import User
from matching.extensions import db
from tests.factories import PASSWORD


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "object-src 'none'" in csp
    assert "base-uri 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # development


def test_error_pages_carry_the_headers_too(client):
    response = client.get("/nulle-part")
    assert response.status_code == 404
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.app_config(
    ENV="production", SECRET_KEY="k" * 32, TRUSTED_HOSTS=["localhost"]
)
def test_hsts_in_production(client):
    assert "max-age=" in client.get("/").headers["Strict-Transport-Security"]


def test_pages_have_no_inline_script(client, login, admin):
    login(admin)
    for path in ("/", "/compte", "/admin/utilisateurs", "/admin/emails"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>" not in page
        assert " onclick=" not in page
        assert " style=" not in page


def test_logged_in_pages_are_not_stored(client, login, officer):
    assert "no-store" not in client.get("/connexion").headers.get("Cache-Control", "")
    login(officer)
    assert client.get("/equipe").headers["Cache-Control"] == "no-store"


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_post_without_csrf_token_is_refused_and_changes_nothing(client, login, admin):
    login(admin)
    response = client.post(
        "/admin/utilisateurs/nouveau",
        data={"display_name": "Nouvelle", "email": "nouvelle@example.org"},
    )
    assert response.status_code == 400
    assert "Le formulaire a expiré" in response.get_data(as_text=True)
    assert (
        db.session.scalar(select(User).where(User.email == "nouvelle@example.org"))
        is None
    )


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_token_of_another_session_is_refused(app, client, login, admin, officer):
    other = app.test_client()
    other.get("/connexion")
    with other.session_transaction() as session:
        session["csrf_token"] = "a" * 40
    page = other.get("/connexion").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    login(admin)
    response = client.post("/deconnexion", data={"csrf_token": token})
    assert response.status_code == 400
    assert client.get("/equipe").status_code == 200  # still logged in


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_login_form_with_its_token_works(client, officer):
    page = client.get("/connexion").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/connexion",
        data={"csrf_token": token, "email": officer.email, "password": PASSWORD},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "javascript:alert(1)",
    ],
)
def test_text_fields_are_rendered_escaped(client, login, make_user, payload):
    user = make_user(role="officer", is_admin=True, display_name=payload)
    login(user)
    for path in ("/compte", "/admin/utilisateurs"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>alert(1)" not in page
        assert "<img src=x" not in page
        assert 'href="javascript:' not in page


def test_oversized_request_is_refused(client):
    response = client.post("/connexion", data={"email": "x" * (11 * 1024 * 1024)})
    assert response.status_code == 413
    assert "trop volumineux" in response.get_data(as_text=True)
