"""flask --app matching reminders run [--dry-run]: one pass of the reminders, for cron."""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from matching.core.timeutils import to_paris, utcnow
from matching.extensions import db
from matching.reminders.models import EmailMessage
from matching.reminders.outbox import claimable

reminders_cli = AppGroup("reminders", help="Rappels : une passe, ou ce qu'elle ferait.")


@reminders_cli.command("run")
@click.option(
    "--dry-run",
    is_flag=True,
    help="Show what is due and what would be sent; change nothing.",
)
@click.option(
    "--digest-now",
    is_flag=True,
    help="Open today's digests now, whatever each person's hour (demo, tests).",
)
def run_command(dry_run: bool, digest_now: bool):
    """Scan the rules, open the digests whose hour has come, send what is due."""
    from matching.reminders.jobs import tick
    from matching.reminders.scan import scan

    now = utcnow()
    if dry_run:
        result = scan(now, dry_run=True)
        click.echo(
            f"Dus maintenant : {result.due} ; nouveaux : {len(result.inserted)} ; "
            f"réarmés : {len(result.rearmed)} ; à annuler : {len(result.cancelled)}"
        )
        for item in result.inserted:
            click.echo(
                f"  + {item.due.key} ({item.channel}, "
                f"{to_paris(item.send_at):%d/%m/%Y %H:%M})"
            )
        for row in db.session.scalars(
            select(EmailMessage).where(*claimable(now)).order_by(EmailMessage.id)
        ):
            click.echo(f"  > {row.id} {row.kind} {row.key} -> {row.recipient_email}")
        db.session.rollback()
        return
    result = tick(now, force_digests=digest_now)
    click.echo(
        f"Rappels : {len(result.scan.inserted)} nouveaux, "
        f"{len(result.scan.cancelled)} annulés, {len(result.digests)} résumés ; "
        f"envoyés : {len(result.dispatch.sent)}, à réessayer : "
        f"{len(result.dispatch.retried)}, en échec : {len(result.dispatch.failed)}"
    )
