"""The rules are pure: snapshots and today's date in, due reminders out.

The clock is frozen with time-machine in Europe/Paris; "today" is the Paris date, which
differs from the UTC date just after midnight.
"""

from datetime import date, datetime, timedelta

import pytest
import time_machine

from matching import vocab
from matching.cases import funding
from matching.cases import models as case_models
from matching.core.timeutils import PARIS, paris_today
from matching.introductions import followup
from matching.introductions import models as intro_models
from matching.reminders import rules
from matching.reminders.rules import (
    CandidateSnapshot,
    CaseSnapshot,
    Context,
    Due,
    FundingLineSnapshot,
    Hit,
    IntroductionSnapshot,
    MilestoneSnapshot,
    PlacementSnapshot,
    PostingSnapshot,
    evaluate,
)

# 00:30 in Paris on 10 March 2027 is still 9 March in UTC.
FROZEN = datetime(2027, 3, 10, 0, 30, tzinfo=PARIS)
TODAY = date(2027, 3, 10)


@pytest.fixture
def ctx():
    with time_machine.travel(FROZEN, tick=False):
        yield Context(today=paris_today())


def case(**overrides) -> CaseSnapshot:
    values = {
        "id": 1,
        "officer_id": 7,
        "stage": "diagnostic",
        "next_step_due": None,
        "last_activity_on": TODAY,
    }
    return CaseSnapshot(**{**values, **overrides})


def line(**overrides) -> FundingLineSnapshot:
    values = {
        "id": 3,
        "case_id": 1,
        "case_stage": "recherche_financement",
        "officer_id": 7,
        "contact_ids": (20, 21),
        "status": "en_preparation",
        "filing_deadline": None,
        "expected_decision_on": None,
        "report_due_on": None,
    }
    return FundingLineSnapshot(**{**values, **overrides})


def posting(**overrides) -> PostingSnapshot:
    values = {
        "id": 5,
        "status": "publiee",
        "officer_id": 7,
        "published_on": TODAY - timedelta(days=30),
        "has_introduction": False,
    }
    return PostingSnapshot(**{**values, **overrides})


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def test_today_is_the_paris_date(ctx):
    assert ctx.today == TODAY


def test_mirrored_constants_agree_with_the_models():
    assert set(case_models.CLOSED_STAGES) == rules.CLOSED_STAGES
    assert rules.NOT_FILED | rules.AWAITING_DECISION == funding.OPEN_STATUSES
    assert rules.REPORT_OWED < funding.GRANTED_STATUSES
    assert rules.FUNDED_STATUSES < funding.GRANTED_STATUSES
    assert intro_models.PLACEMENT_STATUSES[0] == rules.PLACEMENT_IN_PROGRESS
    assert set(vocab.MILESTONES) > rules.DEADLINE_MILESTONES
    assert {rules.PROPOSED, rules.SENT_TO_EMPLOYER} < set(intro_models.OPEN_STATUSES)
    # The follow-up plan's deadlines are the ones the end rules remind of.
    plan = followup.plan(
        intro_models.Placement(
            start_date=date(2027, 1, 4),
            contract_type="cdd",
            end_date=date(2027, 12, 31),
            funding_end_date=date(2027, 12, 31),
        ),
        supervision=False,
    )
    deadlines = {(kind, day) for kind, day in plan if kind in rules.DEADLINE_MILESTONES}
    assert deadlines == {
        ("echeance_contrat", date(2027, 12, 31) - timedelta(rules.CONTRACT_EARLY_DAYS)),
        ("echeance_contrat", date(2027, 12, 31) - timedelta(rules.CONTRACT_LATE_DAYS)),
        (
            "echeance_financement",
            date(2027, 12, 31) - timedelta(rules.FUNDING_END_DAYS),
        ),
    }


# ---------------------------------------------------------------- next step due


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (days(1), None),  # tomorrow: not yet
        (days(0), Hit(days(0), (7,))),  # today
        (days(-5), Hit(days(-5), (7,))),  # late and not done: still due, same key
        (None, None),  # no next step
    ],
)
def test_next_step_is_due_on_its_day_and_while_late(ctx, due, expected):
    assert rules.case_next_step_due(case(next_step_due=due), ctx) == expected


