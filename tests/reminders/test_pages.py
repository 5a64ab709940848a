"""Notification settings and the admin outbox page."""

from datetime import date

from sqlalchemy import select

from matching.extensions import db
from matching.reminders.models import EmailMessage
from matching.reminders.scan import scan
from tests.factories import EmailMessageFactory
from tests.reminders.conftest import paris


def test_settings_page_shows_the_officer_default(client, login, officer):
    login(officer)
    page = client.get("/compte/notifications").get_data(as_text=True)
    assert "Mes notifications" in page
    assert '<input checked class="form-check-input" id="reminder_mode-1"' in page
    assert "Les e-mails de sécurité" in page


STAFF_KINDS = (
    "Accompagnement",
    "Dépôt de dossier",
    "Bilan de financement",
    "Décision de financement",
    "Fin du financement d'un poste",
    "Offre sans mise en relation",
    "Candidature sans décision de l'employeur",
    "Recevoir aussi les rappels de suivi",
)


def test_a_candidate_sees_only_the_reminders_that_can_reach_them(
    client, login, candidate
):
    login(candidate)
    page = client.get("/compte/notifications").get_data(as_text=True)
    for kind in STAFF_KINDS:
        assert kind not in page
    assert "Une offre proposée attend votre réponse" in page
    assert "Les e-mails de sécurité" in page
    assert "Rappels de suivi, que vous pouvez couper" not in page


def test_a_candidate_saving_keeps_the_setting_that_does_not_concern_them(
    client, login, candidate
):
    candidate.has_optional_reminders = True
    db.session.commit()
    login(candidate)
    client.post(
        "/compte/notifications", data={"reminder_mode": "digest", "digest_hour": "9"}
    )
    db.session.refresh(candidate)
    assert (candidate.reminder_mode, candidate.has_optional_reminders) == (
        "digest",
        True,
    )


def test_an_employer_and_an_officer_see_the_reminders_of_their_role(
    app, client, login, employer, officer
):
    login(employer)
    page = client.get("/compte/notifications").get_data(as_text=True)
    assert "Candidature sans décision de l&#39;employeur" in page
    assert "Fin de contrat (J-30)" in page
    for kind in ("Accompagnement", "Offre sans mise en relation", "(à la personne)"):
        assert kind not in page
    assert "candidature sans décision de votre part" in page
    login(officer)
    page = client.get("/compte/notifications").get_data(as_text=True)
    assert "Offre sans mise en relation" in page
    assert "Accompagnement sans activité" in page
    assert "Candidature sans décision" not in page
    assert "Confirmation du profil (12 mois)" not in page
    assert "Anonymisation prochaine d&#39;un profil" in page


def test_settings_are_saved(client, login, employer):
    login(employer)
    response = client.post(
        "/compte/notifications",
        data={"reminder_mode": "digest", "digest_hour": "19"},
    )
    assert response.status_code == 302
    db.session.refresh(employer)
    assert (
        employer.reminder_mode,
        employer.digest_hour,
        employer.has_optional_reminders,
    ) == ("digest", 19, False)


def test_new_settings_move_the_waiting_reminders(clock, client, login, officer_case):
    now = clock(2027, 3, 10, 0, 5)
    officer, _, _ = officer_case(mode="digest")
    scan(now)
    login(officer)
    client.post(
        "/compte/notifications",
        data={"reminder_mode": "digest", "digest_hour": "18"},
    )
    row = db.session.scalar(select(EmailMessage))
    assert (row.channel, row.due_at) == ("digest", paris(2027, 3, 10, 18))
    client.post(
        "/compte/notifications",
        data={"reminder_mode": "immediate", "digest_hour": "18"},
    )
    db.session.refresh(row)
    assert (row.channel, row.due_at) == ("immediate", paris(2027, 3, 10, 8))


def test_invalid_settings_are_refused_next_to_the_field(client, login, candidate):
    login(candidate)
    response = client.post(
        "/compte/notifications",
        data={"reminder_mode": "hourly", "digest_hour": "25"},
    )
    assert response.status_code == 200
    db.session.refresh(candidate)
    assert (candidate.reminder_mode, candidate.digest_hour) == ("immediate", 8)


