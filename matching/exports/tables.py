"""The tables Passerelle exports: for each, its column titles and its rows, read
lazily from a query the caller already scoped with ``access.py``.

Organisations, postings and candidates use the import's column titles and write
values the import reads back (vocabulary labels, lists joined with "; ", communes as
"Toulouse (31000)"), so an exported file can be corrected and imported again.
"""

from collections.abc import Iterator

from flask_babel import gettext as _

from matching import vocab
from matching.access import SURVEY_MIN_GROUP_SIZE
from matching.candidates.consent import CONSENT_METHODS
from matching.communes.data import communes
from matching.extensions import db
from matching.imports.columns import (
    CANDIDATE_COLUMNS,
    ORGANISATION_COLUMNS,
    POSTING_COLUMNS,
)
from matching.survey.questions import FIELD_SECTORS, FIELDS, YES_NO_QUESTIONS

YIELD_PER = 500


def stream(query) -> Iterator:
    """The query's records, fetched in batches (a large table never sits in memory)."""
    yield from db.session.scalars(query.execution_options(yield_per=YIELD_PER))


def labels(vocabulary, slugs) -> list[str]:
    return [vocabulary.label(slug) for slug in slugs or []]


def commune_label(insee: str | None, name: str | None) -> str | None:
    commune = communes().get(insee or "")
    return commune.label if commune else name


def yes_no(value) -> str | None:
    if value is None:
        return None
    return _("oui") if value else _("non")


def _titles(columns, names) -> list[str]:
    by_name = {column.name: column for column in columns}
    return [str(by_name[name].label) for name in names]


# ---------------------------------------------------------------- organisations

ORGANISATION_FIELDS = (
    "name",
    "sector",
    "structure_type",
    "legal_status",
    "commune",
    "headcount_band",
    "peer_workers_count",
)


def organisation_table(query):
    headers = [
        _("Référence"),
        *_titles(ORGANISATION_COLUMNS, ORGANISATION_FIELDS),
        _("Département"),
    ]

    def rows():
        for o in stream(query):
            yield [
                f"S-{o.id:05d}",
                o.name,
                vocab.SECTORS.label(o.sector),
                vocab.STRUCTURE_TYPES.label(o.structure_type),
                vocab.LEGAL_STATUSES.label(o.legal_status),
                commune_label(o.commune_insee, o.commune),
                vocab.HEADCOUNT_BANDS.label(o.headcount_band),
                o.peer_workers_count,
                o.department,
            ]

    return headers, rows()


# ---------------------------------------------------------------- support cases


def case_table(query):
    headers = [
        _("Référence"),
        _("Structure"),
        _("Projet"),
        _("Étape"),
        _("Raison de l'arrêt ou de la pause"),
        _("Chargé·e de mission"),
        _("Prochaine étape"),
        _("Échéance"),
        _("Séances prévues"),
        _("Séances faites"),
        _("Besoins"),
        _("Ouvert le"),
        _("Clos le"),
        _("Dernière activité"),
    ]

    def rows():
        for case in stream(query):
            yield [
                f"A-{case.id:05d}",
                case.organisation.name,
                case.title,
                vocab.CASE_STAGES.label(case.stage),
                vocab.STOP_REASONS.label(case.stop_reason),
                case.officer.display_name if case.officer else None,
                case.next_step,
                case.next_step_due,
                case.sessions_planned,
                case.sessions_done,
                labels(vocab.NEEDS, case.needs),
                case.opened_on,
                case.closed_on,
                case.last_activity_at,
            ]

    return headers, rows()


