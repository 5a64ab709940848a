"""Check one imported record (organisation, posting, candidate) and turn it into
clean values, or into French error messages per field. The JSON command and the
spreadsheet import both use these, so a record is judged the same way everywhere.

Vocabulary values may be given as slugs or as labels, case and accents ignored.
"""

from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from flask_babel import get_locale
from flask_babel import gettext as _

from matching import vocab
from matching.candidates.consent import CONSENT_METHODS as METHOD_LABELS
from matching.communes.data import resolve_commune

TEXT_LIMIT = 8000
# Consents recorded by the team (met in person, by phone, on a paper form) are "oral";
# those given in the person's own account are "en_ligne".
CONSENT_METHODS = {
    "oral": "oral",
    "entretien": "oral",
    "telephone": "oral",
    "papier": "oral",
    "en_ligne": "en_ligne",
    "en ligne": "en_ligne",
    "online": "en_ligne",
}


def resolve(vocabulary, value) -> str | None:
    """``vocabulary.resolve``, remembered: a spreadsheet repeats the same values on
    thousands of rows (labels depend on the language, so it is part of the key)."""
    return _resolve(vocabulary, str(get_locale()), str(value))


@lru_cache(maxsize=4096)
def _resolve(vocabulary, _locale: str, value: str) -> str | None:
    return vocabulary.resolve(value)


