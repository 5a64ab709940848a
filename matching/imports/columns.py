"""The columns a spreadsheet import expects, per kind of record, and how one row of
cells becomes the raw record that ``records.py`` judges.

A column is named after the checker's field (``display_name``, ``commune``…). Its
label is the header our exports write, so an exported file imports again; the mapping
step is pre-filled by comparing the file's headers with labels, field names and a few
usual synonyms, case, accents and punctuation ignored.

Lists are written "a; b, c". Vocabulary labels may hold commas ("Vie à la rue,
sans-abrisme"): a piece that is not a known value is joined with the next one.
A candidate's experience domains come from a column per domain (the cell holds the
sharing level, or "oui"/"x" for "privé") and/or one "Domaines d'expérience" column
listing "domaine : partage" pairs; trainings are listed "nom : état".
"""

import re
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from matching import vocab
from matching.imports.records import resolve
from matching.vocab import Vocabulary, fold

YES_WORDS = ("1", "oui", "vrai", "true", "yes", "x")


@dataclass(frozen=True)
class Column:
    name: str
    label: object
    required: bool = False
    vocabulary: Vocabulary | None = None
    is_list: bool = False
    aliases: tuple[str, ...] = ()
    sensitive: bool = False


class DomainLabel:
    """The header of one experience domain's column, translated when shown."""

    def __init__(self, slug: str):
        self.slug = slug

    def __str__(self) -> str:
        return _(
            "Expérience : %(domain)s",
            domain=vocab.EXPERIENCE_DOMAINS.short_label(self.slug),
        )


def _list(name, label, vocabulary, **kwargs) -> Column:
    return Column(name, label, vocabulary=vocabulary, is_list=True, **kwargs)


ORGANISATION_COLUMNS = (
    Column(
        "name",
        _l("Nom de la structure"),
        required=True,
        aliases=("nom", "structure", "raison sociale", "organisation"),
    ),
    Column("sector", _l("Secteur"), required=True, vocabulary=vocab.SECTORS),
    Column(
        "structure_type",
        _l("Type de structure"),
        vocabulary=vocab.STRUCTURE_TYPES,
        aliases=("type",),
    ),
    Column(
        "legal_status",
        _l("Statut juridique"),
        vocabulary=vocab.LEGAL_STATUSES,
        aliases=("forme juridique",),
    ),
    Column("commune", _l("Commune"), aliases=("ville", "code postal", "code insee")),
    Column(
        "headcount_band",
        _l("Effectif"),
        vocabulary=vocab.HEADCOUNT_BANDS,
        aliases=("salaries", "tranche d'effectif"),
    ),
    Column(
        "peer_workers_count",
        _l("Travailleur·euses pairs en poste"),
        aliases=("nombre de travailleurs pairs", "pairs en poste"),
    ),
)

POSTING_COLUMNS = (
    Column(
        "organisation",
        _l("Structure"),
        required=True,
        aliases=("nom de la structure", "employeur", "organisation"),
    ),
    Column(
        "title",
        _l("Intitulé"),
        required=True,
        vocabulary=vocab.JOB_TITLES,
        aliases=("poste", "intitule du poste"),
    ),
    Column("custom_title", _l("Intitulé utilisé par la structure")),
    _list("functions", _l("Fonctions"), vocab.FUNCTIONS),
    Column("sector", _l("Secteur"), required=True, vocabulary=vocab.SECTORS),
    Column("commune", _l("Commune"), aliases=("ville", "lieu", "code postal")),
    Column(
        "contract_type",
        _l("Type de contrat"),
        vocabulary=vocab.CONTRACT_TYPES,
        aliases=("contrat",),
    ),
    Column("contract_months", _l("Durée du contrat (mois)"), aliases=("duree",)),
    Column("fte", _l("Temps de travail (ETP)"), aliases=("etp", "quotite")),
    Column("positions", _l("Nombre de postes"), aliases=("postes",)),
    Column(
        "collective_agreement",
        _l("Convention collective"),
        vocabulary=vocab.COLLECTIVE_AGREEMENTS,
    ),
    Column("classification", _l("Classification")),
    Column("salary", _l("Rémunération"), aliases=("salaire",)),
    Column("start_date", _l("Date de prise de poste"), aliases=("date de debut",)),
    Column("context", _l("La structure et l'équipe"), aliases=("contexte",)),
    Column("missions", _l("Missions")),
    _list(
        "experience_domains",
        _l("Expériences de vie recherchées"),
        vocab.EXPERIENCE_DOMAINS,
    ),
    Column("experience_text", _l("Savoir expérientiel recherché")),
    Column("savoir_etre", _l("Savoir-être recherché"), aliases=("savoir etre",)),
    Column("how_to_apply", _l("Comment candidater")),
    Column("diploma_required", _l("Diplôme exigé")),
    Column("binome", _l("Travail en binôme")),
    Column("supervision_planned", _l("Supervision prévue")),
    Column("status", _l("État"), vocabulary=vocab.POSTING_STATUSES),
)