def funding_table(query):
    headers = [
        _("Accompagnement"),
        _("Structure"),
        _("Projet"),
        _("Financeur"),
        _("Dispositif"),
        _("Montant demandé"),
        _("Montant accordé"),
        _("État"),
        _("Début de la période"),
        _("Fin de la période"),
        _("Date limite de dépôt"),
        _("Décision attendue le"),
        _("Convention le"),
        _("Bilan à rendre le"),
        _("Notes"),
    ]

    def rows():
        for line in stream(query):
            case = line.case
            yield [
                f"A-{case.id:05d}",
                case.organisation.name,
                case.title,
                vocab.FUNDERS.label(line.funder),
                line.instrument,
                line.amount_requested,
                line.amount_granted,
                vocab.FUNDING_STATUSES.label(line.status),
                line.period_start,
                line.period_end,
                line.filing_deadline,
                line.expected_decision_on,
                line.agreement_on,
                line.report_due_on,
                line.notes,
            ]

    return headers, rows()


# ---------------------------------------------------------------- postings

POSTING_FIELDS = (
    "organisation",
    "title",
    "custom_title",
    "functions",
    "sector",
    "commune",
    "contract_type",
    "contract_months",
    "fte",
    "positions",
    "collective_agreement",
    "classification",
    "salary",
    "start_date",
    "context",
    "missions",
    "experience_domains",
    "experience_text",
    "savoir_etre",
    "how_to_apply",
    "diploma_required",
    "binome",
    "supervision_planned",
    "status",
)


def posting_table(query):
    headers = [
        _("Référence"),
        *_titles(POSTING_COLUMNS, POSTING_FIELDS),
        _("Publiée le"),
    ]

    def rows():
        for p in stream(query):
            yield [
                f"P-{p.id:05d}",
                p.organisation.name,
                vocab.JOB_TITLES.label(p.title),
                p.custom_title,
                labels(vocab.FUNCTIONS, p.functions),
                vocab.SECTORS.label(p.sector),
                commune_label(p.commune_insee, p.commune),
                vocab.CONTRACT_TYPES.label(p.contract_type),
                p.contract_months,
                p.fte,
                p.positions,
                vocab.COLLECTIVE_AGREEMENTS.label(p.collective_agreement),
                p.classification,
                p.salary,
                p.start_date,
                p.context,
                p.missions,
                labels(vocab.EXPERIENCE_DOMAINS, p.experience_domains),
                p.experience_text,
                p.savoir_etre,
                p.how_to_apply,
                yes_no(p.diploma_required),
                yes_no(p.binome),
                yes_no(p.supervision_planned),
                vocab.POSTING_STATUSES.label(p.status),
                p.published_at,
            ]

    return headers, rows()


# ---------------------------------------------------------------- introductions


def introduction_table(query, for_officer: bool):
    """Officers see the score and the origin; an employer sees the people passed on
    to them, by name only (never their experience)."""
    headers = [
        _("Référence"),
        _("Personne"),
        _("Offre"),
        _("Structure"),
        _("État"),
        _("Depuis le"),
        _("Transmise le"),
        _("Entretien le"),
        _("Décision le"),
    ]
    if for_officer:
        headers += [_("Origine"), _("Score"), _("Proposée le"), _("Réponse le")]

    def rows():
        for intro in stream(query):
            posting = intro.posting
            row = [
                f"M-{intro.id:05d}",
                intro.candidate.display_name,
                posting.custom_title or vocab.JOB_TITLES.label(posting.title),
                posting.organisation.name,
                vocab.INTRODUCTION_STATUSES.label(intro.status),
                intro.status_changed_at,
                intro.transmitted_at,
                intro.interview_on,
                intro.decided_at,
            ]
            if for_officer:
                row += [
                    _("Intérêt de la personne")
                    if intro.origin == "interet"
                    else _("Proposée par l'équipe"),
                    round(intro.score) if intro.score is not None else None,
                    intro.proposed_at,
                    intro.answered_at,
                ]
            yield row

    return headers, rows()


# ---------------------------------------------------------------- candidates

CANDIDATE_FIELDS = (
    "display_name",
    "email",
    "phone",
    "commune",
    "mobility_radius_km",
    "available_from",
    "fte_min",
    "fte_max",
    "contract_types",
    "sectors",
    "titles",
    "functions",
    "languages",
    "status",
    "trainings",
)
# Lived experience and the consent that allows storing it: only on explicit request.
SENSITIVE_FIELDS = (
    *(f"domain:{slug}" for slug in vocab.EXPERIENCE_DOMAINS),
    "background",
    "background_sharing",
    "peer_help_experience",
    "peer_help_sharing",
    "consent_given_at",
    "consent_method",
    "consent_version",
)


