"""Reminders and digests at dispatch time: checked again, rendered, then recorded.

``prepare`` runs on rows the dispatcher has just claimed. A reminder that the rules no
longer produce (the step was done a minute ago, the date moved) is cancelled instead of
sent; the others are rendered from their subject as it is now. ``record_sent`` puts
each reminder that went out on its subject's timeline, and marks the reminders a digest
carried as sent with it.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from matching.accounts.models import User
from matching.cases.models import CLOSED_STAGES, Activity, SupportCase
from matching.extensions import db
from matching.reminders.models import EmailMessage
from matching.reminders.render import (
    SUBJECT_TYPES,
    describe,
    load_subjects,
    render_digest,
    render_reminder,
    rule_labels,
)
from matching.reminders.scan import paris_date, wanted_now

LATE_STEPS_SHOWN = 30


@dataclass
class Prepared:
    """A claimed batch, checked and rendered: what was cancelled instead, and the
    records loaded on the way (reused to write the timeline after sending)."""

    cancelled: list[int] = field(default_factory=list)
    subjects: dict[tuple[str, int], Any] = field(default_factory=dict)
    users: dict[int, User] = field(default_factory=dict)
    carried: dict[int, list[EmailMessage]] = field(default_factory=dict)


def prepare(rows: list[EmailMessage], now: datetime) -> Prepared:
    """Render the claimed reminders and digests; cancel those no longer due."""
    reminders = [row for row in rows if row.kind == "reminder"]
    digests = [row for row in rows if row.kind == "digest"]
    carried = _carried(digests)
    checked = reminders + [row for group in carried.values() for row in group]
    if not checked and not digests:
        return Prepared()
    still = wanted_now(checked, now)
    subjects = load_subjects((row.subject_type, row.subject_id) for row in checked)
    users = _users(rows)
    today = paris_date(now)
    cancelled: list[int] = []

    def item_for(row, user):
        subject = subjects.get((row.subject_type, row.subject_id))
        if row.key not in still or subject is None or user is None:
            return None
        with force_locale(user.locale or "fr"):
            return describe(row.rule, subject, row.due_on, today)

    for row in reminders:
        user = users.get(row.recipient_user_id)
        item = item_for(row, user)
        if user is None or item is None:
            _cancel(row, cancelled)
        elif still[row.key].channel == "digest":
            # The person chose the digest since the scan: their next digest takes it.
            row.status, row.channel, row.claimed_at = "pending", "digest", None
            row.attempts -= 1
        else:
            row.recipient_email = user.email
            row.subject, row.body_text, row.body_html = render_reminder(item, user)
    for digest in digests:
        user, items = users.get(digest.recipient_user_id), []
        for row in carried.get(digest.id, []):
            item = item_for(row, user)
            if item is None:
                row.status = "cancelled"
            else:
                items.append((row, item))
        late, late_total = _late_steps(user, today, items) if user else ([], 0)
        if user is None or not (items or late):
            _cancel(digest, cancelled)
            continue
        digest.recipient_email = user.email
        digest.subject, digest.body_text, digest.body_html = render_digest(
            [item for _, item in items], late, late_total, user, today
        )
    return Prepared(cancelled, subjects, users, carried)


def _cancel(row: EmailMessage, cancelled: list[int]) -> None:
    row.status, row.claimed_at = "cancelled", None
    cancelled.append(row.id)


def _carried(digests: list[EmailMessage]) -> dict[int, list[EmailMessage]]:
    if not digests:
        return {}
    carried: dict[int, list[EmailMessage]] = {digest.id: [] for digest in digests}
    query = (
        select(EmailMessage)
        .where(
            EmailMessage.digest_id.in_(list(carried)),
            EmailMessage.status == "pending",
        )
        .order_by(EmailMessage.due_on, EmailMessage.id)
    )
    for row in db.session.scalars(query):
        carried[row.digest_id].append(row)
    return carried


def _users(rows: list[EmailMessage]) -> dict[int, User]:
    ids = {row.recipient_user_id for row in rows if row.recipient_user_id}
    if not ids:
        return {}
    query = select(User).where(User.id.in_(ids), User.active.is_(True))
    return {
        user.id: user
        for user in db.session.scalars(query)
        if user.email_verified_at is not None
    }


def _late_steps(user: User, today, items) -> tuple[list, int]:
    """Next steps of the officer's cases that are late: repeated in every digest until
    done or moved (those already among the digest's reminders are not repeated)."""
    if user.role != "officer":
        return [], 0
    listed = {
        row.subject_id for row, _item in items if row.rule == "case_next_step_due"
    }
    condition = (
        SupportCase.officer_id == user.id,
        SupportCase.stage.not_in(CLOSED_STAGES),
        SupportCase.next_step_due < today,
    )
    if listed:
        condition += (SupportCase.id.not_in(listed),)
    total = db.session.scalar(select(func.count(SupportCase.id)).where(*condition))
    cases = db.session.scalars(
        select(SupportCase)
        .where(*condition)
        .options(joinedload(SupportCase.organisation))
        .order_by(SupportCase.next_step_due, SupportCase.id)
        .limit(LATE_STEPS_SHOWN)
    )
    with force_locale(user.locale or "fr"):
        late = [
            describe("case_next_step_due", case, case.next_step_due, today)
            for case in cases
        ]
    return late, total or 0


# ---------------------------------------------------------------- after delivery


def record_sent(
    row: EmailMessage, now: datetime, prepared: Prepared | None = None
) -> None:
    """Put a sent reminder (or every reminder a sent digest carried) on its timeline."""
    prepared = prepared or Prepared()
    if row.kind == "reminder":
        _timeline([row], now, prepared)
    elif row.kind == "digest":
        carried = prepared.carried.get(row.id)
        if carried is None:
            carried = list(
                db.session.scalars(
                    select(EmailMessage).where(EmailMessage.digest_id == row.id)
                )
            )
        carried = [reminder for reminder in carried if reminder.status == "pending"]
        for reminder in carried:
            reminder.status, reminder.sent_at = "sent", now
            reminder.transport = row.transport
            reminder.recipient_email = row.recipient_email
        _timeline(carried, now, prepared)


def record_failed(row: EmailMessage) -> None:
    """A digest that failed for good takes its reminders with it (admins see them)."""
    if row.kind == "digest":
        db.session.execute(
            update(EmailMessage)
            .where(EmailMessage.digest_id == row.id, EmailMessage.status == "pending")
            .values(status="failed", last_error=row.last_error)
        )


def _timeline(rows: list[EmailMessage], now: datetime, prepared: Prepared) -> None:
    if not rows:
        return
    pairs = {(row.subject_type, row.subject_id) for row in rows}
    subjects = prepared.subjects
    if not pairs <= subjects.keys():
        subjects = load_subjects(pairs)
    people = dict(prepared.users)
    missing = {row.recipient_user_id for row in rows} - people.keys()
    if missing:
        people.update(
            (user.id, user)
            for user in db.session.scalars(select(User).where(User.id.in_(missing)))
        )
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        labels = rule_labels()
        for row in rows:
            subject = subjects.get((row.subject_type, row.subject_id))
            if subject is None:
                continue
            person = people.get(row.recipient_user_id)
            title = _(
                "Rappel envoyé à %(name)s : %(rule)s",
                name=person.display_name if person else "?",
                rule=labels.get(row.rule, row.rule),
            )[:200]
            kind = SUBJECT_TYPES[row.subject_type]
            record = kind.record or _on_case_timeline(kind.case_of)
            record(subject, row, person, title, now)


def _on_case_timeline(case_of):
    """The default record: an activity of kind "reminder" on the subject's case, seen
    by the organisation when the reminder went to one of its members. It does not
    count as activity: the case's last_activity_at is left alone."""

    def record(subject, row, person, title, now) -> None:
        case = case_of(subject)
        if case is None:
            return
        db.session.add(
            Activity(
                case_id=case.id,
                kind="reminder",
                title=title,
                visibility="employer"
                if person is not None and person.role == "employer"
                else "officers",
                occurred_at=now,
                data={
                    "email_id": row.id,
                    "rule": row.rule,
                    "recipient_id": row.recipient_user_id,
                    "due_on": row.due_on.isoformat() if row.due_on else None,
                    "digest_id": row.digest_id,
                },
            )
        )

    return record
