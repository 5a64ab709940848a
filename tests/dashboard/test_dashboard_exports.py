"""The dashboard's tables as CSV and XLSX: the page's filters apply, the annual
report's small counts are "< 5", an employer gets their own organisation's figures
only, no cell is a formula, every download is audited and never cached."""

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from matching.audit.models import AuditEvent
from matching.dashboard import tables
from matching.exports import writer
from matching.extensions import db
from tests.factories import FundingLineFactory, SupportCaseFactory

TERRITORY = "/tableau-de-bord"
REPORT = "/tableau-de-bord/rapport/2026"
EMPLOYER = "/employeur/tableau-de-bord"


def _check_download(response, fmt):
    assert response.status_code == 200, response.status_code
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert disposition.endswith(f'.{fmt}"')


def read(response, fmt="csv") -> list[list]:
    """The rows of a one-table download (the header first)."""
    _check_download(response, fmt)
    if fmt == "csv":
        text = response.data.decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text), delimiter=";"))
    sheets = load_workbook(io.BytesIO(response.data)).worksheets
    assert len(sheets) == 1
    return [[cell.value for cell in row] for row in sheets[0].iter_rows()]


def read_workbook(response) -> dict[str, list[list]]:
    _check_download(response, "xlsx")
    workbook = load_workbook(io.BytesIO(response.data))
    return {
        sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()]
        for sheet in workbook.worksheets
    }


def by_label(rows) -> dict:
    """Each data row keyed by its first cell (its label)."""
    return {row[0]: row[1:] for row in rows[1:]}


def audits() -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "data.export")
            .order_by(AuditEvent.id)
        )
    )


# ---------------------------------------------------------------- every table


@pytest.mark.parametrize(
    ("page", "slugs", "role"),
    [
        (TERRITORY, tables.TERRITORY, "officer"),
        (REPORT, tables.REPORT, "officer"),
        (EMPLOYER, tables.EMPLOYER, "employer"),
    ],
)
def test_every_table_downloads_in_both_formats(
    client, login, officer, make_employer, territory, page, slugs, role
):
    login(officer if role == "officer" else make_employer(territory["clinic"]))
    for slug in slugs:
        as_csv = read(client.get(f"{page}/tableaux/{slug}.csv"))
        as_xlsx = read(client.get(f"{page}/tableaux/{slug}.xlsx"), "xlsx")
        assert as_csv[0] == as_xlsx[0], slug
        assert len(as_csv) == len(as_xlsx) > 1, slug
    workbook = read_workbook(client.get(f"{page}/tableaux.xlsx"))
    assert list(workbook) == [str(tables.BUILDERS[slug][0]) for slug in slugs]


def test_officer_tables_hold_the_dashboards_figures(client, login, officer, territory):
    login(officer)
    sectors = read(client.get("/tableau-de-bord/tableaux/structures-par-secteur.csv"))
    assert sectors[0] == [
        "Secteur",
        "Structures",
        "Avec des travailleur·euses pairs",
        "Sans",
    ]
    assert sectors[1][1:] == ["2", "1", "1"]
    funding = read(client.get("/tableau-de-bord/tableaux/financements.xlsx"), "xlsx")
    assert funding == [
        ["Année", "Financeur", "Demandé (€)", "Accordé (€)", "Acquis (€)"],
        [2026, "ARS – Fonds d'intervention régional (FIR)", 40000, 25000, 25000],
    ]
    barriers = read(client.get("/tableau-de-bord/tableaux/freins.xlsx"), "xlsx")
    assert barriers[0][2:6] == [
        "1 – pas du tout important",
        "2",
        "3",
        "4 – très important",
    ]
    assert barriers[1][0] == 1
    assert barriers[1][2:] == [0, 0, 1, 1, 2, 3.5]
    assert barriers[-1][0] is None  # a barrier nobody rated has no rank
    retention = read(client.get("/tableau-de-bord/tableaux/maintien-en-poste.csv"))
    assert retention[1:] == [["6", "1", "1", "100"], ["12", "0", "0", ""]]
    alerts = by_label(read(client.get("/tableau-de-bord/tableaux/a-surveiller.csv")))
    assert alerts["Prochaines étapes en retard"] == ["1"]
    assert "E-mails en échec" in alerts


