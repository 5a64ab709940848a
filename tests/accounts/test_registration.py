"""Registering as a candidate or an employer, and confirming the address."""

import re

import pytest
from sqlalchemy import select

from matching.accounts.models import User
from matching.extensions import db
from matching.organisations.models import Membership

GOOD = {
    "display_name": "Alex",
    "email": "Alex.Nouveau@Example.org",
    "password": "une phrase assez longue pour moi",
    "password_confirm": "une phrase assez longue pour moi",
    "accept_terms": "y",
}


def link_in(message) -> str:
    return re.search(r"http://passerelle\.test(/\S+)", message.body).group(1)


@pytest.mark.parametrize(
    ("url", "role"),
    [("/inscription/candidat", "candidate"), ("/inscription/employeur", "employer")],
)
def test_register_creates_an_unconfirmed_account_and_emails_a_link(
    client, outbox, url, role
):
    response = client.post(url, data=GOOD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/inscription/verifiez-vos-emails"
    user = db.session.scalar(select(User))
    assert user.email == "alex.nouveau@example.org"
    assert user.role == role
    assert user.email_verified_at is None
    assert [m.recipients for m in outbox] == [["alex.nouveau@example.org"]]
    assert "Confirmez votre adresse" in outbox[0].subject


def test_confirmation_link_logs_the_person_in(client, outbox):
    client.post("/inscription/candidat", data=GOOD)
    response = client.get(link_in(outbox[0]))
    assert response.status_code == 302
    # A new candidate starts the guided profile (candidates issue).
    assert response.headers["Location"] == "/candidat/profil/etape/1"
    assert client.get("/candidat").status_code == 200
    assert db.session.scalar(select(User)).email_verified_at is not None


def test_employer_is_sent_to_attach_an_organisation_after_confirming(client, outbox):
    client.post("/inscription/employeur", data=GOOD)
    client.get(link_in(outbox[0]))
    response = client.get("/employeur")
    assert response.status_code == 302
    assert response.headers["Location"] == "/structure/rattachement"


def test_forged_confirmation_link_is_refused(client):
    response = client.get("/inscription/confirmer/pas-un-vrai-jeton")
    assert response.status_code == 302
    assert response.headers["Location"] == "/connexion"


def test_known_address_gets_the_same_answer_and_a_warning_email(
    client, outbox, make_user
):
    make_user(email="deja@example.org")
    response = client.post(
        "/inscription/candidat", data={**GOOD, "email": "DEJA@example.org"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/inscription/verifiez-vos-emails"
    assert db.session.scalar(select(db.func.count(User.id))) == 1
    assert "essayé de créer un compte" in outbox[0].subject


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("display_name", "", "Indiquez comment nous pouvons vous appeler."),
        ("email", "pas-une-adresse", "Cette adresse e-mail n&#39;est pas valide"),
        ("password_confirm", "autre chose encore ici", "ne sont pas identiques"),
        ("accept_terms", "", "Cochez cette case"),
        ("display_name", "x" * 121, "120 caractères au maximum."),
    ],
)
def test_invalid_registration_shows_the_error_next_to_the_field_and_saves_nothing(
    client, outbox, field, value, message
):
    data = {**GOOD, field: value}
    response = client.post("/inscription/candidat", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page
    assert 'aria-invalid="true"' in page
    assert db.session.scalar(select(User)) is None
    assert outbox == []
    if field != "password_confirm" and data["display_name"]:
        assert data["display_name"][:50] in page  # what was typed is kept


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("a" * 6 + "bcdef", False),  # 11 characters
        ("zèbre pêche!", True),  # 12 characters
        ("Ver" + "y" * 124 + "!", True),  # 128 characters
        ("x" * 129, False),
        ("motdepasse123", False),  # very common
        ("azertyuiop12", False),  # keyboard walk
        (
            "Été à Toulouse, café 🌞 au bord du canal",
            True,
        ),  # passphrase, accents, emoji
    ],
)
def test_password_policy(client, password, accepted):
    data = {**GOOD, "password": password, "password_confirm": password}
    response = client.post("/inscription/candidat", data=data)
    created = db.session.scalar(select(User)) is not None
    assert created is accepted
    assert response.status_code == (302 if accepted else 200)


def test_extra_fields_cannot_grant_a_role_or_an_organisation(
    client, outbox, make_organisation
):
    organisation = make_organisation()
    client.post(
        "/inscription/candidat",
        data={
            **GOOD,
            "role": "officer",
            "is_admin": "1",
            "organisation_id": str(organisation.id),
        },
    )
    user = db.session.scalar(select(User))
    assert user.role == "candidate"
    assert user.is_admin is False
    assert db.session.scalar(select(Membership)) is None


def test_header_injection_in_the_name_is_a_form_error(client, outbox):
    response = client.post(
        "/inscription/candidat",
        data={**GOOD, "display_name": "Alex\r\nBcc: victime@example.org"},
    )
    assert response.status_code == 200
    assert "caractères invisibles non autorisés" in response.get_data(as_text=True)
    assert outbox == []


def test_logged_in_person_is_sent_home_from_registration(client, login, candidate):
    login(candidate)
    response = client.get("/inscription/candidat")
    assert response.status_code == 302


def test_login_password_used_at_registration_works(client, outbox):
    client.post("/inscription/candidat", data=GOOD)
    client.get(link_in(outbox[0]))
    client.post("/deconnexion")
    response = client.post(
        "/connexion", data={"email": GOOD["email"], "password": GOOD["password"]}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/candidat"
