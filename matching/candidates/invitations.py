"""The claim invitation: a person registered by an officer receives a signed,
expiring link, chooses a password, and the profile becomes theirs. Operations flush;
the caller commits."""

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from matching.accounts import services as accounts
from matching.accounts import tokens
from matching.accounts.models import User
from matching.candidates.models import Candidate
from matching.candidates.services import CandidateError, add_event
from matching.core.timeutils import utcnow
from matching.email import send_email
from matching.extensions import db

CLAIM = "candidate-claim"


def invite_candidate(candidate: Candidate, officer: User) -> None:
    """E-mail the person a signed, expiring link to claim the profile."""
    if candidate.user_id is not None:
        raise CandidateError(_("Cette personne a déjà un compte."))
    if not candidate.email:
        raise CandidateError(_("Ajoutez d'abord une adresse e-mail."))
    if accounts.get_user_by_email(candidate.email) is not None:
        raise CandidateError(
            _(
                "Un compte existe déjà avec cette adresse : la personne retrouvera ce "
                "profil en se connectant."
            )
        )
    candidate.invited_at = utcnow().replace(microsecond=0)
    token = tokens.make_signed_token(
        CLAIM,
        {
            "cid": candidate.id,
            "email": candidate.email,
            "at": candidate.invited_at.isoformat(),
        },
    )
    with force_locale("fr"):
        send_email(
            candidate.email,
            _("Votre profil Passerelle vous attend"),
            "candidate_claim",
            sensitive=True,
            name=candidate.display_name,
            link=accounts.external_url("candidates.claim", token=token),
            days=current_app.config["INVITATION_MAX_AGE"] // 86400,
        )
    add_event(candidate, "invitation", officer)


def candidate_from_claim_token(token: str) -> Candidate | None:
    """The profile of a valid claim link; None if forged, expired, replaced or used."""
    data = tokens.load_signed_token(
        CLAIM, token, current_app.config["INVITATION_MAX_AGE"]
    )
    if not data or not isinstance(data.get("cid"), int):
        return None
    candidate = db.session.get(Candidate, data["cid"])
    if (
        candidate is None
        or candidate.user_id is not None
        or candidate.anonymised_at is not None
        or candidate.invited_at is None
        or candidate.email != data.get("email")
        or candidate.invited_at.isoformat() != data.get("at")
    ):
        return None
    return candidate


def claim_candidate(candidate: Candidate, password: str) -> User:
    """The person sets a password: their account is created and linked."""
    user = accounts.create_user(
        candidate.email, candidate.display_name, "candidate", password, verified=True
    )
    candidate.user = user
    candidate.last_confirmed_at = utcnow()
    add_event(candidate, "claimed", user)
    return user
