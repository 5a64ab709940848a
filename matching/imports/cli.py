"""flask --app matching import-json FILE: bulk load, all or nothing."""

import json

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from matching.accounts.models import User
from matching.extensions import db
from matching.imports.json_import import ImportRefused, import_data


@click.command("import-json")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--by", "officer_email", help="E-mail of the officer recording the import."
)
@with_appcontext
def import_json_command(path: str, officer_email: str | None):
    """Load organisations, postings and candidates from a JSON file."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"Fichier illisible : {error}") from error
    officer = None
    if officer_email:
        officer = db.session.scalar(
            select(User).where(
                User.email == officer_email.lower(), User.role == "officer"
            )
        )
        if officer is None:
            raise click.ClickException(
                f"Aucun compte chargé·e de mission : {officer_email}"
            )
    try:
        result = import_data(data, officer)
    except ImportRefused as refused:
        db.session.rollback()
        click.echo(
            f"Import refusé : {len(refused.errors)} problème(s), rien n'a été enregistré.",
            err=True,
        )
        for error in refused.errors:
            click.echo(f"  - {error}", err=True)
        raise SystemExit(1) from None
    db.session.commit()
    click.echo(
        f"Import réussi : {result.organisations} structure(s) créée(s), "
        f"{result.existing_organisations} déjà connue(s), {result.postings} offre(s), "
        f"{result.candidates} candidat·e(s)."
    )
