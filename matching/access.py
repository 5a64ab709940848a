"""The access policy: who may see or change what.

Views never decide visibility themselves: they use the guards (decorators) and the
scopes (query helpers) below. Predicates are pure: they take plain objects.

Roles: ``officer`` (``is_admin`` for admins), ``employer`` (through an active membership
of one organisation), ``candidate``.
"""

from collections.abc import Callable
from functools import wraps

from flask import abort, redirect, url_for
from flask_login import current_user
from sqlalchemy import Select, false, select

from matching.extensions import login_manager

# ---------------------------------------------------------------- predicates (pure)


def is_officer(user) -> bool:
    return bool(user and user.is_authenticated and user.role == "officer")


def is_admin(user) -> bool:
    return is_officer(user) and bool(user.is_admin)


def active_organisation_id(user) -> int | None:
    """The organisation an employer acts for, once their membership is approved."""
    if not (user and user.is_authenticated and user.role == "employer"):
        return None
    membership = user.membership
    if membership is None or membership.status != "active":
        return None
    return membership.organisation_id


def is_org_admin(user, organisation_id: int) -> bool:
    membership = getattr(user, "membership", None)
    return bool(
        membership
        and membership.status == "active"
        and membership.is_org_admin
        and membership.organisation_id == organisation_id
    )


def can_view_organisation(user, organisation) -> bool:
    return is_officer(user) or active_organisation_id(user) == organisation.id


def can_edit_organisation(user, organisation) -> bool:
    return is_officer(user) or is_org_admin(user, organisation.id)


def can_manage_members(user, organisation) -> bool:
    return can_edit_organisation(user, organisation)


# ---------------------------------------------------------------- guards (views)


def role_required(*roles: str, admin: bool = False) -> Callable:
    """Refuse anonymous visitors (login page) and other roles (403)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and current_user.role not in roles:
                abort(403)
            if admin and not current_user.is_admin:
                abort(403)
            if (
                current_user.role == "employer"
                and "employer" in roles
                and active_organisation_id(current_user) is None
            ):
                return redirect(url_for("organisations.attach"))
            return view(*args, **kwargs)

        wrapped.access_roles = roles
        return wrapped

    return decorator


officer_required = role_required("officer")
admin_required = role_required("officer", admin=True)
employer_required = role_required("employer")
candidate_required = role_required("candidate")


def require(allowed: bool) -> None:
    """Abort with 404 when the current user may not see a record (hides existence)."""
    if not allowed:
        abort(404)


# ---------------------------------------------------------------- scopes (queries)


def organisations_scope(user, query: Select | None = None) -> Select:
    """Organisations the user may see."""
    from matching.organisations.models import Organisation

    query = query if query is not None else select(Organisation)
    if is_officer(user):
        return query
    org_id = active_organisation_id(user)
    if org_id is None:
        return query.where(false())
    return query.where(Organisation.id == org_id)


# ---------------------------------------------------------------- support cases


def is_member_of(user, organisation_id: int) -> bool:
    return active_organisation_id(user) == organisation_id


def can_view_case(user, case) -> bool:
    return is_officer(user) or is_member_of(user, case.organisation_id)


def can_manage_case(user, case) -> bool:
    """Stage, assigned officer, next step: the Passerelle team's part."""
    return is_officer(user)


def can_contribute_to_case(user, case) -> bool:
    """Readiness, barriers, funding, job descriptions: officers and the employer."""
    return can_view_case(user, case)


def can_read_activity(user, activity) -> bool:
    return is_officer(user) or (
        activity.visibility == "employer"
        and is_member_of(user, activity.case.organisation_id)
    )


def can_edit_activity(user, activity) -> bool:
    """Authors edit their own entries; automatic ones are never edited."""
    return (
        activity.kind not in ("stage_change", "edit", "reminder")
        and activity.author_id == getattr(user, "id", None)
        and can_read_activity(user, activity)
    )


def cases_scope(user, query: Select | None = None) -> Select:
    from matching.cases.models import SupportCase

    query = query if query is not None else select(SupportCase)
    if is_officer(user):
        return query
    org_id = active_organisation_id(user)
    if org_id is None:
        return query.where(false())
    return query.where(SupportCase.organisation_id == org_id)


# ---------------------------------------------------------------- job postings


def can_view_posting_internals(user, posting) -> bool:
    """The full job description, drafts included (not the public offer)."""
    return is_officer(user) or is_member_of(user, posting.organisation_id)


def can_edit_posting(user, posting) -> bool:
    return can_view_posting_internals(user, posting)


def postings_scope(user, query: Select | None = None) -> Select:
    from matching.postings.models import JobPosting

    query = query if query is not None else select(JobPosting)
    if is_officer(user):
        return query
    org_id = active_organisation_id(user)
    if org_id is None:
        return query.where(false())
    return query.where(JobPosting.organisation_id == org_id)


# ---------------------------------------------------------------- survey (diagnostic)

# Below this many answers a figure could point at one organisation: it is not shown.
SURVEY_MIN_GROUP_SIZE = 3


def can_manage_surveys(user) -> bool:
    """Campaigns, invitations, links and results: the Passerelle team only."""
    return is_officer(user)


def can_read_survey_free_text(user) -> bool:
    """What respondents wrote in their own words never leaves the team."""
    return is_officer(user)


def survey_link_is_valid(payload: dict | None, invitation) -> bool:
    """A signed link opens the invitation it names, and only in that campaign."""
    return bool(
        payload
        and invitation is not None
        and payload.get("invitation") == invitation.id
        and payload.get("campaign") == invitation.campaign_id
    )


def can_edit_survey_response(campaign, today) -> bool:
    """Answers are given and changed while the campaign is open, never after."""
    return campaign.opens_on <= today <= campaign.closes_on


def survey_figure_is_shown(count: int) -> bool:
    """A group of respondents (a sector, a campaign) is shown from the minimum size;
    an empty group tells nothing about anyone."""
    return count == 0 or count >= SURVEY_MIN_GROUP_SIZE


def survey_campaigns_scope(user, query: Select | None = None) -> Select:
    from matching.survey.models import SurveyCampaign

    query = query if query is not None else select(SurveyCampaign)
    return query if can_manage_surveys(user) else query.where(false())
