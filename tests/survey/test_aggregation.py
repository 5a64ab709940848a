"""Results are computed by the database, in a fixed number of queries, and never
single out one organisation."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from matching.extensions import db
from matching.survey.results import campaign_results
from tests.factories import (
    OrganisationFactory,
    SurveyCampaignFactory,
    SurveyInvitationFactory,
    SurveyResponseFactory,
)
from tests.survey.test_results_2023 import text_of


@contextmanager
def recorded_queries():
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def add_responses(campaign, count: int) -> None:
    for n in range(count):
        SurveyResponseFactory(
            campaign=campaign,
            sector=("ahi_hebergement", "addictologie_rdr", "handicap")[n % 3],
            has_peer_worker_in_post=n % 4 == 0,
            considers_hiring=None if n % 4 == 0 else n % 2 == 0,
            needs=["financement", "recrutement"][: 1 + n % 2],
            contributions_text=f"Réponse libre {n}",
            ratings={"financement": 1 + n % 4},
        )


def test_results_page_queries_stay_constant_as_responses_grow(client, login, officer):
    campaign = SurveyCampaignFactory()
    add_responses(campaign, 4)
    login(officer)
    url = f"/diagnostic/campagnes/{campaign.id}/resultats"
    with recorded_queries() as few:
        assert client.get(url).status_code == 200
    add_responses(campaign, 36)
    with recorded_queries() as many:
        page = client.get(url)
    assert page.status_code == 200
    assert "40 réponses" in page.get_data(as_text=True)
    assert len(many) == len(few)
    aggregates = " ".join(many).upper()
    assert "GROUP BY" in aggregates
    assert "AVG(" in aggregates
    assert "COUNT(" in aggregates


def test_counts_and_means_come_from_sql(app):
    campaign = SurveyCampaignFactory(invited_count=10)
    for rating, in_post, considers in (
        (4, True, None),
        (3, False, True),
        (1, False, False),
    ):
        SurveyResponseFactory(
            campaign=campaign,
            has_peer_worker_in_post=in_post,
            employed_peer_worker=in_post,
            considers_hiring=considers,
            needs=["financement", "connaissances_partage"] if considers else [],
            ratings={"financement": rating},
        )
    SurveyResponseFactory(campaign=SurveyCampaignFactory())  # another campaign
    results = campaign_results(campaign)
    assert (results.responses, results.asked, results.response_rate.percent) == (
        3,
        10,
        30,
    )
    assert results.answers["has_peer_worker_in_post"].count == 1
    assert (results.considers_hiring.count, results.considers_hiring.total) == (1, 2)
    funding = next(row for row in results.barriers if row.slug == "financement")
    assert funding.counts == (1, 0, 1, 1)
    assert funding.mean == pytest.approx(8 / 3)
    assert results.barriers[0].slug == "financement"  # the others are all 2
    needs = {slug: share.count for slug, share in results.needs}
    assert needs == {
        "financement": 1,
        "changement_organisationnel": 0,
        "recrutement": 0,
        "connaissances_partage": 1,
    }


def test_asked_is_the_larger_of_declared_and_invited(app):
    campaign = SurveyCampaignFactory(invited_count=2)
    SurveyInvitationFactory.create_batch(3, campaign=campaign)
    assert campaign_results(campaign).asked == 3


def test_below_three_responses_only_the_count_is_shown(client, login, officer):
    campaign = SurveyCampaignFactory()
    SurveyResponseFactory.create_batch(
        2, campaign=campaign, contributions_text="Très identifiable"
    )
    login(officer)
    page = client.get(f"/diagnostic/campagnes/{campaign.id}/resultats")
    text = text_of(page.get_data(as_text=True))
    assert "2 réponses" in text
    assert "Les résultats s'affichent à partir de 3 réponses" in text
    assert "connaissent le TP" not in text
    assert "Très identifiable" not in text
    assert "<svg" not in page.get_data(as_text=True)


def test_small_sector_groups_are_not_broken_down(client, login, officer):
    campaign = SurveyCampaignFactory()
    SurveyResponseFactory.create_batch(3, campaign=campaign, sector="veille_sociale")
    SurveyResponseFactory(campaign=campaign, sector="sante_mentale_psychiatrie")
    login(officer)
    page = client.get(f"/diagnostic/campagnes/{campaign.id}/resultats")
    text = text_of(page.get_data(as_text=True))
    assert "(dont 3 du social)" in text
    assert "Sanitaire (santé mentale) moins de 3" in text
    assert "Médico-social (addictologie) 0" in text


def test_results_show_no_organisation_name(client, login, officer):
    campaign = SurveyCampaignFactory()
    for n in range(3):
        organisation = OrganisationFactory(name=f"Foyer Reconnaissable {n}")
        SurveyResponseFactory(campaign=campaign, organisation=organisation)
    login(officer)
    page = client.get(f"/diagnostic/campagnes/{campaign.id}/resultats")
    assert "Foyer Reconnaissable" not in page.get_data(as_text=True)


def test_one_or_two_structures_answering_something_are_never_shown(
    client, login, officer
):
    """The small-group rule for sectors holds for every figure: no "33 % (1)"."""
    campaign = SurveyCampaignFactory()
    SurveyResponseFactory(
        campaign=campaign, employed_peer_worker=True, has_peer_worker_in_post=True
    )
    SurveyResponseFactory(
        campaign=campaign, employed_peer_worker=True, has_peer_worker_in_post=True
    )
    SurveyResponseFactory(campaign=campaign, employed_peer_worker=True)
    SurveyResponseFactory(campaign=campaign, considers_hiring=False)
    SurveyResponseFactory(campaign=campaign, considers_hiring=False)
    SurveyResponseFactory(campaign=campaign, needs=["recrutement"])
    login(officer)
    page = client.get(f"/diagnostic/campagnes/{campaign.id}/resultats")
    text = text_of(page.get_data(as_text=True))
    assert "6 connaissent le TP" in text
    assert "3 ont déjà eu recours à un TP" in text
    assert "dont moins de 3 ont un TP en poste" in text
    assert "Moins de 3 ont déjà collaboré" not in text  # 0 tells nothing about anyone
    assert "Moins de 3 structures répondantes n'ont pas de TP en poste" not in text
    # 2 of the 4 without a peer worker consider hiring one: not "1 sur 2 (2 sur 4)".
    assert "Moins de 3 structures n'ayant pas de TP envisagent" in text
    assert "(2 sur 4)" not in text
    assert "33 % (2)" not in text
    assert "17 % (1)" not in text
    assert "moins de 3" in text

    other = SurveyCampaignFactory(name="Autre")
    SurveyResponseFactory.create_batch(3, campaign=other)
    compared = text_of(
        client.get(
            f"/diagnostic/comparer?avant={other.id}&apres={campaign.id}"
        ).get_data(as_text=True)
    )
    assert "Ont un·e TP en poste 0 % (0) –" in compared
    assert "% (1)" not in compared
    assert "% (2)" not in compared
