"""Job descriptions: edit, publish, fill, close. Services flush; callers commit."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from matching import access, vocab
from matching.accounts.models import User
from matching.cases.models import SupportCase
from matching.cases.services import log_activity
from matching.core.timeutils import utcnow
from matching.extensions import db
from matching.organisations.models import Organisation
from matching.postings.models import JobPosting
from matching.scoring.text import normalise


class PostingError(ValueError):
    """A rule of job descriptions was broken; the message is for the user."""


EDITABLE_FIELDS = (
    "title",
    "custom_title",
    "functions",
    "sector",
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
    "diploma_required",
    "binome",
    "supervision_planned",
    "how_to_apply",
)

# What publishing needs, and the message shown next to the field when it is missing.
PUBLICATION_REQUIREMENTS = {
    "title": _l("Choisissez un intitulé de poste."),
    "functions": _l("Cochez au moins une fonction."),
    "missions": _l("Décrivez les missions."),
    "fte": _l("Indiquez le temps de travail (ETP)."),
    "contract_type": _l("Choisissez le type de contrat."),
    "commune": _l("Indiquez la commune du poste."),
    "experience_domains": _l(
        "Cochez au moins un domaine d'expérience, ou décrivez le savoir expérientiel "
        "recherché."
    ),
}


def publication_problems(posting: JobPosting) -> dict[str, object]:
    """Fields missing before the posting can be published, with their message."""
    present = {
        "title": bool(posting.title),
        "functions": bool(posting.functions),
        "missions": bool((posting.missions or "").strip()),
        "fte": posting.fte is not None,
        "contract_type": bool(posting.contract_type),
        "commune": bool(posting.commune_insee or posting.commune),
        "experience_domains": bool(posting.experience_domains)
        or bool((posting.experience_text or "").strip()),
    }
    return {
        field: message
        for field, message in PUBLICATION_REQUIREMENTS.items()
        if not present[field]
    }


def refresh_match_fields(posting: JobPosting) -> None:
    """Normalise the texts the matching engine compares (once, at save time)."""
    posting.match_experience = normalise(posting.experience_text, posting.custom_title)
    posting.match_missions = normalise(posting.missions, posting.savoir_etre)


def apply_posting_form(posting: JobPosting, form) -> None:
    values = {field: form[field].data for field in EDITABLE_FIELDS}
    apply_posting_values(posting, values, form.commune.commune)


def apply_posting_values(posting: JobPosting, values: dict, commune) -> None:
    """Copy checked values (from the editor or an import) onto a posting."""
    for field in EDITABLE_FIELDS:
        value = values.get(field)
        if isinstance(value, str):
            value = value or None
        setattr(posting, field, value)
    posting.functions = list(values.get("functions") or [])
    posting.experience_domains = list(values.get("experience_domains") or [])
    posting.positions = values.get("positions") or 1
    posting.commune_insee = commune.insee if commune else None
    posting.commune = commune.name if commune else None
    posting.department = commune.department if commune else None
    posting.latitude = commune.latitude if commune else None
    posting.longitude = commune.longitude if commune else None
    refresh_match_fields(posting)


def create_posting(organisation: Organisation, case: SupportCase | None, form, author):
    posting = JobPosting(organisation=organisation, case=case, status="brouillon")
    apply_posting_form(posting, form)
    db.session.add(posting)
    db.session.flush()
    if case is not None:
        log_activity(
            case,
            "edit",
            author,
            _("Fiche de poste créée : %(title)s", title=display_title(posting)),
            visibility="employer",
            data={"posting_id": posting.id},
        )
    return posting


def display_title(posting: JobPosting) -> str:
    return posting.custom_title or vocab.JOB_TITLES.label(posting.title)


TRANSITIONS = {
    "publier": ({"brouillon", "fermee"}, "publiee"),
    "brouillon": ({"publiee"}, "brouillon"),
    "pourvue": ({"publiee"}, "pourvue"),
    "fermer": ({"brouillon", "publiee"}, "fermee"),
    "rouvrir": ({"pourvue", "fermee"}, "brouillon"),
}
TRANSITION_MESSAGES = {
    "publiee": _l("Fiche de poste publiée : %(title)s"),
    "brouillon": _l("Fiche de poste repassée en brouillon : %(title)s"),
    "pourvue": _l("Poste pourvu : %(title)s"),
    "fermee": _l("Fiche de poste fermée : %(title)s"),
}


def transition_posting(posting: JobPosting, action: str, author: User) -> None:
    """Move a posting along brouillon → publiee → pourvue | fermee."""
    if action not in TRANSITIONS:
        raise PostingError(_("Action inconnue."))
    allowed_from, target = TRANSITIONS[action]
    if posting.status not in allowed_from:
        raise PostingError(
            _(
                "Impossible depuis l'état « %(status)s ».",
                status=vocab.POSTING_STATUSES.label(posting.status),
            )
        )
    if target == "publiee":
        if publication_problems(posting):
            raise PostingError(_("Il manque des informations pour publier."))
        posting.published_at = utcnow()
        posting.published_by = author
    if target == "pourvue":
        from matching.introductions.services import close_filled

        posting.filled_at = utcnow()
        close_filled(posting, author)
    if target == "fermee":
        posting.closed_at = utcnow()
    posting.status = target
    if posting.case is not None:
        log_activity(
            posting.case,
            "edit",
            author,
            str(TRANSITION_MESSAGES[target]) % {"title": display_title(posting)},
            visibility="employer",
            data={"posting_id": posting.id, "status": target},
        )


def list_postings_of(user, organisation: Organisation) -> list[JobPosting]:
    return list(
        db.session.scalars(
            access.postings_scope(user)
            .where(JobPosting.organisation_id == organisation.id)
            .order_by(JobPosting.updated_at.desc())
        )
    )


def list_postings_of_case(user, case: SupportCase) -> list[JobPosting]:
    return list(
        db.session.scalars(
            access.postings_scope(user)
            .where(JobPosting.case_id == case.id)
            .order_by(JobPosting.updated_at.desc())
        )
    )


def list_postings(user, filters: dict, page: int, per_page: int):
    query = (
        access.postings_scope(user)
        .join(JobPosting.organisation)
        .options(joinedload(JobPosting.organisation))
    )
    if filters.get("status"):
        query = query.where(JobPosting.status == filters["status"])
    if filters.get("sector"):
        query = query.where(JobPosting.sector == filters["sector"])
    if filters.get("title"):
        query = query.where(JobPosting.title == filters["title"])
    if filters.get("department"):
        query = query.where(JobPosting.department == filters["department"])
    query = query.order_by(JobPosting.updated_at.desc(), JobPosting.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def open_cases_of(organisation: Organisation) -> list[SupportCase]:
    from matching.cases.models import CLOSED_STAGES

    return list(
        db.session.scalars(
            select(SupportCase)
            .where(
                SupportCase.organisation_id == organisation.id,
                SupportCase.stage.not_in(CLOSED_STAGES),
            )
            .order_by(SupportCase.opened_on.desc())
        )
    )


def list_introductions(user, posting: JobPosting) -> list:
    """The introductions of a posting the user may see (the employer: passed on)."""
    from matching.introductions.models import Introduction

    return list(
        db.session.scalars(
            access.introductions_scope(user)
            .where(Introduction.posting_id == posting.id)
            .options(joinedload(Introduction.candidate))
            .order_by(Introduction.status_changed_at.desc())
        )
    )
