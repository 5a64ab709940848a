"""The territory dashboard, an employer's own figures, and the annual report."""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import event

from matching.dashboard import queries
from matching.dashboard.queries import Filters
from matching.extensions import db
from matching.introductions.models import Introduction, Placement
from tests.factories import (
    FundingLineFactory,
    JobPostingFactory,
    OrganisationFactory,
    SupportCaseFactory,
)


def test_queries_aggregate_the_territory(territory):
    everything = Filters()
    sectors = {
        row["key"]: row for row in queries.organisations_by("sector", everything)
    }
    assert sectors["ahi_hebergement"]["total"] == 2
    assert sectors["ahi_hebergement"]["with_peers"] == 1
    assert queries.cases_by_stage(everything)["recrutement"] == 1
    funnel = queries.funnel(everything)
    assert (
        funnel["proposed"],
        funnel["accepted"],
        funnel["interviews"],
        funnel["hires"],
    ) == (1, 1, 1, 1)
    assert queries.retention(everything)[0] == {"months": 6, "total": 1, "still": 1}
    funding = queries.funding_by_funder_and_year(everything)
    assert funding == [
        {
            "funder": "ars_fir",
            "year": 2026,
            "requested": 40000,
            "granted": 25000,
            "secured": 25000,
            "lines": 2,
        }
    ]
    barriers = queries.barriers(everything)
    assert barriers[0]["barrier"] == "financement"
    assert barriers[0]["counts"] == [0, 0, 1, 1]
    assert barriers[0]["mean"] == 3.5
    assert queries.alerts(everything)["overdue_steps"] == 1
    days = queries.days_in_stage(everything)
    assert days["recrutement"] == 0.0


def test_filters_narrow_every_figure(territory):
    herault = Filters(department="34")
    assert [row["key"] for row in queries.organisations_by("sector", herault)] == [
        "sante_mentale_psychiatrie"
    ]
    assert queries.funnel(herault)["hires"] == 0
    assert queries.funding_by_funder_and_year(herault)[0]["requested"] == 10000
    assert queries.funnel(Filters(start=date(2026, 4, 1)))["hires"] == 0


def test_dashboard_page_shows_every_block_with_tables(
    client, login, officer, territory
):
    login(officer)
    page = client.get("/tableau-de-bord").get_data(as_text=True)
    for title in (
        "Structures",
        "Accompagnements par étape",
        "Durée moyenne passée à chaque étape",
        "Du premier contact à l&#39;embauche",
        "Embauches toujours en poste",
        "Financements par financeur et par année",
        "Freins à l&#39;intégration",
        "Préparation des structures accompagnées",
        "À surveiller",
    ):
        assert title.replace("&#39;", "'") in page or title in page
    assert page.count("<figure") >= 6
    assert page.count('role="img"') == page.count("<figure")
    assert page.count("Chiffres du graphique") >= 6


def test_counts_agree_with_their_nouns(
    client, login, officer, make_employer, territory
):
    login(officer)
    page = " ".join(client.get("/tableau-de-bord").get_data(as_text=True).split())
    assert "<strong>1</strong> prochaine étape en retard" in page
    assert "3 structures, dont 1 emploie déjà des travailleur·euses pairs." in page
    login(make_employer(organisation=territory["clinic"]))
    page = " ".join(
        client.get("/employeur/tableau-de-bord").get_data(as_text=True).split()
    )
    assert "<strong>1</strong> prochaine étape en retard" in page


def test_dashboard_runs_the_same_number_of_queries_for_more_data(
    client, login, officer, territory
):
    login(officer)

    def count() -> int:
        statements = []
        listener = lambda *args: statements.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        client.get("/tableau-de-bord")
        event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    before = count()
    for _ in range(10):
        case = SupportCaseFactory()
        FundingLineFactory(case=case)
    assert count() == before


def test_employer_sees_only_their_organisation(client, login, make_employer, territory):
    employer = make_employer(organisation=territory["clinic"])
    login(employer)
    page = client.get("/employeur/tableau-de-bord").get_data(as_text=True)
    assert "10\u202f000 €" in page  # the clinic's refused request
    assert "30\u202f000 €" not in page  # the shelter's line is not theirs


