"""Turn results into the plain lists that the macros of ``_charts.html`` draw."""

from flask_babel import format_decimal
from flask_babel import gettext as _

from matching import vocab
from matching.access import SURVEY_MIN_GROUP_SIZE
from matching.survey.questions import YES_NO_QUESTIONS
from matching.survey.results import CampaignResults, ComparedRow


def _share_text(share) -> str:
    if not share.shown:
        return _("moins de %(num)d", num=SURVEY_MIN_GROUP_SIZE)
    return _("%(percent)s %% (%(count)s)", percent=share.percent, count=share.count)


def _percent(share) -> int | None:
    return share.percent if share.shown else None


def answers_items(results: CampaignResults) -> list[dict]:
    """Share of "yes" to each question, in the diagnostic's order."""
    items = [
        {
            "label": label,
            "value": _percent(results.answers[slug]),
            "text": _share_text(results.answers[slug]),
        }
        for slug, label in YES_NO_QUESTIONS.items()
    ]
    share = results.considers_hiring
    if share.total:
        items.append(
            {
                "label": _("Sans TP en poste, envisagent d'en intégrer un·e"),
                "value": _percent(share),
                "text": _share_text(share),
            }
        )
    return items


def barrier_rows(results: CampaignResults) -> list[dict]:
    """The 1–4 distribution of each barrier, the most important (mean) first."""
    return [
        {
            "label": row.label,
            "short_label": row.short_label,
            "counts": list(row.counts),
            "total": row.total,
            "note": _("moyenne %(mean)s", mean=format_decimal(row.mean, "0.0")),
            "note_value": format_decimal(row.mean, "0.00"),
        }
        for row in results.barriers
    ]


def rating_levels() -> list[str]:
    return [str(label) for _slug, label in vocab.BARRIER_RATINGS.items()]


def needs_items(results: CampaignResults) -> list[dict]:
    return [
        {
            "label": vocab.NEEDS.label(slug),
            "value": share.count if share.shown else None,
            "text": _share_text(share),
        }
        for slug, share in results.needs
    ]


def comparison_series(rows: list[ComparedRow], before_name, after_name) -> dict:
    """The percentages of two campaigns, for a grouped bar chart."""
    kept = [row for row in rows if row.unit == "%"]
    return {
        "labels": [str(row.label) for row in kept],
        "series": [
            {"name": before_name, "values": [row.before for row in kept]},
            {"name": after_name, "values": [row.after for row in kept]},
        ],
    }