def candidate_table(query, sensitive: bool):
    headers = [
        _("Référence"),
        *_titles(CANDIDATE_COLUMNS, CANDIDATE_FIELDS),
        _("Dernière confirmation"),
    ]
    if sensitive:
        headers += _titles(CANDIDATE_COLUMNS, SENSITIVE_FIELDS)

    def rows():
        for c in stream(query):
            row = [
                f"C-{c.id:05d}",
                c.display_name,
                c.email,
                c.phone,
                commune_label(c.commune_insee, c.commune),
                c.mobility_radius_km,
                c.available_from,
                c.fte_min,
                c.fte_max,
                labels(vocab.CONTRACT_TYPES, c.contract_types),
                labels(vocab.SECTORS, c.sectors),
                labels(vocab.JOB_TITLES, c.titles),
                labels(vocab.FUNCTIONS, c.functions),
                labels(vocab.LANGUAGES, c.languages),
                vocab.CANDIDATE_STATUSES.label(c.status),
                [
                    f"{t.name} : {vocab.TRAINING_STATUSES.label(t.status)}"
                    for t in c.trainings
                ],
                c.last_confirmed_at,
            ]
            if sensitive:
                row += _sensitive_cells(c)
            yield row

    return headers, rows()


def _sensitive_cells(candidate) -> list:
    shared = {d.domain: d.sharing for d in candidate.domains}
    consent = candidate.active_consent
    return [
        *(
            vocab.SHARING_LEVELS.label(shared[slug]) if slug in shared else None
            for slug in vocab.EXPERIENCE_DOMAINS
        ),
        candidate.background_text,
        vocab.SHARING_LEVELS.label(candidate.background_sharing)
        if candidate.background_text
        else None,
        candidate.peer_help_text,
        vocab.SHARING_LEVELS.label(candidate.peer_help_sharing)
        if candidate.peer_help_text
        else None,
        (consent.given_on or consent.given_at.date()) if consent else None,
        CONSENT_METHODS.label(consent.method) if consent else None,
        consent.version if consent else None,
    ]


# ---------------------------------------------------------------- survey answers


def survey_table(responses, with_texts: bool):
    """One row per response, without the organisation nor any date; rows are sorted
    by their answers and a field of activity with fewer than the minimum number of
    answers is left blank, so no row points at a respondent."""
    headers = [
        _("Champ d'activité"),
        *(str(label) for _slug, label in YES_NO_QUESTIONS.items()),
        _("Envisagent d'intégrer un·e TP"),
        *(vocab.BARRIERS.short_label(slug) for slug in vocab.BARRIERS),
        _("Besoins"),
    ]
    if with_texts:
        headers.append(_("Ce que le travail pair apporte (texte libre)"))
    fields = [_field_of(response.sector) for response in responses]
    sizes = {field: fields.count(field) for field in fields}
    rows = []
    for response, field in zip(responses, fields, strict=True):
        ratings = {r.barrier: r.rating for r in response.barrier_ratings}
        row = [
            FIELDS.label(field) if sizes[field] >= SURVEY_MIN_GROUP_SIZE else None,
            *(yes_no(getattr(response, slug)) for slug in YES_NO_QUESTIONS),
            yes_no(response.considers_hiring),
            *(ratings.get(slug) for slug in vocab.BARRIERS),
            labels(vocab.NEEDS, response.needs),
        ]
        if with_texts:
            row.append(response.contributions_text)
        rows.append(row)
    rows.sort(key=lambda row: [str(cell) for cell in row])
    return headers, rows


def _field_of(sector: str) -> str:
    return next(
        (field for field, sectors in FIELD_SECTORS.items() if sector in sectors),
        "autre",
    )
