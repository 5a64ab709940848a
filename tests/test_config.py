"""Configuration: defaults, instance/config.py, MATCHING_* variables, SECRET_KEY rule."""

import pytest
from sqlalchemy import text

from matching import create_app, database_url
from matching.extensions import db


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in ("MATCHING_ENV", "MATCHING_SECRET_KEY", "MATCHING_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MATCHING_INSTANCE_PATH", str(tmp_path))
    return tmp_path


def test_development_secret_key_is_generated_once(clean_env):
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    assert first == second
    assert len(first) >= 32
    assert (clean_env / "secret_key").read_text().strip() == first
    assert (clean_env / "secret_key").stat().st_mode & 0o077 == 0


def test_production_refuses_to_start_without_a_secret_key(clean_env, monkeypatch):
    monkeypatch.setenv("MATCHING_ENV", "production")
    with pytest.raises(RuntimeError, match="MATCHING_SECRET_KEY"):
        create_app()


def test_production_with_a_secret_key_starts_with_secure_cookies(
    clean_env, monkeypatch
):
    monkeypatch.setenv("MATCHING_ENV", "production")
    monkeypatch.setenv("MATCHING_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("MATCHING_BASE_URL", "https://passerelle.example.org")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["TRUSTED_HOSTS"] == ["passerelle.example.org"]


def test_load_order_defaults_instance_file_environment_tests(clean_env, monkeypatch):
    (clean_env / "config.py").write_text("PAGE_SIZE = 40\nIDLE_TIMEOUT_MINUTES = 15\n")
    monkeypatch.setenv("MATCHING_IDLE_TIMEOUT_MINUTES", "20")
    app = create_app({"MAIL_TIMEOUT": 3})
    assert app.config["PAGE_SIZE"] == 40  # instance file over defaults
    assert app.config["IDLE_TIMEOUT_MINUTES"] == 20  # environment over the file
    assert app.config["MAIL_TIMEOUT"] == 3  # test config last
    assert app.config["BABEL_DEFAULT_LOCALE"] == "fr"


def test_default_database_is_a_sqlite_file_in_the_instance_folder(clean_env):
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == (
        f"sqlite:///{clean_env / 'passerelle.sqlite3'}"
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@h:5432/d", "postgresql+psycopg://u:p@h:5432/d"),
        ("postgresql://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_url_selects_psycopg3(given, expected, tmp_path):
    assert database_url(given, tmp_path) == expected


def test_sqlite_connections_use_wal_and_foreign_keys(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_foreign_keys_are_enforced(app):
    from matching.organisations.models import Membership

    db.session.add(Membership(user_id=999, organisation_id=999))
    with pytest.raises(Exception, match="(?i)foreign key"):
        db.session.flush()
    db.session.rollback()


def test_factory_has_no_side_effects(clean_env):
    create_app()
    assert not (clean_env / "passerelle.sqlite3").exists()
