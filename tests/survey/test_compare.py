"""Two campaigns side by side, each figure with its difference."""

from sqlalchemy import select

from matching.extensions import db
from matching.survey.demo import CAMPAIGN_2023, load_campaign_2023
from matching.survey.models import SurveyCampaign
from tests.factories import SurveyCampaignFactory, SurveyResponseFactory
from tests.survey.test_results_2023 import text_of


def test_comparison_shows_each_figure_and_its_difference(client, login, officer):
    load_campaign_2023(None)
    db.session.commit()
    before = db.session.scalar(
        select(SurveyCampaign).where(SurveyCampaign.name == CAMPAIGN_2023)
    )
    after = SurveyCampaignFactory(name="Relance 2026", invited_count=20)
    SurveyResponseFactory.create_batch(
        4,
        campaign=after,
        knows_peer_work=True,
        ratings={"financement": 4, "instabilite_equipe": 1},
    )
    login(officer)
    page = client.get(f"/diagnostic/comparer?avant={before.id}&apres={after.id}")
    assert page.status_code == 200
    text = text_of(page.get_data(as_text=True))
    assert "Réponses 17 4 −13" in text
    assert "Structures sollicitées 106 20 −86" in text
    assert "Taux de réponse 16 % 20 % +4 pts" in text
    assert "Connaissent le travail pair 88 % (15) 100 % (4) +12 pts" in text
    assert (
        "Voient une plus-value au recrutement d'un·e TP 82 % (14) 100 % (4) +18 pts"
        in (text)
    )
    # Barriers by mean, ranked as in the compared campaign: funding first.
    barriers = text.split("Freins : note moyenne sur 4", 1)[1]
    assert barriers.index("L'absence de financement") < barriers.index("Des blocages")
    assert "3,65 4,00 +0,35" in barriers
    assert 'id="graphique-comparaison"' in page.get_data(as_text=True)


def test_comparison_with_too_few_answers_shows_dashes(client, login, officer):
    before = SurveyCampaignFactory(name="A")
    SurveyResponseFactory.create_batch(3, campaign=before)
    after = SurveyCampaignFactory(name="B")
    SurveyResponseFactory(campaign=after)
    login(officer)
    text = text_of(
        client.get(f"/diagnostic/comparer?avant={before.id}&apres={after.id}").get_data(
            as_text=True
        )
    )
    assert "Réponses 3 1 −2" in text
    assert "Connaissent le travail pair 100 % (3) – –" in text


def test_comparison_defaults_to_the_two_latest_and_refuses_the_same(
    client, login, officer
):
    SurveyCampaignFactory(name="Premier", year=2023)
    SurveyCampaignFactory(name="Deuxième")
    login(officer)
    text = text_of(client.get("/diagnostic/comparer").get_data(as_text=True))
    assert "Chiffres clés" in text
    same = SurveyCampaignFactory(name="Seul")
    page = client.get(f"/diagnostic/comparer?avant={same.id}&apres={same.id}")
    assert "Choisissez deux campagnes différentes." in page.get_data(as_text=True)
    page = client.get("/diagnostic/comparer?avant=abc&apres=999999")
    assert page.status_code == 200


def test_an_unknown_campaign_is_said_not_found_not_missing(client, login, officer):
    first = SurveyCampaignFactory(name="Premier", year=2023)
    second = SurveyCampaignFactory(name="Deuxième")
    login(officer)
    page = client.get(f"/diagnostic/comparer?avant={first.id}&apres=999999")
    text = text_of(page.get_data(as_text=True))
    assert "Il faut au moins deux campagnes" not in text
    assert "Campagne introuvable" in text
    assert "Chiffres clés" in text  # compared with the other campaign instead
    page = client.get(f"/diagnostic/comparer?avant=999999&apres={first.id}")
    text = text_of(page.get_data(as_text=True))
    assert "Campagne introuvable" in text
    assert "Chiffres clés" in text
    assert f'<option selected value="{second.id}">' in page.get_data(as_text=True)
    text = text_of(client.get("/diagnostic/comparer").get_data(as_text=True))
    assert "Campagne introuvable" not in text


def test_one_campaign_is_not_enough_to_compare(client, login, officer):
    only = SurveyCampaignFactory(name="Seule")
    login(officer)
    page = client.get(f"/diagnostic/comparer?avant={only.id}&apres=999999")
    text = text_of(page.get_data(as_text=True))
    assert "Il faut au moins deux campagnes pour comparer." in text