CANDIDATE_COLUMNS = (
    Column(
        "display_name",
        _l("Nom"),
        required=True,
        aliases=("nom et prenom", "prenom nom", "nom complet", "personne"),
    ),
    Column("email", _l("E-mail"), aliases=("courriel", "adresse e-mail", "mail")),
    Column("phone", _l("Téléphone"), aliases=("tel", "portable", "mobile")),
    Column("commune", _l("Commune"), aliases=("ville", "code postal")),
    Column(
        "mobility_radius_km",
        _l("Rayon de mobilité (km)"),
        aliases=("rayon", "mobilite"),
    ),
    Column("available_from", _l("Disponible à partir du"), aliases=("disponible le",)),
    Column("fte_min", _l("Temps de travail minimum (ETP)"), aliases=("etp min",)),
    Column("fte_max", _l("Temps de travail maximum (ETP)"), aliases=("etp max",)),
    _list("contract_types", _l("Contrats acceptés"), vocab.CONTRACT_TYPES),
    _list("sectors", _l("Secteurs souhaités"), vocab.SECTORS),
    _list("titles", _l("Postes souhaités"), vocab.JOB_TITLES),
    _list("functions", _l("Fonctions souhaitées"), vocab.FUNCTIONS),
    _list("languages", _l("Langues"), vocab.LANGUAGES),
    Column("status", _l("Statut"), vocabulary=vocab.CANDIDATE_STATUSES),
    Column("trainings", _l("Formations (nom : état)"), aliases=("formations",)),
    Column(
        "domains",
        _l("Domaines d'expérience (domaine : partage)"),
        aliases=("domaines d'experience", "domaines"),
        sensitive=True,
    ),
    *(
        Column(f"domain:{slug}", DomainLabel(slug), sensitive=True)
        for slug in vocab.EXPERIENCE_DOMAINS
    ),
    Column(
        "background",
        _l("Parcours (texte de la personne)"),
        aliases=("parcours",),
        sensitive=True,
    ),
    Column(
        "background_sharing",
        _l("Partage du parcours"),
        vocabulary=vocab.SHARING_LEVELS,
        sensitive=True,
    ),
    Column(
        "peer_help_experience",
        _l("Entraide bénévole (texte de la personne)"),
        aliases=("entraide", "pair aidance benevole"),
        sensitive=True,
    ),
    Column(
        "peer_help_sharing",
        _l("Partage de l'entraide"),
        vocabulary=vocab.SHARING_LEVELS,
        sensitive=True,
    ),
    Column(
        "consent_given_at",
        _l("Date de l'accord"),
        aliases=("accord le", "date du consentement", "consentement"),
        sensitive=True,
    ),
    Column(
        "consent_method",
        _l("Mode de l'accord"),
        aliases=("mode du consentement",),
        sensitive=True,
    ),
    Column("consent_version", _l("Version de la notice"), sensitive=True),
)

COLUMNS = {
    "organisations": ORGANISATION_COLUMNS,
    "postings": POSTING_COLUMNS,
    "candidates": CANDIDATE_COLUMNS,
}
KIND_LABELS = {
    "organisations": _l("Structures"),
    "candidates": _l("Candidat·es"),
    "postings": _l("Fiches de poste"),
}


def columns_for(kind: str) -> tuple[Column, ...]:
    return COLUMNS[kind]


def column_label(kind: str, name: str) -> str:
    for column in COLUMNS[kind]:
        if column.name == name:
            return str(column.label)
    return name


