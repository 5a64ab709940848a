"""The follow-up plan of a hire: dated milestones from the start date (DESIGN.md)."""

from datetime import date, timedelta

from matching.cases.funding import add_months
from matching.introductions.models import Milestone, Placement

# (kind, months after the start, days after the start)
FIXED_POINTS = (
    ("j0_accueil", 0, 0),
    ("s1_point_integration", 0, 7),
    ("m1_point", 1, 0),
    ("m3_bilan_tripartite", 3, 0),
    ("m6_bilan", 6, 0),
    ("m12_bilan_annuel", 12, 0),
)
PRACTICE_ANALYSIS_MONTHS = 12


def default_trial_end(start: date, contract_type: str, end: date | None) -> date:
    """Without a date given: two months for a permanent contract, one for a fixed term
    of six months or more, two weeks for a shorter one."""
    if end is None:
        return add_months(start, 2)
    if end >= add_months(start, 6):
        return add_months(start, 1)
    return start + timedelta(days=14)


def plan(placement: Placement, supervision: bool) -> list[tuple[str, date]]:
    """Every (kind, due date) of the follow-up plan, in date order."""
    start, end = placement.start_date, placement.end_date
    points = [
        (kind, add_months(start, months) + timedelta(days=days))
        for kind, months, days in FIXED_POINTS
    ]
    trial = placement.trial_end_date or default_trial_end(
        start, placement.contract_type, end
    )
    points.append(("fin_periode_essai", trial))
    if end is not None:
        points += [
            ("echeance_contrat", end - timedelta(days=60)),
            ("echeance_contrat", end - timedelta(days=30)),
        ]
    if placement.funding_end_date is not None:
        points.append(
            ("echeance_financement", placement.funding_end_date - timedelta(days=90))
        )
    if supervision:
        points += [
            ("analyse_pratiques", add_months(start, n))
            for n in range(1, PRACTICE_ANALYSIS_MONTHS + 1)
        ]
    last = end or add_months(start, 12)
    kept = {
        (kind, day)
        for kind, day in points
        if start <= day <= last or kind == "j0_accueil"
    }
    return sorted(kept, key=lambda point: (point[1], point[0]))


def create_milestones(placement: Placement, supervision: bool) -> None:
    for kind, due_on in plan(placement, supervision):
        placement.milestones.append(Milestone(kind=kind, due_on=due_on))