def test_settings_need_a_login(client):
    response = client.get("/compte/notifications")
    assert response.headers["Location"].startswith("/connexion?next=")


def test_outbox_page_filters_by_state_rule_and_recipient(
    clock, client, login, admin, officer_case
):
    now = clock(2027, 3, 10, 9)
    officer, case, _ = officer_case()
    EmailMessageFactory(recipient_email="autre@example.org", subject="Bienvenue")
    scan(now)
    login(admin)
    page = client.get("/admin/emails").get_data(as_text=True)
    assert "Prochaine étape d&#39;un accompagnement" in page
    assert "(rédigé à l'envoi)" in page
    assert "Bienvenue" in page
    page = client.get("/admin/emails?regle=case_next_step_due").get_data(as_text=True)
    assert officer.email in page
    assert "Bienvenue" not in page
    page = client.get("/admin/emails?regle=transactional").get_data(as_text=True)
    assert "Bienvenue" in page
    assert officer.email not in page
    page = client.get("/admin/emails?destinataire=AUTRE@").get_data(as_text=True)
    assert "autre@example.org" in page
    assert officer.email not in page
    page = client.get("/admin/emails?statut=due").get_data(as_text=True)
    assert officer.email in page  # 09:00: the 08:00 reminder is due
    page = client.get("/admin/emails?statut=scheduled").get_data(as_text=True)
    assert officer.email not in page


def test_failed_message_shows_its_error_and_can_be_retried(
    client, login, admin, make_email
):
    failed = make_email(
        status="failed", attempts=5, last_error="550 'no such user'", subject="Perdu"
    )
    login(admin)
    page = client.get("/admin/emails?statut=failed").get_data(as_text=True)
    assert "550 &#39;no such user&#39;" in page
    assert f"/admin/emails/{failed.id}/reessayer" in page
    response = client.post(f"/admin/emails/{failed.id}/reessayer")
    assert response.headers["Location"] == f"/admin/emails/{failed.id}"
    db.session.refresh(failed)
    assert (failed.status, failed.attempts, failed.last_error) == ("pending", 0, None)
    # Only a failed message can be retried.
    client.post(f"/admin/emails/{failed.id}/reessayer")
    page = client.get(f"/admin/emails/{failed.id}").get_data(as_text=True)
    assert "Seul un e-mail en échec peut être renvoyé." in page


def test_digest_page_lists_its_reminders(clock, client, login, admin, officer_case):
    from matching.reminders.jobs import tick

    clock(2027, 3, 10, 0, 1)
    officer_case(mode="digest", due=date(2027, 3, 10))
    tick(clock(2027, 3, 10, 8, 0))
    digest = db.session.scalar(
        select(EmailMessage).where(EmailMessage.kind == "digest")
    )
    reminder = db.session.scalar(
        select(EmailMessage).where(EmailMessage.kind == "reminder")
    )
    login(admin)
    page = client.get(f"/admin/emails/{digest.id}").get_data(as_text=True)
    assert "Rappels de ce résumé" in page
    assert f"/admin/emails/{reminder.id}" in page
    page = client.get(f"/admin/emails/{reminder.id}").get_data(as_text=True)
    assert "le résumé du 10 mars 2027" in page
    assert reminder.sent_at == paris(2027, 3, 10, 8)


def test_admin_changes_the_inactivity_delay(client, login, admin):
    from matching.reminders.services import get_inactivity_days

    login(admin)
    assert 'value="30"' in client.get("/admin/emails").get_data(as_text=True)
    response = client.post("/admin/emails/reglages", data={"inactivity_days": "45"})
    assert response.headers["Location"] == "/admin/emails"
    assert get_inactivity_days() == 45
    client.post("/admin/emails/reglages", data={"inactivity_days": "2"})
    assert get_inactivity_days() == 45
    page = client.get("/admin/emails").get_data(as_text=True)
    assert "Entre 7 et 365 jours." in page
