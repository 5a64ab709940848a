"""Shape the dashboard's figures for the pages: labels, chart items, masked counts."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from matching import vocab
from matching.dashboard import queries
from matching.dashboard.queries import Filters

SMALL_COUNT = 5  # in what funders read, a count under 5 could point at someone

FUNNEL_LABELS = {
    "met": _l("Candidat·es rencontré·es"),
    "complete": _l("Profils complets"),
    "published": _l("Offres publiées"),
    "proposed": _l("Mises en relation proposées"),
    "accepted": _l("Acceptées par les candidat·es"),
    "interviews": _l("Entretiens"),
    "hires": _l("Embauches"),
}


def is_masked(count: int | None, for_funders: bool) -> bool:
    return for_funders and count is not None and 0 < count < SMALL_COUNT


def masked(count: int, for_funders: bool):
    """ "< 5" instead of a small count, in what is meant for funders."""
    if is_masked(count, for_funders):
        return _("< 5")
    return count


def _retention_rows(rows: list[dict], for_funders: bool) -> list[dict]:
    """Hires still in post, with their share; no share beside a masked count (with
    "< 5" hires, "0 %" would tell who left)."""
    return [
        {
            **row,
            "total_text": str(masked(row["total"], for_funders)),
            "still_text": str(masked(row["still"], for_funders)),
            "percent": int(100 * row["still"] / row["total"] + 0.5)
            if row["total"]
            and not is_masked(row["total"], for_funders)
            and not is_masked(row["still"], for_funders)
            else None,
        }
        for row in rows
    ]


def _barrier_rows(rows: list[dict], for_funders: bool, note) -> list[dict]:
    return [
        {
            "barrier": row["barrier"],
            "label": vocab.BARRIERS.label(row["barrier"]),
            "short_label": vocab.BARRIERS.short_label(row["barrier"]),
            "counts": row["counts"],
            "count_texts": [str(masked(n, for_funders)) for n in row["counts"]],
            "total": row["total"],
            "total_text": str(masked(row["total"], for_funders)),
            "mean": row["mean"],
            "note": note(row["mean"]) if row["mean"] else "–",
        }
        for row in rows
    ]


def _readiness_rows(rows: list[dict], for_funders: bool) -> list[dict]:
    return [
        {
            **row,
            **{
                f"{key}_text": str(masked(row[key], for_funders))
                for key in ("done", "in_progress", "applicable")
            },
        }
        for row in rows
    ]


def _decimal_comma(mean: float) -> str:
    return f"{mean:.1f}".replace(".", ",")


def _items(counts: dict[str, int], vocabulary, for_funders=False) -> list[dict]:
    return [
        {
            "label": vocabulary.short_label(key) if key else _("Non renseigné"),
            "value": value,
            "text": str(masked(value, for_funders)),
        }
        for key, value in counts.items()
    ]


def territory(filters: Filters, for_funders: bool = False) -> dict:
    by_sector = queries.organisations_by("sector", filters)
    by_department = queries.organisations_by("department", filters)
    stages = queries.cases_by_stage(filters)
    stage_days = queries.days_in_stage(filters)
    funnel = queries.funnel(filters)
    barriers = queries.barriers(filters)
    return {
        "filters": filters,
        "for_funders": for_funders,
        "organisations": {
            "total": sum(row["total"] for row in by_sector),
            "with_peers": sum(row["with_peers"] for row in by_sector),
            "by_sector": by_sector,
            "by_department": by_department,
            "sector_series": [
                {
                    "name": _("Avec des travailleur·euses pairs"),
                    "values": [r["with_peers"] for r in by_sector],
                },
                {"name": _("Sans"), "values": [r["without_peers"] for r in by_sector]},
            ],
            "sector_labels": [vocab.SECTORS.short_label(r["key"]) for r in by_sector],
        },
        "cases": {
            "total": sum(stages.values()),
            "total_text": str(masked(sum(stages.values()), for_funders)),
            "by_stage": [
                {
                    "label": vocab.CASE_STAGES.label(stage),
                    "value": stages.get(stage, 0),
                    "text": str(masked(stages.get(stage, 0), for_funders)),
                }
                for stage in vocab.CASE_STAGES
            ],
            "days": [
                {
                    "label": vocab.CASE_STAGES.label(stage),
                    "value": stage_days.get(stage),
                    "text": _("%(days)s jours", days=round(stage_days[stage]))
                    if stage in stage_days
                    else "–",
                }
                for stage in vocab.CASE_STAGES
                if stage not in ("cloture", "abandonne")
            ],
        },
        "funnel": [
            {
                "key": key,
                "label": str(label),
                "value": funnel[key],
                "text": str(masked(funnel[key], for_funders)),
            }
            for key, label in FUNNEL_LABELS.items()
        ],
        "retention": _retention_rows(queries.retention(filters), for_funders),
        "funding": queries.funding_by_funder_and_year(filters),
        "barriers": barriers,
        "barrier_rows": _barrier_rows(
            barriers,
            for_funders,
            lambda mean: _("moyenne %(mean)s", mean=_decimal_comma(mean)),
        ),
        "readiness": _readiness_rows(queries.readiness_by_area(filters), for_funders),
        "alerts": queries.alerts(filters),
    }


def organisation(filters: Filters) -> dict:
    """An employer's own figures (their organisation only)."""
    stages = queries.cases_by_stage(filters)
    barriers = queries.barriers(filters)
    funnel = queries.funnel(filters)
    return {
        "for_funders": False,
        "stages": {stage: count for stage, count in stages.items() if count},
        "funnel": [
            {
                "key": key,
                "label": str(label),
                "value": funnel[key],
                "text": str(funnel[key]),
            }
            for key, label in FUNNEL_LABELS.items()
            if key not in ("met", "complete")
        ],
        "retention": _retention_rows(queries.retention(filters), False),
        "funding": queries.funding_by_funder_and_year(filters),
        "barrier_rows": _barrier_rows(
            [row for row in barriers if row["total"]], False, _decimal_comma
        ),
        "readiness": _readiness_rows(queries.readiness_by_area(filters), False),
        "alerts": queries.alerts(filters),
    }