def test_annual_report_masks_small_counts(client, login, officer, territory):
    login(officer)
    page = client.get("/tableau-de-bord/rapport/2026").get_data(as_text=True)
    assert "Rapport d&#39;activité 2026" in page or "Rapport d'activité 2026" in page
    assert "&lt; 5" in page
    assert "css/print.css" in page
    assert client.get("/tableau-de-bord/rapport/1999").status_code == 404


def test_annual_report_masks_every_small_count_of_its_tables(
    client, login, officer, territory
):
    """Hires still in post, barrier ratings and readiness items are counts too: the
    printed report shows "< 5" for them, and no share beside a masked count."""
    login(officer)
    page = client.get("/tableau-de-bord/rapport/2026").get_data(as_text=True)
    retention = page[page.index('id="titre-maintien"') :]
    retention = retention[: retention.index("</section>")]
    assert "<td>&lt; 5</td>" in retention
    assert "%" not in retention
    barriers = page[page.index('id="graphique-freins"') :]
    barriers = barriers[barriers.index("<tbody>") : barriers.index("</tbody>")]
    assert '<td class="text-end">1</td>' not in barriers
    assert '<td class="text-end">&lt; 5</td>' in barriers
    dashboard = client.get("/tableau-de-bord").get_data(as_text=True)
    assert "(100 %)" in dashboard  # officers see the figures themselves


def test_dashboard_is_for_officers(client, login, candidate, make_employer):
    login(candidate)
    assert client.get("/tableau-de-bord").status_code == 403
    login(make_employer())
    assert client.get("/tableau-de-bord").status_code == 403
    assert client.get("/tableau-de-bord/rapport/2026").status_code == 403


def test_retention_counts_hires_still_in_post(officer, make_candidate):
    shelter = OrganisationFactory()
    posting = JobPostingFactory(organisation=shelter)
    for n, ended in enumerate([None, date(2026, 2, 1), date(2026, 10, 1)]):
        person = make_candidate()
        intro = Introduction(posting=posting, candidate=person, status="embauche")
        db.session.add(
            Placement(
                introduction=intro,
                posting=posting,
                candidate=person,
                organisation=shelter,
                start_date=date(2025, 10, 1) + timedelta(days=n),
                contract_type="cdi",
                fte=Decimal(1),
                ended_on=ended,
                status="termine" if ended else "en_cours",
            )
        )
    db.session.commit()
    six, twelve = queries.retention(Filters())
    assert (six["total"], six["still"]) == (3, 2)
    assert (twelve["total"], twelve["still"]) == (3, 1)  # the third left two days early


def test_funding_without_a_period_has_its_own_row(client, login, officer, territory):
    FundingLineFactory(
        case=SupportCaseFactory(organisation=territory["shelter"]),
        funder="ars_fir",
        status="depose",
        amount_requested=Decimal(1200000),
    )
    rows = queries.funding_by_funder_and_year(Filters())
    assert [(row["year"], row["requested"]) for row in rows] == [
        (2026, 40000),
        (None, 1200000),
    ]
    # Entered today: inside this year's period, outside last year's.
    this_year = Filters(start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert [row["year"] for row in queries.funding_by_funder_and_year(this_year)] == [
        2026,
        None,
    ]
    last_year = Filters(start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert queries.funding_by_funder_and_year(last_year) == []
    login(officer)
    page = client.get("/tableau-de-bord").get_data(as_text=True)
    assert "Sans période" in page
    csv_text = client.get("/tableau-de-bord/tableaux/financements.csv").get_data(
        as_text=True
    )
    assert "\nSans période;" in csv_text.replace("\r\n", "\n")


def test_wrong_filters_are_said_next_to_the_fields(client, login, officer, territory):
    login(officer)
    page = client.get("/tableau-de-bord?start=2026-12-31&end=2026-01-01")
    html = page.get_data(as_text=True)
    assert "La fin doit venir après le début." in html
    assert 'aria-describedby="end-erreur"' in html
    # No reversed period: neither date is used, every figure is the territory's.
    assert "Sans période" not in html
    assert ">2026</td>" in html
    html = client.get("/tableau-de-bord?officer_id=99999&start=31/02/2026").get_data(
        as_text=True
    )
    assert 'id="officer_id-erreur"' in html
    assert 'id="start-erreur"' in html
    assert "Indiquez une date valide" in html
    assert "Ce filtre n'est pas appliqué." in html
