"""Export, erasure and confirmation (SECURITY.md rows 23 and 24)."""

import json
from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from matching.accounts.models import User
from matching.audit.models import AuditEvent
from matching.audit.services import record_audit
from matching.candidates import services
from matching.candidates.models import (
    ANONYMISED_NAME,
    Candidate,
    CandidateDomain,
    CandidateEvent,
    Training,
)
from matching.core.timeutils import utcnow
from matching.extensions import db
from matching.offers.models import Interest
from matching.reminders.models import EmailMessage
from tests.factories import PASSWORD

SECRET = "Mon parcours, mot capybara"


def full_candidate(make_candidate, make_posting, officer):
    candidate = make_candidate(
        consent=["equipe", "mise_en_relation"],
        domains={"addictions": "apres_mise_en_relation"},
        phone="06 99 88 77 66",
        background_text=SECRET,
        peer_help_text="Groupe de parole du jeudi",
    )
    candidate.trainings = [Training(name="DU pair-aidance", status="en_cours")]
    services.add_event(candidate, "note", officer, body="Note de l'équipe")
    db.session.add(
        Interest(candidate=candidate, posting=make_posting(), message="Message perso")
    )
    db.session.commit()
    return candidate


def test_candidate_downloads_all_their_data_as_json(
    client, login, officer, make_candidate, make_posting, make_employer
):
    candidate = full_candidate(make_candidate, make_posting, officer)
    employer = make_employer()
    record_audit(
        employer,
        "candidate.view_employer",
        "candidate",
        candidate.id,
        stage="introduced",
    )
    record_audit(
        officer, "candidate.view", "candidate", candidate.id, fields=["domains"]
    )
    db.session.commit()
    login(candidate.user)
    response = client.get("/candidat/mes-donnees.json")
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["profil"]["parcours"] == SECRET
    assert data["profil"]["telephone"] == "06 99 88 77 66"
    assert data["compte"]["email"] == candidate.user.email
    assert [d["code"] for d in data["domaines_experience"]] == ["addictions"]
    assert data["formations"][0]["nom"] == "DU pair-aidance"
    assert data["accords"][0]["version"] == "2026-11-v1"
    assert data["accords"][0]["en_cours"] is True
    assert data["interets"][0]["message"] == "Message perso"
    assert "Note de l'équipe" in [e["texte"] for e in data["historique"]]
    log = {(e["action"], e["role"], e["structure"]) for e in data["journal_des_acces"]}
    organisation = employer.membership.organisation.name
    assert ("candidate.view_employer", "employer", organisation) in log
    assert ("candidate.view", "officer", None) in log
    assert ("candidate.export", "candidate", None) in log  # this export itself
    export = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "candidate.export")
    )
    assert (export.actor_id, export.details) == (candidate.user_id, {"format": "json"})


def test_readable_summary_says_who_saw_what(
    client, login, officer, make_candidate, make_posting
):
    candidate = full_candidate(make_candidate, make_posting, officer)
    login(officer)
    client.get(f"/equipe/candidats/{candidate.id}")
    login(candidate.user)
    page = client.get("/candidat/mes-donnees").get_data(as_text=True)
    assert "capybara" in page
    assert "Chargé·e de mission (Chargée Test)" in page
    assert "a consulté le profil" in page
    assert "2026-11-v1" in page


def test_readable_summary_shows_what_the_download_holds_and_is_audited_as_a_view(
    client, login, officer, make_candidate, make_posting
):
    from datetime import date
    from decimal import Decimal

    candidate = full_candidate(make_candidate, make_posting, officer)
    candidate.available_from = date(2027, 2, 1)
    candidate.mobility_radius_km = 37
    candidate.fte_min, candidate.fte_max = Decimal("0.5"), Decimal("0.8")
    candidate.trainings[0].provider = "Université Jean-Jaurès"
    db.session.commit()
    login(candidate.user)
    page = client.get("/candidat/mes-donnees").get_data(as_text=True)
    for shown in (
        "à partir du 1er février 2027",
        "jusqu'à 37 km",
        "de 50 % à 80 %",
        "Université Jean-Jaurès",
        "Note de l&#39;équipe",
        "Compte créé le",
        "Dernière connexion",
        "Statut",
    ):
        assert shown in page, shown
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.actor_id == candidate.user_id)
    ).all()
    assert actions == ["candidate.view_data"]
    assert "a consulté la page « Mes données »" in page
    assert "a téléchargé les données" not in page
    client.get("/candidat/mes-donnees.json")
    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.actor_id == candidate.user_id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["candidate.view_data", "candidate.export"]


def test_officer_exports_for_a_person_without_account(
    client, login, officer, make_candidate
):
    candidate = make_candidate(user=None, email="rencontre@example.org")
    login(officer)
    response = client.get(f"/equipe/candidats/{candidate.id}/export.json")
    data = json.loads(response.get_data(as_text=True))
    assert data["compte"] is None
    assert data["profil"]["email"] == "rencontre@example.org"
    assert db.session.scalar(select(AuditEvent.actor_role)) == "officer"


