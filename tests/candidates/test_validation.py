"""Invalid input is refused with a French message next to the field; nothing saved."""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from matching.candidates.models import Candidate, CandidateDomain, Training
from matching.core.timeutils import paris_today
from matching.extensions import db
from tests.candidates.test_guided_registration import STEP_1, STEP_3, STEP_4

YESTERDAY = (paris_today() - timedelta(days=1)).isoformat()


def snapshot(candidate: Candidate) -> tuple:
    db.session.refresh(candidate)
    return (
        candidate.display_name,
        candidate.commune_insee,
        candidate.mobility_radius_km,
        candidate.fte_min,
        candidate.fte_max,
        tuple(candidate.contract_types),
        candidate.available_from,
        tuple(candidate.titles),
        tuple(candidate.languages),
        candidate.background_text,
        tuple((d.domain, d.sharing) for d in candidate.domains),
        tuple(t.name for t in candidate.trainings),
        candidate.updated_at,
    )


@pytest.fixture
def profile(make_candidate, login):
    candidate = make_candidate(consent=["equipe"])
    login(candidate.user)
    return candidate


STEP_1_CASES = [
    ("mobility_radius_km", "-1", "Indiquez un nombre entre 0 et 200 kilomètres."),
    ("mobility_radius_km", "201", "Indiquez un nombre entre 0 et 200 kilomètres."),
    ("mobility_radius_km", "", "Indiquez une distance en kilomètres"),
    ("fte_min", "0.05", "Choisissez un temps de travail de 10 à 100 %."),
    ("fte_max", "1.5", "Choisissez un temps de travail de 10 à 100 %."),
    ("fte_min", "abc", "Choisissez un temps de travail de 10 à 100 %."),
    ("contract_types", ["cdi", "pas_un_contrat"], "Un des choix n&#39;existe pas."),
    ("available_from", YESTERDAY, "Cette date est passée."),
    ("available_from", "31/02/2026", "date"),
    ("display_name", "x" * 121, "120 caractères au maximum."),
    ("display_name", "", "Indiquez comment nous pouvons vous appeler."),
    ("phone", "appelez-moi", "Ce numéro n&#39;est pas valide"),
    ("commune", "Atlantide", "Nous ne trouvons pas cette commune"),
    ("status", "archive", "choix"),
]


@pytest.mark.parametrize(("field", "value", "message"), STEP_1_CASES)
def test_step_one_refuses_invalid_input(client, profile, field, value, message):
    before = snapshot(profile)
    response = client.post("/candidat/profil/etape/1", data={**STEP_1, field: value})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page
    assert (
        'aria-invalid="true"' in page or 'class="form-check-input is-invalid"' in page
    )
    assert snapshot(profile) == before


def test_minimum_working_time_above_maximum_is_refused(client, profile):
    before = snapshot(profile)
    data = {**STEP_1, "fte_min": "0.8", "fte_max": "0.5"}
    page = client.post("/candidat/profil/etape/1", data=data).get_data(as_text=True)
    assert "Le « au plus » doit être plus grand que le « au moins »." in page
    assert snapshot(profile) == before


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        (2, {"titles": ["pas_un_poste"]}, "Un des choix n&#39;existe pas."),
        (2, {"sectors": ["ahi_hebergement", "lune"]}, "Un des choix n&#39;existe pas."),
        (3, {**STEP_3, "background_text": "x" * 3001}, "3000 caractères au maximum."),
        (
            3,
            {**STEP_3, "domain_addictions": "tout_le_monde"},
            "Un des choix n&#39;existe",
        ),
        (3, {**STEP_3, "background_sharing": "partout"}, "Un des choix n&#39;existe"),
        (4, {**STEP_4, "languages": "klingon"}, "Nous ne reconnaissons pas : klingon"),
        (4, {**STEP_4, "trainings-0-name": "x" * 201}, "200 caractères au maximum."),
        (4, {**STEP_4, "trainings-0-status": "diplome"}, "choix"),
        (
            4,
            {**STEP_4, "trainings-0-name": "", "trainings-0-provider": "Fac"},
            "Indiquez aussi le nom de la formation.",
        ),
    ],
)
def test_other_steps_refuse_invalid_input(client, profile, step, data, message):
    before = snapshot(profile)
    response = client.post(f"/candidat/profil/etape/{step}", data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert snapshot(profile) == before


def test_sign_language_and_languages_without_two_letter_code_are_accepted(
    client, profile
):
    response = client.post(
        "/candidat/profil/etape/4",
        data={
            **STEP_4,
            "languages": "LSF, créole, kabyle, tamazight, Portugais du Brésil",
        },
    )
    assert response.status_code == 302
    db.session.refresh(profile)
    assert profile.languages == ["fsl", "cpf", "kab", "ber", "pt"]
    page = client.get("/candidat/profil/etape/4").get_data(as_text=True)
    assert "langue des signes française (LSF)" in page


def test_sharing_beyond_the_consent_is_refused(client, profile):
    """Consent for the team only: "visible in the anonymous profile" is refused."""
    before = snapshot(profile)
    data = {**STEP_3, "domain_rue_sans_abrisme": "public_employeurs"}
    page = client.post("/candidat/profil/etape/3", data=data).get_data(as_text=True)
    assert "Votre accord ne couvre pas ce niveau de partage." in page
    assert 'aria-invalid="true"' in page
    assert snapshot(profile) == before
    # Only the levels the consent covers are offered.
    assert 'value="public_employeurs"' not in page
    assert 'value="prive"' in page


def test_extra_fields_are_ignored(client, profile):
    data = {**STEP_1, "user_id": "999", "status": "actif", "anonymised_at": "x"}
    data.update({"id": "42", "is_admin": "1", "created_by_id": "1"})
    assert client.post("/candidat/profil/etape/1", data=data).status_code == 302
    db.session.refresh(profile)
    assert profile.user_id != 999
    assert profile.anonymised_at is None
    assert profile.created_by_id is None


TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=400
) | st.sampled_from(["\x00", "x" * 10_000, "\u202e abc", "<script>alert(1)</script>"])


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(name=TEXT, radius=TEXT, commune=TEXT, background=TEXT, languages=TEXT)
def test_random_input_never_breaks_a_step(
    client, profile, name, radius, commune, background, languages
):
    """SECURITY.md row 20: a field error or a save, never a 500 nor half a save."""
    counts = (
        db.session.scalar(select(func.count(CandidateDomain.id))),
        db.session.scalar(select(func.count(Training.id))),
    )
    for step, data in (
        (
            1,
            {
                **STEP_1,
                "display_name": name,
                "mobility_radius_km": radius,
                "commune": commune,
            },
        ),
        (3, {**STEP_3, "background_text": background, "peer_help_text": name}),
        (4, {**STEP_4, "languages": languages, "trainings-0-name": name}),
    ):
        before = snapshot(profile)
        response = client.post(f"/candidat/profil/etape/{step}", data=data)
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert snapshot(profile) == before
    assert db.session.scalar(select(func.count(CandidateDomain.id))) <= counts[0] + 3
    assert db.session.scalar(select(func.count(Training.id))) <= counts[1] + 1