@pytest.mark.parametrize("stage", ["cloture", "abandonne"])
def test_closed_case_has_no_next_step_reminder(ctx, stage):
    assert rules.case_next_step_due(case(stage=stage, next_step_due=TODAY), ctx) is None


def test_paused_case_still_has_its_next_step_reminder(ctx):
    hit = rules.case_next_step_due(case(stage="en_pause", next_step_due=TODAY), ctx)
    assert hit == Hit(TODAY, (7,))


def test_moved_step_gives_another_key(ctx):
    before = evaluate({"cases": [case(next_step_due=days(-1))]}, ctx)
    after = evaluate({"cases": [case(next_step_due=days(0))]}, ctx)
    keys = {d.key for d in before if d.rule == "case_next_step_due"}
    assert keys == {"case_next_step_due:case:1:7:2027-03-09"}
    assert keys.isdisjoint(d.key for d in after)


# ---------------------------------------------------------------- inactivity


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        (days(-29), None),
        (days(-30), Hit(days(0), (7,))),
        (days(-90), Hit(days(-60), (7,))),  # once per silence: keyed on its due day
    ],
)
def test_case_without_activity_for_30_days(ctx, last, expected):
    assert rules.case_inactive(case(last_activity_on=last), ctx) == expected


def test_inactivity_delay_is_a_setting(ctx):
    quick = Context(today=ctx.today, inactivity_days=7)
    assert rules.case_inactive(case(last_activity_on=days(-7)), quick) == Hit(
        TODAY, (7,)
    )


@pytest.mark.parametrize("stage", ["en_pause", "cloture", "abandonne"])
def test_paused_or_closed_case_is_not_inactive(ctx, stage):
    assert (
        rules.case_inactive(case(stage=stage, last_activity_on=days(-60)), ctx) is None
    )


def test_case_without_officer_reminds_nobody(ctx):
    assert evaluate({"cases": [case(officer_id=None, next_step_due=TODAY)]}, ctx) == []


# ---------------------------------------------------------------- funding


@pytest.mark.parametrize(
    ("deadline", "d14", "d3"),
    [
        (days(15), None, None),
        (days(14), days(0), None),
        (days(4), days(-10), None),
        (days(3), None, days(0)),  # D-3 takes over from D-14
        (days(0), None, days(-3)),  # still worth saying on the day itself
        (days(-1), None, None),  # deadline passed
    ],
)
def test_filing_deadline_at_d14_and_d3(ctx, deadline, d14, d3):
    snapshot = line(filing_deadline=deadline)
    people = (7, 20, 21)
    assert rules.funding_filing_d14(snapshot, ctx) == (
        Hit(d14, people) if d14 else None
    )
    assert rules.funding_filing_d3(snapshot, ctx) == (Hit(d3, people) if d3 else None)


@pytest.mark.parametrize("status", ["depose", "en_instruction", "refuse", "accorde"])
def test_filed_line_has_no_filing_reminder(ctx, status):
    snapshot = line(status=status, filing_deadline=days(3))
    assert rules.funding_filing_d3(snapshot, ctx) is None


@pytest.mark.parametrize(
    ("status", "expected_on", "hit"),
    [
        ("depose", days(0), None),  # expected today: not passed yet
        ("depose", days(-1), Hit(days(0), (7, 20, 21))),
        ("en_instruction", days(-10), Hit(days(-9), (7, 20, 21))),
        ("accorde", days(-10), None),  # the decision was recorded
        ("refuse", days(-10), None),
    ],
)
def test_expected_decision_passed_without_update(ctx, status, expected_on, hit):
    snapshot = line(status=status, expected_decision_on=expected_on)
    assert rules.funding_decision_overdue(snapshot, ctx) == hit


