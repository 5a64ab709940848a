"""Admins create officer accounts, deactivate accounts and read the e-mail log."""

import re

from sqlalchemy import select

from matching.accounts.models import User
from matching.extensions import db
from matching.reminders.models import EmailMessage


def test_admin_creates_an_officer_who_activates_the_account(
    client, app, login, admin, outbox
):
    login(admin)
    response = client.post(
        "/admin/utilisateurs/nouveau",
        data={"display_name": "Nouvelle Chargée", "email": "Nouvelle@example.org"},
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "nouvelle@example.org"))
    assert (user.role, user.is_admin) == ("officer", False)
    path = re.search(r"http://passerelle\.test(/invitation/\S+)", outbox[0].body).group(
        1
    )
    newcomer = app.test_client()
    password = "ma phrase secrète du matin"
    newcomer.post(path, data={"password": password, "password_confirm": password})
    response = newcomer.post(
        "/connexion", data={"email": "nouvelle@example.org", "password": password}
    )
    assert response.headers["Location"] == "/equipe"


def test_duplicate_email_is_an_error_next_to_the_field(client, login, admin, officer):
    login(admin)
    response = client.post(
        "/admin/utilisateurs/nouveau",
        data={"display_name": "X", "email": officer.email},
    )
    assert response.status_code == 200
    assert "Un compte existe déjà" in response.get_data(as_text=True)


def test_deactivation_ends_the_sessions_of_the_account(
    client, app, login, admin, candidate
):
    victim = app.test_client()
    with victim.session_transaction() as session:
        session["_user_id"] = candidate.get_id()
    assert victim.get("/candidat").status_code == 200
    login(admin)
    client.post(f"/admin/utilisateurs/{candidate.id}/desactiver")
    assert victim.get("/candidat").status_code == 302
    client.post(f"/admin/utilisateurs/{candidate.id}/reactiver")
    db.session.refresh(candidate)
    assert candidate.active


def test_admin_cannot_deactivate_themselves(client, login, admin):
    login(admin)
    client.post(f"/admin/utilisateurs/{admin.id}/desactiver")
    db.session.refresh(admin)
    assert admin.active


def test_user_list_filters_by_role_and_text(client, login, admin, make_user):
    make_user(display_name="Zoé Candidate", role="candidate")
    make_user(display_name="Yann Employeur", role="employer")
    login(admin)
    page = client.get("/admin/utilisateurs?role=candidate").get_data(as_text=True)
    assert "Zoé Candidate" in page
    assert "Yann Employeur" not in page
    page = client.get("/admin/utilisateurs?q=yann").get_data(as_text=True)
    assert "Yann Employeur" in page
    assert "Zoé Candidate" not in page


def test_email_log_lists_and_shows_messages(client, login, admin, candidate):
    client.post("/mot-de-passe/oublie", data={"email": candidate.email})
    login(admin)
    page = client.get("/admin/emails").get_data(as_text=True)
    assert "Réinitialiser votre mot de passe Passerelle" in page
    message = db.session.scalar(select(EmailMessage))
    page = client.get(f"/admin/emails/{message.id}").get_data(as_text=True)
    assert candidate.email in page
    page = client.get("/admin/emails?statut=failed").get_data(as_text=True)
    assert "Réinitialiser" not in page
