"""Real SMTP: an aiosmtpd server on 127.0.0.1 receives what the dispatcher sends.

Every count below is what the server received, by Message-ID: two dispatcher processes
on one database, a crash between claim and send, an outage of several ticks, a 550, a
step done or moved before its reminder leaves, and the changes of time in Europe/Paris.
"""

import json
import subprocess
import sys
import time
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from matching import ROOT
from matching.cases import services as cases
from matching.core.timeutils import paris_today, to_paris, utcnow
from matching.extensions import db
from matching.reminders.jobs import tick
from matching.reminders.models import EmailMessage
from matching.reminders.outbox import dispatch
from matching.reminders.scan import scan
from tests.factories import OrganisationFactory, SupportCaseFactory
from tests.reminders.conftest import paris, use_smtp
from tests.reminders.dispatcher_process import CRASH_EXIT_CODE
from tests.reminders.smtp_server import SMTPServer

pytestmark = pytest.mark.smtp


def rows(kind="reminder") -> list[EmailMessage]:
    db.session.expire_all()
    query = select(EmailMessage).where(EmailMessage.kind == kind)
    return list(db.session.scalars(query.order_by(EmailMessage.id)))


def test_a_reminder_reaches_the_smtp_server(clock, officer_case, smtp_server):
    clock(2027, 3, 10, 0, 1)
    officer, case, _ = officer_case()
    tick(clock(2027, 3, 10, 8, 0))
    (message,) = smtp_server.messages
    (row,) = rows()
    assert message["Message-ID"] == row.message_id
    assert message["To"] == officer.email
    assert message["Auto-Submitted"] == "auto-generated"
    parts = {part.get_content_type(): part for part in message.walk()}
    text = parts["text/plain"].get_payload(decode=True).decode()
    assert f"http://passerelle.test/accompagnements/{case.id}#etape" in text
    assert "Foyer du Canal" in parts["text/html"].get_payload(decode=True).decode()


def _late_cases(officer, count: int) -> None:
    organisation = OrganisationFactory()
    yesterday = paris_today() - timedelta(days=1)
    for _ in range(count):
        SupportCaseFactory(
            organisation=organisation, officer=officer, next_step_due=yesterday
        )
    db.session.commit()


