"""flask --app matching create-user: create an officer, admin or other account."""

import click
from flask.cli import with_appcontext

from matching.accounts import services
from matching.accounts.passwords import password_problem
from matching.extensions import db


@click.command("create-user")
@click.option("--email", prompt="E-mail")
@click.option("--name", "display_name", prompt="Nom affiché")
@click.option(
    "--role", type=click.Choice(["officer", "employer", "candidate"]), default="officer"
)
@click.option(
    "--admin", "is_admin", is_flag=True, help="Administrator (officers only)."
)
@click.option(
    "--password",
    prompt="Mot de passe",
    hide_input=True,
    confirmation_prompt=True,
    help="Read from a prompt when omitted.",
)
@with_appcontext
def create_user_command(email, display_name, role, is_admin, password):
    """Create an account (officers and admins are created this way or by an admin)."""
    problem = password_problem(password, [email, display_name])
    if problem:
        raise click.ClickException(str(problem))
    try:
        user = services.create_user(
            email, display_name, role, password, is_admin=is_admin, verified=True
        )
    except services.AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    kind = "admin" if user.is_admin else role
    click.echo(f"Compte {kind} créé : {user.email} (id {user.id})")
