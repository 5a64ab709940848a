"""The questionnaire, answered without an account through an organisation's link."""

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from matching import vocab
from matching.core.timeutils import paris_today
from matching.extensions import db
from matching.survey import services
from matching.survey.links import make_survey_token
from matching.survey.models import SurveyBarrierRating, SurveyResponse
from tests.factories import (
    SurveyCampaignFactory,
    SurveyInvitationFactory,
    SurveyResponseFactory,
)
from tests.survey.test_results_2023 import text_of


def answers(**overrides) -> dict:
    data = {
        "sector": "addictologie_rdr",
        "knows_peer_work": "oui",
        "worked_with_volunteer_peers": "non",
        "employed_peer_worker": "oui",
        "has_peer_worker_in_post": "non",
        "considers_hiring": "oui",
        "sees_added_value": "oui",
        "needs": ["financement", "recrutement"],
        "contributions_text": "Un autre regard sur l'accompagnement.",
    }
    data |= {f"barrier_{slug}": "3" for slug in vocab.BARRIERS}
    data["barrier_financement"] = "4"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def invitation(app):
    return SurveyInvitationFactory(organisation__name="CSAPA du Canal")


def url(invitation) -> str:
    return f"/diagnostic/repondre/{make_survey_token(invitation)}"


def count_responses() -> int:
    return db.session.scalar(select(func.count(SurveyResponse.id)))


def test_valid_link_opens_the_questionnaire_without_an_account(client, invitation):
    response = client.get(url(invitation))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "CSAPA du Canal" in page
    assert page.count('type="radio"') == 6 * 2 + 12 * 4
    assert "1 – pas du tout important" in page
    assert "Le manque de stabilité de l&#39;équipe" in page
    assert response.headers["Cache-Control"] == "no-store"


def test_answers_are_saved_as_one_response(client, invitation):
    response = client.post(url(invitation), data=answers())
    assert response.status_code == 302
    saved = db.session.scalar(select(SurveyResponse))
    assert saved.organisation_id == invitation.organisation_id
    assert saved.invitation_id == invitation.id
    assert saved.sector == "addictologie_rdr"
    assert (saved.knows_peer_work, saved.worked_with_volunteer_peers) == (True, False)
    assert (saved.employed_peer_worker, saved.has_peer_worker_in_post) == (True, False)
    assert (saved.considers_hiring, saved.sees_added_value) == (True, True)
    assert saved.needs == ["financement", "recrutement"]
    ratings = {r.barrier: r.rating for r in saved.barrier_ratings}
    assert ratings["financement"] == 4
    assert len(ratings) == 12
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Merci ! Vos réponses sont enregistrées." in page
    assert "Vous pouvez modifier ses réponses jusqu" in page


def test_second_submission_edits_the_response_instead_of_adding_one(client, invitation):
    client.post(url(invitation), data=answers())
    client.post(
        url(invitation),
        data=answers(
            has_peer_worker_in_post="oui",
            considers_hiring=None,
            barrier_financement="2",
            needs=["connaissances_partage"],
        ),
    )
    assert count_responses() == 1
    assert db.session.scalar(select(func.count(SurveyBarrierRating.id))) == 12
    saved = db.session.scalar(select(SurveyResponse))
    assert saved.has_peer_worker_in_post is True
    assert saved.considers_hiring is None  # not asked with a peer worker in post
    assert saved.needs == ["connaissances_partage"]
    assert {r.barrier: r.rating for r in saved.barrier_ratings}["financement"] == 2
    # The form shows the saved answers back.
    page = client.get(url(invitation)).get_data(as_text=True)
    checked = re.findall(r'<input checked[^>]*name="barrier_financement"[^>]*>', page)
    assert len(checked) == 1
    assert 'value="2"' in checked[0]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"sector": ""}, "sector", "Choisissez le secteur de votre structure."),
        ({"knows_peer_work": None}, "knows_peer_work", "Répondez par oui ou par non."),
        (
            {"sees_added_value": "peut-être"},
            "sees_added_value",
            "Répondez par oui ou par non.",
        ),
        (
            {"barrier_financement": None},
            "barrier_financement",
            "Choisissez une note de 1 à 4.",
        ),
        (
            {"barrier_reticence_equipes": "7"},
            "barrier_reticence_equipes",
            "Choisissez une note de 1 à 4.",
        ),
        (
            {"considers_hiring": None},
            "considers_hiring",
            "Sans travailleur·euse pair en poste, répondez par oui ou par non.",
        ),
        (
            {"has_peer_worker_in_post": "oui", "employed_peer_worker": "non"},
            "employed_peer_worker",
            "Vous avez un·e travailleur·euse pair en poste : répondez « oui » ici "
            "aussi.",
        ),
        (
            {"needs": ["financement", "tout"]},
            "needs",
            "Choisissez parmi les besoins proposés.",
        ),
        (
            {"contributions_text": "x" * 5001},
            "contributions_text",
            "5 000 caractères au maximum.",
        ),
        (
            {"contributions_text": "Texte\u202eretourné"},
            "contributions_text",
            "Ce texte contient des caractères invisibles non autorisés.",
        ),
    ],
)
def test_invalid_answers_get_french_messages_next_to_fields_and_save_nothing(
    client, invitation, overrides, field, message
):
    response = client.post(url(invitation), data=answers(**overrides))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error_block = page.split(f'id="{field}-erreur"', 1)[1][:400]
    assert message.replace("'", "&#39;") in error_block
    assert "Le formulaire contient une erreur" in page
    assert count_responses() == 0