@pytest.mark.parametrize(
    ("status", "report_due", "hit"),
    [
        ("conventionne", days(31), None),
        ("conventionne", days(30), Hit(days(0), (7, 20, 21))),
        ("bilan_a_rendre", days(0), Hit(days(-30), (7, 20, 21))),
        ("bilan_a_rendre", days(-1), None),
        ("clos", days(10), None),
    ],
)
def test_report_due_at_d30(ctx, status, report_due, hit):
    snapshot = line(status=status, report_due_on=report_due)
    assert rules.funding_report_due(snapshot, ctx) == hit


def test_funding_of_a_closed_case_reminds_nobody(ctx):
    snapshot = line(case_stage="cloture", filing_deadline=days(3))
    assert evaluate({"funding_lines": [snapshot]}, ctx) == []


def test_funding_reminds_the_officer_and_each_contact_once(ctx):
    snapshot = line(contact_ids=(20, 7), filing_deadline=days(3))
    dues = evaluate({"funding_lines": [snapshot]}, ctx)
    assert [d.recipient_user_id for d in dues] == [7, 20]
    assert dues[0] == Due("funding_filing_d3", "funding_line", 3, 7, TODAY)


# ---------------------------------------------------------------- postings


@pytest.mark.parametrize(
    ("overrides", "hit"),
    [
        ({}, Hit(TODAY, (7,))),
        ({"published_on": days(-29)}, None),
        ({"has_introduction": True}, None),
        ({"status": "pourvue"}, None),
        ({"published_on": None}, None),
    ],
)
def test_posting_published_30_days_without_introduction(ctx, overrides, hit):
    assert rules.posting_without_introduction(posting(**overrides), ctx) == hit


# ---------------------------------------------------------------- hires


def milestone(**overrides) -> MilestoneSnapshot:
    values = {
        "id": 412,
        "kind": "m3_bilan_tripartite",
        "due_on": days(7),
        "is_done": False,
        "placement_status": "en_cours",
        "officer_id": 7,
        "referent_id": 30,
    }
    return MilestoneSnapshot(**{**values, **overrides})


def placement(**overrides) -> PlacementSnapshot:
    values = {
        "id": 9,
        "status": "en_cours",
        "officer_id": 7,
        "referent_id": 30,
        "contract_end_on": None,
        "funding_ends": (),
    }
    return PlacementSnapshot(**{**values, **overrides})


FOLLOWERS = (7, 30)


@pytest.mark.parametrize(
    ("due_on", "hit"),
    [
        (days(8), None),
        (days(7), Hit(days(0), FOLLOWERS)),
        (days(0), Hit(days(-7), FOLLOWERS)),  # still worth saying on the day itself
        (days(-1), None),  # passed: the placement page shows it late
    ],
)
def test_milestone_seven_days_ahead(ctx, due_on, hit):
    assert rules.placement_milestone_t7(milestone(due_on=due_on), ctx) == hit


@pytest.mark.parametrize(
    "overrides",
    [
        {"is_done": True},
        {"placement_status": "termine"},
        {"placement_status": "rompu"},
        {"kind": "echeance_contrat"},  # the contract-end rules say it
        {"kind": "echeance_financement"},  # the funding-end rule says it
    ],
)
def test_no_milestone_reminder_when_done_ended_or_a_deadline(ctx, overrides):
    assert rules.placement_milestone_t7(milestone(**overrides), ctx) is None


def test_first_week_milestones_of_a_new_hire_are_announced_at_once(ctx):
    """A hire starting today: day 1 and week 1 are less than 7 days away."""
    day_one = milestone(kind="j0_accueil", due_on=days(0))
    week_one = milestone(id=413, kind="s1_point_integration", due_on=days(7))
    monthly = milestone(id=414, kind="analyse_pratiques", due_on=days(5))
    dues = evaluate({"milestones": [day_one, week_one, monthly]}, ctx)
    assert sorted(d.key for d in dues) == [
        "placement_milestone_t7:milestone:412:30:2027-03-03",
        "placement_milestone_t7:milestone:412:7:2027-03-03",
        "placement_milestone_t7:milestone:413:30:2027-03-10",
        "placement_milestone_t7:milestone:413:7:2027-03-10",
        "placement_milestone_t7:milestone:414:30:2027-03-08",
        "placement_milestone_t7:milestone:414:7:2027-03-08",
    ]


