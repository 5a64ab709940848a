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


def masked(count: int, for_funders: bool):
    """ "< 5" instead of a small count, in what is meant for funders."""
    if for_funders and 0 < count < SMALL_COUNT:
        return _("< 5")
    return count


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
        "retention": queries.retention(filters),
        "funding": queries.funding_by_funder_and_year(filters),
        "barriers": barriers,
        "barrier_rows": [
            {
                "label": vocab.BARRIERS.label(row["barrier"]),
                "short_label": vocab.BARRIERS.short_label(row["barrier"]),
                "counts": row["counts"],
                "total": row["total"],
                "note": _(
                    "moyenne %(mean)s", mean=f"{row['mean']:.1f}".replace(".", ",")
                )
                if row["mean"]
                else "–",
            }
            for row in barriers
        ],
        "readiness": queries.readiness_by_area(filters),
        "alerts": queries.alerts(filters),
    }


def organisation(filters: Filters) -> dict:
    """An employer's own figures (their organisation only)."""
    stages = queries.cases_by_stage(filters)
    barriers = queries.barriers(filters)
    funnel = queries.funnel(filters)
    return {
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
        "retention": queries.retention(filters),
        "funding": queries.funding_by_funder_and_year(filters),
        "barrier_rows": [
            {
                "label": vocab.BARRIERS.label(row["barrier"]),
                "short_label": vocab.BARRIERS.short_label(row["barrier"]),
                "counts": row["counts"],
                "total": row["total"],
                "note": f"{row['mean']:.1f}".replace(".", ",") if row["mean"] else "–",
            }
            for row in barriers
            if row["total"]
        ],
        "readiness": queries.readiness_by_area(filters),
        "alerts": queries.alerts(filters),
    }
