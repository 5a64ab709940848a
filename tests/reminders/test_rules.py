"""The rules are pure: snapshots and today's date in, due reminders out.

The clock is frozen with time-machine in Europe/Paris; "today" is the Paris date, which
differs from the UTC date just after midnight.
"""

from datetime import date, datetime, timedelta

import pytest
import time_machine

from matching.cases import funding
from matching.cases import models as case_models
from matching.core.timeutils import PARIS, paris_today
from matching.reminders import rules
from matching.reminders.rules import (
    CaseSnapshot,
    Context,
    Due,
    FundingLineSnapshot,
    Hit,
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
    }
    with pytest.raises(ValueError, match="already registered"):
        rules.rule("case_inactive", source="cases", subject_type="case")(
            lambda s, c: None
        )


def test_a_new_rule_is_a_plain_function_of_the_same_shape(ctx, monkeypatch):
    monkeypatch.setattr(rules, "RULES", dict(rules.RULES))

    @rules.rule("case_opened_long_ago", source="cases", subject_type="case")
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