def test_milestone_without_referent_reminds_the_officer(ctx):
    dues = evaluate({"milestones": [milestone(referent_id=None)]}, ctx)
    assert dues == [Due("placement_milestone_t7", "milestone", 412, 7, TODAY)]


@pytest.mark.parametrize(
    ("end", "d60", "d30"),
    [
        (days(61), None, None),
        (days(60), days(0), None),
        (days(31), days(-29), None),
        (days(30), None, days(0)),  # D-30 takes over from D-60
        (days(0), None, days(-30)),  # still worth saying on the last day
        (days(-1), None, None),
        (None, None, None),  # a permanent contract
    ],
)
def test_fixed_term_contract_end_at_d60_and_d30(ctx, end, d60, d30):
    snapshot = placement(contract_end_on=end)
    assert rules.contract_end_d60(snapshot, ctx) == (
        Hit(d60, FOLLOWERS) if d60 else None
    )
    assert rules.contract_end_d30(snapshot, ctx) == (
        Hit(d30, FOLLOWERS) if d30 else None
    )


@pytest.mark.parametrize("status", ["termine", "rompu"])
def test_ended_placement_has_no_end_reminder(ctx, status):
    snapshot = placement(
        status=status, contract_end_on=days(30), funding_ends=(days(90),)
    )
    assert evaluate({"placements": [snapshot]}, ctx) == []


@pytest.mark.parametrize(
    ("ends", "due"),
    [
        ((), None),
        ((days(91),), None),
        ((days(90),), days(0)),
        ((days(0),), days(-90)),
        ((days(-1),), None),
        ((days(10), days(30)), days(-80)),  # the nearest end first
        ((days(-1), days(30)), days(-60)),  # then the next one, at once
    ],
)
def test_funding_period_end_at_d90(ctx, ends, due):
    hit = rules.funding_period_end_d90(placement(funding_ends=ends), ctx)
    assert hit == (Hit(due, FOLLOWERS) if due else None)


def test_contract_end_keys_follow_the_readme(ctx):
    dues = evaluate({"placements": [placement(contract_end_on=days(60))]}, ctx)
    assert {d.key for d in dues} == {
        "contract_end_d60:placement:9:7:2027-03-10",
        "contract_end_d60:placement:9:30:2027-03-10",
    }


# ---------------------------------------------------------------- introductions


def intro(**overrides) -> IntroductionSnapshot:
    values = {
        "id": 88,
        "status": "proposee_candidat",
        "candidate_user_id": 301,
        "officer_id": 7,
        "contact_ids": (20, 21),
        "proposed_on": days(-7),
        "transmitted_on": None,
    }
    return IntroductionSnapshot(**{**values, **overrides})


@pytest.mark.parametrize(
    ("proposed_on", "hit"),
    [
        (days(-6), None),
        (days(-7), Hit(days(0), (301,))),
        (days(-30), Hit(days(-23), (301,))),  # once: keyed on the proposal
        (None, None),
    ],
)
def test_candidate_is_asked_to_answer_a_week_after_the_proposal(ctx, proposed_on, hit):
    snapshot = intro(proposed_on=proposed_on)
    assert rules.introduction_answer_candidate(snapshot, ctx) == hit


def test_candidate_without_account_is_not_reminded(ctx):
    snapshot = intro(candidate_user_id=None)
    assert rules.introduction_answer_candidate(snapshot, ctx) is None


@pytest.mark.parametrize(
    ("proposed_on", "hit"),
    [(days(-13), None), (days(-14), Hit(days(0), (7,)))],
)
def test_officer_follows_up_two_weeks_after_the_proposal(ctx, proposed_on, hit):
    snapshot = intro(proposed_on=proposed_on)
    assert rules.introduction_answer_officer(snapshot, ctx) == hit


