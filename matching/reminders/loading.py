"""What every reminder loader shares: Paris dates of UTC times, Core queries."""

from collections import defaultdict
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from matching.core.timeutils import PARIS, paris_to_utc
from matching.extensions import db
from matching.organisations.models import Membership

CHUNK = 1000


class ParisDates:
    """UTC datetimes -> Europe/Paris dates, fast for 100,000 rows: the offset is looked
    up once per UTC day (per hour on the two days the clocks change)."""

    def __init__(self):
        self._offsets: dict[date, timedelta | None] = {}

    def __call__(self, value: datetime | None) -> date | None:
        if value is None:
            return None
        day = value.date()
        offset = self._offsets.get(day, False)
        if offset is False:
            offset = self._offsets[day] = self._day_offset(day)
        if offset is None:  # the clocks change this day
            offset = _paris_offset(value.replace(minute=0, second=0, microsecond=0))
        return (value + offset).date()

    @staticmethod
    def _day_offset(day: date) -> timedelta | None:
        start = datetime.combine(day, time())
        first, last = _paris_offset(start), _paris_offset(start + timedelta(hours=23))
        return first if first == last else None


def _paris_offset(utc: datetime) -> timedelta:
    return utc.replace(tzinfo=UTC).astimezone(PARIS).utcoffset()


def paris_midnight(day: date) -> datetime:
    """The start of a Paris day, as naive UTC."""
    return paris_to_utc(datetime.combine(day, time()))


def fetch(query, ids: Collection[int] | None, column, condition=None):
    """Run a Core query (no ORM objects: 100,000 rows must load fast)."""
    if ids is not None:
        query = query.where(column.in_(list(ids)))
    elif condition is not None:
        query = query.where(condition)
    return db.session.connection().execute(query)


def organisation_contacts() -> dict[int, tuple[int, ...]]:
    """The active members of every organisation: the employer's contacts."""
    contacts: dict[int, list[int]] = defaultdict(list)
    rows = db.session.connection().execute(
        select(Membership.organisation_id, Membership.user_id)
        .where(Membership.status == "active")
        .order_by(Membership.organisation_id, Membership.user_id)
    )
    for organisation_id, user_id in rows:
        contacts[organisation_id].append(user_id)
    return {org: tuple(users) for org, users in contacts.items()}
