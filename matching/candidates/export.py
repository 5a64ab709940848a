"""The data export of a candidate (right of access and portability).

One dictionary feeds both the JSON download and the readable HTML summary. It says
who the data was shared with: every audit row about the profile is included.
"""

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matching import vocab
from matching.audit.models import AuditEvent
from matching.candidates.choices import EVENT_KINDS, INTEREST_STATUSES
from matching.candidates.consent import CONSENT_METHODS, CONSENT_PURPOSES
from matching.candidates.models import Candidate
from matching.core.timeutils import utcnow
from matching.extensions import db
from matching.organisations.models import Organisation

EXPORT_FORMAT = "passerelle-candidat-export"
EXPORT_VERSION = 1


def iso(value) -> str | None:
    """Dates as ISO 8601; datetimes are UTC and say so."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") + "Z"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def labelled(slugs, vocabulary) -> list[dict]:
    return [{"code": s, "libelle": vocabulary.label(s)} for s in slugs or []]


def build_export(candidate: Candidate) -> dict:
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "genere_le": iso(utcnow()),
        "compte": _account(candidate),
        "profil": _profile(candidate),
        "domaines_experience": [
            {
                "code": d.domain,
                "libelle": vocab.EXPERIENCE_DOMAINS.label(d.domain),
                "partage": d.sharing,
                "partage_libelle": vocab.SHARING_LEVELS.label(d.sharing),
            }
            for d in candidate.domains
        ],
        "formations": [
            {
                "nom": t.name,
                "organisme": t.provider,
                "statut": t.status,
                "statut_libelle": vocab.TRAINING_STATUSES.label(t.status),
            }
            for t in candidate.trainings
        ],
        "accords": [_consent(c) for c in candidate.consents],
        "interets": _interests(candidate),
        "historique": [
            {
                "type": e.kind,
                "libelle": EVENT_KINDS.label(e.kind),
                "date": iso(e.occurred_at),
                "auteur": e.author.display_name if e.author else None,
                "texte": e.body,
            }
            for e in candidate.events
        ],
        "journal_des_acces": _access_log(candidate),
    }


def _account(candidate: Candidate) -> dict | None:
    user = candidate.user
    if user is None:
        return None
    return {
        "email": user.email,
        "nom": user.display_name,
        "langue": user.locale,
        "cree_le": iso(user.created_at),
        "derniere_connexion": iso(user.last_login_at),
    }


def _profile(candidate: Candidate) -> dict:
    return {
        "nom": candidate.display_name,
        "email": candidate.email,
        "telephone": candidate.phone,
        "commune": candidate.commune,
        "code_insee": candidate.commune_insee,
        "departement": candidate.department,
        "rayon_mobilite_km": candidate.mobility_radius_km,
        "disponible_le": iso(candidate.available_from),
        "temps_de_travail_min": _number(candidate.fte_min),
        "temps_de_travail_max": _number(candidate.fte_max),
        "contrats": labelled(candidate.contract_types, vocab.CONTRACT_TYPES),
        "secteurs": labelled(candidate.sectors, vocab.SECTORS),
        "postes": labelled(candidate.titles, vocab.JOB_TITLES),
        "fonctions": labelled(candidate.functions, vocab.FUNCTIONS),
        "langues": labelled(candidate.languages, vocab.LANGUAGES),
        "parcours": candidate.background_text,
        "parcours_partage": candidate.background_sharing,
        "entraide_benevole": candidate.peer_help_text,
        "entraide_benevole_partage": candidate.peer_help_sharing,
        "statut": candidate.status,
        "statut_libelle": vocab.CANDIDATE_STATUSES.label(candidate.status),
        "cree_le": iso(candidate.created_at),
        "modifie_le": iso(candidate.updated_at),
        "profil_termine_le": iso(candidate.completed_at),
        "derniere_confirmation": iso(candidate.last_confirmed_at),
    }


def _number(value) -> float | None:
    return float(value) if value is not None else None


def _consent(record) -> dict:
    return {
        "version": record.version,
        "finalites": labelled(record.purposes, CONSENT_PURPOSES),
        "maniere": record.method,
        "maniere_libelle": CONSENT_METHODS.label(record.method),
        "date_accord_oral": iso(record.given_on),
        "enregistre_le": iso(record.given_at),
        "enregistre_par": record.recorded_by.display_name
        if record.recorded_by
        else None,
        "remplace_le": iso(record.superseded_at),
        "retire_le": iso(record.withdrawn_at),
        "en_cours": record.is_active,
    }


def _interests(candidate: Candidate) -> list[dict]:
    from matching.offers.models import Interest
    from matching.postings.models import JobPosting

    interests = db.session.scalars(
        select(Interest)
        .where(Interest.candidate_id == candidate.id)
        .options(selectinload(Interest.posting).selectinload(JobPosting.organisation))
        .order_by(Interest.created_at)
    )
    return [
        {
            "offre": i.posting_id,
            "poste": i.posting.custom_title or vocab.JOB_TITLES.label(i.posting.title),
            "structure": i.posting.organisation.name,
            "message": i.message,
            "statut": i.status,
            "statut_libelle": INTEREST_STATUSES.label(i.status),
            "le": iso(i.created_at),
        }
        for i in interests
    ]


def _access_log(candidate: Candidate) -> list[dict]:
    """Who viewed, exported or changed consent on the profile; for employers, which
    organisation, so the person knows who their data was shared with."""
    from matching.audit.services import ACTION_LABELS, ROLE_LABELS

    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.subject_type == "candidate")
        .where(AuditEvent.subject_id == candidate.id)
        .options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.created_at, AuditEvent.id)
    ).all()
    org_ids = {e.organisation_id for e in events if e.organisation_id}
    names = (
        dict(
            db.session.execute(
                select(Organisation.id, Organisation.name).where(
                    Organisation.id.in_(org_ids)
                )
            ).all()
        )
        if org_ids
        else {}
    )
    return [
        {
            "le": iso(e.created_at),
            "action": e.action,
            "action_libelle": str(ACTION_LABELS.get(e.action, e.action)),
            "role": e.actor_role,
            "role_libelle": str(ROLE_LABELS.get(e.actor_role, e.actor_role)),
            "par": _actor_name(e, candidate),
            "structure": names.get(e.organisation_id),
            "details": e.details,
        }
        for e in events
    ]


def _actor_name(event, candidate) -> str | None:
    if event.actor is None:
        return None
    if candidate.user_id is not None and event.actor_id == candidate.user_id:
        return candidate.display_name
    return event.actor.display_name
