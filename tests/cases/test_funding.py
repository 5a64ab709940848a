"""Funding lines: validation, default report date, totals per year, status changes."""

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from matching.cases.funding import add_months, default_report_due, funding_totals
from matching.cases.models import Activity, FundingLine
from matching.extensions import db
from tests.factories import FundingLineFactory, SupportCaseFactory

LINE = {
    "funder": "ars_fir",
    "instrument": "AAP pair-aidance 2026",
    "status": "depose",
    "amount_requested": "32 500,50 €",
    "amount_granted": "",
    "period_start": "01/01/2027",
    "period_end": "31/12/2027",
    "filing_deadline": "2026-12-15",
    "expected_decision_on": "2027-02-01",
    "agreement_on": "",
    "report_due_on": "",
    "notes": "",
}


def test_add_a_funding_line_with_french_amounts_and_default_report_date(
    client, login, officer
):
    case = SupportCaseFactory()
    login(officer)
    response = client.post(
        f"/accompagnements/{case.id}/financements/nouveau", data=LINE
    )
    assert response.status_code == 302
    line = db.session.scalar(select(FundingLine))
    assert line.amount_requested == Decimal("32500.50")
    assert line.report_due_on == date(2028, 6, 30)
    activity = db.session.scalar(select(Activity).where(Activity.kind == "edit"))
    assert "ARS" in activity.title


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount_requested", "-10", "Un montant entre 0 et 10 000 000 €."),
        ("amount_requested", "beaucoup", "Indiquez un montant en euros"),
        ("period_end", "01/01/2026", "La fin doit venir après le début."),
        (
            "expected_decision_on",
            "01/12/2026",
            "La décision ne peut pas précéder le dépôt.",
        ),
        ("status", "accorde", "Indiquez le montant accordé pour cet état."),
        ("funder", "mon_oncle", "Choisissez"),
    ],
)
def test_invalid_funding_line_is_refused_with_a_message(
    client, login, officer, field, value, message
):
    case = SupportCaseFactory()
    login(officer)
    response = client.post(
        f"/accompagnements/{case.id}/financements/nouveau", data={**LINE, field: value}
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    if field != "funder":
        assert message in page
    if value == "beaucoup":  # one message, not also the range's
        assert "Un montant entre 0 et 10 000 000 €." not in page
    assert db.session.scalar(select(FundingLine)) is None


def test_saved_amounts_show_again_in_french_and_survive_a_save(client, login, officer):
    """Browsers show "12000,5" in a number input as empty: the next save lost it."""
    case = SupportCaseFactory()
    login(officer)
    client.post(f"/accompagnements/{case.id}/financements/nouveau", data=LINE)
    line = db.session.scalar(select(FundingLine))
    url = f"/accompagnements/{case.id}/financements/{line.id}"
    page = client.get(url).get_data(as_text=True)
    field = re.search(r'<input[^>]*name="amount_requested"[^>]*>', page).group(0)
    assert 'type="text"' in field
    assert 'inputmode="decimal"' in field
    assert 'value="32500,5"' in field
    response = client.post(
        url, data={**LINE, "amount_requested": "32500,5", "notes": "Relancé"}
    )
    assert response.status_code == 302
    db.session.refresh(line)
    assert (line.amount_requested, line.notes) == (Decimal("32500.50"), "Relancé")


def test_two_lines_from_repere_to_accorde(client, login, make_employer):
    employer = login(make_employer())
    case = SupportCaseFactory(organisation=employer.membership.organisation)
    for funder in ("ars_fir", "ddets"):
        client.post(
            f"/accompagnements/{case.id}/financements/nouveau",
            data={
                **LINE,
                "funder": funder,
                "status": "repere",
                "amount_requested": "20000",
            },
        )
    for line in db.session.scalars(select(FundingLine)).all():
        for status in ("en_preparation", "depose", "en_instruction", "accorde"):
            client.post(
                f"/accompagnements/{case.id}/financements/{line.id}",
                data={
                    **LINE,
                    "funder": line.funder,
                    "status": status,
                    "amount_requested": "20000",
                    "amount_granted": "15000",
                },
            )
    statuses = db.session.scalars(select(FundingLine.status)).all()
    assert statuses == ["accorde", "accorde"]
    changes = db.session.scalars(
        select(Activity).where(Activity.data["funding"].as_string() == "status")
    ).all()
    assert len(changes) == 8
    page = client.get(f"/accompagnements/{case.id}").get_data(as_text=True)
    assert "40\u202f000 €" in page  # requested in the year's totals
    assert "30\u202f000 €" in page  # granted


def test_totals_per_year():
    lines = [
        FundingLine(
            status="accorde",
            amount_requested=Decimal(100),
            amount_granted=Decimal(80),
            period_start=date(2026, 1, 1),
        ),
        FundingLine(
            status="conventionne",
            amount_requested=Decimal(50),
            amount_granted=Decimal(50),
            period_start=date(2026, 6, 1),
        ),
        FundingLine(
            status="refuse", amount_requested=Decimal(30), period_start=date(2026, 1, 1)
        ),
        FundingLine(
            status="repere",
            amount_requested=Decimal(999),
            period_start=date(2027, 1, 1),
        ),
    ]
    totals = funding_totals(lines)
    assert totals[0] == {"year": 2026, "requested": 180, "granted": 130, "secured": 50}
    assert totals[1] == {"year": 2027, "requested": 0, "granted": 0, "secured": 0}


def test_report_due_is_six_months_after_the_period():
    assert default_report_due(date(2027, 8, 31)) == date(2028, 2, 29)
    assert default_report_due(None) is None
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_employer_of_another_organisation_cannot_touch_a_line(
    client, login, make_employer
):
    line = FundingLineFactory()
    login(make_employer())
    url = f"/accompagnements/{line.case_id}/financements/{line.id}"
    assert client.get(url).status_code == 404
    assert client.post(url, data={**LINE, "status": "refuse"}).status_code == 404
    assert client.post(url + "/supprimer").status_code == 404
    db.session.refresh(line)
    assert line.status == "depose"


def test_line_of_another_case_is_not_reachable_through_this_case(
    client, login, officer
):
    line = FundingLineFactory()
    other_case = SupportCaseFactory()
    login(officer)
    url = f"/accompagnements/{other_case.id}/financements/{line.id}"
    assert client.get(url).status_code == 404


def test_case_list_filters_by_funding_status(client, login, officer):
    FundingLineFactory(case=SupportCaseFactory(title="Dossier déposé"), status="depose")
    FundingLineFactory(case=SupportCaseFactory(title="Dossier refusé"), status="refuse")
    login(officer)
    page = client.get("/accompagnements?vue=tous&funding_status=refuse").get_data(
        as_text=True
    )
    assert "Dossier refusé" in page
    assert "Dossier déposé" not in page


def test_lines_without_a_period_are_totalled_in_their_own_row(client, login, officer):
    case = SupportCaseFactory(officer=officer)
    FundingLineFactory(
        case=case,
        status="depose",
        amount_requested=Decimal(1000),
        period_start=date(2026, 1, 1),
    )
    FundingLineFactory(
        case=case,
        status="depose",
        amount_requested=Decimal(700),
        filing_deadline=date(2026, 3, 1),
    )
    totals = funding_totals(case.funding_lines)
    assert [(row["year"], row["requested"]) for row in totals] == [
        (2026, 1000),
        (None, 700),
    ]
    login(officer)
    page = client.get(f"/accompagnements/{case.id}").get_data(as_text=True)
    totals_table = page.split("Totaux par année", 1)[1].split("</table>", 1)[0]
    assert "Sans période" in totals_table
