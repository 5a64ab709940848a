"""Funding lines: default dates, statuses that count, totals per year (pure)."""

import calendar
from collections import defaultdict
from datetime import date
from decimal import Decimal

# A line counts as requested once filed, as granted once a funder said yes, and as
# secured once the agreement is signed.
REQUESTED_STATUSES = frozenset(
    {
        "depose",
        "en_instruction",
        "accorde",
        "accorde_partiel",
        "refuse",
        "conventionne",
        "verse",
        "bilan_a_rendre",
        "clos",
        "a_renouveler",
    }
)
GRANTED_STATUSES = frozenset(
    {
        "accorde",
        "accorde_partiel",
        "conventionne",
        "verse",
        "bilan_a_rendre",
        "clos",
        "a_renouveler",
    }
)
SECURED_STATUSES = frozenset({"conventionne", "verse", "bilan_a_rendre", "clos"})
OPEN_STATUSES = frozenset({"repere", "en_preparation", "depose", "en_instruction"})


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_report_due(period_end: date | None) -> date | None:
    """A funder's report is due six months after the end of the funded period."""
    return add_months(period_end, 6) if period_end else None


def line_year(line) -> int | None:
    """The year a line's money is for: its funded period's. A line without a period
    (often filed before the funder fixes one) has no year: it is counted in a
    "Sans période" row, never left out, as on the dashboard."""
    return line.period_start.year if line.period_start else None


def funding_totals(lines) -> list[dict]:
    """Requested, granted and secured amounts per year, oldest year first; the lines
    without a funded period last (year None), so the rows add up to every line."""
    years: dict[int | None, dict[str, Decimal]] = defaultdict(
        lambda: {"requested": Decimal(0), "granted": Decimal(0), "secured": Decimal(0)}
    )
    for line in lines:
        totals = years[line_year(line)]
        if line.status in REQUESTED_STATUSES and line.amount_requested:
            totals["requested"] += line.amount_requested
        if line.status in GRANTED_STATUSES and line.amount_granted:
            totals["granted"] += line.amount_granted
        if line.status in SECURED_STATUSES and line.amount_granted:
            totals["secured"] += line.amount_granted
    return [
        {"year": year, **totals}
        for year, totals in sorted(
            years.items(), key=lambda item: (item[0] is None, item[0] or 0)
        )
    ]
