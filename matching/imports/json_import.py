"""Bulk load organisations, postings and candidates from a JSON file.

The whole file is checked before anything is written; one bad record and nothing is
saved, and every problem is listed in French (record, field, what is wrong). Format:
see README ("Importing data") and tests/scoring/data/eval_set.json.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from matching.accounts.models import User
from matching.candidates import services as candidates
from matching.candidates.models import Training
from matching.extensions import db
from matching.imports.records import check_candidate, check_organisation, check_posting
from matching.organisations.models import Organisation
from matching.postings import services as postings
from matching.postings.models import JobPosting
from matching.vocab import fold

FORMAT = "passerelle-import/1"


class ImportRefused(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ImportResult:
    organisations: int = 0
    existing_organisations: int = 0
    postings: int = 0
    candidates: int = 0
    refs: dict = field(default_factory=dict)


def _where(kind: str, index: int, raw: dict) -> str:
    ref = raw.get("ref") if isinstance(raw, dict) else None
    return f"{kind}[{index}]" + (f" ({ref})" if ref else "")


def check(data) -> tuple[dict, list[str]]:
    """Check the whole file; return the checked records and every error found."""
    errors: list[str] = []
    if not isinstance(data, dict):
        return {}, [_("Le fichier doit contenir un objet JSON.")]
    if data.get("format", FORMAT) != FORMAT:
        errors.append(
            _(
                "Format inconnu : « %(value)s » (attendu %(format)s).",
                value=data.get("format"),
                format=FORMAT,
            )
        )
    checked: dict[str, list] = {}
    refs: set[str] = set()
    for kind, checker in (
        ("organisations", check_organisation),
        ("postings", check_posting),
        ("candidates", check_candidate),
    ):
        rows = data.get(kind) or []
        if not isinstance(rows, list):
            errors.append(_("« %(kind)s » doit être une liste.", kind=kind))
            continue
        checked[kind] = []
        for index, raw in enumerate(rows):
            where = _where(kind, index, raw)
            if not isinstance(raw, dict):
                errors.append(_("%(where)s : ce n'est pas un objet.", where=where))
                continue
            record = checker(raw)
            ref = raw.get("ref")
            if ref in refs:
                record.errors["ref"] = _("Référence en double : « %(ref)s ».", ref=ref)
            refs.add(ref)
            for name, message in record.errors.items():
                errors.append(f"{where} – {name} : {message}")
            checked[kind].append(record)
    org_refs = {r.raw.get("ref") for r in checked.get("organisations", [])}
    existing = set(db.session.scalars(select(Organisation.name_search)))
    for index, record in enumerate(checked.get("postings", [])):
        owner = record.raw.get("organisation")
        if owner not in org_refs and fold(str(owner or "")) not in existing:
            errors.append(
                f"{_where('postings', index, record.raw)} – organisation : "
                + _("structure inconnue : « %(value)s ».", value=owner)
            )
        if record.values.get("status") == "publiee" and not record.errors:
            missing = postings.publication_problems(_draft(record))
            for name, message in missing.items():
                errors.append(
                    f"{_where('postings', index, record.raw)} – {name} : {message}"
                )
    return checked, errors


def _draft(record) -> JobPosting:
    posting = JobPosting(status="brouillon")
    postings.apply_posting_values(posting, record.values, record.values.get("commune"))
    return posting


def import_data(data, officer: User | None) -> ImportResult:
    """Check then write everything, or raise ImportRefused and write nothing."""
    checked, errors = check(data)
    if errors:
        raise ImportRefused(errors)
    result = ImportResult()
    organisations = {}
    for record in checked["organisations"]:
        organisation = db.session.scalar(
            select(Organisation).where(
                Organisation.name_search == fold(record.values["name"])
            )
        )
        if organisation is None:
            organisation = Organisation()
            db.session.add(organisation)
            result.organisations += 1
        else:
            result.existing_organisations += 1
        _apply_organisation(organisation, record.values)
        organisations[record.raw.get("ref")] = organisation
    db.session.flush()
    for record in checked["postings"]:
        owner = record.raw.get("organisation")
        organisation = organisations.get(owner) or db.session.scalar(
            select(Organisation).where(Organisation.name_search == fold(str(owner)))
        )
        posting = JobPosting(organisation=organisation, status="brouillon")
        postings.apply_posting_values(posting, record.values, record.values["commune"])
        db.session.add(posting)
        db.session.flush()
        if record.values["status"] == "publiee":
            postings.transition_posting(posting, "publier", officer)
        elif record.values["status"] != "brouillon":
            posting.status = record.values["status"]
        result.refs[record.raw.get("ref")] = posting.id
        result.postings += 1
    for record in checked["candidates"]:
        candidate = _create_candidate(record.values, officer)
        result.refs[record.raw.get("ref")] = candidate.id
        result.candidates += 1
    db.session.flush()
    return result


def _apply_organisation(organisation: Organisation, values: dict) -> None:
    commune = values.get("commune")
    organisation.name = values["name"]
    organisation.name_search = fold(values["name"])
    organisation.sector = values["sector"]
    organisation.structure_type = values.get("structure_type")
    organisation.legal_status = values.get("legal_status")
    organisation.commune_insee = commune.insee if commune else None
    organisation.commune = commune.name if commune else None
    organisation.department = commune.department if commune else None
    organisation.headcount_band = values.get("headcount_band")
    organisation.peer_workers_count = values.get("peer_workers_count") or 0


def _create_candidate(values: dict, officer: User | None):
    candidate = candidates.create_candidate(
        officer,
        values["display_name"],
        values.get("email"),
        values.get("phone"),
        values.get("commune"),
    )
    for name in (
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
    ):
        if values.get(name) is not None:
            setattr(candidate, name, values[name])
    for training in values["trainings"]:
        candidate.trainings.append(
            Training(name=training["name"], status=training["status"])
        )
    consent = values.get("consent")
    if consent:
        levels = {
            *values["domains"].values(),
            *(
                [values.get("background_sharing") or "prive"]
                if values.get("background")
                else []
            ),
            *(
                [values.get("peer_help_sharing") or "prive"]
                if values.get("peer_help_experience")
                else []
            ),
        }
        purposes = consent.get("purposes") or [
            "equipe",
            *(
                ["mise_en_relation"]
                if levels & {"apres_mise_en_relation", "public_employeurs"}
                else []
            ),
            *(["profil_anonyme"] if "public_employeurs" in levels else []),
        ]
        record = candidates.give_consent(
            candidate,
            purposes,
            officer,
            method=consent["method"],
            given_on=consent["given_at"],
        )
        if consent.get("version"):
            record.version = consent["version"]
        candidates.save_experience(
            candidate,
            values["domains"],
            values.get("background"),
            values.get("background_sharing") or "prive",
            values.get("peer_help_experience"),
            values.get("peer_help_sharing") or "prive",
        )
    candidate.registration_step = 5
    candidates.complete_profile(candidate, officer)
    candidates.refresh_search_fields(candidate)
    return candidate
