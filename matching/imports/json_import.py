"""Bulk load organisations, postings and candidates from a JSON file.

The whole file is checked before anything is written; one bad record and nothing is
saved, and every problem is listed in French (record, field, what is wrong). Format:
see README ("Importing data") and tests/scoring/data/eval_set.json.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from matching.accounts.models import User
from matching.extensions import db
from matching.imports.records import check_candidate, check_organisation, check_posting
from matching.imports.writer import (
    create_candidate,
    create_posting,
    find_organisation,
    publication_errors,
    save_organisation,
    unknown_organisation_error,
)
from matching.organisations.models import Organisation
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
        where = _where("postings", index, record.raw)
        if owner not in org_refs and fold(str(owner or "")) not in existing:
            errors.append(
                f"{where} – organisation : {unknown_organisation_error(owner)}"
            )
        if not record.errors:
            for name, message in publication_errors(record.values).items():
                errors.append(f"{where} – {name} : {message}")
    return checked, errors


def import_data(data, officer: User | None) -> ImportResult:
    """Check then write everything, or raise ImportRefused and write nothing."""
    checked, errors = check(data)
    if errors:
        raise ImportRefused(errors)
    result = ImportResult()
    organisations = {}
    for record in checked["organisations"]:
        organisation, created = save_organisation(record.values)
        if created:
            result.organisations += 1
        else:
            result.existing_organisations += 1
        organisations[record.raw.get("ref")] = organisation
    db.session.flush()
    for record in checked["postings"]:
        owner = record.raw.get("organisation")
        organisation = organisations.get(owner) or find_organisation(owner)
        posting = create_posting(organisation, record.values, officer)
        result.refs[record.raw.get("ref")] = posting.id
        result.postings += 1
    for record in checked["candidates"]:
        candidate = create_candidate(record.values, officer)
        result.refs[record.raw.get("ref")] = candidate.id
        result.candidates += 1
    db.session.flush()
    return result
