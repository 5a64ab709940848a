"""The scan stores what the rules say is due, idempotently; cancels and re-arms."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from matching.admin.settings import set_setting
from matching.cases import services as cases
from matching.extensions import db
from matching.reminders import snapshots
from matching.reminders.models import EmailMessage
from matching.reminders.scan import scan, send_time
from tests.factories import FundingLineFactory, JobPostingFactory
from tests.reminders.conftest import paris


def reminders(**where) -> list[EmailMessage]:
    query = select(EmailMessage).where(EmailMessage.kind == "reminder")
    for name, value in where.items():
        query = query.where(getattr(EmailMessage, name) == value)
    return list(db.session.scalars(query.order_by(EmailMessage.id)))


def test_scan_stores_the_due_reminder_for_eight_in_paris(clock, officer_case):
    now = clock(2027, 3, 10, 0, 5)
    officer, case, _ = officer_case()
    result = scan(now)
    (row,) = reminders()
    assert row.key == f"case_next_step_due:case:{case.id}:{officer.id}:2027-03-10"
    assert (row.status, row.channel, row.due_on) == (
        "pending",
        "immediate",
        case.next_step_due,
    )
    assert row.due_at == paris(2027, 3, 10, 8, 0)  # 07:00 UTC in winter
    assert row.subject == row.body_text == ""  # rendered when sent
    assert len(result.inserted) == 1


def test_keys_are_the_rules_keys(clock, officer_case):
    from matching.reminders.rules import Due
    from matching.reminders.scan import wanted
    from matching.reminders.snapshots import load_recipients

    clock(2027, 3, 10, 9)
    officer, case, _ = officer_case()
    due = Due("case_next_step_due", "case", case.id, officer.id, date(2027, 3, 10))
    assert list(wanted([due], load_recipients())) == [due.key]


def test_a_second_scan_adds_nothing(clock, officer_case):
    now = clock(2027, 3, 10, 0, 5)
    officer_case()
    scan(now)
    again = scan(now + timedelta(minutes=1))
    assert again.inserted == again.cancelled == again.rearmed == []
    assert db.session.scalar(select(func.count(EmailMessage.id))) == 1


def test_dry_run_changes_nothing(clock, officer_case):
    now = clock(2027, 3, 10, 0, 5)
    officer_case()
    result = scan(now, dry_run=True)
    assert len(result.inserted) == 1
    assert reminders() == []


def test_step_done_cancels_the_pending_reminder(clock, officer_case):
    now = clock(2027, 3, 10, 0, 5)
    officer, case, _ = officer_case()
    scan(now)
    cases.update_case(case, officer, next_step=None, next_step_due=None)
    db.session.commit()
    result = scan(now + timedelta(minutes=1))
    (row,) = reminders()
    assert result.cancelled == [row.id]
    assert row.status == "cancelled"


def test_moved_date_rearms_and_moving_back_restores(clock, officer_case):
    now = clock(2027, 3, 10, 0, 5)
    officer, case, _ = officer_case()
    scan(now)
    cases.update_case(case, officer, next_step_due=date(2027, 3, 12))
    db.session.commit()
    scan(now)
    (first,) = reminders()
    assert first.status == "cancelled"
    later = clock(2027, 3, 12, 0, 5)
    scan(later)
    assert [r.due_on for r in reminders(status="pending")] == [date(2027, 3, 12)]
    # Back to the 10th (a late step): the cancelled row is re-armed, not duplicated.
    cases.update_case(case, officer, next_step_due=date(2027, 3, 10))
    db.session.commit()
    result = scan(later)
    assert result.rearmed == [first.id]
    db.session.refresh(first)
    assert (first.status, first.attempts) == ("pending", 0)
    assert len(reminders()) == 2


def test_closing_the_case_cancels_its_reminders(clock, officer_case):
    now = clock(2027, 3, 10, 0, 5)
    officer, case, _ = officer_case()
    FundingLineFactory(
        case=case, status="en_preparation", filing_deadline=date(2027, 3, 12)
    )
    scan(now)
    assert {r.rule for r in reminders(status="pending")} == {
        "case_next_step_due",
        "funding_filing_d3",
    }
    cases.change_stage(case, "abandonne", officer, "retrait_direction")
    db.session.commit()
    scan(now)
    assert reminders(status="pending") == []


def test_funding_reaches_the_officer_and_the_active_contacts(
    clock, officer_case, make_employer
):
    now = clock(2027, 3, 10, 9)
    officer, case, contact = officer_case(due=None)
    make_employer(organisation=case.organisation, status="pending")  # not yet a member
    line = FundingLineFactory(
        case=case, status="depose", expected_decision_on=date(2027, 3, 1)
    )
    scan(now)
    rows = reminders(rule="funding_decision_overdue")
    assert {r.recipient_user_id for r in rows} == {officer.id, contact.id}
    assert {r.subject_id for r in rows} == {line.id}
    # An employer reads reminders one by one by default.
    assert {r.channel for r in rows} == {"immediate"}
    line.status = "accorde"  # the decision is noted: both are cancelled
    db.session.commit()
    scan(now)
    assert reminders(status="pending") == []


def test_optional_reminders_can_be_switched_off_but_not_essential_ones(
    clock, officer_case
):
    now = clock(2027, 3, 10, 9)
    officer, case, _ = officer_case()
    case.last_activity_at = paris(2027, 1, 1, 10)
    db.session.commit()
    scan(now)
    assert {r.rule for r in reminders(status="pending")} == {
        "case_next_step_due",
        "case_inactive",
    }
    officer.has_optional_reminders = False
    db.session.commit()
    scan(now)
    assert [r.rule for r in reminders(status="pending")] == ["case_next_step_due"]
    officer.has_optional_reminders = True  # switched on again: re-armed
    db.session.commit()
    assert len(scan(now).rearmed) == 1


def test_inactivity_delay_comes_from_the_settings(clock, officer_case):
    now = clock(2027, 3, 10, 9)
    _, case, _ = officer_case(due=None)
    case.last_activity_at = paris(2027, 3, 1, 10)
    db.session.commit()
    scan(now)
    assert reminders() == []
    set_setting("reminders.inactivity_days", 7)
    db.session.commit()
    scan(now)
    (row,) = reminders()
    assert (row.rule, row.due_on) == ("case_inactive", date(2027, 3, 8))


def test_deactivated_or_unconfirmed_accounts_get_nothing(clock, officer_case):
    now = clock(2027, 3, 10, 9)
    officer, _, _ = officer_case()
    officer.active = False
    db.session.commit()
    scan(now)
    assert reminders() == []
    officer.active, officer.email_verified_at = True, None
    db.session.commit()
    scan(now)
    assert reminders() == []


def test_choosing_the_digest_moves_pending_reminders(clock, officer_case):
    now = clock(2027, 3, 10, 0, 5)
    officer, _, _ = officer_case()
    scan(now)
    officer.reminder_mode, officer.digest_hour = "digest", 7
    db.session.commit()
    result = scan(now)
    (row,) = reminders()
    assert result.rescheduled == [row.id]
    assert (row.channel, row.due_at) == ("digest", send_time(date(2027, 3, 10), 7))


def test_officers_read_digests_by_default(make_user):
    assert make_user(role="officer").reminder_mode == "digest"
    assert make_user(role="employer").reminder_mode == "immediate"
    assert make_user(role="candidate").digest_hour == 8


def test_posting_without_introduction(clock, officer_case, monkeypatch):
    now = clock(2027, 3, 10, 9)
    officer, case, _ = officer_case(due=None)
    posting = JobPostingFactory(
        organisation=case.organisation,
        case=case,
        status="publiee",
        published_at=paris(2027, 2, 8, 15),
    )
    scan(now)
    (row,) = reminders()
    assert (row.rule, row.subject_id, row.recipient_user_id) == (
        "posting_without_introduction",
        posting.id,
        officer.id,
    )
    assert snapshots.has_introduction(posting.id) is False
    monkeypatch.setattr(snapshots, "introduced_posting_ids", lambda ids: set(ids))
    scan(now)
    assert reminders(status="pending") == []


@pytest.mark.parametrize(
    ("day", "hour", "utc"),
    [
        (date(2027, 1, 15), 8, datetime(2027, 1, 15, 7)),  # winter: UTC+1
        (date(2027, 7, 15), 8, datetime(2027, 7, 15, 6)),  # summer: UTC+2
        (date(2027, 3, 28), 2, datetime(2027, 3, 28, 1)),  # skipped hour: 03:00 CEST
        (date(2027, 10, 31), 2, datetime(2027, 10, 31, 0)),  # repeated: the first
    ],
)
def test_send_time_is_paris_wall_clock(day, hour, utc):
    assert send_time(day, hour) == utc
