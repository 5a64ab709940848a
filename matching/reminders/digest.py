"""Daily digests: one e-mail a day, at each reader's hour in Europe/Paris.

Every tick, ``queue_digests`` looks for the people who read digests and whose hour has
come today (Paris wall clock, so the change of time in March and October neither skips
nor repeats a digest: an hour skipped in March is read as the next one) and who have no
digest for today yet. Their digest row (key ``digest:<user>:<date>``, unique) takes the
reminders waiting for it; it is rendered and sent by the dispatcher like any other row,
with the officer's late next steps added, which repeat every day until done or moved.
"""

from datetime import date, datetime

from sqlalchemy import func, select, update

from matching.accounts.models import User
from matching.cases.models import CLOSED_STAGES, SupportCase
from matching.core.timeutils import utcnow
from matching.extensions import db
from matching.reminders.models import EmailMessage
from matching.reminders.scan import insert_ignoring_statement, paris_date, send_time


def digest_key(user_id: int, day: date) -> str:
    return f"digest:{user_id}:{day.isoformat()}"


def queue_digests(now: datetime | None = None, force: bool = False) -> list[int]:
    """Create today's digest rows that are due; ``force`` ignores the hour (demo).
    Return the ids of the digests created."""
    now = now or utcnow()
    today = paris_date(now)
    readers = [
        (user_id, email)
        for user_id, email, hour in db.session.execute(
            select(User.id, User.email, User.digest_hour).where(
                User.reminder_mode == "digest",
                User.active.is_(True),
                User.email_verified_at.is_not(None),
            )
        )
        if force or send_time(today, hour) <= now
    ]
    if not readers:
        return []
    done = set(
        db.session.scalars(
            select(EmailMessage.recipient_user_id).where(
                EmailMessage.key.in_([digest_key(uid, today) for uid, _ in readers])
            )
        )
    )
    waiting = _counts(
        select(EmailMessage.recipient_user_id, func.count(EmailMessage.id))
        .where(*_waiting(today))
        .group_by(EmailMessage.recipient_user_id)
    )
    late = _counts(
        select(SupportCase.officer_id, func.count(SupportCase.id))
        .where(
            SupportCase.stage.not_in(CLOSED_STAGES),
            SupportCase.next_step_due < today,
        )
        .group_by(SupportCase.officer_id)
    )
    created = []
    for user_id, email in readers:
        if user_id in done or not (waiting.get(user_id) or late.get(user_id)):
            continue
        digest_id = _create(user_id, email, today, now)
        if digest_id is not None:
            created.append(digest_id)
    db.session.commit()
    return created


def _counts(query) -> dict[int, int]:
    return dict(db.session.execute(query).all())


def _waiting(today: date) -> tuple:
    return (
        EmailMessage.kind == "reminder",
        EmailMessage.channel == "digest",
        EmailMessage.status == "pending",
        EmailMessage.digest_id.is_(None),
        EmailMessage.due_on <= today,
    )


def _create(user_id: int, email: str, today: date, now: datetime) -> int | None:
    """Insert the digest row unless another process did; take the waiting reminders."""
    statement = insert_ignoring_statement().returning(EmailMessage.__table__.c.id)
    digest_id = db.session.execute(
        statement,
        {
            "key": digest_key(user_id, today),
            "kind": "digest",
            "rule": "digest",
            "subject_type": "user",
            "subject_id": user_id,
            "recipient_user_id": user_id,
            "recipient_email": email,
            "subject": "",
            "body_text": "",
            "body_html": "",
            "is_sensitive": False,
            "status": "pending",
            "due_on": today,
            "channel": "immediate",
            "due_at": now,
            "next_attempt_at": now,
            "attempts": 0,
            "created_at": now,
        },
    ).scalar()
    if digest_id is None:  # another process made it
        return None
    db.session.execute(
        update(EmailMessage)
        .where(EmailMessage.recipient_user_id == user_id, *_waiting(today))
        .values(digest_id=digest_id)
    )
    return digest_id