def _dispatcher(port: int, *options: str) -> subprocess.Popen:
    url = db.engine.url.render_as_string(hide_password=False)
    return subprocess.Popen(  # noqa: S603  (this interpreter, our own module)
        [
            sys.executable,
            "-m",
            "tests.reminders.dispatcher_process",
            url,
            str(port),
            *options,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_two_dispatcher_processes_send_each_reminder_once(make_user):
    """Two processes on the same database (SQLite file, or PostgreSQL when the suite
    runs on it) claim from the same 60 reminders at the same moment."""
    server = SMTPServer(delay=0.01).start()
    try:
        officer = make_user(role="officer", reminder_mode="immediate")
        _late_cases(officer, 60)
        scan()
        assert len(rows()) == 60
        start = str(time.time() + 2.0)
        processes = [
            _dispatcher(server.port, "--start", start, "--batch", "3") for _ in range(2)
        ]
        outputs = [process.communicate(timeout=120) for process in processes]
    finally:
        server.stop()
    for process, (_out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
    sent = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    assert set(sent[0]).isdisjoint(sent[1])
    assert len(sent[0]) + len(sent[1]) == 60
    received = server.recorder.message_ids()
    assert len(received) == 60
    assert set(received.values()) == {1}
    assert {row.status for row in rows()} == {"sent"}
    assert set(received) == {row.message_id for row in rows()}


@pytest.mark.slow
def test_a_crash_between_claim_and_send_is_recovered(make_user, smtp_server):
    officer = make_user(role="officer", reminder_mode="immediate")
    _late_cases(officer, 3)
    scan()
    crashed = _dispatcher(smtp_server.port, "--crash-after-claim")
    crashed.communicate(timeout=60)
    assert crashed.returncode == CRASH_EXIT_CODE
    assert {row.status for row in rows()} == {"sending"}
    assert smtp_server.messages == []
    # Another dispatcher leaves a fresh claim alone, then takes it back once stale.
    assert dispatch(now=utcnow() + timedelta(minutes=2)).sent == []
    assert len(dispatch(now=utcnow() + timedelta(minutes=11)).sent) == 3
    received = smtp_server.recorder.message_ids()
    assert len(received) == 3
    assert set(received.values()) == {1}


def test_smtp_down_for_several_ticks_then_back(app, clock, make_user):
    down = SMTPServer()  # not started: connections are refused
    use_smtp(app, "127.0.0.1", down.port)
    try:
        clock(2027, 3, 10, 0, 1)
        officer = make_user(role="officer", reminder_mode="immediate")
        organisation = OrganisationFactory()
        for _ in range(5):
            SupportCaseFactory(
                organisation=organisation,
                officer=officer,
                next_step_due=date(2027, 3, 10),
            )
        db.session.commit()
        for minute in range(4):
            tick(clock(2027, 3, 10, 8, minute))
        assert {row.status for row in rows()} == {"pending"}
        assert max(row.attempts for row in rows()) >= 2
        down.start()
        for minute in range(4, 40):
            tick(clock(2027, 3, 10, 8, minute))
    finally:
        down.stop()
        app.extensions["mail"].suppress = True
    received = down.recorder.message_ids()
    assert len(received) == 5
    assert set(received.values()) == {1}
    assert {row.status for row in rows()} == {"sent"}
    assert all(row.attempts <= 3 for row in rows())


def test_a_550_reply_marks_the_reminder_failed(clock, officer_case, smtp_server):
    clock(2027, 3, 10, 0, 1)
    officer, _, _ = officer_case()
    smtp_server.recorder.refused.add(officer.email)
    tick(clock(2027, 3, 10, 8, 0))
    (row,) = rows()
    assert (row.status, row.attempts) == ("failed", 1)
    assert row.last_error.startswith("550")
    assert smtp_server.messages == []
    tick(clock(2027, 3, 10, 9, 0))  # failed for good: not retried
    assert rows()[0].attempts == 1


def test_a_step_done_before_its_reminder_leaves_cancels_it(
    clock, officer_case, smtp_server
):
    clock(2027, 3, 10, 0, 1)
    officer, case, _ = officer_case()
    tick(clock(2027, 3, 10, 0, 5))
    clock(2027, 3, 10, 7, 30)
    cases.update_case(case, officer, next_step="Fait", next_step_due=None)
    db.session.commit()
    tick(clock(2027, 3, 10, 8, 0))
    assert smtp_server.messages == []
    assert [row.status for row in rows()] == ["cancelled"]


def test_a_moved_due_date_rearms_the_reminder(clock, officer_case, smtp_server):
    clock(2027, 3, 10, 0, 1)
    officer, case, _ = officer_case()
    tick(clock(2027, 3, 10, 0, 5))
    clock(2027, 3, 10, 7, 30)
    cases.update_case(case, officer, next_step_due=date(2027, 3, 12))
    db.session.commit()
    for day in (10, 11, 12, 13):
        tick(clock(2027, 3, day, 8, 0))
    (message,) = smtp_server.messages
    sent = [row for row in rows() if row.status == "sent"]
    assert [row.due_on for row in sent] == [date(2027, 3, 12)]
    assert to_paris(sent[0].sent_at).replace(tzinfo=None) == datetime(2027, 3, 12, 8)
    assert message["Message-ID"] == sent[0].message_id


@pytest.mark.slow
@pytest.mark.parametrize(
    ("day", "early_digest_local"),
    [
        # 28 March 2027: 02:00 becomes 03:00; a 2 a.m. digest goes at 03:00.
        (date(2027, 3, 28), datetime(2027, 3, 28, 3, 0)),
        # 31 October 2027: 03:00 becomes 02:00; 2 a.m. happens twice, sent once.
        (date(2027, 10, 31), datetime(2027, 10, 31, 2, 0)),
    ],
)
def test_changes_of_time_send_each_reminder_once_at_the_right_hour(
    clock, make_user, smtp_server, day, early_digest_local
):
    eve = day - timedelta(days=1)
    clock(eve.year, eve.month, eve.day, 12)
    organisation = OrganisationFactory()
    immediate = make_user(role="officer", reminder_mode="immediate")
    morning = make_user(role="officer", reminder_mode="digest", digest_hour=8)
    night = make_user(role="officer", reminder_mode="digest", digest_hour=2)
    for officer in (immediate, morning, night):
        SupportCaseFactory(
            organisation=organisation, officer=officer, next_step_due=day
        )
    db.session.commit()
    now = paris(eve.year, eve.month, eve.day, 22)
    end = paris(day.year, day.month, day.day, 9)
    while now <= end:  # a tick every 5 minutes, in UTC, across the change
        tick(clock(now))
        now += timedelta(minutes=5)
    (reminder,) = [row for row in rows() if row.recipient_user_id == immediate.id]
    digests = {row.recipient_user_id: row for row in rows("digest")}
    assert set(digests) == {morning.id, night.id}

    def local(row):
        assert row.status == "sent"
        return to_paris(row.sent_at).replace(tzinfo=None)

    assert local(reminder) == datetime(day.year, day.month, day.day, 8)
    assert local(digests[morning.id]) == datetime(day.year, day.month, day.day, 8)
    assert local(digests[night.id]) == early_digest_local
    received = smtp_server.recorder.message_ids()
    assert len(received) == 3
    assert set(received.values()) == {1}
