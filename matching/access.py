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


# ---------------------------------------------------------------- candidates

# Sharing levels, from the most private; each level also allows the ones before it.
SHARING_ORDER = ("prive", "apres_mise_en_relation", "public_employeurs")
# The consent purpose that a sharing level needs (beyond storing the data at all).
SHARING_PURPOSE = {
    "prive": "equipe",
    "apres_mise_en_relation": "mise_en_relation",
    "public_employeurs": "profil_anonyme",
}
EMPLOYER_STAGES = ("anonymous", "introduced")


def is_own_candidate(user, candidate) -> bool:
    return bool(
        user
        and user.is_authenticated
        and candidate.user_id is not None
        and candidate.user_id == user.id
    )


def can_view_candidate(user, candidate) -> bool:
    """Officers see every profile; a candidate sees their own."""
    return is_officer(user) or is_own_candidate(user, candidate)


def can_edit_candidate(user, candidate) -> bool:
    return can_view_candidate(user, candidate) and candidate.anonymised_at is None


def is_third_party_view(user, candidate) -> bool:
    """True when someone other than the person reads their profile: it is audited."""
    return not is_own_candidate(user, candidate)


def allowed_sharing_levels(purposes) -> tuple[str, ...]:
    """The sharing levels a consent covers ("equipe" is needed to store anything)."""
    if "equipe" not in purposes:
        return ()
    return tuple(lvl for lvl in SHARING_ORDER if SHARING_PURPOSE[lvl] in purposes)


def effective_sharing(level: str, purposes) -> str | None:
    """The level actually applied: the chosen one, capped by what the consent covers.

    None when nothing may be stored. An unknown level counts as ``prive``.
    """
    allowed = allowed_sharing_levels(purposes)
    if not allowed:
        return None
    if level in allowed:
        return level
    rank = SHARING_ORDER.index(level) if level in SHARING_ORDER else 0
    return next(lvl for lvl in reversed(allowed) if SHARING_ORDER.index(lvl) <= rank)


def employer_may_see(level: str, purposes, stage: str) -> bool:
    """Whether an item shared at ``level`` reaches an employer at ``stage``."""
    applied = effective_sharing(level, purposes)
    if applied == "public_employeurs":
        return True
    return applied == "apres_mise_en_relation" and stage == "introduced"


def candidate_view_for_employer(candidate, stage: str) -> dict:
    """What an employer sees of a candidate: THE projection, used by the candidate's
    preview and by every employer page. ``stage`` is "anonymous" (the anonymous
    profile) or "introduced" (after the candidate accepted an introduction).

    Contact details and the name appear only once introduced; a lived-experience
    item only when its sharing level, capped by the active consent, reaches the
    stage. Notes, status, consents and private items are never part of it.
    """
    if stage not in EMPLOYER_STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    introduced = stage == "introduced"
    purposes = candidate.consent_purposes

    def shared(level: str) -> bool:
        return employer_may_see(level, purposes, stage)

    view = {
        "stage": stage,
        "reference": f"C-{candidate.id:05d}",
        "department": candidate.department,
        "mobility_radius_km": candidate.mobility_radius_km,
        "available_from": candidate.available_from,
        "fte_min": candidate.fte_min,
        "fte_max": candidate.fte_max,
        "contract_types": list(candidate.contract_types or []),
        "sectors": list(candidate.sectors or []),
        "titles": list(candidate.titles or []),
        "functions": list(candidate.functions or []),
        "languages": list(candidate.languages or []),
        "trainings": [(t.name, t.status) for t in candidate.trainings],
        "domains": [d.domain for d in candidate.domains if shared(d.sharing)],
        "background_text": (
            candidate.background_text
            if candidate.background_text and shared(candidate.background_sharing)
            else None
        ),
        "peer_help_text": (
            candidate.peer_help_text
            if candidate.peer_help_text and shared(candidate.peer_help_sharing)
            else None
        ),
        "display_name": candidate.display_name if introduced else None,
        "commune": candidate.commune if introduced else None,
        "email": candidate.email if introduced else None,
        "phone": candidate.phone if introduced else None,
    }
    return view


def candidates_scope(user, query: Select | None = None) -> Select:
    """Candidate profiles the user may open: all for officers, their own for a
    candidate, none for anyone else. Anonymised profiles are kept for counts only."""
    from matching.candidates.models import Candidate

    query = query if query is not None else select(Candidate)
    query = query.where(Candidate.anonymised_at.is_(None))
    if is_officer(user):
        return query
    if user and user.is_authenticated and user.role == "candidate":
        return query.where(Candidate.user_id == user.id)
    return query.where(false())


def published_postings_scope(query: Select | None = None) -> Select:
    """Postings anyone may browse: the published ones."""
    from matching.postings.models import JobPosting

    query = query if query is not None else select(JobPosting)
    return query.where(JobPosting.status == "publiee")


