"""The follow-up plan of a hire (DESIGN.md milestones)."""

from datetime import date
from decimal import Decimal

from matching.introductions.followup import plan
from matching.introductions.models import Placement


def placement(**overrides):
    values = {
        "start_date": date(2027, 1, 31),
        "contract_type": "cdi",
        "fte": Decimal("1"),
    }
    values.update(overrides)
    return Placement(**values)


def test_permanent_contract_plan():
    points = plan(placement(), supervision=False)
    assert points == [
        ("j0_accueil", date(2027, 1, 31)),
        ("s1_point_integration", date(2027, 2, 7)),
        ("m1_point", date(2027, 2, 28)),
        ("fin_periode_essai", date(2027, 3, 31)),
        ("m3_bilan_tripartite", date(2027, 4, 30)),
        ("m6_bilan", date(2027, 7, 31)),
        ("m12_bilan_annuel", date(2028, 1, 31)),
    ]


def test_fixed_term_contract_has_its_end_and_stops_there():
    points = {
        kind: day
        for kind, day in plan(
            placement(contract_type="cdd", end_date=date(2027, 7, 31)), False
        )
        if kind != "echeance_contrat"
    }
    ends = [
        day
        for kind, day in plan(
            placement(contract_type="cdd", end_date=date(2027, 7, 31)), False
        )
        if kind == "echeance_contrat"
    ]
    assert ends == [date(2027, 6, 1), date(2027, 7, 1)]  # 60 and 30 days before
    assert points["fin_periode_essai"] == date(2027, 2, 28)  # one month for 6 months
    assert "m12_bilan_annuel" not in points  # after the end of the contract


def test_funding_end_and_monthly_practice_analysis():
    points = plan(placement(funding_end_date=date(2027, 12, 31)), supervision=True)
    kinds = [kind for kind, _ in points]
    assert ("echeance_financement", date(2027, 10, 2)) in points  # 90 days before
    assert kinds.count("analyse_pratiques") == 12


def test_short_fixed_term_trial_is_two_weeks():
    points = dict(
        plan(placement(contract_type="cdd", end_date=date(2027, 4, 30)), False)
    )
    assert points["fin_periode_essai"] == date(2027, 2, 14)
