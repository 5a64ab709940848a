"""Survey operations. They change state and flush; the caller commits once."""

from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload, selectinload

from matching import access, vocab
from matching.accounts.models import User
from matching.core.timeutils import paris_today, utcnow
from matching.email import send_email
from matching.extensions import db
from matching.organisations.models import Membership, Organisation
from matching.survey.links import survey_link
from matching.survey.models import (
    SurveyBarrierRating,
    SurveyCampaign,
    SurveyInvitation,
    SurveyResponse,
)
from matching.survey.questions import YES_NO_QUESTIONS


class SurveyError(ValueError):
    """A rule of the survey was broken; the message is for the user."""


# ---------------------------------------------------------------- campaigns

CAMPAIGN_FIELDS = (
    "name",
    "year",
    "opens_on",
    "closes_on",
    "invited_count",
    "description",
)


def _apply_campaign(campaign: SurveyCampaign, values: dict) -> None:
    if values["closes_on"] < values["opens_on"]:
        raise SurveyError(_("La clôture doit venir après l'ouverture."))
    for name in CAMPAIGN_FIELDS:
        setattr(campaign, name, values.get(name))
    campaign.invited_count = values.get("invited_count") or 0
    campaign.description = values.get("description") or None


def create_campaign(values: dict, author: User) -> SurveyCampaign:
    campaign = SurveyCampaign(created_by=author)
    _apply_campaign(campaign, values)
    db.session.add(campaign)
    db.session.flush()
    return campaign


def update_campaign(campaign: SurveyCampaign, values: dict) -> None:
    _apply_campaign(campaign, values)
    db.session.flush()


def list_campaigns(user) -> list:
    """Campaigns the user may manage, newest first, with their counts (one query)."""
    responses = (
        select(func.count(SurveyResponse.id))
        .where(SurveyResponse.campaign_id == SurveyCampaign.id)
        .scalar_subquery()
    )
    invitations = (
        select(func.count(SurveyInvitation.id))
        .where(SurveyInvitation.campaign_id == SurveyCampaign.id)
        .scalar_subquery()
    )
    query = access.survey_campaigns_scope(user).add_columns(
        responses.label("responses"), invitations.label("invitations")
    )
    return db.session.execute(
        query.order_by(SurveyCampaign.opens_on.desc(), SurveyCampaign.id.desc())
    ).all()


def other_campaigns(user) -> list[SurveyCampaign]:
    return list(
        db.session.scalars(
            access.survey_campaigns_scope(user).order_by(
                SurveyCampaign.opens_on, SurveyCampaign.id
            )
        )
    )


# ---------------------------------------------------------------- invitations


def list_invitations(campaign: SurveyCampaign) -> list[SurveyInvitation]:
    return list(
        db.session.scalars(
            select(SurveyInvitation)
            .join(SurveyInvitation.organisation)
            .where(SurveyInvitation.campaign_id == campaign.id)
            .options(
                joinedload(SurveyInvitation.organisation),
                joinedload(SurveyInvitation.response),
            )
            .order_by(Organisation.name_search)
        ).unique()
    )


def list_invitable_organisations(
    user, campaign: SurveyCampaign, filters: dict
) -> list[Organisation]:
    """Organisations the user may see that this campaign has not invited yet."""
    invited = exists().where(
        SurveyInvitation.campaign_id == campaign.id,
        SurveyInvitation.organisation_id == Organisation.id,
    )
    query = access.organisations_scope(user).where(~invited)
    if filters.get("sector"):
        query = query.where(Organisation.sector == filters["sector"])
    if filters.get("department"):
        query = query.where(Organisation.department == filters["department"])
    return list(db.session.scalars(query.order_by(Organisation.name_search)))


def invite_organisations(
    user, campaign: SurveyCampaign, organisation_ids: list[int]
) -> list[SurveyInvitation]:
    """Create the missing invitations (and so the links); others stay as they are."""
    wanted = set(organisation_ids)
    visible = set(
        db.session.scalars(
            access.organisations_scope(user)
            .with_only_columns(Organisation.id)
            .where(Organisation.id.in_(wanted))
        )
    )
    already = set(
        db.session.scalars(
            select(SurveyInvitation.organisation_id).where(
                SurveyInvitation.campaign_id == campaign.id,
                SurveyInvitation.organisation_id.in_(visible),
            )
        )
    )
    created = [
        SurveyInvitation(campaign=campaign, organisation_id=organisation_id)
        for organisation_id in sorted(visible - already)
    ]
    db.session.add_all(created)
    db.session.flush()
    return created


