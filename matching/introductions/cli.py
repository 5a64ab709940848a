"""flask --app matching suggest POSTING_ID --top K [--json]: the ranked candidates."""

import json

import click
from flask.cli import with_appcontext

from matching.extensions import db
from matching.introductions.reasons import criterion_label, describe
from matching.introductions.services import snapshot
from matching.introductions.suggestions import suggest_candidates
from matching.postings.models import JobPosting


@click.command("suggest")
@click.argument("posting_id", type=int)
@click.option(
    "--top", "top", default=10, show_default=True, type=click.IntRange(1, 1000)
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print JSON (scores and reasons)."
)
@with_appcontext
def suggest_command(posting_id: int, top: int, as_json: bool):
    """Rank the candidates for a posting, with the breakdown of each score."""
    posting = db.session.get(JobPosting, posting_id)
    if posting is None:
        raise click.ClickException(f"Aucune offre n° {posting_id}.")
    ranking, candidates = suggest_candidates(posting, k=top)
    rows = []
    for rank, match in enumerate(ranking.matches, 1):
        row = {"rank": rank, "candidate_id": match.candidate_id, **snapshot(match)}
        for name, part in row["breakdown"].items():
            part["reason"] = describe(match.breakdown[name].reason)
        row["blockers"] = [describe(b) for b in match.blockers]
        rows.append(row)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "posting_id": posting.id,
                    "eligible": ranking.eligible,
                    "feasible": ranking.feasible,
                    "candidates": rows,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for row in rows:
        click.echo(
            f"{row['rank']:>3}. candidat·e {row['candidate_id']:>6}  {row['score']:5.1f}/100"
            + ("" if row["feasible"] else "  (difficile)")
        )
        for name, part in row["breakdown"].items():
            click.echo(
                f"       {criterion_label(name):<26} {part['score'] * 100:5.0f} %  {part['reason']}"
            )
