"""Sensitive fields reach only the viewers entitled to them (SECURITY.md rows 12, 13).

Viewers: the officer, an employer before and after the candidate accepted an
introduction, another employer, another candidate, an anonymous visitor. Until the
matching issue adds introductions, employers have no page showing candidates: their
view is the projection ``access.candidate_view_for_employer``, tested here for both
stages, and every candidate page refuses them.
"""

import json
import logging
from types import SimpleNamespace

import pytest

from matching import access
from matching.extensions import db

PUBLIC_TEXT = "Texte partagé avec tous les employeurs, mot quokka"
AFTER_TEXT = "Texte partagé après mise en relation, mot wombat"
PRIVATE_TEXT = "Texte réservé à l'équipe, mot ornithorynque"


@pytest.fixture
def person(make_candidate):
    """Consent to every purpose; one domain at each level; texts at two levels."""
    return make_candidate(
        consent=["equipe", "mise_en_relation", "profil_anonyme"],
        domains={
            "rue_sans_abrisme": "public_employeurs",
            "addictions": "apres_mise_en_relation",
            "troubles_psychiques": "prive",
        },
        display_name="Morgane Testelin",
        phone="06 11 22 33 44",
        background_text=AFTER_TEXT,
        background_sharing="apres_mise_en_relation",
        peer_help_text=PRIVATE_TEXT,
        peer_help_sharing="prive",
    )


# ---------------------------------------------------------------- the projection


def test_anonymous_profile_shows_only_what_is_public(person):
    view = access.candidate_view_for_employer(person, "anonymous")
    assert view["domains"] == ["rue_sans_abrisme"]
    assert view["background_text"] is None
    assert view["peer_help_text"] is None
    for field in ("display_name", "email", "phone", "commune"):
        assert view[field] is None
    assert view["department"] == "31"
    assert view["reference"] == f"C-{person.id:05d}"
    flat = json.dumps(view, default=str)
    for secret in ("Morgane", "06 11", "@example.org", "addictions", "troubles"):
        assert secret not in flat


def test_after_an_accepted_introduction_the_employer_sees_what_was_shared(person):
    view = access.candidate_view_for_employer(person, "introduced")
    assert view["domains"] == ["rue_sans_abrisme", "addictions"]
    assert view["background_text"] == AFTER_TEXT
    assert view["peer_help_text"] is None
    assert view["display_name"] == "Morgane Testelin"
    assert (view["email"], view["phone"]) == (person.email, "06 11 22 33 44")
    assert "troubles_psychiques" not in json.dumps(view, default=str)
    assert PRIVATE_TEXT not in json.dumps(view, default=str)


def test_private_items_never_reach_an_employer(person):
    for stage in access.EMPLOYER_STAGES:
        view = access.candidate_view_for_employer(person, stage)
        assert "troubles_psychiques" not in view["domains"]
        assert view["peer_help_text"] is None
        assert "notes" not in view
        assert "status" not in view


def test_the_consent_caps_what_a_sharing_level_shows():
    """A level chosen earlier is capped by a narrower consent (pure objects)."""
    candidate = SimpleNamespace(
        id=7,
        consent_purposes=frozenset({"equipe", "mise_en_relation"}),
        domains=[SimpleNamespace(domain="addictions", sharing="public_employeurs")],
        trainings=[],
        background_text="texte",
        background_sharing="public_employeurs",
        peer_help_text=None,
        peer_help_sharing="prive",
        department="31",
        commune="Toulouse",
        display_name="X",
        email="x@example.org",
        phone=None,
        mobility_radius_km=10,
        available_from=None,
        fte_min=None,
        fte_max=None,
        contract_types=[],
        sectors=[],
        titles=[],
        functions=[],
        languages=[],
    )
    anonymous = access.candidate_view_for_employer(candidate, "anonymous")
    introduced = access.candidate_view_for_employer(candidate, "introduced")
    assert anonymous["domains"] == []
    assert anonymous["background_text"] is None
    assert introduced["domains"] == ["addictions"]
    candidate.consent_purposes = frozenset()
    introduced = access.candidate_view_for_employer(candidate, "introduced")
    assert introduced["domains"] == []
    assert introduced["background_text"] is None


