"""Published roles and interests. Operations flush; the caller commits once."""

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matching import access
from matching.accounts.services import external_url
from matching.candidates.models import Candidate
from matching.candidates.services import add_event
from matching.communes.data import communes, distance_km
from matching.email import send_email
from matching.extensions import db
from matching.offers.models import Interest
from matching.organisations.services import list_officers
from matching.postings.models import JobPosting


class OfferError(ValueError):
    """An interest rule was broken; the message is for the person."""


@dataclass
class OfferFilters:
    sector: str | None = None
    title: str | None = None
    department: str | None = None
    commune_insee: str | None = None
    distance_km: int = 20
    fte_max: Decimal | None = None
    contract_type: str | None = None


def communes_near(insee: str, radius_km: float) -> list[str]:
    """INSEE codes of the communes within ``radius_km`` (the chosen one included)."""
    origin = communes()[insee]
    return [
        c.insee
        for c in communes().values()
        if distance_km(origin.latitude, origin.longitude, c.latitude, c.longitude)
        <= radius_km
    ]


def published_offers_query(filters: OfferFilters):
    query = access.published_postings_scope().options(
        selectinload(JobPosting.organisation)
    )
    if filters.sector:
        query = query.where(JobPosting.sector == filters.sector)
    if filters.title:
        query = query.where(JobPosting.title == filters.title)
    if filters.department:
        query = query.where(JobPosting.department == filters.department)
    if filters.commune_insee:
        nearby = communes_near(filters.commune_insee, filters.distance_km)
        query = query.where(JobPosting.commune_insee.in_(nearby))
    if filters.fte_max is not None:
        query = query.where(JobPosting.fte <= filters.fte_max)
    if filters.contract_type:
        query = query.where(JobPosting.contract_type == filters.contract_type)
    return query.order_by(JobPosting.published_at.desc(), JobPosting.id.desc())


def get_published(posting_id: int) -> JobPosting | None:
    return db.session.scalar(
        access.published_postings_scope()
        .where(JobPosting.id == posting_id)
        .options(selectinload(JobPosting.organisation))
    )


def get_interest(candidate: Candidate | None, posting: JobPosting) -> Interest | None:
    if candidate is None:
        return None
    return db.session.scalar(
        select(Interest).where(
            Interest.candidate_id == candidate.id, Interest.posting_id == posting.id
        )
    )


def express_interest(
    candidate: Candidate, posting: JobPosting, message: str | None
) -> Interest:
    """ "Je suis intéressé·e": record the interest and tell the officers that
    something awaits (the e-mail holds no detail about the person)."""
    if not posting.is_published:
        raise OfferError(_("Cette offre n'est plus publiée."))
    if candidate.is_anonymised or candidate.status == "archive":
        raise OfferError(_("Votre profil n'est pas actif."))
    interest = get_interest(candidate, posting)
    if interest is not None and interest.status != "retiree":
        raise OfferError(_("Vous avez déjà dit votre intérêt pour cette offre."))
    if interest is None:
        interest = Interest(candidate=candidate, posting=posting)
        db.session.add(interest)
    interest.message = message or None
    interest.status = "nouvelle"
    db.session.flush()
    add_event(candidate, "interest", candidate.user, posting_id=posting.id)
    # The interest enters the introduction pipeline, already agreed by the person.
    from matching.introductions.services import request_from_interest

    request_from_interest(candidate, posting, candidate.user)
    _notify_officers(posting)
    return interest


def _notify_officers(posting: JobPosting) -> None:
    """The officer who accompanies the posting's case, or else the whole team."""
    case_officer = posting.case.officer if posting.case else None
    if case_officer is not None and case_officer.active:
        recipients = [case_officer]
    else:
        recipients = list_officers()
    link = external_url("offers.interests")
    for officer in recipients:
        with force_locale(officer.locale):
            send_email(
                officer,
                _("Un·e candidat·e est intéressé·e par une offre"),
                "interest_new",
                link=link,
            )


def withdraw_interest(candidate: Candidate, posting: JobPosting) -> None:
    interest = get_interest(candidate, posting)
    if interest is None or interest.status == "retiree":
        raise OfferError(_("Il n'y a pas d'intérêt à retirer."))
    interest.status = "retiree"
    from matching.introductions.services import withdraw_interest as leave_pipeline

    leave_pipeline(candidate, posting, candidate.user)


def acknowledge_interest(interest: Interest) -> None:
    if interest.status == "nouvelle":
        interest.status = "prise_en_compte"


def list_interests_of(candidate: Candidate) -> list[Interest]:
    return list(
        db.session.scalars(
            select(Interest)
            .where(Interest.candidate_id == candidate.id)
            .options(
                selectinload(Interest.posting).selectinload(JobPosting.organisation)
            )
            .order_by(Interest.created_at.desc())
        )
    )


def interests_query(user, status: str | None):
    query = access.interests_scope(user).options(
        selectinload(Interest.candidate),
        selectinload(Interest.posting).selectinload(JobPosting.organisation),
    )
    if status:
        query = query.where(Interest.status == status)
    return (
        query.join(Candidate, Candidate.id == Interest.candidate_id)
        .where(Candidate.anonymised_at.is_(None))
        .order_by(Interest.created_at.desc(), Interest.id.desc())
    )
