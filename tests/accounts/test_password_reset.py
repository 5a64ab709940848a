"""Forgotten password, reset link, change of password (SECURITY.md rows 5, 6)."""

import re
from datetime import timedelta

import pytest
import time_machine

from matching.accounts.services import set_password
from matching.extensions import db
from matching.reminders.models import EmailMessage
from tests.factories import PASSWORD

NEW = "un tout nouveau mot de passe"


def reset_link(message) -> str:
    return re.search(r"(http://\S+/mot-de-passe/nouveau/\S+)", message.body).group(1)


def test_reset_link_lets_the_person_choose_a_new_password(client, outbox, candidate):
    response = client.post("/mot-de-passe/oublie", data={"email": candidate.email})
    assert response.status_code == 302
    link = reset_link(outbox[0])
    path = link.removeprefix("http://passerelle.test")
    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": NEW, "password_confirm": NEW})
    assert response.headers["Location"] == "/connexion"
    response = client.post(
        "/connexion", data={"email": candidate.email, "password": NEW}
    )
    assert response.status_code == 302


def test_unknown_address_gets_the_same_answer_and_no_email(client, outbox):
    response = client.post("/mot-de-passe/oublie", data={"email": "x@example.org"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/connexion"
    assert outbox == []
    assert "Si un compte existe" in client.get("/connexion").get_data(as_text=True)


def test_link_is_built_from_the_configured_address_not_the_host_header(
    client, outbox, candidate
):
    client.post(
        "/mot-de-passe/oublie",
        data={"email": candidate.email},
        headers={"Host": "evil.test", "X-Forwarded-Host": "evil.test"},
    )
    assert reset_link(outbox[0]).startswith("http://passerelle.test/")
    assert "evil.test" not in outbox[0].body


@pytest.mark.app_config(TRUSTED_HOSTS=["passerelle.test"])
def test_forged_host_is_refused_when_trusted_hosts_are_set(client, outbox, candidate):
    response = client.post(
        "/mot-de-passe/oublie",
        data={"email": candidate.email},
        headers={"Host": "evil.test"},
    )
    assert response.status_code == 400
    assert outbox == []


def test_reset_link_works_only_once(client, outbox, candidate):
    client.post("/mot-de-passe/oublie", data={"email": candidate.email})
    path = reset_link(outbox[0]).removeprefix("http://passerelle.test")
    client.post(path, data={"password": NEW, "password_confirm": NEW})
    response = client.post(
        path,
        data={
            "password": "encore un autre mot de passe",
            "password_confirm": "encore un autre mot de passe",
        },
    )
    assert response.headers["Location"] == "/mot-de-passe/oublie"
    response = client.post(
        "/connexion", data={"email": candidate.email, "password": NEW}
    )
    assert response.status_code == 302


def test_expired_reset_link_is_refused(client, outbox, candidate):
    with time_machine.travel("2026-11-26 10:00 +0100", tick=False) as traveller:
        client.post("/mot-de-passe/oublie", data={"email": candidate.email})
        path = reset_link(outbox[0]).removeprefix("http://passerelle.test")
        traveller.shift(timedelta(minutes=61))
        response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/mot-de-passe/oublie"


def test_reset_link_is_refused_after_a_password_change(client, outbox, candidate):
    client.post("/mot-de-passe/oublie", data={"email": candidate.email})
    path = reset_link(outbox[0]).removeprefix("http://passerelle.test")
    set_password(candidate, "changé autrement entre-temps")
    db.session.commit()
    assert client.get(path).status_code == 302


def test_weak_new_password_is_refused_next_to_the_field(client, outbox, candidate):
    client.post("/mot-de-passe/oublie", data={"email": candidate.email})
    path = reset_link(outbox[0]).removeprefix("http://passerelle.test")
    response = client.post(
        path, data={"password": "court", "password_confirm": "court"}
    )
    assert response.status_code == 200
    assert "au moins 12 caractères" in response.get_data(as_text=True)


def test_reset_email_body_is_kept_in_the_log_backend_but_not_after_smtp(
    app, client, outbox, candidate
):
    client.post("/mot-de-passe/oublie", data={"email": candidate.email})
    row = db.session.query(EmailMessage).one()
    assert row.status == "sent"
    assert row.is_sensitive
    assert row.body_text == ""  # sent through SMTP: the link is not kept


def test_change_password_logs_out_other_devices(app, client, login, candidate):
    login(candidate)
    other_device = app.test_client()
    with other_device.session_transaction() as session:
        session["_user_id"] = candidate.get_id()
    response = client.post(
        "/compte/mot-de-passe",
        data={"current_password": PASSWORD, "password": NEW, "password_confirm": NEW},
    )
    assert response.status_code == 302
    assert client.get("/compte").status_code == 200
    assert other_device.get("/compte").status_code == 302


def test_change_password_needs_the_current_one(client, login, candidate):
    login(candidate)
    response = client.post(
        "/compte/mot-de-passe",
        data={
            "current_password": "pas le bon du tout",
            "password": NEW,
            "password_confirm": NEW,
        },
    )
    assert response.status_code == 200
    assert "Ce n&#39;est pas votre mot de passe actuel." in response.get_data(
        as_text=True
    )
