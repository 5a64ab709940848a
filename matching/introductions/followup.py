"""The follow-up plan of a hire: dated milestones from the start date (DESIGN.md)."""

from datetime import date, timedelta

from flask_babel import gettext as _

from matching import vocab
from matching.cases.funding import add_months
from matching.core.templating import date_fr
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


def milestone_label(milestone: Milestone) -> str:
    """What a milestone is about. The reminders before the end of the contract or of
    the funding say which end, when, and how far ahead they are (there are two before
    the end of a fixed-term contract)."""
    placement = milestone.placement
    ends = {
        "echeance_contrat": placement.end_date,
        "echeance_financement": placement.funding_end_date,
    }
    end = ends.get(milestone.kind)
    if end is None:
        return vocab.MILESTONES.label(milestone.kind)
    params = {"days": (end - milestone.due_on).days, "date": date_fr(end)}
    if milestone.kind == "echeance_contrat":
        return _("Fin du contrat dans %(days)s jours (le %(date)s)", **params)
    return _("Fin du financement dans %(days)s jours (le %(date)s)", **params)