def test_days_and_means_are_rounded_as_on_the_page(app):
    data = {
        "for_funders": False,
        "cases": {
            "days": [
                {"label": "Diagnostic", "value": 25.5},
                {"label": "Recrutement", "value": None},
            ]
        },
        "barrier_rows": [
            {"label": "Financement", "counts": [0, 0, 0, 2], "total": 2, "mean": 4.0}
        ],
    }
    days, means = tables.build(data, ["duree-par-etape", "freins"])
    assert days.rows == [["Diagnostic", 26], ["Recrutement", None]]
    assert isinstance(days.rows[0][1], int)
    text = b"".join(writer.csv_chunks(days.headers, days.rows)).decode("utf-8-sig")
    assert "Diagnostic;26\r\n" in text
    text = b"".join(writer.csv_chunks(means.headers, means.rows)).decode("utf-8-sig")
    assert text.endswith(";2;4,0\r\n")


def test_officer_tables_follow_the_dashboard_filters(client, login, officer, territory):
    login(officer)
    url = "/tableau-de-bord/tableaux/structures-par-secteur.csv?department=34"
    assert read(client.get(url))[1:] == [
        ["Santé mentale et psychiatrie", "1", "0", "1"]
    ]
    url = f"/tableau-de-bord/tableaux/financements.csv?officer_id={officer.id}"
    assert read(client.get(url))[1][2] == "30000,00"  # the shelter's line only
    url = "/tableau-de-bord/tableaux/parcours.csv?start=01/04/2026&end=30/06/2026"
    assert by_label(read(client.get(url)))["Embauches"] == ["0"]
    assert by_label(read(client.get("/tableau-de-bord/tableaux/parcours.csv")))[
        "Embauches"
    ] == ["1"]
    workbook = read_workbook(client.get("/tableau-de-bord/tableaux.xlsx?sector=x"))
    assert len(workbook) == len(tables.TERRITORY)  # an invalid filter is ignored
    workbook = read_workbook(client.get("/tableau-de-bord/tableaux.xlsx?department=34"))
    assert workbook["Financements"][1][2:] == [10000, 0, 0]
    assert workbook["Structures par secteur"][1:] == [
        ["Santé mentale et psychiatrie", 1, 0, 1]
    ]


def test_dashboard_page_links_each_table_with_its_filters(
    client, login, officer, territory
):
    login(officer)
    page = client.get("/tableau-de-bord?department=34&sector=").get_data(as_text=True)
    for slug in tables.TERRITORY:
        for fmt in ("csv", "xlsx"):
            assert f"/tableau-de-bord/tableaux/{slug}.{fmt}?department=34" in page
    assert "/tableau-de-bord/tableaux.xlsx?department=34" in page
    assert page.count("Télécharger ce tableau (CSV)") == len(tables.TERRITORY)
    assert 'class="export-links no-print' in page
    report = client.get("/tableau-de-bord/rapport/2026").get_data(as_text=True)
    for slug in tables.REPORT:
        assert f"/tableau-de-bord/rapport/2026/tableaux/{slug}.csv" in report
    assert "/tableau-de-bord/rapport/2026/tableaux.xlsx" in report


# ---------------------------------------------------------------- funders


def test_report_tables_show_small_counts_as_less_than_five(
    client, login, officer, territory
):
    login(officer)
    funnel = by_label(read(client.get(f"{REPORT}/tableaux/parcours.csv")))
    assert funnel["Embauches"] == ["< 5"]
    retention = read(client.get(f"{REPORT}/tableaux/maintien-en-poste.xlsx"), "xlsx")
    assert retention[1] == [6, "< 5", "< 5", None]  # no share beside "< 5"
    workbook = read_workbook(client.get(f"{REPORT}/tableaux.xlsx"))
    assert workbook["Freins"][1][2:7] == [0, 0, "< 5", "< 5", "< 5"]
    figures = by_label(workbook["Chiffres clés"])
    assert figures["Accompagnements ouverts"] == ["< 5"]
    assert figures["Embauches"] == ["< 5"]
    stages = [row[1] for row in workbook["Accompagnements par étape"][1:]]
    assert "< 5" in stages
    assert 0 in stages  # nothing to hide in a zero
    assert not [n for n in stages if isinstance(n, int) and 0 < n < 5]
    assert all(
        not (isinstance(cell, int) and 0 < cell < 5)
        for sheet in ("Parcours", "Embauches toujours en poste", "Freins")
        for row in workbook[sheet][1:]
        for cell in row[1:]
    )


