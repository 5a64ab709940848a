"""Migrations: an empty database upgrades to head and then matches the models."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from matching import ROOT, create_app
from matching.extensions import db
from tests.conftest import BASE_CONFIG, TEST_DATABASE_URL

MIGRATIONS = str(ROOT / "migrations")


@pytest.fixture
def empty_database(tmp_path):
    """An empty database: a new SQLite file, or a new PostgreSQL schema."""
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    engine = create_engine(TEST_DATABASE_URL)
    schema = f"migrations_{os.getpid()}"
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in TEST_DATABASE_URL else "?"
    yield f"{TEST_DATABASE_URL}{separator}options=-csearch_path%3D{schema}"
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    engine.dispose()


# SQLite cannot reflect the lower(email) index; Alembic then leaves it out of the
# comparison (PostgreSQL compares it).
@pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index"
)
@pytest.mark.filterwarnings(
    "ignore:autogenerate skipping metadata-specified expression"
)
def test_upgrade_to_head_matches_the_models_then_downgrades(empty_database):
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True}
            )
            differences = compare_metadata(context, db.metadata)
        assert differences == [], differences
        downgrade(directory=MIGRATIONS, revision="base")
        tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        db.engine.dispose()
