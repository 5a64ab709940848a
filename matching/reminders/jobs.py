"""Reminder jobs: plain functions, run by the scheduler (scheduler.py), by
``flask --app matching reminders run`` and by tests, which pass ``now``."""

import logging
from dataclasses import dataclass
from datetime import datetime

from matching.core.timeutils import utcnow
from matching.reminders.digest import queue_digests
from matching.reminders.outbox import DispatchResult, dispatch_all
from matching.reminders.scan import ScanResult, scan

log = logging.getLogger(__name__)


@dataclass
class TickResult:
    scan: ScanResult
    digests: list[int]
    dispatch: DispatchResult


def tick(now: datetime | None = None, force_digests: bool = False) -> TickResult:
    """One pass: store what is due, open today's digests whose hour has come, send."""
    now = now or utcnow()
    scanned = scan(now)
    digests = queue_digests(now, force=force_digests)
    sent = dispatch_all(now)
    if scanned.inserted or scanned.cancelled or digests or sent.claimed:
        log.info(
            "Reminders: %d new, %d re-armed, %d cancelled, %d digests; "
            "sent %d, retried %d, failed %d, cancelled at sending %d",
            len(scanned.inserted),
            len(scanned.rearmed),
            len(scanned.cancelled),
            len(digests),
            len(sent.sent),
            len(sent.retried),
            len(sent.failed),
            len(sent.cancelled),
        )
    return TickResult(scanned, digests, sent)
