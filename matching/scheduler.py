"""The periodic jobs: one declarative list, run by ``flask --app matching scheduler``.

The scheduler is its own process and is never started from ``create_app``: under a
reloader or several gunicorn workers every copy of the app would run the jobs. Running
two scheduler processes by mistake is still safe for reminders (unique keys, claims),
only wasteful. APScheduler 3.x: one BlockingScheduler in UTC; each job runs in a fresh
app context and commits, or rolls back and logs, so a failing tick never stops the next.

To add a job, write a plain function (tests call it directly) and append a ``Job``.
"""

import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import click
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask, current_app
from flask.cli import with_appcontext

from matching.core.timeutils import PARIS
from matching.extensions import db

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    id: str
    func: Callable[[], object]
    trigger: BaseTrigger
    run_at_start: bool = False


def reminders_tick() -> None:
    """Scan the rules, open the digests whose hour has come, send what is due."""
    from matching.reminders.jobs import tick

    tick()


def anonymise_unconfirmed() -> None:
    """Anonymise the profiles left unconfirmed for 24 months (SECURITY.md row 25)."""
    from matching.retention import anonymise_unconfirmed

    anonymise_unconfirmed()


def purge_introductions() -> None:
    """Purge the person's details 3 months after an introduction ended without hire."""
    from matching.retention import purge_closed_introductions

    purge_closed_introductions()


def purge_audit() -> None:
    """Delete the audit rows older than 12 months."""
    from matching.retention import purge_audit

    purge_audit()


# Retention runs at night, Paris time, after the day's confirmations.
JOBS = [
    Job("reminders-tick", reminders_tick, IntervalTrigger(minutes=1), True),
    Job(
        "candidates-anonymise",
        anonymise_unconfirmed,
        CronTrigger(hour=3, timezone=PARIS),
    ),
    Job(
        "introductions-purge",
        purge_introductions,
        CronTrigger(hour=3, minute=15, timezone=PARIS),
    ),
    Job("audit-purge", purge_audit, CronTrigger(hour=3, minute=30, timezone=PARIS)),
]


def run_job(app: Flask, job: Job) -> None:
    """Run one job in its own app context: commit, or roll back and log."""
    with app.app_context():
        try:
            job.func()
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("Scheduled job %s failed", job.id)
        finally:
            db.session.remove()


def build_scheduler(app: Flask, jobs: list[Job] = JOBS) -> BlockingScheduler:
    scheduler = BlockingScheduler(
        timezone=UTC,
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": app.config["SCHEDULER_MISFIRE_GRACE_TIME"],
        },
    )
    for job in jobs:
        options = {"next_run_time": datetime.now(UTC)} if job.run_at_start else {}
        scheduler.add_job(
            run_job, job.trigger, args=(app, job), id=job.id, name=job.id, **options
        )
    return scheduler


def _stop(signum, frame):
    raise KeyboardInterrupt


@click.command("scheduler")
@with_appcontext
def scheduler_command():
    """Run the periodic jobs (reminders every minute, retention every night) until
    Ctrl-C or SIGTERM."""
    scheduler = build_scheduler(current_app._get_current_object())
    signal.signal(signal.SIGTERM, _stop)
    click.echo(
        "Planificateur démarré : "
        + ", ".join(job.id for job in JOBS)
        + ". Ctrl-C pour arrêter."
    )
    try:
        scheduler.start()
    except KeyboardInterrupt:
        pass
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=False)
        click.echo("Planificateur arrêté.")
