"""The command line (reminders run) and the scheduler process."""

import logging
from datetime import date

import pytest
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import func, select

from matching import create_app, scheduler
from matching.extensions import db
from matching.reminders.models import EmailMessage
from tests.conftest import BASE_CONFIG


def count(**where) -> int:
    query = select(func.count(EmailMessage.id))
    for name, value in where.items():
        query = query.where(getattr(EmailMessage, name) == value)
    return db.session.scalar(query)


def test_dry_run_shows_what_is_due_and_changes_nothing(clock, runner, officer_case):
    clock(2027, 3, 10, 9)
    officer, case, _ = officer_case()
    result = runner.invoke(args=["reminders", "run", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "nouveaux : 1" in result.output
    assert f"case_next_step_due:case:{case.id}:{officer.id}:2027-03-10" in result.output
    assert count() == 0


def test_run_does_one_pass(clock, runner, officer_case, outbox):
    clock(2027, 3, 10, 9)
    officer_case()
    result = runner.invoke(args=["reminders", "run"])
    assert result.exit_code == 0, result.output
    assert "envoyés : 1" in result.output
    assert len(outbox) == 1
    assert runner.invoke(args=["reminders", "run"]).exit_code == 0
    assert len(outbox) == 1


def test_digest_now_opens_todays_digest_before_its_hour(
    clock, runner, officer_case, outbox
):
    clock(2027, 3, 10, 6)
    officer_case(mode="digest", due=date(2027, 3, 9))
    runner.invoke(args=["reminders", "run"])
    assert outbox == []
    result = runner.invoke(args=["reminders", "run", "--digest-now"])
    assert "1 résumés" in result.output
    assert count(kind="digest", status="sent") == 1
    runner.invoke(args=["reminders", "run", "--digest-now"])
    assert count(kind="digest") == 1


def test_scheduler_has_one_minute_tick_in_utc(app):
    built = scheduler.build_scheduler(app)
    job = built.get_job("reminders-tick")
    assert str(built.timezone) == "UTC"
    assert isinstance(job.trigger, IntervalTrigger)
    assert job.trigger.interval.total_seconds() == 60
    # Applied to each job when the scheduler starts.
    defaults = built._job_defaults
    assert (defaults["coalesce"], defaults["max_instances"]) == (True, 1)
    assert defaults["misfire_grace_time"] >= 60
    assert job.args[1].id == "reminders-tick"
    assert job.next_run_time is not None  # the first tick runs at start


def test_a_job_commits_or_rolls_back_and_logs(app, caplog, officer):
    def rename():
        db.session.get(type(officer), officer.id).display_name = "Renommée"

    def fail():
        db.session.get(type(officer), officer.id).display_name = "Jamais"
        raise RuntimeError("boom")

    scheduler.run_job(app, scheduler.Job("rename", rename, IntervalTrigger(minutes=1)))
    with caplog.at_level(logging.ERROR):
        scheduler.run_job(app, scheduler.Job("fail", fail, IntervalTrigger(minutes=1)))
    db.session.refresh(officer)
    assert officer.display_name == "Renommée"
    assert "Scheduled job fail failed" in caplog.text


def test_create_app_never_starts_a_scheduler(monkeypatch, tmp_path):
    def refuse(*args, **kwargs):
        raise AssertionError("create_app started a scheduler")

    monkeypatch.setattr(BaseScheduler, "start", refuse)
    create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_scheduler_command_stops_cleanly(runner, monkeypatch):
    def interrupted(self, *args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(BaseScheduler, "start", interrupted)
    result = runner.invoke(args=["scheduler"])
    assert result.exit_code == 0, result.output
    assert "reminders-tick" in result.output
    assert "Planificateur arrêté." in result.output


@pytest.mark.parametrize("name", [job.id for job in scheduler.JOBS])
def test_every_job_is_a_plain_function(name):
    job = next(job for job in scheduler.JOBS if job.id == name)
    assert callable(job.func)