class Record:
    """A record being checked: its values so far and its errors per field."""

    def __init__(self, raw: dict):
        self.raw = raw or {}
        self.values: dict = {}
        self.errors: dict[str, str] = {}

    def text(self, field, required=False, limit=200) -> None:
        value = self.raw.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.errors[field] = _("Ce champ est obligatoire.")
            self.values[field] = None
            return
        if not isinstance(value, str):
            value = str(value)
        value = value.strip()
        if len(value) > limit:
            self.errors[field] = _(
                "Texte trop long (%(n)s caractères au plus).", n=limit
            )
        self.values[field] = value

    def slug(self, field, vocabulary, required=False) -> None:
        value = self.raw.get(field)
        if value in (None, ""):
            if required:
                self.errors[field] = _("Ce champ est obligatoire.")
            self.values[field] = None
            return
        slug = resolve(vocabulary, value)
        if slug is None:
            self.errors[field] = _("Valeur inconnue : « %(value)s ».", value=value)
        self.values[field] = slug

    def slugs(self, field, vocabulary) -> None:
        value = self.raw.get(field) or []
        if isinstance(value, str):
            value = [
                part for part in value.replace(";", ",").split(",") if part.strip()
            ]
        resolved, unknown = [], []
        for item in value:
            slug = resolve(vocabulary, item)
            (resolved if slug else unknown).append(slug or str(item))
        if unknown:
            self.errors[field] = _(
                "Valeurs inconnues : %(values)s.", values=", ".join(unknown)
            )
        self.values[field] = list(dict.fromkeys(resolved))

    def number(self, field, low, high, required=False, integer=False) -> None:
        value = self.raw.get(field)
        if value in (None, ""):
            if required:
                self.errors[field] = _("Ce champ est obligatoire.")
            self.values[field] = None
            return
        try:
            number = Decimal(str(value).replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            self.errors[field] = _(
                "Ce n'est pas un nombre : « %(value)s ».", value=value
            )
            self.values[field] = None
            return
        if not (low <= number <= high) or (integer and number != int(number)):
            self.errors[field] = _(
                "Un nombre entre %(low)s et %(high)s.", low=low, high=high
            )
        self.values[field] = int(number) if integer else number

    def day(self, field, required=False) -> None:
        value = self.raw.get(field)
        if value in (None, ""):
            if required:
                self.errors[field] = _("Ce champ est obligatoire.")
            self.values[field] = None
            return
        if isinstance(value, date):
            self.values[field] = value
            return
        text = str(value).strip()
        for parse in (date.fromisoformat, _french_date):
            try:
                self.values[field] = parse(text)
                return
            except ValueError:
                continue
        self.errors[field] = _(
            "Date non valide : « %(value)s » (par exemple 2027-03-01).", value=value
        )
        self.values[field] = None

    def commune(self, field="commune", required=False) -> None:
        value = self.raw.get(field)
        if value in (None, ""):
            if required:
                self.errors[field] = _("Ce champ est obligatoire.")
            self.values[field] = None
            return
        commune, candidates = resolve_commune(str(value))
        if commune is None:
            if candidates:
                self.errors[field] = _(
                    "Commune ambiguë : « %(value)s » (précisez le code postal).",
                    value=value,
                )
            else:
                self.errors[field] = _(
                    "Commune introuvable : « %(value)s ».", value=value
                )
        self.values[field] = commune

    def boolean(self, field, default=False) -> None:
        value = self.raw.get(field, default)
        if isinstance(value, str):
            value = vocab.fold(value) in ("1", "oui", "vrai", "true", "yes", "x")
        self.values[field] = bool(value)


def _french_date(text: str) -> date:
    day, month, year = text.split("/")
    return date(int(year), int(month), int(day))


def check_organisation(raw: dict) -> Record:
    record = Record(raw)
    record.text("name", required=True)
    record.slug("sector", vocab.SECTORS, required=True)
    record.slug("structure_type", vocab.STRUCTURE_TYPES)
    record.slug("legal_status", vocab.LEGAL_STATUSES)
    record.commune()
    record.slug("headcount_band", vocab.HEADCOUNT_BANDS)
    record.number("peer_workers_count", 0, 1000, integer=True)
    return record


def check_posting(raw: dict) -> Record:
    record = Record(raw)
    record.slug("title", vocab.JOB_TITLES, required=True)
    record.text("custom_title")
    record.slugs("functions", vocab.FUNCTIONS)
    record.slug("sector", vocab.SECTORS, required=True)
    record.commune()
    record.slug("contract_type", vocab.CONTRACT_TYPES)
    record.number("contract_months", 1, 60, integer=True)
    record.number("fte", Decimal("0.1"), Decimal("1.0"))
    record.number("positions", 1, 50, integer=True)
    record.slug("collective_agreement", vocab.COLLECTIVE_AGREEMENTS)
    record.text("classification")
    record.text("salary")
    record.day("start_date")
    for field in (
        "context",
        "missions",
        "experience_text",
        "savoir_etre",
        "how_to_apply",
    ):
        record.text(field, limit=TEXT_LIMIT)
    record.slugs("experience_domains", vocab.EXPERIENCE_DOMAINS)
    for field in ("diploma_required", "binome", "supervision_planned"):
        record.boolean(field)
    record.slug("status", vocab.POSTING_STATUSES)
    record.values["status"] = record.values["status"] or "brouillon"
    return record


def check_candidate(raw: dict) -> Record:
    record = Record(raw)
    record.text("display_name", required=True, limit=120)
    record.text("email", limit=254)
    if record.values["email"] and "@" not in record.values["email"]:
        record.errors["email"] = _("Adresse e-mail non valide.")
    record.text("phone", limit=30)
    record.commune()
    record.number("mobility_radius_km", 0, 200, integer=True)
    record.day("available_from")
    record.number("fte_min", Decimal("0.1"), Decimal("1.0"))
    record.number("fte_max", Decimal("0.1"), Decimal("1.0"))
    low, high = record.values["fte_min"], record.values["fte_max"]
    if low is not None and high is not None and low > high:
        record.errors["fte_max"] = _(
            "Le temps de travail maximum est plus petit que le minimum."
        )
    for field, vocabulary in (
        ("contract_types", vocab.CONTRACT_TYPES),
        ("sectors", vocab.SECTORS),
        ("titles", vocab.JOB_TITLES),
        ("functions", vocab.FUNCTIONS),
        ("languages", vocab.LANGUAGES),
    ):
        record.slugs(field, vocabulary)
    record.slug("status", vocab.CANDIDATE_STATUSES)
    record.values["status"] = record.values["status"] or "actif"
    record.text("background", limit=TEXT_LIMIT)
    record.slug("background_sharing", vocab.SHARING_LEVELS)
    record.text("peer_help_experience", limit=TEXT_LIMIT)
    record.slug("peer_help_sharing", vocab.SHARING_LEVELS)
    domains = raw.get("domains") or {}
    if isinstance(domains, list):
        domains = dict.fromkeys(domains, "prive")
    clean_domains = {}
    for domain, level in domains.items():
        slug, sharing = (
            resolve(vocab.EXPERIENCE_DOMAINS, domain),
            resolve(vocab.SHARING_LEVELS, level or "prive"),
        )
        if slug is None or sharing is None:
            record.errors["domains"] = _(
                "Domaine ou partage inconnu : « %(value)s ».",
                value=f"{domain}: {level}",
            )
            continue
        clean_domains[slug] = sharing
    record.values["domains"] = clean_domains
    trainings = []
    for training in raw.get("trainings") or []:
        status = resolve(vocab.TRAINING_STATUSES, training.get("status") or "souhaitee")
        if not training.get("name") or status is None:
            record.errors["trainings"] = _("Formation incomplète ou état inconnu.")
            continue
        trainings.append({"name": str(training["name"])[:200], "status": status})
    record.values["trainings"] = trainings
    sensitive = (
        clean_domains
        or record.values["background"]
        or record.values["peer_help_experience"]
    )
    consent = raw.get("consent")
    if sensitive and not consent:
        record.errors["consent"] = _(
            "Une expérience de vie ne peut pas être enregistrée sans l'accord de la personne."
        )
    if consent:
        given = Record(consent)
        given.day("given_at", required=True)
        given.text("version", limit=20)
        given_method = str(consent.get("method") or "oral")
        # The export writes the label ("En ligne"): it reads back.
        method = CONSENT_METHODS.get(vocab.fold(given_method)) or METHOD_LABELS.resolve(
            given_method
        )
        if method is None:
            record.errors["consent"] = _(
                "Mode d'accord inconnu : « %(value)s ».", value=given_method
            )
        if given.errors:
            record.errors["consent"] = _("Date de l'accord manquante ou non valide.")
        record.values["consent"] = {
            **given.values,
            "method": method,
            "purposes": consent.get("purposes"),
        }
    else:
        record.values["consent"] = None
    return record
