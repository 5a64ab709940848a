"""A person registers as a candidate in the browser and fills the guided profile."""

import re
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from matching.candidates.models import Candidate, ConsentRecord
from matching.core.timeutils import paris_today
from matching.extensions import db

STEP_1 = {
    "display_name": "Alex",
    "phone": "06 12 34 56 78",
    "commune": "Toulouse (31000)",
    "mobility_radius_km": "25",
    "available_from": "",
    "fte_min": "0.5",
    "fte_max": "0.8",
    "contract_types": ["cdi", "cdd"],
    "status": "actif",
}
STEP_2 = {
    "titles": ["travailleur_pair", "mediateur_sante_pair"],
    "functions": ["aller_vers"],
    "sectors": ["veille_sociale"],
}
CONSENT_ALL = {
    "purpose_equipe": "y",
    "purpose_mise_en_relation": "y",
    "purpose_profil_anonyme": "y",
}
STEP_3 = {
    "domain_rue_sans_abrisme": "public_employeurs",
    "domain_addictions": "apres_mise_en_relation",
    "domain_troubles_psychiques": "prive",
    "background_text": "J'ai appris à demander de l'aide et à en donner.",
    "background_sharing": "apres_mise_en_relation",
    "peer_help_text": "Animation d'un groupe de parole au GEM.",
    "peer_help_sharing": "prive",
}
STEP_4 = {
    "trainings-0-name": "DU pair-aidance",
    "trainings-0-provider": "Université",
    "trainings-0-status": "en_cours",
    "trainings-1-name": "",
    "trainings-1-provider": "",
    "trainings-1-status": "souhaitee",
    "languages": "français, Arabe",
}


def profile_of(user) -> Candidate | None:
    return db.session.scalar(select(Candidate).where(Candidate.user_id == user.id))


def test_a_person_registers_and_fills_the_whole_profile(client, outbox):
    client.post(
        "/inscription/candidat",
        data={
            "display_name": "Alex",
            "email": "alex@example.org",
            "password": "une phrase assez longue pour moi",
            "password_confirm": "une phrase assez longue pour moi",
            "accept_terms": "y",
        },
    )
    link = re.search(r"http://passerelle\.test(/\S+)", outbox[0].body).group(1)
    # A confirmed candidate without a profile is sent to step 1.
    assert client.get(link).headers["Location"] == "/candidat/profil/etape/1"
    assert "Commencer mon profil" in client.get("/candidat").get_data(as_text=True)
    page = client.get("/candidat/profil/etape/1").get_data(as_text=True)
    assert 'aria-current="step"' in page
    assert "Étape 1 sur 5" in page
    # The name given when creating the account is already there.
    assert 'value="Alex"' in page

    assert (
        client.post("/candidat/profil/etape/1", data=STEP_1)
        .headers["Location"]
        .endswith("/etape/2")
    )
    assert client.post("/candidat/profil/etape/2", data=STEP_2).status_code == 302
    # Step 3 starts with the consent notice; nothing can be stored before it.
    page = client.get("/candidat/profil/etape/3").get_data(as_text=True)
    assert "2026-11-v1" in page
    assert "checked" not in page.split("purpose_equipe")[1][:200]
    response = client.post(
        "/candidat/profil/accord?next=/candidat/profil/etape/3", data=CONSENT_ALL
    )
    assert response.headers["Location"] == "/candidat/profil/etape/3"
    assert client.post("/candidat/profil/etape/3", data=STEP_3).status_code == 302
    assert client.post("/candidat/profil/etape/4", data=STEP_4).status_code == 302
    page = client.get("/candidat/profil/etape/5").get_data(as_text=True)
    assert "Profil anonyme" in page
    assert "Après une mise en relation acceptée" in page
    assert client.post("/candidat/profil/etape/5").headers["Location"] == (
        "/candidat/profil"
    )

    from matching.accounts.models import User

    user = db.session.scalar(select(User).where(User.email == "alex@example.org"))
    candidate = profile_of(user)
    assert candidate.is_complete
    assert (candidate.commune_insee, candidate.department) == ("31555", "31")
    assert candidate.latitude
    assert candidate.longitude
    assert (candidate.fte_min, candidate.fte_max) == (Decimal("0.5"), Decimal("0.8"))
    assert candidate.contract_types == ["cdi", "cdd"]
    assert candidate.titles == ["travailleur_pair", "mediateur_sante_pair"]
    assert {d.domain: d.sharing for d in candidate.domains} == {
        "rue_sans_abrisme": "public_employeurs",
        "addictions": "apres_mise_en_relation",
        "troubles_psychiques": "prive",
    }
    assert candidate.background_sharing == "apres_mise_en_relation"
    assert [(t.name, t.status) for t in candidate.trainings] == [
        ("DU pair-aidance", "en_cours")
    ]
    assert candidate.languages == ["fr", "ar"]
    assert candidate.phone_key == "0612345678"
    assert "toulouse" in candidate.search_text
    consent = db.session.scalar(select(ConsentRecord))
    assert (consent.version, consent.method) == ("2026-11-v1", "en_ligne")
    assert consent.purposes == ["equipe", "mise_en_relation", "profil_anonyme"]
    page = client.get("/candidat/profil").get_data(as_text=True)
    assert "Vie à la rue" in page
    assert client.get("/candidat").status_code == 200


