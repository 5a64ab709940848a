"""Deliver outbox rows: claim, commit, send, record.

The claim is a conditional update (``status='pending'`` -> ``'sending'``) committed before
talking to SMTP, so two dispatchers never send the same row; on PostgreSQL the batch is
picked with ``FOR UPDATE SKIP LOCKED``. A crash after the claim leaves the row in
``sending``; ``recover_stuck`` puts it back after ``STUCK_AFTER``, and a dispatcher never
keeps a claim for more than half that time. The Message-ID is derived from the row, so
a message re-sent after such a crash is recognisable.

Reminders (written by ``scan.py``) are checked against the rules again and rendered
right after the claim (``compose.prepare``), so none goes out stale; a reminder waiting
for a digest is never claimed alone. When SMTP cannot be reached, the rest of the batch
is released untouched for the next tick.
"""

import contextlib
import functools
import logging
import smtplib
import ssl
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_mail import BadHeaderError, Connection, Message
from sqlalchemy import or_, select, update

from matching.core.timeutils import utcnow
from matching.extensions import db
from matching.reminders.compose import Prepared, prepare, record_failed, record_sent
from matching.reminders.models import EmailMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
STUCK_AFTER = timedelta(minutes=10)
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=4),
)


# Never hold claimed rows longer than this (wall clock), so recover_stuck in another
# dispatcher cannot send them a second time.
HOLD_CLAIM_FOR = STUCK_AFTER / 2


class PermanentFailure(Exception):
    """The server refused the message for good (5xx): retrying will not help."""


@dataclass
class DispatchResult:
    sent: list[int] = field(default_factory=list)
    retried: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)  # no longer due at sending time
    released: list[int] = field(default_factory=list)  # left for the next tick
    unreachable: bool = False  # SMTP could not be reached: the batch stopped

    @property
    def claimed(self) -> int:
        return sum(
            len(ids)
            for ids in (
                self.sent,
                self.retried,
                self.failed,
                self.cancelled,
                self.released,
            )
        )

    def add(self, other: "DispatchResult") -> None:
        for name in ("sent", "retried", "failed", "cancelled", "released"):
            getattr(self, name).extend(getattr(other, name))
        self.unreachable = self.unreachable or other.unreachable


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The default context (certificates and host names verified), built once:
    loading the system's certificates takes tens of milliseconds."""
    return ssl.create_default_context()


class TimeoutConnection(Connection):
    """Flask-Mail connection with a timeout and a verified TLS context."""

    def configure_host(self):
        timeout = current_app.config["MAIL_TIMEOUT"]
        context = tls_context() if self.mail.use_ssl or self.mail.use_tls else None
        if self.mail.use_ssl:
            host = smtplib.SMTP_SSL(
                self.mail.server, self.mail.port, timeout=timeout, context=context
            )
        else:
            host = smtplib.SMTP(self.mail.server, self.mail.port, timeout=timeout)
        if self.mail.use_tls:
            host.starttls(context=context)
        if self.mail.username and self.mail.password:
            host.login(self.mail.username, self.mail.password)
        return host


class SMTPSession:
    """One SMTP connection for a batch: opened at the first message, closed after an
    error (the next message opens a new one) and at the end of the batch."""

    def __init__(self):
        self._connection = None

    def send(self, message: Message) -> None:
        if self._connection is None:
            connection = TimeoutConnection(current_app.extensions["mail"])
            self._connection = connection.__enter__()
        try:
            self._connection.send(message)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(OSError):
                connection.__exit__(None, None, None)


def message_id(row: EmailMessage) -> str:
    domain = current_app.config["MAIL_MESSAGE_ID_DOMAIN"]
    return f"<passerelle.{row.id}.{row.created_at:%Y%m%d%H%M%S}@{domain}>"


def recover_stuck(now: datetime) -> int:
    """Put rows left in ``sending`` by a crashed dispatcher back in the queue."""
    result = db.session.execute(
        update(EmailMessage)
        .where(
            EmailMessage.status == "sending",
            EmailMessage.claimed_at < now - STUCK_AFTER,
        )
        .values(status="pending", next_attempt_at=now)
    )
    db.session.commit()
    return result.rowcount or 0


def claimable(now: datetime) -> tuple:
    """Rows the dispatcher may take now: due, and not waiting for a digest."""
    return (
        EmailMessage.status == "pending",
        EmailMessage.due_at <= now,
        EmailMessage.next_attempt_at <= now,
        EmailMessage.digest_id.is_(None),
        or_(EmailMessage.kind != "reminder", EmailMessage.channel == "immediate"),
    )


def claim_batch(now: datetime, ids: list[int] | None, limit: int) -> list[int]:
    """Claim up to ``limit`` due rows and commit the claim; return their ids."""
    query = (
        select(EmailMessage.id)
        .where(*claimable(now))
        .order_by(EmailMessage.id)
        .limit(limit)
    )
    if ids is not None:
        query = query.where(EmailMessage.id.in_(ids))
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    claimed = []
    for row_id in db.session.scalars(query).all():
        result = db.session.execute(
            update(EmailMessage)
            .where(EmailMessage.id == row_id, EmailMessage.status == "pending")
            .values(
                status="sending", claimed_at=now, attempts=EmailMessage.attempts + 1
            )
        )
        if result.rowcount == 1:
            claimed.append(row_id)
    db.session.commit()
    return claimed


