"""The demo 2023 campaign reproduces the diagnostic's slides exactly."""

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from matching import vocab
from matching.demo.seed import load_all
from matching.extensions import db
from matching.survey.demo import CAMPAIGN_2023, load_survey
from matching.survey.models import SurveyCampaign, SurveyInvitation, SurveyResponse
from matching.survey.results import campaign_results


def text_of(page: str) -> str:
    """The page as a reader sees it: no tags, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture
def campaign_2023(app):
    load_survey()
    db.session.commit()
    return db.session.scalar(
        select(SurveyCampaign).where(SurveyCampaign.name == CAMPAIGN_2023)
    )


def test_results_page_shows_the_figures_of_the_diagnostic(
    client, login, officer, campaign_2023
):
    login(officer)
    page = client.get(f"/diagnostic/campagnes/{campaign_2023.id}/resultats")
    assert page.status_code == 200
    text = text_of(page.get_data(as_text=True))
    for figure in (
        "17 réponses sur 106 structures sollicitées (taux de réponse : 16 %)",
        "(dont 14 du social)",
        "15 connaissent le TP",
        "8 ont déjà collaboré avec des pair-aidant·es bénévoles",
        "6 ont déjà eu recours à un TP",
        "dont 5 ont un TP en poste",
        "82 % des répondants estiment que le recrutement d'un TP représente une "
        "plus-value",
        "1 structure sur 2 n'ayant pas de TP envisage d'en intégrer un (6 sur 12)",
    ):
        assert figure in text, figure


def test_2023_figures_computed_from_the_database(campaign_2023):
    results = campaign_results(campaign_2023)
    assert (results.responses, results.asked) == (17, 106)
    assert results.response_rate.percent == 16
    assert {slug: share.count for slug, share in results.answers.items()} == {
        "knows_peer_work": 15,
        "worked_with_volunteer_peers": 8,
        "employed_peer_worker": 6,
        "has_peer_worker_in_post": 5,
        "sees_added_value": 14,
    }
    assert results.answers["sees_added_value"].percent == 82
    assert (results.considers_hiring.count, results.considers_hiring.total) == (6, 12)
    ratio = results.considers_ratio
    assert (ratio.numerator, ratio.denominator, ratio.approximate) == (1, 2, False)
    assert results.main_field == ("social", 14)
    # 2 from addictology and 1 from mental health: too few to be shown apart.
    assert dict(results.fields) == {
        "social": 14,
        "medico_social": None,
        "sanitaire": None,
    }


def test_barriers_ranked_by_mean_with_funding_first(campaign_2023):
    barriers = campaign_results(campaign_2023).barriers
    assert [row.slug for row in barriers] == list(vocab.BARRIERS)
    funding = barriers[0]
    assert funding.counts == (0, 1, 4, 12)
    assert funding.total == 17
    assert funding.mean == pytest.approx(62 / 17)
    assert all(row.total == 17 for row in barriers)


def test_needs_are_the_four_needs_of_the_diagnostic(campaign_2023):
    needs = {slug: share.count for slug, share in campaign_results(campaign_2023).needs}
    assert needs == {
        "financement": 15,
        "changement_organisationnel": 7,
        "recrutement": 10,
        "connaissances_partage": 11,
    }


def test_results_page_has_the_barriers_chart_and_needs(
    client, login, officer, campaign_2023
):
    login(officer)
    page = client.get(f"/diagnostic/campagnes/{campaign_2023.id}/resultats")
    html = page.get_data(as_text=True)
    text = text_of(html)
    assert 'id="graphique-freins"' in html
    assert "Financement — moyenne 3,6" in text
    assert "1 = pas du tout important, 4 = très important" in text
    assert "Soutien financier pour salarier un·e travailleur·euse pair 88 % (15)" in (
        text
    )
    # Free text is listed for the team, and kept out of print.
    assert "Apport de savoir expérientiel." in text
    assert 'class="mb-4 no-print" aria-labelledby="titre-apports"' in html


def test_demo_loader_is_idempotent(app):
    load_all()
    db.session.commit()
    first = (
        db.session.scalar(select(func.count(SurveyCampaign.id))),
        db.session.scalar(select(func.count(SurveyResponse.id))),
        db.session.scalar(select(func.count(SurveyInvitation.id))),
    )
    load_all()
    db.session.commit()
    again = (
        db.session.scalar(select(func.count(SurveyCampaign.id))),
        db.session.scalar(select(func.count(SurveyResponse.id))),
        db.session.scalar(select(func.count(SurveyInvitation.id))),
    )
    assert first == again
    assert first[0] == 2
    assert first[1] == 17 + 6  # 2023, then 6 demo organisations in 2026
