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
    "candidate.view_data": _l("a consulté la page « Mes données »"),
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


# How the trail shows ``details``: a French label for each key and each value the
# app records (an unknown value is shown as stored).
DETAIL_LABELS = {
    "fields": _l("champs"),
    "format": _l("format"),
    "stage": _l("vue"),
    "filters": _l("filtres"),
    "count": _l("nombre"),
    "method": _l("manière"),
    "purposes": _l("finalités"),
    "via": _l("depuis"),
}
FIELDS_LABELS = {
    "candidate.view": _l("champs consultés"),
    "candidate.view_employer": _l("champs consultés"),
    "candidate.export": _l("champs exportés"),
    "data.export": _l("tableaux"),
}
VALUE_LABELS = {
    "fields": {
        "domains": _l("domaines d'expérience"),
        "background_text": _l("parcours"),
        "peer_help_text": _l("expérience d'entraide"),
        "contact": _l("coordonnées"),
    },
    "format": {"csv": "CSV", "xlsx": "Excel (XLSX)", "json": "JSON"},
    "stage": {
        "anonymous": _l("profil anonyme"),
        "introduced": _l("après une mise en relation acceptée"),
    },
    "filters": {
        "q": _l("recherche par texte"),
        "domain": _l("domaine d'expérience"),
        "start": _l("début"),
        "end": _l("fin"),
        "sector": _l("secteur"),
        "department": _l("département"),
        "officer_id": _l("chargé·e de mission"),
        "organisation_id": _l("structure"),
    },
    "via": {
        "page": _l("la fiche"),
        "edit": _l("la modification du profil"),
        "list": _l("l'export de la liste"),
    },
}


def _value_labels(key: str) -> dict:
    from matching.candidates.consent import CONSENT_METHODS, CONSENT_PURPOSES

    if key == "method":
        return {slug: str(label).lower() for slug, label in CONSENT_METHODS.items()}
    if key == "purposes":
        return {slug: CONSENT_PURPOSES.short_label(slug) for slug in CONSENT_PURPOSES}
    return VALUE_LABELS.get(key, {})


def describe_details(action: str, details: dict | None) -> str:
    """``details`` in French: "Champs consultés : parcours, coordonnées · depuis :
    la fiche" rather than the stored keys and codes."""
    parts = []
    for key, value in (details or {}).items():
        labels = _value_labels(key)
        if isinstance(value, dict):
            shown = ", ".join(
                f"{labels.get(name, name)} {item}" for name, item in value.items()
            )
        elif isinstance(value, list | tuple):
            shown = ", ".join(str(labels.get(item, item)) for item in value)
        else:
            shown = str(labels.get(value, value))
        label = FIELDS_LABELS.get(action) if key == "fields" else None
        label = label or DETAIL_LABELS.get(key, key)
        parts.append(f"{label} : {shown}")
    text = " · ".join(parts)
    return text[:1].upper() + text[1:]


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