def test_report_exports_only_the_reports_tables(client, login, officer, territory):
    login(officer)
    assert client.get(f"{REPORT}/tableaux/a-surveiller.csv").status_code == 404
    assert client.get(f"{REPORT}/tableaux/inconnu.csv").status_code == 404
    assert (
        client.get("/tableau-de-bord/rapport/1999/tableaux/parcours.csv").status_code
        == 404
    )
    assert client.get("/tableau-de-bord/tableaux/chiffres-cles.csv").status_code == 404
    assert client.get("/tableau-de-bord/tableaux/parcours.ods").status_code == 404


# ---------------------------------------------------------------- employers


def test_employer_exports_only_their_organisations_figures(
    client, login, make_employer, territory
):
    login(make_employer(territory["clinic"]))
    workbook = read_workbook(client.get(f"{EMPLOYER}/tableaux.xlsx?department=31"))
    assert set(workbook) == {str(tables.BUILDERS[s][0]) for s in tables.EMPLOYER}
    assert workbook["Financements"][1:] == [
        [2026, "ARS – Fonds d'intervention régional (FIR)", 10000, 0, 0]
    ]  # the shelter's 30 000 € line is not theirs
    assert by_label(workbook["Parcours"])["Embauches"] == [0]  # the shelter's hire
    assert "Candidat·es rencontré·es" not in by_label(workbook["Parcours"])
    assert [row[1:3] for row in workbook["Embauches toujours en poste"][1:]] == [
        [0, 0],
        [0, 0],
    ]
    barriers = [row[2:7] for row in workbook["Freins"][1:]]
    assert barriers == [[0, 0, 1, 0, 1], [1, 0, 0, 0, 1]]  # not the territory's
    alerts = by_label(workbook["À surveiller"])
    assert list(alerts) == [
        "Prochaines étapes en retard",
        "Étapes de suivi d'embauche en retard",
    ]  # the outbox is the team's business
    one = read(client.get(f"{EMPLOYER}/tableaux/financements.csv"))
    assert [row[2] for row in one[1:]] == ["10000,00"]
    assert (
        client.get(f"{EMPLOYER}/tableaux/structures-par-secteur.csv").status_code == 404
    )


def test_employer_page_links_their_tables(client, login, make_employer, territory):
    login(make_employer(territory["clinic"]))
    page = client.get(EMPLOYER).get_data(as_text=True)
    assert f"{EMPLOYER}/tableaux/financements.xlsx" in page
    assert f"{EMPLOYER}/tableaux.xlsx" in page
    assert "/tableau-de-bord/tableaux/" not in page.replace(EMPLOYER, "")


# ---------------------------------------------------------------- safety, audit


def test_no_cell_of_a_table_can_be_a_formula(client, login, officer, territory):
    FundingLineFactory(
        case=SupportCaseFactory(organisation=territory["shelter"]),
        funder='=HYPERLINK("http://evil.test","x")',
    )
    login(officer)
    rows = read(client.get("/tableau-de-bord/tableaux/financements.csv"))
    assert '\'=HYPERLINK("http://evil.test","x")' in [row[1] for row in rows]
    response = client.get("/tableau-de-bord/tableaux.xlsx")
    workbook = load_workbook(io.BytesIO(response.data))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert '\'=HYPERLINK("http://evil.test","x")' in [cell.value for cell in cells]


def test_every_download_writes_an_audit_row(
    client, login, officer, make_employer, territory
):
    login(officer)
    client.get(
        f"/tableau-de-bord/tableaux/parcours.csv?department=34&officer_id={officer.id}"
    )
    client.get("/tableau-de-bord/tableaux.xlsx?start=01/01/2026")
    client.get(f"{REPORT}/tableaux/freins.xlsx?sector=ahi_hebergement")
    employer = make_employer(territory["clinic"])
    login(employer)
    client.get(f"{EMPLOYER}/tableaux.xlsx")
    one, every, report, own = audits()
    assert (one.actor_id, one.subject_type, one.subject_id) == (
        officer.id,
        "dashboard",
        None,
    )
    assert one.details == {
        "format": "csv",
        "fields": ["parcours"],
        "filters": {"department": "34", "officer_id": officer.id},
        "count": 7,
    }
    assert every.details["format"] == "xlsx"
    assert every.details["fields"] == list(tables.TERRITORY)
    assert every.details["filters"] == {"start": "2026-01-01"}
    assert report.subject_type == "annual_report"
    assert report.details["filters"] == {
        "start": "2026-01-01",
        "end": "2026-12-31",
        "sector": "ahi_hebergement",
    }
    assert (own.actor_id, own.subject_type, own.organisation_id) == (
        employer.id,
        "employer_dashboard",
        territory["clinic"].id,
    )
    assert own.details["filters"] == {"organisation_id": territory["clinic"].id}