@pytest.mark.parametrize(
    ("level", "purposes", "expected"),
    [
        ("public_employeurs", {"equipe", "mise_en_relation", "profil_anonyme"}, "public_employeurs"),
        ("public_employeurs", {"equipe", "mise_en_relation"}, "apres_mise_en_relation"),
        ("public_employeurs", {"equipe"}, "prive"),
        ("apres_mise_en_relation", {"equipe", "profil_anonyme"}, "prive"),
        ("prive", {"equipe"}, "prive"),
        ("prive", {"profil_anonyme"}, None),
        ("inconnu", {"equipe", "profil_anonyme"}, "prive"),
    ],
)  # fmt: skip
def test_effective_sharing(level, purposes, expected):
    assert access.effective_sharing(level, purposes) == expected


def test_unknown_stage_is_refused(person):
    with pytest.raises(ValueError, match="stage"):
        access.candidate_view_for_employer(person, "everyone")


# ---------------------------------------------------------------- the preview


def test_candidate_preview_shows_exactly_the_projection(client, login, person):
    login(person.user)
    page = client.get("/candidat/profil/apercu").get_data(as_text=True)
    anonymous, introduced = page.split('id="apercu-introduced"')
    assert "Vie à la rue" in anonymous
    assert "Addictions" not in anonymous
    assert AFTER_TEXT.replace("'", "&#39;") not in anonymous
    assert "Morgane Testelin</dd>" not in anonymous
    assert "Addictions" in introduced
    assert AFTER_TEXT in introduced
    assert "06 11 22 33 44" in introduced
    assert "Troubles psychiques" not in page
    assert PRIVATE_TEXT.replace("'", "&#39;") not in page


# ---------------------------------------------------------------- each viewer, pages


def _sensitive(page: str) -> list[str]:
    return [
        secret
        for secret in ("wombat", "ornithorynque", "Troubles psychiques", "06 11 22 33")
        if secret in page
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/equipe/candidats/{id}",
        "/equipe/candidats/{id}/etape/3",
        "/equipe/candidats/{id}/export.json",
        "/equipe/candidats/{id}/journal",
        "/equipe/candidats?q=Morgane",
    ],
)
@pytest.mark.parametrize(
    ("viewer", "status"),
    [
        ("employer", 403),
        ("other_employer", 403),
        ("own_candidate", 403),
        ("other_candidate", 403),
        ("anonymous", 302),
    ],
)
def test_only_officers_open_candidate_records(
    client, login, person, make_employer, make_user, path, viewer, status
):
    users = {
        "employer": make_employer,
        "other_employer": make_employer,
        "own_candidate": lambda: person.user,
        "other_candidate": lambda: make_user(role="candidate"),
    }
    if viewer != "anonymous":
        login(users[viewer]())
    response = client.get(path.format(id=person.id))
    assert response.status_code == status
    assert _sensitive(response.get_data(as_text=True)) == []


def test_officer_sees_everything_on_the_candidate_page(client, login, officer, person):
    login(officer)
    page = client.get(f"/equipe/candidats/{person.id}").get_data(as_text=True)
    assert set(_sensitive(page)) == {
        "wombat",
        "ornithorynque",
        "Troubles psychiques",
        "06 11 22 33",
    }


def test_another_candidate_sees_only_their_own_profile_and_export(
    client, login, person, make_candidate
):
    other = make_candidate(display_name="Autre Personne")
    login(other.user)
    for path in (
        "/candidat/profil",
        "/candidat/profil/apercu",
        "/candidat/mes-donnees",
        "/candidat/mes-donnees.json",
        "/candidat/profil/etape/3",
    ):
        page = client.get(path).get_data(as_text=True)
        assert _sensitive(page) == [], path
        assert "Morgane" not in page


def test_offers_pages_show_no_candidate_data(
    client, login, person, make_posting, employer
):
    posting = make_posting()
    person.titles = ["travailleur_pair"]
    db.session.commit()
    for viewer in (None, employer):
        if viewer:
            login(viewer)
        for path in ("/offres", f"/offres/{posting.id}"):
            page = client.get(path).get_data(as_text=True)
            assert _sensitive(page) == []
            assert "Morgane" not in page


def test_sensitive_text_never_reaches_the_logs(client, login, officer, person, caplog):
    caplog.set_level(logging.DEBUG)
    login(officer)
    client.get(f"/equipe/candidats/{person.id}")
    client.get(f"/equipe/candidats/{person.id}/export.json")
    client.get("/equipe/candidats?q=wombat")
    client.post(f"/equipe/candidats/{person.id}/accord/retrait")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert _sensitive(logged) == []