def test_erasure_needs_confirmation_and_the_password(client, login, make_candidate):
    candidate = make_candidate()
    login(candidate.user)
    for data in ({"password": PASSWORD}, {"confirm": "y", "password": "mauvais"}):
        response = client.post("/candidat/effacer", data=data)
        assert response.status_code == 200
    db.session.refresh(candidate)
    assert candidate.anonymised_at is None


def test_erasure_anonymises_and_ends_every_session(
    app, client, login, officer, make_candidate, make_posting
):
    candidate = full_candidate(make_candidate, make_posting, officer)
    user = candidate.user
    address = user.email
    db.session.add(
        EmailMessage(
            key="tx:old",
            recipient_user_id=user.id,
            recipient_email=address,
            subject="Bonjour",
            body_text=f"Bonjour {user.display_name}",
            status="pending",
        )
    )
    db.session.commit()
    other_device = app.test_client()
    with other_device.session_transaction() as session:
        session["_user_id"] = user.get_id()
    login(user)
    response = client.post(
        "/candidat/effacer", data={"confirm": "y", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"
    db.session.expire_all()
    candidate = db.session.get(Candidate, candidate.id)
    assert candidate.display_name == ANONYMISED_NAME
    for field in (
        "email",
        "phone",
        "phone_key",
        "commune",
        "commune_insee",
        "latitude",
        "longitude",
        "background_text",
        "peer_help_text",
        "available_from",
        "fte_min",
    ):
        assert getattr(candidate, field) is None, field
    assert candidate.department == "31"  # kept for counts
    assert (candidate.status, candidate.search_text) == ("archive", "")
    assert candidate.anonymised_at is not None
    assert candidate.titles == [] and candidate.languages == []  # noqa: PT018
    for model in (CandidateDomain, Training, CandidateEvent):
        assert db.session.scalar(select(func.count(model.id))) == 0
    assert candidate.consents[0].withdrawn_at is not None
    interest = db.session.scalar(select(Interest))
    assert interest.message is None  # the row stays for counts
    user = db.session.get(User, user.id)
    assert not user.active
    assert user.email != address
    assert user.display_name == ANONYMISED_NAME
    message = db.session.scalar(select(EmailMessage))
    assert (message.status, message.body_text) == ("cancelled", "")
    assert address not in message.recipient_email
    # Sessions end on every device; the old login no longer works.
    assert other_device.get("/candidat/profil").status_code == 302
    assert client.get("/candidat/profil").status_code == 302
    response = client.post("/connexion", data={"email": address, "password": PASSWORD})
    assert response.status_code == 200
    audit = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "candidate.erase")
    )
    assert (audit.subject_id, audit.actor_role) == (candidate.id, "candidate")
    assert db.session.scalar(select(func.count(Candidate.id))) == 1


def test_officer_erases_at_the_persons_request(client, login, officer, make_candidate):
    candidate = make_candidate(user=None, email="rencontre@example.org")
    login(officer)
    assert client.post(f"/equipe/candidats/{candidate.id}/effacer").status_code == 200
    response = client.post(
        f"/equipe/candidats/{candidate.id}/effacer", data={"confirm": "y"}
    )
    assert response.headers["Location"] == "/equipe/candidats"
    db.session.refresh(candidate)
    assert candidate.anonymised_at is not None
    assert candidate.email is None
    # The audit trail stays readable after erasure.
    page = client.get(f"/equipe/candidats/{candidate.id}/journal").get_data(
        as_text=True
    )
    assert "a effacé les données" in page


def test_retention_job_can_erase_without_an_actor(make_candidate):
    candidate = make_candidate()
    services.erase_candidate(candidate, None)
    services.erase_candidate(candidate, None)  # a second pass does nothing
    db.session.commit()
    audits = db.session.scalars(select(AuditEvent)).all()
    assert [(a.action, a.actor_role, a.actor_id) for a in audits] == [
        ("candidate.erase", "system", None)
    ]


def test_an_account_without_profile_can_be_erased(client, login, candidate):
    login(candidate)
    response = client.post(
        "/candidat/effacer", data={"confirm": "y", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"
    db.session.refresh(candidate)
    assert not candidate.active
    assert candidate.email.endswith("@passerelle.invalid")


def test_my_information_is_still_correct(client, login, make_candidate):
    past = utcnow() - timedelta(days=400)
    candidate = make_candidate(last_confirmed_at=past)
    login(candidate.user)
    page = client.get("/candidat").get_data(as_text=True)
    assert "Vos informations sont-elles toujours exactes ?" in page
    with time_machine.travel(utcnow() + timedelta(minutes=1), tick=False):
        login(candidate.user)
        client.post("/candidat/profil/confirmer")
        expected = utcnow()
    db.session.refresh(candidate)
    assert candidate.last_confirmed_at == expected
    assert [e.kind for e in candidate.events] == ["confirmed"]
    login(candidate.user)
    page = client.get("/candidat").get_data(as_text=True)
    assert "Vos informations sont-elles toujours exactes ?" not in page