def test_forged_link_is_refused_with_a_clear_page(client, invitation):
    token = make_survey_token(invitation)
    for forged in (token[:-3] + "abc", "nimporte-quoi", token + "x"):
        response = client.get(f"/diagnostic/repondre/{forged}")
        assert response.status_code == 404
        assert "Ce lien n'est pas valable" in text_of(response.get_data(as_text=True))
    response = client.post(f"/diagnostic/repondre/{token[:-3]}abc", data=answers())
    assert response.status_code == 404
    assert count_responses() == 0


def test_link_of_another_campaign_is_refused(client, app, invitation):
    other = SurveyCampaignFactory()
    from matching.accounts.tokens import make_signed_token

    token = make_signed_token(
        "survey-response", {"campaign": other.id, "invitation": invitation.id}
    )
    response = client.post(f"/diagnostic/repondre/{token}", data=answers())
    assert response.status_code == 404
    assert "ne correspond à aucun questionnaire" in response.get_data(as_text=True)
    assert count_responses() == 0


def test_link_of_a_removed_invitation_is_refused(client, invitation):
    link = url(invitation)
    db.session.delete(invitation)
    db.session.commit()
    assert client.get(link).status_code == 404


def test_expired_link_is_refused(client, invitation):
    link = url(invitation)
    with time_machine.travel(datetime.now() + timedelta(days=401)):
        response = client.get(link)
    assert response.status_code == 410
    assert "Ce lien a expiré" in response.get_data(as_text=True)


@pytest.fixture
def closed_invitation(app):
    campaign = SurveyCampaignFactory(
        opens_on=paris_today() - timedelta(days=60),
        closes_on=paris_today() - timedelta(days=1),
    )
    return SurveyInvitationFactory(campaign=campaign)


def test_after_the_close_date_the_form_is_read_only_and_says_so(
    client, closed_invitation
):
    SurveyResponseFactory(
        campaign=closed_invitation.campaign,
        organisation=closed_invitation.organisation,
        invitation=closed_invitation,
        ratings={"financement": 4},
    )
    response = client.get(url(closed_invitation))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Le questionnaire est clos depuis le" in page
    assert "elles ne peuvent plus être modifiées" in page
    assert "<fieldset disabled>" in page
    assert "Enregistrer" not in page


def test_posting_after_the_close_date_changes_nothing(client, closed_invitation):
    response = client.post(url(closed_invitation), data=answers())
    assert response.status_code == 403
    page = text_of(response.get_data(as_text=True))
    assert "Il n'accepte plus de réponses." in page
    assert "Les modifications envoyées n'ont pas été enregistrées." in page
    assert count_responses() == 0


def test_before_opening_the_form_is_not_shown(client):
    campaign = SurveyCampaignFactory(
        opens_on=paris_today() + timedelta(days=3),
        closes_on=paris_today() + timedelta(days=30),
    )
    invitation = SurveyInvitationFactory(campaign=campaign)
    page = client.get(url(invitation)).get_data(as_text=True)
    assert "Le questionnaire ouvrira le" in page
    assert 'type="radio"' not in page
    assert client.post(url(invitation), data=answers()).status_code == 403
    assert count_responses() == 0


def test_a_link_opens_only_its_own_organisation_answers(client, invitation):
    other = SurveyInvitationFactory(campaign=invitation.campaign)
    client.post(url(other), data=answers(contributions_text="Réponse de l'autre"))
    page = client.get(url(invitation)).get_data(as_text=True)
    assert "Réponse de l" not in page
    assert "Votre structure a répondu" not in page


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_post_without_csrf_token_is_refused(client, invitation):
    response = client.post(url(invitation), data=answers())
    assert response.status_code == 400
    assert count_responses() == 0


def test_two_first_submissions_at_once_make_one_response_not_an_error(
    client, invitation, monkeypatch
):
    """Two tabs send the first answers at the same instant: the second one did not see
    the first one's response when it looked, and meets the unique constraint."""
    client.post(url(invitation), data=answers())
    real_find = services.find_response
    calls = []

    def find_as_if_not_yet_committed(invitation):
        # the page's lookup and the save's lookup both happen before the other
        # tab commits; the retry sees it
        calls.append(invitation)
        return None if len(calls) <= 2 else real_find(invitation)

    monkeypatch.setattr(services, "find_response", find_as_if_not_yet_committed)
    response = client.post(url(invitation), data=answers(barrier_financement="1"))
    assert response.status_code == 302
    assert count_responses() == 1
    saved = db.session.scalar(select(SurveyResponse))
    db.session.refresh(saved)
    assert {r.barrier: r.rating for r in saved.barrier_ratings}["financement"] == 1
    assert len(calls) == 3
