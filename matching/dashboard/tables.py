"""The dashboard's tables as spreadsheets: each block's figures in the columns of the
table the page shows beside its chart, built from the same ``figures`` dictionary so
a file never says something the page does not.

Counts stay numbers for officers and employers; in what is meant for funders
(``data["for_funders"]``) a count under 5 is the text "< 5", and the share of hires
still in post is left out beside it, as on the printed report. Each dashboard lists the tables it exports (``TERRITORY``, ``REPORT``,
``EMPLOYER``); ``build`` returns them in that order.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from matching import vocab
from matching.dashboard.figures import masked


@dataclass(frozen=True)
class Table:
    slug: str  # in the URL and the file name
    title: object  # lazy; also the sheet's name, so at most 31 characters
    headers: list[str]
    rows: list[list]


Builder = Callable[[dict], tuple[list[str], list[list]]]
BUILDERS: dict[str, tuple[object, Builder]] = {}


def _table(slug: str, title) -> Callable[[Builder], Builder]:
    def register(build: Builder) -> Builder:
        BUILDERS[slug] = (title, build)
        return build

    return register


def build(data: dict, slugs) -> list[Table]:
    """The tables ``slugs`` of one dashboard's ``data`` (from ``figures``)."""
    tables = []
    for slug in slugs:
        title, builder = BUILDERS[slug]
        headers, rows = builder(data)
        tables.append(Table(slug, title, headers, rows))
    return tables


def _count(data: dict, value: int):
    return masked(value, data["for_funders"])


# ---------------------------------------------------------------- key figures, alerts


@_table("chiffres-cles", _l("Chiffres clés"))
def key_figures(data):
    rows = [
        [_("Structures du territoire"), data["organisations"]["total"]],
        [
            _("Structures employant des travailleur·euses pairs"),
            data["organisations"]["with_peers"],
        ],
        [_("Accompagnements ouverts"), _count(data, data["cases"]["total"])],
        [_("Embauches"), _count(data, data["funnel"][-1]["value"])],
    ]
    return [_("Indicateur"), _("Nombre")], rows


ALERT_LABELS = {
    "overdue_steps": _l("Prochaines étapes en retard"),
    "overdue_milestones": _l("Étapes de suivi d'embauche en retard"),
    "emails_waiting": _l("E-mails en attente d'envoi"),
    "emails_failed": _l("E-mails en échec"),
}


@_table("a-surveiller", _l("À surveiller"))
def alerts(data):
    rows = [
        [str(ALERT_LABELS[key]), _count(data, value)]
        for key, value in data["alerts"].items()
    ]
    return [_("Indicateur"), _("Nombre")], rows


# ---------------------------------------------------------------- organisations


def _organisations(data, rows, vocabulary, header):
    headers = [
        header,
        _("Structures"),
        _("Avec des travailleur·euses pairs"),
        _("Sans"),
    ]
    return headers, [
        [
            vocabulary.label(row["key"]) if row["key"] else _("Non renseigné"),
            row["total"],
            row["with_peers"],
            row["without_peers"],
        ]
        for row in rows
    ]


@_table("structures-par-secteur", _l("Structures par secteur"))
def organisations_by_sector(data):
    rows = data["organisations"]["by_sector"]
    return _organisations(data, rows, vocab.SECTORS, _("Secteur"))


@_table("structures-par-departement", _l("Structures par département"))
def organisations_by_department(data):
    rows = data["organisations"]["by_department"]
    return _organisations(data, rows, vocab.DEPARTMENTS_OCCITANIE, _("Département"))


# ---------------------------------------------------------------- cases, funnel


@_table("accompagnements-par-etape", _l("Accompagnements par étape"))
def cases_by_stage(data):
    rows = [
        [item["label"], _count(data, item["value"])]
        for item in data["cases"]["by_stage"]
    ]
    return [_("Étape"), _("Accompagnements")], rows


@_table("duree-par-etape", _l("Durée moyenne par étape"))
def days_in_stage(data):
    # Whole days, as the page shows them ("26 jours").
    rows = [
        [item["label"], None if item["value"] is None else round(item["value"])]
        for item in data["cases"]["days"]
    ]
    return [_("Étape"), _("Durée moyenne (jours)")], rows


@_table("parcours", _l("Parcours"))
def funnel(data):
    rows = [[step["label"], _count(data, step["value"])] for step in data["funnel"]]
    return [_("Étape"), _("Nombre")], rows


@_table("maintien-en-poste", _l("Embauches toujours en poste"))
def retention(data):
    headers = [
        _("Après (mois)"),
        _("Embauches concernées"),
        _("Toujours en poste"),
        _("Part toujours en poste (%)"),
    ]
    rows = [
        [
            row["months"],
            _count(data, row["total"]),
            _count(data, row["still"]),
            row["percent"],
        ]
        for row in data["retention"]
    ]
    return headers, rows


# ---------------------------------------------------------------- funding


@_table("financements", _l("Financements"))
def funding(data):
    headers = [
        _("Année"),
        _("Financeur"),
        _("Demandé (€)"),
        _("Accordé (€)"),
        _("Acquis (€)"),
    ]
    rows = [
        [
            row["year"] or _("Sans période"),
            vocab.FUNDERS.label(row["funder"]),
            row["requested"],
            row["granted"],
            row["secured"],
        ]
        for row in data["funding"]
    ]
    return headers, rows


# ---------------------------------------------------------------- barriers, readiness


@_table("freins", _l("Freins"))
def barriers(data):
    headers = [
        _("Rang"),
        _("Frein"),
        _("1 – pas du tout important"),
        _("2"),
        _("3"),
        _("4 – très important"),
        _("Total"),
        _("Moyenne"),
    ]
    rows = [
        [
            rank if row["mean"] else None,
            row["label"],
            *(_count(data, count) for count in row["counts"]),
            _count(data, row["total"]),
            round(row["mean"], 1) if row["mean"] else None,
        ]
        for rank, row in enumerate(data["barrier_rows"], 1)
    ]
    return headers, rows


@_table("preparation", _l("Préparation par domaine"))
def readiness(data):
    headers = [
        _("Domaine"),
        _("Conditions réunies"),
        _("En cours"),
        _("Applicables"),
        _("Part réunie (%)"),
    ]
    rows = [
        [
            vocab.READINESS_AREAS.label(row["area"]),
            _count(data, row["done"]),
            _count(data, row["in_progress"]),
            _count(data, row["applicable"]),
            row["percent"],  # shown on the page too: items, not people
        ]
        for row in data["readiness"]
    ]
    return headers, rows


TERRITORY = (
    "a-surveiller",
    "structures-par-secteur",
    "structures-par-departement",
    "accompagnements-par-etape",
    "duree-par-etape",
    "parcours",
    "maintien-en-poste",
    "financements",
    "freins",
    "preparation",
)
REPORT = (
    "chiffres-cles",
    "parcours",
    "accompagnements-par-etape",
    "maintien-en-poste",
    "financements",
    "freins",
    "preparation",
)
EMPLOYER = (
    "a-surveiller",
    "parcours",
    "maintien-en-poste",
    "financements",
    "freins",
    "preparation",
)
