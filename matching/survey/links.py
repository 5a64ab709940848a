"""Signed links to a campaign's form, one per invitation.

The link carries the campaign id and the invitation id, signed with the secret key:
nobody can make one for another organisation or campaign. It expires after
``SURVEY_LINK_MAX_AGE`` seconds (400 days by default, longer than any campaign); the
form itself turns read-only when the campaign closes.
"""

from dataclasses import dataclass

from flask import current_app, url_for

from matching import access
from matching.accounts.tokens import load_signed_token, make_signed_token
from matching.extensions import db
from matching.survey.models import SurveyInvitation

PURPOSE = "survey-response"
DEFAULT_MAX_AGE = 400 * 24 * 3600


@dataclass(frozen=True)
class LinkCheck:
    """What a link opens: ``status`` is ``ok``, ``invalid`` or ``expired``."""

    status: str
    invitation: SurveyInvitation | None = None


def make_survey_token(invitation: SurveyInvitation) -> str:
    return make_signed_token(
        PURPOSE, {"campaign": invitation.campaign_id, "invitation": invitation.id}
    )


def survey_link(invitation: SurveyInvitation) -> str:
    """The absolute link, built from BASE_URL (never from the request's host)."""
    path = url_for("survey.respond", token=make_survey_token(invitation))
    return current_app.config["BASE_URL"] + path


def check_survey_token(token: str) -> LinkCheck:
    """Tell a good link from a forged, expired or other-campaign one."""
    payload = load_signed_token(PURPOSE, token, None)
    if payload is None:
        return LinkCheck("invalid")
    max_age = current_app.config.get("SURVEY_LINK_MAX_AGE", DEFAULT_MAX_AGE)
    if load_signed_token(PURPOSE, token, max_age) is None:
        return LinkCheck("expired")
    invitation_id = payload.get("invitation")
    invitation = (
        db.session.get(SurveyInvitation, invitation_id)
        if isinstance(invitation_id, int)
        else None
    )
    if not access.survey_link_is_valid(payload, invitation):
        return LinkCheck("invalid")
    return LinkCheck("ok", invitation)
