"""What the candidate's and the officer's home pages show about candidates.

The home views belong to ``core``; this context processor gives their templates'
blocks the few numbers they need, and runs only for those two pages.
"""

from datetime import timedelta

from sqlalchemy import func, select

from matching import access
from matching.core.timeutils import utcnow
from matching.extensions import db

# The reminders issue warns 30 days before the 24 months; the button shows earlier.
CONFIRM_AFTER = timedelta(days=365)


def home_context(endpoint: str | None, user) -> dict:
    if endpoint == "core.candidate_home" and user.is_authenticated:
        return _candidate_home(user)
    if endpoint == "core.officer_home" and access.is_officer(user):
        return _officer_home(user)
    return {}


def _candidate_home(user) -> dict:
    from matching.candidates.services import get_candidate_for_user
    from matching.offers.services import list_interests_of

    candidate = get_candidate_for_user(user)
    if candidate is None:
        return {}
    return {
        "candidate_profile": candidate,
        "waiting_proposals": _waiting_proposals(user),
        "candidate_interests": list_interests_of(candidate),
        "confirmation_wanted": candidate.last_confirmed_at < utcnow() - CONFIRM_AFTER,
    }


def _waiting_proposals(user) -> list:
    """Offers proposed to the candidate that wait for their yes or no."""
    from sqlalchemy.orm import joinedload

    from matching.introductions.models import Introduction
    from matching.postings.models import JobPosting

    return db.session.scalars(
        access.introductions_scope(user)
        .where(Introduction.status == "proposee_candidat")
        .options(joinedload(Introduction.posting).joinedload(JobPosting.organisation))
        .order_by(Introduction.status_changed_at)
    ).all()


def _officer_home(user) -> dict:
    from matching.candidates.models import Candidate
    from matching.offers.models import Interest

    count = select(func.count(Candidate.id)).where(Candidate.status == "actif")
    return {
        "candidates_active": db.session.scalar(access.candidates_scope(user, count)),
        "interests_new": db.session.scalar(
            access.interests_scope(
                user,
                select(func.count(Interest.id)).where(Interest.status == "nouvelle"),
            )
        ),
    }
