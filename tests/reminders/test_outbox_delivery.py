"""The outbox: every e-mail is a row first, delivered after the commit, retried."""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from flask import g
from sqlalchemy import select

from matching.core.timeutils import utcnow
from matching.email import deliver_queued, send_email
from matching.extensions import db
from matching.reminders import outbox
from matching.reminders.models import EmailMessage


def queue(user, **kwargs) -> EmailMessage:
    with mock.patch.dict(g.__dict__, {}):
        message = send_email(user, "Sujet", "verify_email", link="http://x", **kwargs)
    db.session.commit()
    return message


def test_message_is_sent_after_the_request_commits(client, outbox, candidate):
    client.post("/mot-de-passe/oublie", data={"email": candidate.email})
    row = db.session.scalar(select(EmailMessage))
    assert row.status == "sent"
    assert row.sent_at is not None
    assert row.message_id == outbox[0].msgId
    assert row.message_id.startswith(f"<passerelle.{row.id}.")


def test_nothing_is_sent_when_the_unit_of_work_rolls_back(app, outbox, candidate):
    with app.test_request_context():
        send_email(candidate, "Jamais", "verify_email", link="http://x")
        db.session.rollback()
        deliver_queued()
    assert outbox == []
    assert db.session.scalar(select(EmailMessage)) is None


def test_log_backend_marks_the_message_sent_without_smtp(
    app, outbox, candidate, caplog
):
    app.config["MAIL_BACKEND"] = "log"
    row = queue(candidate)
    result = outbox_dispatch()
    assert result.sent == [row.id]
    assert outbox == []
    db.session.refresh(row)
    assert (row.status, row.transport) == ("sent", "log")
    assert "http://x" in caplog.text  # development: the link is in the console


def outbox_dispatch(**kwargs):
    return outbox.dispatch(**kwargs)


def test_connection_refused_is_retried_later(app, candidate):
    row = queue(candidate)
    with mock.patch.object(outbox, "_send_smtp", side_effect=ConnectionRefusedError()):
        result = outbox.dispatch()
    assert result.retried == [row.id]
    db.session.refresh(row)
    assert row.status == "pending"
    assert row.attempts == 1
    assert row.next_attempt_at > utcnow()
    assert "ConnectionRefusedError" in row.last_error
    # Not due yet: a second pass leaves it alone.
    assert outbox.dispatch().retried == []


def test_temporary_4xx_is_retried_then_failed_after_five_attempts(app, candidate):
    row = queue(candidate)
    error = smtplib.SMTPDataError(451, b"try later")
    now = utcnow()
    with mock.patch.object(outbox, "_send_smtp", side_effect=error):
        for attempt in range(1, 6):
            outbox.dispatch(now=now)
            db.session.refresh(row)
            assert row.attempts == attempt
            now = row.next_attempt_at + timedelta(seconds=1)
    assert row.status == "failed"
    assert row.last_error.startswith("451")


def test_permanent_5xx_fails_at_once(app, candidate):
    row = queue(candidate)
    with mock.patch.object(
        outbox, "_send_smtp", side_effect=outbox.PermanentFailure("550 no such user")
    ):
        assert outbox.dispatch().failed == [row.id]
    db.session.refresh(row)
    assert (row.status, row.attempts, row.last_error) == (
        "failed",
        1,
        "550 no such user",
    )


@pytest.mark.parametrize(
    ("exception", "permanent"),
    [
        (smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"unknown")}), True),
        (smtplib.SMTPRecipientsRefused({"x@example.org": (450, b"busy")}), False),
        (smtplib.SMTPDataError(554, b"rejected"), True),
        (smtplib.SMTPServerDisconnected("gone"), False),
        (TimeoutError("timed out"), False),
    ],
)
def test_smtp_errors_are_classified(app, candidate, exception, permanent):
    row = queue(candidate)
    app.config["MAIL_SUPPRESS_SEND"] = False
    app.extensions["mail"].suppress = False
    connection = mock.MagicMock()
    connection.__enter__.return_value.send.side_effect = exception
    with mock.patch.object(outbox, "TimeoutConnection", return_value=connection):
        result = outbox.dispatch()
    app.extensions["mail"].suppress = True
    assert (result.failed == [row.id]) is permanent
    assert (result.retried == [row.id]) is not permanent


def test_row_stuck_in_sending_is_recovered(app, outbox, candidate):
    row = queue(candidate)
    row.status = "sending"
    row.claimed_at = utcnow() - timedelta(minutes=11)
    db.session.commit()
    assert outbox_dispatch().sent == [row.id]


def test_recently_claimed_row_is_left_to_its_dispatcher(app, candidate):
    row = queue(candidate)
    row.status = "sending"
    row.claimed_at = utcnow() - timedelta(minutes=2)
    db.session.commit()
    assert outbox_dispatch().sent == []


def test_a_claimed_row_cannot_be_claimed_twice(app, candidate):
    row = queue(candidate)
    assert outbox.claim_batch(utcnow(), None, 10) == [row.id]
    assert outbox.claim_batch(utcnow(), None, 10) == []


def test_smtp_connection_uses_a_timeout_and_a_verified_tls_context(app):
    app.config.update(MAIL_TIMEOUT=7)
    mail = app.extensions["mail"]
    mail.use_tls, mail.use_ssl = True, False
    with mock.patch.object(smtplib, "SMTP") as smtp:
        outbox.TimeoutConnection(mail).configure_host()
    assert smtp.call_args.kwargs["timeout"] == 7
    context = smtp.return_value.starttls.call_args.kwargs["context"]
    assert context.check_hostname is True
    mail.use_tls = False
