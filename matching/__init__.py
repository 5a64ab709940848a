"""Passerelle: the territorial tool for developing salaried peer work (travail pair)."""

import logging
import os
import secrets
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, handlers."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("MATCHING_INSTANCE_PATH", str(ROOT / "instance")),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    load_config(app, test_config)
    configure_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_web(app)
    register_commands(app)
    return app


def load_config(app: Flask, test_config: dict | None) -> None:
    """Defaults, then instance/config.py, then MATCHING_* variables, then tests."""
    app.config.from_object("matching.config")
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("MATCHING")
    if test_config:
        app.config.update(test_config)
    cfg = app.config
    cfg["IS_PRODUCTION"] = cfg["ENV"] == "production"
    if cfg["IS_PRODUCTION"]:
        if not cfg.get("SECRET_KEY"):
            raise RuntimeError(
                "MATCHING_SECRET_KEY must be set when MATCHING_ENV=production."
            )
        cfg["SESSION_COOKIE_SECURE"] = True
        cfg["REMEMBER_COOKIE_SECURE"] = True
        # Requests for any other host name get 400 (no forged links or cache keys).
        cfg.setdefault("TRUSTED_HOSTS", None)
        if not cfg["TRUSTED_HOSTS"]:
            cfg["TRUSTED_HOSTS"] = [urlsplit(cfg["BASE_URL"]).hostname]
    elif not cfg.get("SECRET_KEY"):
        cfg["SECRET_KEY"] = _development_secret_key(Path(app.instance_path))
    if not cfg.get("SQLALCHEMY_DATABASE_URI"):
        cfg["SQLALCHEMY_DATABASE_URI"] = database_url(
            cfg.get("DATABASE_URL"), Path(app.instance_path)
        )
    cfg["BASE_URL"] = cfg["BASE_URL"].rstrip("/")


def database_url(url: str | None, instance_path: Path) -> str:
    """Return the SQLAlchemy URL: PostgreSQL through psycopg 3, or the SQLite file."""
    if not url:
        instance_path.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{instance_path / 'passerelle.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _development_secret_key(instance_path: Path) -> str:
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Enforce foreign keys and use WAL on every SQLite connection."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def configure_logging(app: Flask) -> None:
    level = getattr(logging, str(app.config["LOG_LEVEL"]).upper(), logging.INFO)
    app.logger.setLevel(level)
    logging.getLogger("matching").setLevel(level)


def register_extensions(app: Flask) -> None:
    from werkzeug.middleware.proxy_fix import ProxyFix

    from matching import models  # noqa: F401  (every model registered for Alembic)
    from matching.extensions import (
        babel,
        csrf,
        db,
        limiter,
        login_manager,
        mail,
        migrate,
    )
    from matching.i18n import select_locale, select_timezone

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    mail.init_app(app)
    babel.init_app(
        app, locale_selector=select_locale, timezone_selector=select_timezone
    )
    limiter.init_app(app)
    if app.config["PROXY_COUNT"]:
        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def register_blueprints(app: Flask) -> None:
    from matching.accounts.views import bp as accounts_bp
    from matching.admin.views import bp as admin_bp
    from matching.audit.views import bp as audit_bp
    from matching.candidates.views import bp as candidates_bp
    from matching.cases.views import bp as cases_bp
    from matching.communes.views import bp as communes_bp
    from matching.core.views import bp as core_bp
    from matching.dashboard.views import bp as dashboard_bp
    from matching.exports.views import bp as exports_bp
    from matching.imports.views import bp as imports_bp
    from matching.introductions.views import bp as introductions_bp
    from matching.offers.views import bp as offers_bp
    from matching.organisations.views import bp as organisations_bp
    from matching.postings.views import bp as postings_bp
    from matching.reminders.views import bp as reminders_bp
    from matching.survey.views import bp as survey_bp

    for blueprint in (
        core_bp,
        accounts_bp,
        organisations_bp,
        cases_bp,
        postings_bp,
        communes_bp,
        candidates_bp,
        offers_bp,
        introductions_bp,
        survey_bp,
        dashboard_bp,
        audit_bp,
        admin_bp,
        reminders_bp,
        imports_bp,
        exports_bp,
    ):
        app.register_blueprint(blueprint)


def register_web(app: Flask) -> None:
    from matching.accounts.sessions import register_session_handling
    from matching.core.errors import register_error_handlers
    from matching.core.security import register_security_headers
    from matching.core.templating import register_template_helpers
    from matching.email import register_outbox_flush

    register_session_handling(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_template_helpers(app)
    register_outbox_flush(app)


def register_commands(app: Flask) -> None:
    from matching.accounts.cli import create_user_command
    from matching.demo.cli import demo_accounts_command, demo_data_command
    from matching.imports.cli import import_json_command
    from matching.introductions.cli import suggest_command
    from matching.reminders.cli import reminders_cli
    from matching.retention import retention_cli
    from matching.scheduler import scheduler_command

    for command in (
        create_user_command,
        demo_data_command,
        demo_accounts_command,
        import_json_command,
        suggest_command,
        reminders_cli,
        retention_cli,
        scheduler_command,
    ):
        app.cli.add_command(command)