def unsent_invitations(campaign: SurveyCampaign) -> list[SurveyInvitation]:
    """Invitations never e-mailed, of organisations that have not answered."""
    answered = exists().where(SurveyResponse.invitation_id == SurveyInvitation.id)
    return list(
        db.session.scalars(
            select(SurveyInvitation)
            .where(
                SurveyInvitation.campaign_id == campaign.id,
                SurveyInvitation.sent_at.is_(None),
                ~answered,
            )
            .options(joinedload(SurveyInvitation.organisation))
        )
    )


def send_invitations(invitations: list[SurveyInvitation]) -> tuple[int, list]:
    """E-mail each link to its organisation's active members.

    Returns how many invitations went out, and the organisations nobody could be
    written to (no active member yet): officers send those links themselves.
    """
    organisation_ids = {invitation.organisation_id for invitation in invitations}
    members = db.session.execute(
        select(User, Membership.organisation_id)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.organisation_id.in_(organisation_ids),
            Membership.status == "active",
            User.active.is_(True),
        )
        .order_by(User.id)
    )
    recipients = defaultdict(list)
    for user, organisation_id in members:
        recipients[organisation_id].append(user)
    sent, unreachable = 0, []
    for invitation in invitations:
        users = recipients.get(invitation.organisation_id)
        if not users:
            unreachable.append(invitation.organisation)
            continue
        campaign = invitation.campaign
        link = survey_link(invitation)
        for user in users:
            send_email(
                user,
                _("Un questionnaire vous attend : %(name)s", name=campaign.name),
                "survey_invitation",
                campaign=campaign,
                link=link,
            )
        invitation.sent_at = utcnow()
        sent += 1
    db.session.flush()
    return sent, unreachable


# ---------------------------------------------------------------- responses


def find_response(invitation: SurveyInvitation) -> SurveyResponse | None:
    """The organisation's answers to this campaign, however they were given."""
    return db.session.scalar(
        select(SurveyResponse)
        .where(
            SurveyResponse.campaign_id == invitation.campaign_id,
            SurveyResponse.organisation_id == invitation.organisation_id,
        )
        .options(selectinload(SurveyResponse.barrier_ratings))
    )


def _check_answers(answers: dict, ratings: dict[str, int]) -> None:
    if answers.get("sector") not in vocab.SECTORS:
        raise SurveyError(_("Secteur inconnu."))
    if any(need not in vocab.NEEDS for need in answers.get("needs") or []):
        raise SurveyError(_("Besoin inconnu."))
    if set(ratings) != set(vocab.BARRIERS) or any(
        value not in (1, 2, 3, 4) for value in ratings.values()
    ):
        raise SurveyError(_("Chaque frein reçoit une note de 1 à 4."))
    if any(not isinstance(answers.get(slug), bool) for slug in YES_NO_QUESTIONS):
        raise SurveyError(_("Répondez à chaque question par oui ou par non."))


def save_response(
    invitation: SurveyInvitation, answers: dict, ratings: dict[str, int]
) -> SurveyResponse:
    """Record the organisation's answers, or update them: one response per campaign."""
    campaign = invitation.campaign
    if not access.can_edit_survey_response(campaign, paris_today()):
        raise SurveyError(_("Ce questionnaire n'accepte plus de réponses."))
    _check_answers(answers, ratings)
    response = find_response(invitation)
    if response is None:
        response = SurveyResponse(
            campaign=campaign,
            organisation_id=invitation.organisation_id,
            invitation=invitation,
        )
        db.session.add(response)
    response.sector = answers["sector"]
    for slug in YES_NO_QUESTIONS:
        setattr(response, slug, answers[slug])
    response.considers_hiring = (
        None if answers["has_peer_worker_in_post"] else answers.get("considers_hiring")
    )
    response.needs = [need for need in vocab.NEEDS if need in answers.get("needs", [])]
    response.contributions_text = answers.get("contributions_text") or None
    response.updated_at = utcnow()
    existing = {rating.barrier: rating for rating in response.barrier_ratings}
    for barrier, value in ratings.items():
        if barrier in existing:
            existing[barrier].rating = value
        else:
            response.barrier_ratings.append(
                SurveyBarrierRating(barrier=barrier, rating=value)
            )
    db.session.flush()
    return response
