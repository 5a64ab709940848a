"""Write checked records: the one creation path of the JSON command and of the
spreadsheet import. Each function takes the clean values of a record that
``records.py`` accepted, changes the database and flushes; the caller commits once.
"""

from flask_babel import gettext as _
from sqlalchemy import select

from matching.accounts.models import User
from matching.candidates import services as candidates
from matching.candidates.models import Candidate, Training
from matching.extensions import db
from matching.organisations.models import Organisation
from matching.postings import services as postings
from matching.postings.models import JobPosting
from matching.vocab import fold

# ---------------------------------------------------------------- organisations


def find_organisation(name: str | None) -> Organisation | None:
    """The organisation of that name, case and accents ignored."""
    if not name or not str(name).strip():
        return None
    return db.session.scalar(
        select(Organisation)
        .where(Organisation.name_search == fold(str(name)))
        .order_by(Organisation.id)
        .limit(1)
    )


def save_organisation(values: dict) -> tuple[Organisation, bool]:
    """Create the organisation, or update the one of the same name; True if created."""
    organisation = find_organisation(values["name"])
    created = organisation is None
    if created:
        organisation = Organisation()
        db.session.add(organisation)
    apply_organisation(organisation, values)
    return organisation, created


def apply_organisation(organisation: Organisation, values: dict) -> None:
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


# ---------------------------------------------------------------- postings


def publication_errors(values: dict) -> dict[str, str]:
    """What a posting marked "publiée" still lacks, per field (empty when none)."""
    if values.get("status") != "publiee":
        return {}
    draft = JobPosting(status="brouillon")
    postings.apply_posting_values(draft, values, values.get("commune"))
    return {
        name: str(message)
        for name, message in postings.publication_problems(draft).items()
    }


def unknown_organisation_error(value) -> str:
    return _("structure inconnue : « %(value)s ».", value=value)


def create_posting(
    organisation: Organisation, values: dict, officer: User | None
) -> JobPosting:
    """A posting in the status the record asks for (publishing goes through the
    workflow, so it is dated and logged like one published by hand)."""
    posting = JobPosting(organisation=organisation, status="brouillon")
    postings.apply_posting_values(posting, values, values.get("commune"))
    db.session.add(posting)
    db.session.flush()
    if values["status"] == "publiee":
        postings.transition_posting(posting, "publier", officer)
    elif values["status"] != "brouillon":
        posting.status = values["status"]
    return posting


# ---------------------------------------------------------------- candidates


def create_candidate(values: dict, officer: User | None) -> Candidate:
    """A complete profile; its experience is stored after the consent it needs."""
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
    if values.get("consent"):
        _record_consent_and_experience(candidate, values, officer)
    candidate.registration_step = 5
    candidates.complete_profile(candidate, officer)
    candidates.refresh_search_fields(candidate)
    return candidate


def consent_purposes(values: dict) -> list[str]:
    """The purposes given, or those the sharing levels of the record need."""
    given = (values.get("consent") or {}).get("purposes")
    if given:
        return list(given)
    levels = set(values["domains"].values())
    if values.get("background"):
        levels.add(values.get("background_sharing") or "prive")
    if values.get("peer_help_experience"):
        levels.add(values.get("peer_help_sharing") or "prive")
    purposes = ["equipe"]
    if levels & {"apres_mise_en_relation", "public_employeurs"}:
        purposes.append("mise_en_relation")
    if "public_employeurs" in levels:
        purposes.append("profil_anonyme")
    return purposes


def _record_consent_and_experience(candidate, values: dict, officer) -> None:
    consent = values["consent"]
    record = candidates.give_consent(
        candidate,
        consent_purposes(values),
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