def test_the_candidate_once_then_the_officer(ctx):
    dues = evaluate({"introductions": [intro(proposed_on=days(-14))]}, ctx)
    assert sorted(d.key for d in dues) == [
        "introduction_answer_candidate:introduction:88:301:2027-03-03",
        "introduction_answer_officer:introduction:88:7:2027-03-10",
    ]


@pytest.mark.parametrize(
    "status",
    ["acceptee_candidat", "refusee_candidat", "retiree", "suggeree", "entretien"],
)
def test_an_answer_or_a_decision_stops_the_introduction_reminders(ctx, status):
    snapshot = intro(status=status, proposed_on=days(-30), transmitted_on=days(-30))
    assert evaluate({"introductions": [snapshot]}, ctx) == []


@pytest.mark.parametrize(
    ("transmitted_on", "hit"),
    [
        (days(-13), None),
        (days(-14), Hit(days(0), (20, 21))),
        (days(-20), Hit(days(-6), (20, 21))),
    ],
)
def test_employer_decision_two_weeks_after_sending(ctx, transmitted_on, hit):
    snapshot = intro(status="transmise_employeur", transmitted_on=transmitted_on)
    assert rules.introduction_employer_decision(snapshot, ctx) == hit


# ---------------------------------------------------------------- candidates


def person(**overrides) -> CandidateSnapshot:
    values = {
        "id": 55,
        "user_id": 301,
        "registered_by_id": 7,
        "last_confirmed_on": date(2026, 3, 10),
        "is_anonymised": False,
    }
    return CandidateSnapshot(**{**values, **overrides})


@pytest.mark.parametrize(
    ("last", "due"),
    [
        (date(2026, 3, 11), None),  # a year tomorrow
        (date(2026, 3, 10), TODAY),
        (date(2025, 5, 1), date(2026, 5, 1)),  # still unanswered: same key
        (date(2025, 4, 10), date(2026, 4, 10)),  # the notice is tomorrow
        (date(2025, 4, 9), None),  # the notice takes over today
    ],
)
def test_confirmation_asked_after_twelve_months(ctx, last, due):
    hit = rules.candidate_confirm_12m(person(last_confirmed_on=last), ctx)
    assert hit == (Hit(due, (301,)) if due else None)


@pytest.mark.parametrize(
    ("last", "due"),
    [
        (date(2025, 4, 10), None),
        (date(2025, 4, 9), TODAY),  # 24 months minus 30 days (SECURITY.md row 25)
        (date(2025, 3, 31), date(2027, 3, 1)),  # 31 March 2027 minus 30 days
        (date(2024, 2, 29), date(2026, 1, 29)),  # 28 February 2026 minus 30 days
    ],
)
def test_anonymisation_notice_thirty_days_before_twenty_four_months(ctx, last, due):
    hit = rules.candidate_anonymisation_notice(person(last_confirmed_on=last), ctx)
    assert hit == (Hit(due, (301,)) if due else None)


def test_months_are_calendar_months():
    assert rules.anonymisation_day(date(2025, 1, 31)) == date(2027, 1, 31)
    assert rules.anonymisation_day(date(2024, 2, 29)) == date(2026, 2, 28)
    assert rules.notice_day(date(2025, 3, 31)) == date(2027, 3, 1)


def test_without_account_the_registering_officer_gets_the_notice_only(ctx):
    snapshot = person(user_id=None, last_confirmed_on=date(2025, 1, 2))
    dues = evaluate({"candidates": [snapshot]}, ctx)
    assert [d.key for d in dues] == [
        "candidate_anonymisation_notice:candidate:55:7:2026-12-03"
    ]
    nobody = snapshot._replace(registered_by_id=None)
    assert evaluate({"candidates": [nobody]}, ctx) == []


def test_anonymised_profile_gets_no_data_reminder(ctx):
    snapshot = person(last_confirmed_on=date(2024, 1, 1), is_anonymised=True)
    assert evaluate({"candidates": [snapshot]}, ctx) == []


