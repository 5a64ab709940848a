"""Officer tools: register a person met in person, duplicates, invitation and claim,
timeline, contact details."""

import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from matching.accounts.models import User
from matching.candidates.models import Candidate, CandidateEvent
from matching.core.timeutils import paris_today, utcnow
from matching.extensions import db
from tests.candidates.test_guided_registration import STEP_1

NEW = {
    "display_name": "Marie Dupont",
    "email": "marie.dupont@example.org",
    "phone": "06 12 34 56 78",
    "commune": "Toulouse (31000)",
}


def count_candidates() -> int:
    return db.session.scalar(select(func.count(Candidate.id)))


def test_officer_registers_a_person_met_in_person(client, login, officer):
    login(officer)
    response = client.post("/equipe/candidats/nouveau", data=NEW)
    candidate = db.session.scalar(select(Candidate))
    assert response.headers["Location"] == f"/equipe/candidats/{candidate.id}"
    assert candidate.user_id is None
    assert candidate.created_by_id == officer.id
    assert (candidate.commune_insee, candidate.phone_key) == ("31555", "0612345678")
    assert [e.kind for e in candidate.events] == ["created"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Noter son accord oral" in page
    assert "Envoyer l&#39;invitation" in page or "Envoyer l'invitation" in page


@pytest.mark.parametrize(
    "data",
    [
        {"email": "MARIE.DUPONT@example.org", "phone": "", "commune": ""},
        {"email": "", "phone": "+33 6 12 34 56 78", "commune": ""},
        {"display_name": "Marie Dupond", "email": "", "phone": ""},
        {"display_name": "dupont marie", "email": "", "phone": ""},
    ],
)
def test_a_profile_like_an_existing_one_is_flagged_first(
    client, login, officer, make_candidate, data
):
    existing = make_candidate(
        user=None,
        display_name="Marie Dupont",
        email="marie.dupont@example.org",
        phone="06 12 34 56 78",
        phone_key="0612345678",
    )
    login(officer)
    response = client.post(
        "/equipe/candidats/nouveau", data={**NEW, "display_name": "Autre Nom", **data}
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Ce profil ressemble à un profil existant" in page
    assert f"/equipe/candidats/{existing.id}" in page
    assert count_candidates() == 1
    response = client.post(
        "/equipe/candidats/nouveau",
        data={**NEW, "display_name": "Autre Nom", **data, "confirm_distinct": "y"},
    )
    assert response.status_code == 302
    assert count_candidates() == 2


def test_same_name_elsewhere_is_not_a_duplicate(client, login, officer, make_candidate):
    make_candidate(user=None, display_name="Marie Dupont")  # in Toulouse
    login(officer)
    data = {**NEW, "email": "", "phone": "", "commune": "Albi"}
    assert client.post("/equipe/candidats/nouveau", data=data).status_code == 302
    assert count_candidates() == 2


def test_invitation_lets_the_person_claim_the_profile(
    app, client, login, officer, make_candidate, outbox
):
    candidate = make_candidate(user=None, email="rencontre@example.org")
    login(officer)
    client.post(f"/equipe/candidats/{candidate.id}/invitation")
    assert [m.recipients for m in outbox] == [["rencontre@example.org"]]
    path = re.search(r"http://passerelle\.test(/candidat/activer/\S+)", outbox[0].body)
    path = path.group(1)
    person = app.test_client()
    page = person.get(path).get_data(as_text=True)
    assert "Choisissez un mot de passe" in page
    password = "mon nouveau départ à Toulouse"
    response = person.post(
        path, data={"password": password, "password_confirm": password}
    )
    assert response.headers["Location"] == "/candidat/profil"
    db.session.refresh(candidate)
    user = db.session.get(User, candidate.user_id)
    assert (user.email, user.role) == ("rencontre@example.org", "candidate")
    assert user.email_verified_at is not None
    assert person.get("/candidat/profil").status_code == 200
    assert "claimed" in [e.kind for e in candidate.events]
    # The link works once.
    again = app.test_client().get(path)
    assert again.headers["Location"] == "/"
    assert db.session.scalar(select(func.count(User.id))) == 2


def test_claim_link_expires_and_a_new_invitation_replaces_the_old_one(
    app, client, login, officer, make_candidate, outbox
):
    candidate = make_candidate(user=None, email="rencontre@example.org")
    with time_machine.travel(utcnow() - timedelta(seconds=5), tick=False):
        login(officer)  # the session cookie is signed at the travelled time
        client.post(f"/equipe/candidats/{candidate.id}/invitation")
    first = re.search(r"(/candidat/activer/\S+)", outbox[0].body).group(1)
    login(officer)
    client.post(f"/equipe/candidats/{candidate.id}/invitation")
    second = re.search(r"(/candidat/activer/\S+)", outbox[1].body).group(1)
    person = app.test_client()
    assert person.get(first).headers["Location"] == "/"
    assert person.get(second).status_code == 200
    later = utcnow() + timedelta(days=15)
    with time_machine.travel(later, tick=False):
        assert person.get(second).headers["Location"] == "/"
    assert person.get("/candidat/activer/pas-un-jeton").headers["Location"] == "/"


def test_invitation_needs_an_address_and_no_existing_account(
    client, login, officer, make_candidate, make_user, outbox
):
    no_email = make_candidate(user=None, email=None)
    taken = make_user(email="pris@example.org")
    with_account = make_candidate(user=None, email=taken.email)
    login(officer)
    for candidate in (no_email, with_account):
        client.post(f"/equipe/candidats/{candidate.id}/invitation")
    assert outbox == []
    assert db.session.scalar(select(func.count(CandidateEvent.id))) == 0


def test_a_confirmed_account_finds_the_profile_an_officer_started(
    client, login, make_candidate, make_user
):
    started = make_candidate(user=None, email="deja@example.org", display_name="Déjà")
    user = login(make_user(email="deja@example.org"))
    response = client.post("/candidat/profil/etape/1", data=STEP_1)
    assert response.status_code == 302
    db.session.refresh(started)
    assert started.user_id == user.id
    assert count_candidates() == 1


def test_officer_adds_notes_and_meetings_to_the_timeline(
    client, login, officer, make_candidate
):
    candidate = make_candidate()
    login(officer)
    day = paris_today() - timedelta(days=3)
    response = client.post(
        f"/equipe/candidats/{candidate.id}/historique",
        data={"kind": "meeting", "occurred_on": day.isoformat(), "body": "<b>Café</b>"},
    )
    assert response.headers["Location"].endswith("#historique")
    event = db.session.scalar(select(CandidateEvent))
    assert (event.kind, event.author_id, event.body) == (
        "meeting",
        officer.id,
        "<b>Café</b>",
    )
    page = client.get(f"/equipe/candidats/{candidate.id}").get_data(as_text=True)
    assert "&lt;b&gt;Café&lt;/b&gt;" in page
    assert "Rencontre" in page
    future = (paris_today() + timedelta(days=3)).isoformat()
    client.post(
        f"/equipe/candidats/{candidate.id}/historique",
        data={"kind": "note", "occurred_on": future, "body": "Plus tard"},
    )
    assert db.session.scalar(select(func.count(CandidateEvent.id))) == 1


def test_the_history_hint_says_who_reads_the_notes(
    client, login, officer, make_candidate
):
    candidate = make_candidate()
    login(officer)
    page = client.get(f"/equipe/candidats/{candidate.id}").get_data(as_text=True)
    assert "ne les garde pas" not in page  # nothing removes them
    assert "ces notes sont lues par l'équipe Passerelle" in page
    client.post(
        f"/equipe/candidats/{candidate.id}/historique",
        data={"kind": "note", "occurred_on": paris_today().isoformat(), "body": "Vu"},
    )
    login(candidate.user)
    data = client.get("/candidat/mes-donnees.json").get_json()
    assert [e["texte"] for e in data["historique"] if e["type"] == "note"] == ["Vu"]
    login(officer)
    page = client.get(f"/equipe/candidats/{candidate.id}/etape/3").get_data(
        as_text=True
    )
    assert "ne les garde pas" not in page


def test_officer_corrects_contact_details_and_status(
    client, login, officer, make_candidate
):
    candidate = make_candidate()
    login(officer)
    response = client.post(
        f"/equipe/candidats/{candidate.id}/coordonnees",
        data={
            "display_name": "Nouveau Nom",
            "email": "nouveau@example.org",
            "phone": "0700000000",
            "status": "en_poste",
        },
    )
    assert response.status_code == 302
    db.session.refresh(candidate)
    assert (candidate.display_name, candidate.status) == ("Nouveau Nom", "en_poste")
    assert candidate.name_search == "nouveau nom"
    assert candidate.user.email != "nouveau@example.org"  # the login stays


def test_officer_edits_where_and_when_without_the_candidate_status(
    client, login, officer, make_candidate
):
    candidate = make_candidate(status="archive")
    login(officer)
    page = client.get(f"/equipe/candidats/{candidate.id}/etape/1").get_data(
        as_text=True
    )
    assert 'name="status"' not in page
    data = {k: v for k, v in STEP_1.items() if k != "status"}
    response = client.post(f"/equipe/candidats/{candidate.id}/etape/1", data=data)
    assert response.headers["Location"] == f"/equipe/candidats/{candidate.id}"
    db.session.refresh(candidate)
    assert (candidate.status, candidate.mobility_radius_km) == ("archive", 25)


def test_erased_profiles_are_gone_for_officers(client, login, officer, make_candidate):
    candidate = make_candidate(anonymised_at=utcnow())
    login(officer)
    assert client.get(f"/equipe/candidats/{candidate.id}").status_code == 404
    assert client.get(f"/equipe/candidats/{candidate.id}/etape/1").status_code == 404
    assert client.get("/equipe/candidats/9999").status_code == 404
