"""Logging in and out, sessions, cookies, rate limits (SECURITY.md rows 1, 2, 7-10, 17)."""

import time
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from argon2 import PasswordHasher

from matching.accounts import passwords
from matching.extensions import db
from tests.factories import PASSWORD


def post_login(client, email, password=PASSWORD, **extra):
    return client.post(
        "/connexion", data={"email": email, "password": password, **extra}
    )


def test_login_page_is_french(client):
    page = client.get("/connexion").get_data(as_text=True)
    assert "<h1>Se connecter</h1>" in page
    assert 'lang="fr"' in page


def test_login_with_the_real_form_leads_to_the_role_home(client, officer):
    response = post_login(client, officer.email.upper())
    assert response.status_code == 302
    assert response.headers["Location"] == "/equipe"
    assert client.get("/equipe").status_code == 200
    assert db.session.get(type(officer), officer.id).last_login_at is not None


def test_wrong_password_and_unknown_email_get_the_same_answer(client, candidate):
    with mock.patch.object(
        passwords.PasswordHasher,
        "verify",
        autospec=True,
        side_effect=PasswordHasher.verify,
    ) as verify:
        known = post_login(client, candidate.email, "mauvais mot de passe ici")
        unknown = post_login(client, "inconnu@example.org", "mauvais mot de passe ici")
    assert known.status_code == unknown.status_code == 200
    message = "Adresse e-mail ou mot de passe incorrect."
    assert message in known.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    # A hash is checked in both paths, so both take about the same time.
    assert verify.call_count == 2


def test_unconfirmed_account_gets_a_new_link_instead_of_a_session(
    client, outbox, make_user
):
    user = make_user(email_verified_at=None)
    response = post_login(client, user.email)
    assert response.status_code == 200
    assert "Confirmez d&#39;abord votre adresse" in response.get_data(as_text=True)
    assert len(outbox) == 1
    assert client.get("/candidat").status_code == 302


def test_deactivated_account_cannot_log_in(client, make_user):
    user = make_user(active=False)
    response = post_login(client, user.email)
    assert response.status_code == 200
    assert client.get("/candidat").status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "//evil.test",
        "/\\evil.test",
        "https://evil.test",
        "java\nscript:alert(1)",
        "javascript:alert(1)",
        "\\\\evil.test",
        "/\r\nSet-Cookie: x=1",
    ],
)
def test_next_only_redirects_to_local_pages(client, officer, target):
    response = client.post(
        "/connexion",
        query_string={"next": target},
        data={"email": officer.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/equipe"


def test_next_to_a_local_page_is_followed(client, officer):
    response = client.post(
        "/connexion?next=/compte", data={"email": officer.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/compte"


def test_anonymous_visitor_is_sent_to_login_with_next(client):
    response = client.get("/compte")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/connexion?next=")


def test_logout_needs_post(client, login, officer):
    login(officer)
    assert client.get("/deconnexion").status_code == 405
    assert client.get("/equipe").status_code == 200


def test_cookie_copied_before_logout_is_anonymous_afterwards(client, app, officer):
    post_login(client, officer.email)
    stolen = client.get_cookie("passerelle_session").value
    client.post("/deconnexion")
    thief = app.test_client()
    thief.set_cookie("passerelle_session", stolen)
    response = thief.get("/equipe")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/connexion")


def test_password_change_elsewhere_ends_this_session(client, login, officer):
    login(officer)
    officer.rotate_session_token()
    db.session.commit()
    assert client.get("/equipe").status_code == 302


def test_session_planted_before_login_is_cleared(client, officer):
    with client.session_transaction() as session:
        session["planted"] = "attacker value"
        session["_user_id"] = "999:forged"
    before = client.get_cookie("passerelle_session").value
    post_login(client, officer.email)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == officer.get_id()
    assert client.get_cookie("passerelle_session").value != before


def test_idle_session_must_log_in_again(client, officer):
    with time_machine.travel("2026-11-26 10:00 +0100", tick=False) as traveller:
        post_login(client, officer.email)
        assert client.get("/equipe").status_code == 200
        traveller.shift(timedelta(minutes=59))
        assert client.get("/equipe").status_code == 200
        traveller.shift(timedelta(minutes=61))
        response = client.get("/equipe")
    assert response.status_code == 302
    assert response.headers["Location"] == "/connexion"


def test_remembered_session_survives_idleness_until_the_cookie_expires(client, officer):
    with time_machine.travel("2026-11-26 10:00 +0100", tick=False) as traveller:
        post_login(client, officer.email, remember="y")
        traveller.shift(timedelta(hours=5))
        assert client.get("/equipe").status_code == 200


@pytest.mark.app_config(
    ENV="production", SECRET_KEY="x" * 32, TRUSTED_HOSTS=["localhost"]
)
def test_cookies_in_production_are_secure_and_bounded(client, officer):
    response = post_login(client, officer.email, remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("passerelle_session="))
    remember_cookie = next(c for c in cookies if c.startswith("passerelle_remember="))
    for cookie in (session_cookie, remember_cookie):
        assert "Secure" in cookie
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
    expires = client.get_cookie("passerelle_remember").expires
    days = (expires.timestamp() - time.time()) / 86400
    assert 29 < days <= 30


@pytest.mark.app_config(
    LOGIN_LIMIT_PER_ACCOUNT="10 per 15 minutes", LOGIN_LIMIT_PER_IP="10 per 15 minutes"
)
def test_eleventh_failed_login_on_one_account_is_refused_from_any_ip(client, officer):
    for n in range(10):
        response = client.post(
            "/connexion",
            data={"email": officer.email, "password": "pas le bon mot de passe"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{n}"},
        )
        assert response.status_code == 200
    response = client.post(
        "/connexion",
        data={"email": officer.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.0.0.99"},
    )
    assert response.status_code == 429
    assert "Trop de tentatives" in response.get_data(as_text=True)


@pytest.mark.app_config(
    LOGIN_LIMIT_PER_ACCOUNT="10 per 15 minutes", LOGIN_LIMIT_PER_IP="10 per 15 minutes"
)
def test_eleventh_failed_login_from_one_ip_is_refused_for_any_account(client, officer):
    for n in range(10):
        client.post(
            "/connexion",
            data={"email": f"inconnu{n}@example.org", "password": "x" * 12},
            environ_base={"REMOTE_ADDR": "10.0.0.1"},
        )
    response = client.post(
        "/connexion",
        data={"email": officer.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    assert response.status_code == 429


@pytest.mark.app_config(
    LOGIN_LIMIT_PER_ACCOUNT="10 per 15 minutes", LOGIN_LIMIT_PER_IP="10 per 15 minutes"
)
def test_successful_logins_do_not_count_against_the_limit(client, officer):
    for _ in range(12):
        assert post_login(client, officer.email).status_code == 302
        client.post("/deconnexion")


def test_stored_hash_is_argon2id_with_the_configured_cost(app, make_user):
    app.config.update(
        ARGON2_TIME_COST=3, ARGON2_MEMORY_COST=65536, ARGON2_PARALLELISM=4
    )
    stored = passwords.hash_password("une phrase assez longue pour moi")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_weaker_hash_is_upgraded_at_the_next_login(client, app, make_user):
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    user = make_user(password_hash=weak)
    app.config.update(ARGON2_TIME_COST=2, ARGON2_MEMORY_COST=1024)
    assert post_login(client, user.email).status_code == 302
    db.session.refresh(user)
    assert user.password_hash.startswith("$argon2id$v=19$m=1024,t=2,p=1$")
