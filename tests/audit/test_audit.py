"""Every third-party view of sensitive fields, export, erasure and consent change is
audited: who, role, what, when (UTC), never the sensitive text (SECURITY.md row 23)."""

import json

import pytest
from sqlalchemy import select

from matching.audit.models import AuditEvent
from matching.audit.services import record_audit
from matching.core.timeutils import utcnow
from matching.extensions import db

SECRET = "Texte très personnel, mot axolotl"


@pytest.fixture
def person(make_candidate):
    return make_candidate(
        consent=["equipe"],
        domains={"violences": "prive"},
        background_text=SECRET,
        phone="06 01 02 03 04",
    )


def test_officer_opening_a_profile_is_audited(client, login, officer, person):
    login(officer)
    before = utcnow()
    client.get(f"/equipe/candidats/{person.id}")
    event = db.session.scalar(select(AuditEvent))
    assert (event.actor_id, event.actor_role, event.action) == (
        officer.id,
        "officer",
        "candidate.view",
    )
    assert (event.subject_type, event.subject_id) == ("candidate", person.id)
    assert before <= event.created_at <= utcnow()
    assert event.details == {
        "fields": ["domains", "background_text", "contact"],
        "via": "page",
    }
    flat = json.dumps(event.details)
    for secret in ("axolotl", "violences", "06 01"):
        assert secret not in flat


def test_admin_role_and_edit_page_are_audited(client, login, admin, person):
    login(admin)
    client.get(f"/equipe/candidats/{person.id}/etape/3")
    event = db.session.scalar(select(AuditEvent))
    assert (event.actor_role, event.details["via"]) == ("admin", "edit")


def test_the_person_reading_their_own_profile_is_not_a_third_party_view(
    client, login, person
):
    login(person.user)
    client.get("/candidat/profil")
    client.get("/candidat/profil/apercu")
    client.get("/candidat/profil/etape/3")
    assert db.session.scalar(select(AuditEvent)) is None


def test_officers_read_the_trail(client, login, officer, admin, person):
    login(admin)
    client.get(f"/equipe/candidats/{person.id}")
    client.get(f"/equipe/candidats/{person.id}/export.json")
    login(officer)
    page = client.get(f"/equipe/candidats/{person.id}/journal").get_data(as_text=True)
    assert "Admin Test" in page
    assert "a consulté le profil" in page
    assert "a téléchargé les données" in page
    assert "axolotl" not in page


def test_the_trail_refuses_text_and_unknown_actions(officer, person):
    with pytest.raises(ValueError, match="may not hold"):
        record_audit(officer, "candidate.view", "candidate", person.id, note=SECRET)
    with pytest.raises(ValueError, match="unknown audit action"):
        record_audit(officer, "candidate.read", "candidate", person.id)


def test_the_trail_shows_details_in_french(client, login, officer, admin, person):
    login(admin)
    client.get(f"/equipe/candidats/{person.id}")
    client.get(f"/equipe/candidats/{person.id}/export.json")
    login(officer)
    page = client.get(f"/equipe/candidats/{person.id}/journal").get_data(as_text=True)
    assert (
        "Champs consultés : domaines d&#39;expérience, parcours, coordonnées"
        " · depuis : la fiche"
    ) in page
    assert "Format : JSON" in page
    for raw in ("background_text", "fields :", "via :", "format :"):
        assert raw not in page


def test_every_recorded_detail_has_a_french_label(app):
    from matching.audit.services import describe_details

    assert describe_details(
        "candidate.export",
        {"format": "xlsx", "fields": ["contact", "peer_help_text"], "via": "list"},
    ) == (
        "Format : Excel (XLSX) · champs exportés : coordonnées, expérience "
        "d'entraide · depuis : l'export de la liste"
    )
    assert (
        describe_details("consent.give", {"purposes": ["equipe"], "method": "oral"})
        == "Finalités : Équipe Passerelle · manière : à l'oral, noté par l'équipe"
    )
    assert (
        describe_details("candidate.view_employer", {"stage": "introduced"})
        == "Vue : après une mise en relation acceptée"
    )
    assert describe_details("candidate.view", {"via": "edit"}) == (
        "Depuis : la modification du profil"
    )
    assert describe_details(
        "candidate.search", {"filters": ["q", "domain"], "count": 3}
    ) == ("Filtres : recherche par texte, domaine d'expérience · nombre : 3")
    assert describe_details("candidate.erase", {}) == ""
