"""flask --app matching demo-data / demo-accounts: fictional data for trying the app."""

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from matching.accounts.models import User
from matching.demo import seed
from matching.extensions import db


@click.command("demo-data")
@click.option(
    "--if-empty", is_flag=True, help="Do nothing when accounts already exist."
)
@with_appcontext
def demo_data_command(if_empty: bool):
    """Load fictional officers, employers, candidates and organisations (idempotent)."""
    if current_app.config["IS_PRODUCTION"]:
        raise click.ClickException(
            "Les données de démonstration sont refusées en production."
        )
    if if_empty and db.session.scalar(select(func.count(User.id))):
        click.echo(
            "La base contient déjà des comptes : données de démonstration inchangées."
        )
        return
    counts = seed.load_all()
    db.session.commit()
    click.echo(
        "Données de démonstration chargées : "
        + ", ".join(f"{n} {label}" for label, n in counts.items())
    )


@click.command("demo-accounts")
@with_appcontext
def demo_accounts_command():
    """Print the demo logins and where e-mails go."""
    click.echo("")
    click.echo(f"Passerelle : {current_app.config['BASE_URL']}")
    click.echo(
        f"Mot de passe de tous les comptes de démonstration : {seed.DEMO_PASSWORD}"
    )
    for email, label in seed.DEMO_LOGINS:
        click.echo(f"  {label:<38} {email}")
    if current_app.config["MAIL_BACKEND"] != "smtp":
        click.echo(
            "E-mails : non envoyés, écrits dans ce terminal et lisibles par un compte "
            f"admin sur {current_app.config['BASE_URL']}/admin/emails"
        )
    click.echo("")
