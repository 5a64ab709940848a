"""Consent per purpose, before anything of a person's lived experience is stored."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from matching.audit.models import AuditEvent
from matching.candidates import services
from matching.candidates.consent import CONSENT_VERSION
from matching.candidates.models import CandidateDomain, ConsentRecord
from matching.core.timeutils import paris_today
from matching.extensions import db
from tests.candidates.test_guided_registration import STEP_3

TEXT = "J'ai appris à écouter sans juger."


def test_services_refuse_experience_without_consent(make_candidate):
    candidate = make_candidate()
    with pytest.raises(services.ConsentRequired):
        services.save_experience(candidate, {"addictions": "prive"})
    with pytest.raises(services.ConsentRequired):
        services.save_experience(candidate, {}, background_text=TEXT)
    with pytest.raises(services.ConsentRequired):
        services.save_experience(candidate, {}, peer_help_text=TEXT)
    db.session.rollback()
    assert db.session.scalar(select(CandidateDomain)) is None
    db.session.refresh(candidate)
    assert candidate.background_text is None


def test_services_refuse_a_level_the_consent_does_not_cover(make_candidate):
    candidate = make_candidate(consent=["equipe", "mise_en_relation"])
    with pytest.raises(services.ConsentRequired):
        services.save_experience(candidate, {"addictions": "public_employeurs"})
    with pytest.raises(services.ConsentRequired):
        services.save_experience(
            candidate, {}, background_text=TEXT, background_sharing="public_employeurs"
        )
    services.save_experience(candidate, {"addictions": "apres_mise_en_relation"})
    assert [d.sharing for d in candidate.domains] == ["apres_mise_en_relation"]


def test_experience_posted_without_consent_shows_the_notice_and_stores_nothing(
    client, login, make_candidate
):
    candidate = make_candidate()
    login(candidate.user)
    response = client.post("/candidat/profil/etape/3", data=STEP_3)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert CONSENT_VERSION in page
    assert "diagnostic" in page
    assert db.session.scalar(select(CandidateDomain)) is None
    db.session.refresh(candidate)
    assert candidate.background_text is None


def test_consent_boxes_are_separate_and_unticked(client, login, make_candidate):
    login(make_candidate().user)
    page = client.get("/candidat/profil/accord").get_data(as_text=True)
    for purpose in ("equipe", "mise_en_relation", "profil_anonyme"):
        tag = re.search(rf'<input[^>]*id="purpose_{purpose}"[^>]*>', page).group(0)
        assert "checked" not in tag
        assert 'type="checkbox"' in tag


def test_consent_is_recorded_with_version_date_and_method(
    client, login, make_candidate
):
    candidate = make_candidate()
    login(candidate.user)
    response = client.post(
        "/candidat/profil/accord",
        data={"purpose_equipe": "y", "purpose_profil_anonyme": "y"},
    )
    assert response.headers["Location"] == "/candidat/profil"  # a finished profile
    record = db.session.scalar(select(ConsentRecord))
    assert record.version == CONSENT_VERSION
    assert record.purposes == ["equipe", "profil_anonyme"]
    assert record.method == "en_ligne"
    assert record.recorded_by_id == candidate.user_id
    assert record.given_at is not None
    assert record.is_active
    event = db.session.scalar(select(AuditEvent))
    assert (event.action, event.actor_role) == ("consent.give", "candidate")
    assert event.details["purposes"] == ["equipe", "profil_anonyme"]


def test_a_profile_being_filled_goes_back_to_its_experience_step(
    client, login, make_candidate
):
    candidate = make_candidate(completed_at=None, registration_step=3)
    login(candidate.user)
    response = client.post("/candidat/profil/accord", data={"purpose_equipe": "y"})
    assert response.headers["Location"] == "/candidat/profil/etape/3"


def test_a_narrower_consent_says_what_became_private(client, login, make_candidate):
    candidate = make_candidate(
        consent=["equipe", "mise_en_relation", "profil_anonyme"],
        domains={"addictions": "apres_mise_en_relation", "violences": "prive"},
    )
    login(candidate.user)
    response = client.post(
        "/candidat/profil/accord",
        data={"purpose_equipe": "y", "purpose_profil_anonyme": "y"},
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        "Vos expériences partagées avec les employeurs sont maintenant privées" in page
    )
    assert "Mon profil" in page
    assert "Étape 3 sur 5" not in page
    assert {d.domain: d.sharing for d in candidate.domains} == {
        "addictions": "prive",
        "violences": "prive",
    }


def test_a_consent_that_lowers_nothing_says_only_that_it_is_recorded(
    client, login, make_candidate
):
    candidate = make_candidate(
        consent=["equipe", "mise_en_relation"], domains={"violences": "prive"}
    )
    login(candidate.user)
    response = client.post(
        "/candidat/profil/accord",
        data={"purpose_equipe": "y", "purpose_mise_en_relation": "y"},
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Votre accord est enregistré." in page
    assert "maintenant privées" not in page


def test_the_first_box_is_required(client, login, make_candidate):
    login(make_candidate().user)
    response = client.post(
        "/candidat/profil/accord", data={"purpose_profil_anonyme": "y"}
    )
    assert response.status_code == 200
    assert "cochez au moins cette première case" in response.get_data(as_text=True)
    assert db.session.scalar(select(ConsentRecord)) is None


def test_narrower_consent_lowers_the_sharing_levels(make_candidate):
    candidate = make_candidate(
        consent=["equipe", "mise_en_relation", "profil_anonyme"],
        domains={"addictions": "public_employeurs", "violences": "prive"},
        background_text=TEXT,
        background_sharing="apres_mise_en_relation",
    )
    old = candidate.active_consent
    services.give_consent(candidate, ["equipe", "mise_en_relation"], candidate.user)
    db.session.commit()
    assert {d.domain: d.sharing for d in candidate.domains} == {
        "addictions": "apres_mise_en_relation",
        "violences": "prive",
    }
    assert old.superseded_at is not None
    services.give_consent(candidate, ["equipe"], candidate.user)
    assert candidate.background_sharing == "prive"
    assert len(candidate.consents) == 3
    assert [c.is_active for c in candidate.consents] == [False, False, True]


def test_withdrawing_consent_deletes_the_sensitive_fields(
    client, login, make_candidate
):
    candidate = make_candidate(
        consent=["equipe", "profil_anonyme"],
        domains={"addictions": "public_employeurs"},
        background_text="Texte unique zorglub",
        peer_help_text="Entraide unique plopinette",
    )
    assert "zorglub" in candidate.search_text
    login(candidate.user)
    response = client.post("/candidat/profil/accord/retrait")
    assert response.headers["Location"] == "/candidat/profil"
    db.session.refresh(candidate)
    assert candidate.domains == []
    assert candidate.background_text is None
    assert candidate.peer_help_text is None
    assert "zorglub" not in candidate.search_text
    assert "plopinette" not in candidate.search_text
    assert "addictions" not in candidate.search_text
    assert candidate.active_consent is None
    assert candidate.consents[0].withdrawn_at is not None
    assert [e.kind for e in candidate.events] == ["consent_withdrawn"]
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions == ["consent.withdraw"]
    # Without consent, step 3 shows the notice again.
    page = client.get("/candidat/profil/etape/3").get_data(as_text=True)
    assert CONSENT_VERSION in page


def test_officer_records_an_oral_consent_with_its_date(
    client, login, officer, make_candidate
):
    candidate = make_candidate(user=None, email="rencontre@example.org")
    login(officer)
    day = paris_today() - timedelta(days=2)
    response = client.post(
        f"/equipe/candidats/{candidate.id}/accord",
        data={
            "purpose_equipe": "y",
            "purpose_mise_en_relation": "y",
            "given_on": day.isoformat(),
            "notice_read": "y",
        },
    )
    assert response.headers["Location"] == f"/equipe/candidats/{candidate.id}"
    record = db.session.scalar(select(ConsentRecord))
    assert (record.method, record.given_on, record.recorded_by_id) == (
        "oral",
        day,
        officer.id,
    )
    assert record.purposes == ["equipe", "mise_en_relation"]
    # Now the officer may record the person's experience.
    response = client.post(
        f"/equipe/candidats/{candidate.id}/etape/3",
        data={**STEP_3, "domain_rue_sans_abrisme": "apres_mise_en_relation"},
    )
    assert response.status_code == 302
    db.session.refresh(candidate)
    assert {d.domain for d in candidate.domains} == {
        "rue_sans_abrisme",
        "addictions",
        "troubles_psychiques",
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"given_on": "", "notice_read": "y"}, "Indiquez la date de l&#39;accord."),
        ({"given_on": "2999-01-01", "notice_read": "y"}, "pas encore arrivée"),
        ({"given_on": "2026-01-01"}, "Cochez cette case pour enregistrer"),
    ],
)
def test_oral_consent_needs_a_past_date_and_the_notice_read(
    client, login, officer, make_candidate, data, message
):
    candidate = make_candidate(user=None)
    login(officer)
    response = client.post(
        f"/equipe/candidats/{candidate.id}/accord",
        data={"purpose_equipe": "y", **data},
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(ConsentRecord)) is None


def test_officer_cannot_record_experience_before_consent(
    client, login, officer, make_candidate
):
    candidate = make_candidate(user=None)
    login(officer)
    response = client.post(f"/equipe/candidats/{candidate.id}/etape/3", data=STEP_3)
    assert response.headers["Location"] == f"/equipe/candidats/{candidate.id}/accord"
    assert db.session.scalar(select(CandidateDomain)) is None