# ---------------------------------------------------------------- the mapping step


def header_key(text: str) -> str:
    """ "Rayon de mobilité (km)" -> "rayondemobilitekm"."""
    return re.sub(r"[^0-9a-z]", "", fold(str(text)))


def _names_of(column: Column) -> set[str]:
    names = {column.name, str(column.label), *column.aliases}
    with force_locale("fr"):
        names.add(str(column.label))
    if column.name.startswith("domain:"):
        slug = column.name.split(":", 1)[1]
        names |= {slug, vocab.EXPERIENCE_DOMAINS.label(slug)}
    return {header_key(name) for name in names} - {""}


def guess_mapping(kind: str, headers: list[str]) -> dict[str, int]:
    """Field -> column index, for every header that names a field (first one wins);
    a column serves one field at most."""
    keys = [header_key(header) for header in headers]
    mapping: dict[str, int] = {}
    taken: set[int] = set()
    for column in COLUMNS[kind]:
        names = _names_of(column)
        for index, key in enumerate(keys):
            if index not in taken and key in names:
                mapping[column.name] = index
                taken.add(index)
                break
    return mapping


# ---------------------------------------------------------------- cells to a record


def split_list(text, accepts) -> list[str]:
    """Split "a; b, c" into items; pieces that ``accepts`` refuses are joined with the
    next ones while the join is accepted (labels may hold commas)."""
    if not isinstance(text, str):
        text = str(text or "")
    items = []
    for part in re.split(r"[;\n]", text):
        pieces = [piece.strip() for piece in part.split(",")]
        start = 0
        while start < len(pieces):
            end = next(
                (
                    stop
                    for stop in range(len(pieces), start, -1)
                    if accepts(", ".join(pieces[start:stop]))
                ),
                start + 1,
            )
            items.append(", ".join(pieces[start:end]))
            start = end
    return [item for item in items if item]


def _vocabulary_item(vocabulary: Vocabulary):
    return lambda text: resolve(vocabulary, text) is not None


def _pair_item(text: str) -> bool:
    domain, _sep, level = text.partition(":")
    return resolve(vocab.EXPERIENCE_DOMAINS, domain) is not None and (
        not level.strip() or resolve(vocab.SHARING_LEVELS, level) is not None
    )


def _training_item(text: str) -> bool:
    _name, sep, status = text.rpartition(":")
    return bool(sep) and resolve(vocab.TRAINING_STATUSES, status) is not None


@dataclass
class RawRow:
    """The raw record for the checker, and which header each field came from."""

    values: dict
    sources: dict[str, list[str]]


def build_raw(kind: str, cells: list, mapping: dict[str, int], headers) -> RawRow:
    """Turn one row of cells into the raw record ``records.py`` checks."""
    raw: dict = {}
    sources: dict[str, list[str]] = {}
    for column in COLUMNS[kind]:
        index = mapping.get(column.name)
        if index is None or index >= len(cells):
            continue
        value = cells[index]
        if value in ("", None):
            continue
        header = headers[index]
        if column.name.startswith("domain:"):
            slug = column.name.split(":", 1)[1]
            level = "prive" if fold(str(value)) in YES_WORDS else value
            raw.setdefault("domains", {})[slug] = level
            sources.setdefault("domains", []).append(header)
            continue
        if column.is_list:
            value = split_list(value, _vocabulary_item(column.vocabulary))
        elif column.name == "domains":
            for item in split_list(value, _pair_item):
                domain, _sep, level = item.partition(":")
                raw.setdefault("domains", {})[domain.strip()] = level.strip() or "prive"
            sources.setdefault("domains", []).append(header)
            continue
        elif column.name == "trainings":
            value = [_training(item) for item in split_list(value, _training_item)]
        elif column.name.startswith("consent_"):
            field = column.name.removeprefix("consent_")
            raw.setdefault("consent", {})[field] = value
            sources.setdefault("consent", []).append(header)
            continue
        raw[column.name] = value
        sources[column.name] = [header]
    return RawRow(raw, sources)


def _training(item: str) -> dict:
    name, sep, status = item.rpartition(":")
    if not sep:
        return {"name": item.strip(), "status": "souhaitee"}
    return {"name": name.strip(), "status": status.strip()}
