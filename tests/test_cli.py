"""Command line: create-user, demo-data, demo-accounts."""

import pytest
from sqlalchemy import func, select

from matching.accounts.models import User
from matching.extensions import db
from matching.organisations.models import Membership, Organisation


def test_create_user_makes_a_confirmed_officer(runner):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "Nouvelle@Example.org",
            "--name",
            "Nouvelle",
            "--role",
            "officer",
            "--admin",
            "--password",
            "une phrase assez longue",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert (user.email, user.role, user.is_admin) == (
        "nouvelle@example.org",
        "officer",
        True,
    )
    assert user.email_verified_at is not None


def test_create_user_refuses_a_weak_password_and_a_duplicate(runner, officer):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "x@example.org",
            "--name",
            "X",
            "--password",
            "court",
        ]
    )
    assert result.exit_code != 0
    assert "au moins 12 caractères" in result.output
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            officer.email,
            "--name",
            "X",
            "--password",
            "une phrase assez longue",
        ]
    )
    assert result.exit_code != 0
    assert "existe déjà" in result.output


def test_demo_data_is_idempotent(runner):
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    counts = (
        db.session.scalar(select(func.count(User.id))),
        db.session.scalar(select(func.count(Organisation.id))),
        db.session.scalar(select(func.count(Membership.id))),
    )
    assert counts[1] >= 20
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0
    assert counts == (
        db.session.scalar(select(func.count(User.id))),
        db.session.scalar(select(func.count(Organisation.id))),
        db.session.scalar(select(func.count(Membership.id))),
    )
    sectors = db.session.scalars(select(Organisation.sector).distinct()).all()
    assert len(sectors) >= 10


def test_demo_data_if_empty_leaves_a_used_database_alone(runner, officer):
    result = runner.invoke(args=["demo-data", "--if-empty"])
    assert result.exit_code == 0
    assert db.session.scalar(select(func.count(User.id))) == 1


@pytest.mark.app_config(ENV="production", SECRET_KEY="k" * 32)
def test_demo_data_is_refused_in_production(runner):
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code != 0
    assert "refusées en production" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


@pytest.mark.app_config(MAIL_BACKEND="log")
def test_demo_accounts_can_log_in(runner, client):
    runner.invoke(args=["demo-data"])
    output = runner.invoke(args=["demo-accounts"]).output
    assert "camille.durand@example.org" in output
    assert "/admin/emails" in output
    from matching.demo.seed import DEMO_PASSWORD

    response = client.post(
        "/connexion",
        data={"email": "camille.durand@example.org", "password": DEMO_PASSWORD},
    )
    assert response.headers["Location"] == "/equipe"
