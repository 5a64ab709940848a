"""Shared fixtures: a fresh database per test (SQLite file copy, or PostgreSQL truncation
when TEST_DATABASE_URL is set), the app, a client, login helpers and record factories.
"""

import contextlib
import contextvars
import os
import shutil
import smtplib
import time
from datetime import UTC, datetime

import pytest
import time_machine
from flask.testing import FlaskClient
from sqlalchemy import text

from matching import create_app
from matching.candidates import search as candidate_search
from matching.core.timeutils import PARIS, paris_to_utc
from matching.extensions import db, limiter, mail
from matching.introductions import profiles
from tests.factories import PASSWORD  # noqa: F401  (re-exported for tests)

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def _worker_database_url(url: str) -> str:
    """With pytest-xdist, each worker gets its own PostgreSQL database (created here)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).scalar()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "WTF_CSRF_ENABLED": False,
    # The limiter is one object shared by every app of the session: keep it enabled
    # everywhere, with limits no ordinary test reaches (tests/accounts lower them).
    "LOGIN_LIMIT_PER_ACCOUNT": "1000 per minute",
    "LOGIN_LIMIT_PER_IP": "1000 per minute",
    "RESET_LIMIT": "1000 per minute",
    "MAIL_BACKEND": "smtp",
    "MAIL_SUPPRESS_SEND": True,
    "BASE_URL": "http://passerelle.test",
    # Cheap argon2 parameters: the real ones are checked in tests/accounts.
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 8,
    "ARGON2_PARALLELISM": 1,
}


def pytest_sessionstart(session):
    """Compile the translations when a catalog is newer than its .mo file."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from matching import ROOT

    for po in (ROOT / "matching" / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source, mo.open("wb") as target:
                write_mo(target, read_po(source), use_fuzzy=True)


def pytest_configure(config):
    config.addinivalue_line("markers", "app_config(**settings): override settings")
    config.addinivalue_line("markers", "smtp: the test may open real SMTP connections")


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, like in production, so it never
    shares the test's database session; the test's session is expired afterwards.
    Streamed bodies (downloads) are read there too, as a server reads them."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        response = contextvars.Context().run(super().open, *args, **kwargs)
        db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    """Create the schema once; each test then starts from an empty copy of it."""
    if TEST_DATABASE_URL:
        url = _worker_database_url(TEST_DATABASE_URL)
        app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            db.drop_all()
            db.create_all()
            db.session.remove()
            db.engine.dispose()
        return {"url": url}
    folder = tmp_path_factory.mktemp("db")
    template = folder / "template.sqlite3"
    app = create_app(
        {**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{template}"}
    )
    with app.app_context():
        db.create_all()
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.remove()
        db.engine.dispose()
    return {"template": template, "folder": folder}


_apps: dict[tuple, object] = {}


def _cached_app(database, overrides: dict, tmp_path_factory):
    """Building the app compiles every URL rule: build once per distinct settings."""
    key = tuple(sorted((k, repr(v)) for k, v in overrides.items()))
    if key not in _apps:
        settings = {**BASE_CONFIG, **overrides}
        if "url" in database:
            settings["SQLALCHEMY_DATABASE_URI"] = database["url"]
        else:
            path = database["folder"] / f"test-{len(_apps)}.sqlite3"
            settings["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
        application = create_app(settings)
        application.test_client_class = IsolatedClient
        _apps[key] = application
    return _apps[key]


def _reset_database(app, database) -> None:
    if "url" in database:
        tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.session.commit()
        return
    db.engine.dispose()
    target = db.engine.url.database
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(target + suffix)
    shutil.copyfile(database["template"], target)


@pytest.fixture
def app(request, database, tmp_path_factory):
    overrides = {}
    for marker in reversed(list(request.node.iter_markers("app_config"))):
        overrides.update(marker.kwargs)
    application = _cached_app(database, overrides, tmp_path_factory)
    saved_config = dict(application.config)
    with application.app_context():
        _reset_database(application, database)
        limiter.reset()
        # Per-process caches keyed by the database URL: each test starts afresh.
        candidate_search._names_cache.clear()
        profiles._cache.clear()
        yield application
        db.session.remove()
    application.config.clear()
    application.config.update(saved_config)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def outbox(app):
    """E-mails handed to Flask-Mail during the test."""
    with mail.record_messages() as messages:
        yield messages


@pytest.fixture(autouse=True)
def _no_real_smtp(request, monkeypatch):
    """Fail any test that would talk to a real SMTP server by accident."""
    if request.node.get_closest_marker("smtp"):
        return

    def refuse(*args, **kwargs):
        raise AssertionError("This test tried to open a real SMTP connection.")

    monkeypatch.setattr(smtplib.SMTP, "connect", refuse)


@pytest.fixture
def login(client):
    """Log a user in on the test client without going through the form."""

    def do_login(user, remember=False):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
            session["remember"] = remember
            session["seen_at"] = int(time.time())
        return user

    return do_login


def paris(*args) -> datetime:
    """A Paris wall-clock time as naive UTC (the storage convention)."""
    return paris_to_utc(datetime(*args))


@pytest.fixture
def clock():
    """Freeze the clock at a Paris wall-clock time, ``clock(2027, 3, 10, 9)``, or at a
    naive UTC instant, ``clock(datetime(2027, 10, 31, 0, 30))``; return naive UTC."""
    travellers = []

    def move(*args) -> datetime:
        if travellers:
            travellers.pop().stop()
        if len(args) == 1 and isinstance(args[0], datetime):
            instant, utc = args[0].replace(tzinfo=UTC), args[0]
        else:
            instant, utc = datetime(*args, tzinfo=PARIS), paris(*args)
        traveller = time_machine.travel(instant, tick=False)
        traveller.start()
        travellers.append(traveller)
        return utc

    yield move
    for traveller in travellers:
        traveller.stop()


from tests.factories import *  # noqa: E402, F403  (factory fixtures)