def test_a_confirmation_moves_both_dates(ctx):
    before = evaluate({"candidates": [person(last_confirmed_on=date(2025, 4, 9))]}, ctx)
    after = evaluate({"candidates": [person(last_confirmed_on=TODAY)]}, ctx)
    assert [d.key for d in before] == [
        "candidate_anonymisation_notice:candidate:55:301:2027-03-10"
    ]
    assert after == []


# ---------------------------------------------------------------- the machinery


def test_every_rule_is_registered_once_with_its_shape():
    assert set(rules.RULES) == {
        "case_next_step_due",
        "case_inactive",
        "funding_filing_d14",
        "funding_filing_d3",
        "funding_decision_overdue",
        "funding_report_due",
        "posting_without_introduction",
        "placement_milestone_t7",
        "contract_end_d60",
        "contract_end_d30",
        "funding_period_end_d90",
        "introduction_answer_candidate",
        "introduction_answer_officer",
        "introduction_employer_decision",
        "candidate_confirm_12m",
        "candidate_anonymisation_notice",
    }
    essential = {name for name, r in rules.RULES.items() if r.essential}
    assert essential >= {
        "placement_milestone_t7",
        "contract_end_d60",
        "contract_end_d30",
        "funding_period_end_d90",
        "introduction_answer_candidate",
        "candidate_confirm_12m",
        "candidate_anonymisation_notice",
    }
    assert not essential & {
        "introduction_answer_officer",
        "introduction_employer_decision",
    }
    immediate = {name for name, r in rules.RULES.items() if r.immediate_only}
    assert immediate == {"candidate_confirm_12m", "candidate_anonymisation_notice"}
    with pytest.raises(ValueError, match="already registered"):
        rules.rule(
            "case_inactive", audience=rules.OFFICER, source="cases", subject_type="case"
        )(lambda s, c: None)


def test_a_new_rule_is_a_plain_function_of_the_same_shape(ctx, monkeypatch):
    monkeypatch.setattr(rules, "RULES", dict(rules.RULES))

    @rules.rule(
        "case_opened_long_ago",
        audience=rules.OFFICER,
        source="cases",
        subject_type="case",
    )
    def opened(snapshot, context):
        return Hit(context.today, (snapshot.officer_id,))

    dues = evaluate({"cases": [case()]}, ctx, [rules.RULES["case_opened_long_ago"]])
    assert dues == [Due("case_opened_long_ago", "case", 1, 7, TODAY)]


@pytest.mark.parametrize(
    ("utc", "paris_day"),
    [
        (datetime(2027, 3, 27, 22, 59), date(2027, 3, 27)),  # 23:59 CET
        (datetime(2027, 3, 27, 23, 0), date(2027, 3, 28)),  # midnight CET
        (datetime(2027, 3, 28, 0, 59), date(2027, 3, 28)),  # 01:59 CET
        (datetime(2027, 3, 28, 1, 0), date(2027, 3, 28)),  # 03:00 CEST
        (datetime(2027, 3, 28, 21, 59), date(2027, 3, 28)),  # 23:59 CEST
        (datetime(2027, 3, 28, 22, 0), date(2027, 3, 29)),
        (datetime(2027, 10, 30, 21, 59), date(2027, 10, 30)),
        (datetime(2027, 10, 30, 22, 0), date(2027, 10, 31)),  # midnight CEST
        (datetime(2027, 10, 31, 22, 59), date(2027, 10, 31)),  # 23:59 CET
        (datetime(2027, 10, 31, 23, 0), date(2027, 11, 1)),
        (None, None),
    ],
)
def test_paris_dates_of_utc_times_across_the_changes_of_time(utc, paris_day):
    from matching.reminders.snapshots import ParisDates

    convert = ParisDates()
    assert convert(utc) == paris_day
    assert convert(utc) == paris_day  # memoised


def test_every_rule_says_which_roles_it_can_reach():
    from matching.accounts.models import ROLES
    from matching.reminders.rules import RULES

    for rule in RULES.values():
        assert rule.audience, rule.name
        assert rule.audience <= set(ROLES), rule.name