def posting_public_view(posting) -> dict:
    """The fields of a published posting that visitors and candidates see (never the
    case, who published it, internal dates or the organisation's internal data)."""
    organisation = posting.organisation
    return {
        "id": posting.id,
        "title": posting.title,
        "custom_title": posting.custom_title,
        "functions": list(posting.functions or []),
        "sector": posting.sector,
        "commune": posting.commune,
        "department": posting.department,
        "contract_type": posting.contract_type,
        "contract_months": posting.contract_months,
        "fte": posting.fte,
        "positions": posting.positions,
        "collective_agreement": posting.collective_agreement,
        "classification": posting.classification,
        "salary": posting.salary,
        "start_date": posting.start_date,
        "context": posting.context,
        "missions": posting.missions,
        "experience_domains": list(posting.experience_domains or []),
        "experience_text": posting.experience_text,
        "savoir_etre": posting.savoir_etre,
        "diploma_required": posting.diploma_required,
        "binome": posting.binome,
        "supervision_planned": posting.supervision_planned,
        "how_to_apply": posting.how_to_apply,
        "published_at": posting.published_at,
        "organisation_name": organisation.name,
        "organisation_type": organisation.structure_type,
        "organisation_commune": organisation.commune,
    }


def interests_scope(user, query: Select | None = None) -> Select:
    """Interests the user may see: all for officers, their own for a candidate."""
    from matching.candidates.models import Candidate
    from matching.offers.models import Interest

    query = query if query is not None else select(Interest)
    if is_officer(user):
        return query
    if user and user.is_authenticated and user.role == "candidate":
        own = select(Candidate.id).where(Candidate.user_id == user.id)
        return query.where(Interest.candidate_id.in_(own.scalar_subquery()))
    return query.where(false())


# ---------------------------------------------------------------- introductions


def can_view_introduction(user, introduction) -> bool:
    """Officers; the candidate it concerns; the employer once it was passed on."""
    if is_officer(user):
        return True
    if user and user.is_authenticated and user.role == "candidate":
        # a suggestion an officer keeps aside was never put to the person
        return introduction.status != "suggeree" and is_own_candidate(
            user, introduction.candidate
        )
    return introduction.employer_knows and is_member_of(
        user, introduction.posting.organisation_id
    )


def employer_stage(introduction) -> str:
    """What an employer sees of the candidate of this introduction: once its
    personal details are purged (3 months after a negative decision), the anonymous
    profile again."""
    if introduction.employer_knows and introduction.purged_at is None:
        return "introduced"
    return "anonymous"


def employer_sight_for_candidate(introduction) -> str | None:
    """What the candidate's page of an introduction says the employer sees of them:
    ``"now"`` once the employer has the candidature, ``"soon"`` between their yes and
    its transmission, ``"on_yes"`` while it waits for their answer, None when the
    employer sees nothing of them for this offer."""
    if introduction.employer_knows:
        return "now"
    return {"acceptee_candidat": "soon", "proposee_candidat": "on_yes"}.get(
        introduction.status
    )


def introductions_scope(user, query: Select | None = None) -> Select:
    from matching.candidates.models import Candidate
    from matching.introductions.models import EMPLOYER_STATUSES, Introduction
    from matching.postings.models import JobPosting

    query = query if query is not None else select(Introduction)
    if is_officer(user):
        return query
    if user and user.is_authenticated and user.role == "candidate":
        own = select(Candidate.id).where(Candidate.user_id == user.id)
        return query.where(
            Introduction.candidate_id.in_(own.scalar_subquery()),
            Introduction.status != "suggeree",
        )
    org_id = active_organisation_id(user)
    if org_id is None:
        return query.where(false())
    postings = select(JobPosting.id).where(JobPosting.organisation_id == org_id)
    return query.where(
        Introduction.posting_id.in_(postings.scalar_subquery()),
        Introduction.status.in_(EMPLOYER_STATUSES),
    )


def placements_scope(user, query: Select | None = None) -> Select:
    from matching.introductions.models import Placement

    query = query if query is not None else select(Placement)
    if is_officer(user):
        return query
    org_id = active_organisation_id(user)
    if org_id is None:
        return query.where(false())
    return query.where(Placement.organisation_id == org_id)


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


# ---------------------------------------------------------------- imports and exports


def can_import(user) -> bool:
    """Spreadsheet imports of organisations, candidates and postings: officers."""
    return is_officer(user)


def can_use_import(user, job) -> bool:
    """An import holds a copy of its file: only the officer who uploaded it opens it."""
    return is_officer(user) and job.created_by_id == user.id


def can_export_candidates(user) -> bool:
    return is_officer(user)


def can_export_sensitive_fields(user) -> bool:
    """Experience domains and the person's own texts: officers, on explicit request
    (the export is then audited on each person's trail)."""
    return is_officer(user)


def can_export_survey_answers(user) -> bool:
    return can_manage_surveys(user)


def funding_lines_scope(user, query: Select | None = None) -> Select:
    """Funding lines of the cases the user may see."""
    from matching.cases.models import FundingLine, SupportCase

    query = query if query is not None else select(FundingLine)
    visible = cases_scope(user, select(SupportCase.id))
    return query.where(FundingLine.case_id.in_(visible.scalar_subquery()))