def test_each_step_saves_and_can_be_finished_later(client, login, candidate):
    login(candidate)
    response = client.post("/candidat/profil/etape/1", data={**STEP_1, "later": "1"})
    assert response.headers["Location"] == "/candidat/profil"
    profile = profile_of(candidate)
    assert profile.registration_step == 2
    assert not profile.is_complete
    page = client.get("/candidat").get_data(as_text=True)
    assert "Continuer là où je m'étais arrêté·e" in page


def test_steps_need_step_one_first(client, login, candidate):
    login(candidate)
    for step in (2, 3, 4, 5):
        response = client.get(f"/candidat/profil/etape/{step}")
        assert response.headers["Location"] == "/candidat/profil/etape/1"
    assert client.get("/candidat/profil/etape/6").status_code == 404


def test_experience_step_can_be_skipped_without_consent(client, login, make_candidate):
    candidate = make_candidate(registration_step=3, completed_at=None)
    login(candidate.user)
    response = client.post("/candidat/profil/etape/3", data={"skip": "1"})
    assert response.headers["Location"] == "/candidat/profil/etape/4"
    db.session.refresh(candidate)
    assert candidate.registration_step == 4
    assert candidate.domains == []
    assert db.session.scalar(select(ConsentRecord)) is None


def test_available_from_accepts_today_and_later(client, login, candidate):
    login(candidate)
    day = (paris_today() + timedelta(days=10)).isoformat()
    client.post("/candidat/profil/etape/1", data={**STEP_1, "available_from": day})
    assert profile_of(candidate).available_from.isoformat() == day


def test_a_saved_step_shows_its_answers_again_and_keeps_them(
    client, login, make_candidate
):
    candidate = make_candidate(fte_min=Decimal("0.5"), fte_max=Decimal("0.8"))
    login(candidate.user)
    db.session.expire_all()  # read back from the database: Decimal("0.50")
    page = client.get("/candidat/profil/etape/1").get_data(as_text=True)
    assert re.search(r'<option selected value="0\.5">', page)
    assert re.search(r'<option selected value="0\.8">', page)
    assert 'value="Toulouse (31000)"' in page
    # Saving the step as shown (here, to add a phone number) keeps the working time.
    shown = {
        name: re.search(
            rf'<select[^>]*name="{name}".*?<option selected value="([^"]*)"', page, re.S
        ).group(1)
        for name in ("fte_min", "fte_max")
    }
    client.post(
        "/candidat/profil/etape/1", data={**STEP_1, **shown, "phone": "07 00 00 00 01"}
    )
    db.session.expire_all()
    candidate = db.session.get(Candidate, candidate.id)
    assert (candidate.fte_min, candidate.fte_max) == (Decimal("0.5"), Decimal("0.8"))
