"""Time helpers: datetimes are stored as naive UTC; "today" is computed in Paris."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def utcnow() -> datetime:
    """Return the current UTC time as a naive datetime (the storage convention)."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_paris(value: datetime) -> datetime:
    """Convert a stored naive-UTC (or aware) datetime to Europe/Paris."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(PARIS)


def paris_today() -> date:
    """Return today's date in Europe/Paris."""
    return datetime.now(PARIS).date()


def paris_to_utc(value: datetime) -> datetime:
    """Interpret a naive Paris wall-clock time and return naive UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=PARIS)
    return value.astimezone(UTC).replace(tzinfo=None)