def dispatch(
    ids: list[int] | None = None, now: datetime | None = None, limit: int | None = None
) -> DispatchResult:
    """Send one batch of due pending messages (all of them, or only ``ids``)."""
    now = now or utcnow()
    limit = limit or current_app.config["REMINDER_BATCH_SIZE"]
    recover_stuck(now)
    result = DispatchResult()
    claimed = claim_batch(now, ids, limit)
    if not claimed:
        return result
    started = time.monotonic()
    session = SMTPSession()
    try:
        with _keep_loaded():
            rows = list(
                db.session.scalars(
                    select(EmailMessage)
                    .where(EmailMessage.id.in_(claimed))
                    .order_by(EmailMessage.id)
                )
            )
            prepared = prepare(rows, now)
            result.cancelled = prepared.cancelled
            db.session.commit()
            queue = [row for row in rows if row.status == "sending"]
            _send_queue(queue, now, started, session, prepared, result)
    finally:
        session.close()
    return result


@contextlib.contextmanager
def _keep_loaded():
    """Each delivery commits at once; the claimed rows and the records loaded to render
    them are this dispatcher's own, so they need not be reloaded after each commit."""
    session = db.session()
    previous, session.expire_on_commit = session.expire_on_commit, False
    try:
        yield
    finally:
        session.expire_on_commit = previous


def _send_queue(queue, now, started, session, prepared, result) -> None:
    for position, row in enumerate(queue):
        if time.monotonic() - started > HOLD_CLAIM_FOR.total_seconds():
            result.released = release(queue[position:])
            return
        outcome = deliver(row, now, session=session, prepared=prepared)
        db.session.commit()
        if outcome == "unreachable":
            result.retried.append(row.id)
            result.unreachable = True
            result.released = release(queue[position + 1 :])
            return
        getattr(result, outcome).append(row.id)


def dispatch_all(now: datetime | None = None, max_batches: int = 100) -> DispatchResult:
    """Send batches until nothing due is left (or SMTP cannot be reached)."""
    total = DispatchResult()
    for _ in range(max_batches):
        result = dispatch(now=now)
        total.add(result)
        if not result.claimed or result.unreachable or result.released:
            break
    return total


def release(rows: list[EmailMessage]) -> list[int]:
    """Give claimed rows back to the queue as if never claimed."""
    ids = [row.id for row in rows]
    if ids:
        db.session.execute(
            update(EmailMessage)
            .where(EmailMessage.id.in_(ids), EmailMessage.status == "sending")
            .values(
                status="pending", claimed_at=None, attempts=EmailMessage.attempts - 1
            )
        )
        db.session.commit()
    return ids


def deliver(
    row: EmailMessage,
    now: datetime,
    session: SMTPSession | None = None,
    prepared: Prepared | None = None,
) -> str:
    """Send one claimed row and record the outcome: 'sent', 'retried', 'failed', or
    'unreachable' (retried, and the server is down: stop the batch)."""
    backend = current_app.config["MAIL_BACKEND"]
    row.message_id = row.message_id or message_id(row)
    try:
        if backend == "smtp":
            if session is None:
                session = SMTPSession()
                try:
                    _send_smtp(row, session)
                finally:
                    session.close()
            else:
                _send_smtp(row, session)
        else:
            # Development: the body (reset links included) goes to the console.
            hidden = current_app.config["IS_PRODUCTION"] and row.is_sensitive
            log.info(
                "E-mail not sent (MAIL_BACKEND=%s) to=%s subject=%r\n%s",
                backend,
                row.recipient_email,
                row.subject,
                "(contenu masqué)" if hidden else row.body_text,
            )
    except PermanentFailure as exc:
        return _record_failure(row, str(exc), permanent=True, now=now)
    except BadHeaderError:  # a line break in a header: never sent, never retried
        return _record_failure(row, "BadHeaderError", permanent=True, now=now)
    except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused) as exc:
        # A 4xx from a server that answers; 421 at the greeting means it is down.
        down = isinstance(exc, smtplib.SMTPConnectError)
        return _record_failure(row, _describe(exc), False, now, unreachable=down)
    except OSError as exc:  # refused, timed out, disconnected (SMTPException is one)
        return _record_failure(row, _describe(exc), False, now, unreachable=True)
    row.status = "sent"
    row.sent_at = now
    row.transport = backend
    row.last_error = None
    if row.is_sensitive and backend == "smtp":
        row.body_text = row.body_html = ""
    record_sent(row, now, prepared)
    return "sent"


def _send_smtp(row: EmailMessage, session: SMTPSession) -> None:
    message = Message(
        subject=row.subject,
        recipients=[row.recipient_email],
        body=row.body_text,
        html=row.body_html or None,
        # Constant headers only: user input never goes into headers.
        extra_headers={"Auto-Submitted": "auto-generated"}
        if row.kind != "transactional"
        else None,
    )
    message.msgId = row.message_id
    try:
        session.send(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        if any(code >= 500 for code in codes):
            raise PermanentFailure(_describe(exc)) from exc
        raise
    except smtplib.SMTPResponseException as exc:
        if exc.smtp_code >= 500:
            raise PermanentFailure(_describe(exc)) from exc
        raise


def _describe(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        code, reply = next(iter(exc.recipients.values()))
        return f"{code} {reply!r}"[:500]
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {exc.smtp_error!r}"[:500]
    return f"{exc.__class__.__name__}: {exc}"[:500]


def _record_failure(
    row: EmailMessage,
    error: str,
    permanent: bool,
    now: datetime,
    unreachable: bool = False,
) -> str:
    row.last_error = error
    if permanent or row.attempts >= MAX_ATTEMPTS:
        row.status = "failed"
        log.warning("E-mail %s failed for good: %s", row.id, error)
        record_failed(row)
        return "failed"
    row.status = "pending"
    row.next_attempt_at = now + BACKOFF[min(row.attempts, len(BACKOFF)) - 1]
    log.info("E-mail %s will be retried: %s", row.id, error)
    return "unreachable" if unreachable else "retried"
