"""record_audit(): the one way to write the audit trail. It flushes; the caller commits."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matching import access
from matching.audit.models import AUDIT_ACTIONS, AuditEvent
from matching.extensions import db

# Keys allowed in ``details``: values are names, ids, counts or formats, never text
# typed by a person (a free-text value could hold a diagnosis).
ALLOWED_DETAILS = frozenset(
    {"fields", "format", "stage", "filters", "count", "method", "purposes", "via"}
)


ACTION_LABELS = {
    "candidate.view": _l("a consulté le profil"),
    "candidate.view_employer": _l("a consulté le profil partagé avec l'employeur"),
    "candidate.search": _l("a cherché par domaine d'expérience ou par texte"),
    "candidate.export": _l("a téléchargé les données"),
    "candidate.erase": _l("a effacé les données"),
    "consent.give": _l("a enregistré un accord"),
    "consent.withdraw": _l("a retiré l'accord"),
    "data.export": _l("a exporté un tableau"),
    "data.import": _l("a importé un tableur"),
}
ROLE_LABELS = {
    "officer": _l("Chargé·e de mission"),
    "admin": _l("Administrateur·rice"),
    "employer": _l("Employeur"),
    "candidate": _l("La personne elle-même"),
    "system": _l("Traitement automatique"),
}


def actor_role(user) -> str:
    if user is None:
        return "system"
    if access.is_admin(user):
        return "admin"
    return user.role


def record_audit(
    actor, action: str, subject_type: str, subject_id: int | None, **details
) -> AuditEvent:
    """Write one audit row about ``subject_type``/``subject_id``."""
    if action not in AUDIT_ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    unknown = set(details) - ALLOWED_DETAILS
    if unknown:
        raise ValueError(f"audit details may not hold {sorted(unknown)}")
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        actor_role=actor_role(actor),
        organisation_id=access.active_organisation_id(actor),
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        details=details,
    )
    db.session.add(event)
    db.session.flush()
    return event


def list_candidate_audit(candidate_id: int):
    """Every audit row about one candidate, newest first (actor loaded with it)."""
    from sqlalchemy.orm import selectinload

    return (
        select(AuditEvent)
        .where(AuditEvent.subject_type == "candidate")
        .where(AuditEvent.subject_id == candidate_id)
        .options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )
