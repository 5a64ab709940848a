"""The introduction pipeline. Every transition is a service function that checks who
may do it and from which status, records a dated event, writes on the candidate's and
the case's timelines, and queues the e-mails. Services flush; callers commit once.

suggeree → proposee_candidat → acceptee_candidat | refusee_candidat
acceptee_candidat → transmise_employeur → entretien → embauche | non_retenue
any open status → retiree
"""

from datetime import date, datetime
from decimal import Decimal

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from matching import vocab
from matching.accounts.models import User
from matching.accounts.services import external_url
from matching.candidates.models import Candidate
from matching.candidates.services import add_event
from matching.cases.services import log_activity
from matching.core.templating import date_fr
from matching.core.timeutils import to_paris, utcnow
from matching.email import send_email
from matching.extensions import db
from matching.introductions.models import (
    NOT_RETAINED,
    OPEN_STATUSES,
    Introduction,
    IntroductionEvent,
    Placement,
)
from matching.offers.models import Interest
from matching.organisations.models import Membership
from matching.organisations.services import list_officers
from matching.postings.models import JobPosting
from matching.scoring import Match


class IntroductionError(ValueError):
    """A transition is not allowed now; the message is for the person."""


def _label(status: str | None) -> str:
    return vocab.INTRODUCTION_STATUSES.label(status) if status else ""


def _move(
    intro: Introduction, new_status: str, actor: User | None, note=None, new=False
) -> None:
    """Change the status and record it everywhere (``new``: the first step)."""
    old = None if new else intro.status
    intro.status = new_status
    intro.status_changed_at = utcnow()
    intro.events.append(
        IntroductionEvent(from_status=old, to_status=new_status, actor=actor, note=note)
    )
    add_event(
        intro.candidate,
        "introduction",
        actor,
        introduction_id=intro.id,
        posting_id=intro.posting_id,
        status=new_status,
    )
    case = intro.posting.case
    if case is not None:
        employer_side = new_status in (
            "transmise_employeur",
            "entretien",
            "embauche",
            "non_retenue",
        )
        log_activity(
            case,
            "edit",
            actor,
            _(
                "Mise en relation %(reference)s : %(old)s → %(new)s",
                reference=reference(intro),
                old=_label(old) or _("nouvelle"),
                new=_label(new_status),
            ),
            visibility="employer" if employer_side else "officers",
            data={"introduction_id": intro.id, "from": old, "to": new_status},
        )


def reference(intro: Introduction) -> str:
    """How an introduction is named where the candidate's name may not appear."""
    return f"C-{intro.candidate_id:05d}"


def snapshot(match: Match) -> dict:
    """The score and breakdown at proposal time, as plain JSON."""
    return {
        "score": match.score,
        "feasible": match.feasible,
        "distance_km": match.distance_km,
        "breakdown": {
            name: {
                "score": round(criterion.score, 3),
                "weight": round(criterion.weight, 3),
                "code": criterion.reason.code,
                "params": _jsonable(criterion.reason.params),
            }
            for name, criterion in match.breakdown.items()
        },
        "blockers": [
            {"code": b.code, "params": _jsonable(b.params)} for b in match.blockers
        ],
    }


def _jsonable(params: dict) -> dict:
    out = {}
    for key, value in params.items():
        if isinstance(value, date):
            out[key] = value.isoformat()
        elif isinstance(value, Decimal):
            out[key] = float(value)
        else:
            out[key] = value
    return out


def get_introduction(posting: JobPosting, candidate: Candidate) -> Introduction | None:
    return db.session.scalar(
        select(Introduction).where(
            Introduction.posting_id == posting.id,
            Introduction.candidate_id == candidate.id,
        )
    )


def introduced_candidate_ids(posting: JobPosting) -> set[int]:
    """Candidates already in the pipeline for this posting (hard exclusion)."""
    return set(
        db.session.scalars(
            select(Introduction.candidate_id).where(
                Introduction.posting_id == posting.id
            )
        )
    )


# ---------------------------------------------------------------- officer


def propose(
    posting: JobPosting,
    candidate: Candidate,
    officer: User,
    match: Match | None,
    note=None,
) -> Introduction:
    """The officer proposes the posting to the candidate (who will say yes or no)."""
    if not posting.is_published:
        raise IntroductionError(_("Seule une offre publiée peut être proposée."))
    if candidate.status != "actif" or candidate.is_anonymised:
        raise IntroductionError(_("Cette personne n'est pas en recherche active."))
    intro = get_introduction(posting, candidate)
    if intro is not None and intro.status != "suggeree":
        raise IntroductionError(_("Cette personne est déjà en relation pour ce poste."))
    is_new = intro is None
    if is_new:
        intro = Introduction(posting=posting, candidate=candidate, origin="suggestion")
        db.session.add(intro)
        db.session.flush()
    if match is not None:
        intro.score = match.score
        intro.snapshot = snapshot(match)
    intro.proposed_by = officer
    intro.proposed_at = utcnow()
    _move(intro, "proposee_candidat", officer, note, new=is_new)
    _tell_candidate(intro)
    return intro


def shortlist(
    posting: JobPosting, candidate: Candidate, officer: User, match: Match | None
) -> Introduction:
    """Keep a suggestion aside (status ``suggeree``) to propose it later."""
    if get_introduction(posting, candidate) is not None:
        raise IntroductionError(_("Cette personne est déjà en relation pour ce poste."))
    intro = Introduction(posting=posting, candidate=candidate, origin="suggestion")
    db.session.add(intro)
    db.session.flush()
    if match is not None:
        intro.score = match.score
        intro.snapshot = snapshot(match)
    _move(intro, "suggeree", officer, new=True)
    return intro


def transmit(intro: Introduction, officer: User, note=None) -> None:
    """An accepted introduction (from an interest) is passed on to the employer."""
    _require(intro, ("acceptee_candidat",))
    intro.transmitted_at = utcnow()
    _move(intro, "transmise_employeur", officer, note)
    _tell_employer(intro)


def withdraw(intro: Introduction, actor: User, note=None) -> None:
    """Stop an introduction that is still open (any side may, with a note)."""
    _require(intro, OPEN_STATUSES)
    intro.decided_at = utcnow()
    _move(intro, "retiree", actor, note)


# ---------------------------------------------------------------- candidate


def accept(intro: Introduction, actor: User, note=None) -> None:
    """The candidate agrees (or an officer records their spoken yes): the employer
    now sees the contact details and what the candidate shared for introductions."""
    _require(intro, ("proposee_candidat",))
    intro.answered_at = utcnow()
    _move(intro, "acceptee_candidat", actor, note)
    intro.transmitted_at = utcnow()
    _move(
        intro, "transmise_employeur", None, _("Transmise automatiquement après accord.")
    )
    _tell_officers(intro, _("Une mise en relation a été acceptée"))
    _tell_employer(intro)


def refuse(intro: Introduction, actor: User, reason=None) -> None:
    """The candidate says no (or an officer records their no), with a reason or not."""
    _require(intro, ("proposee_candidat",))
    intro.answered_at = intro.decided_at = utcnow()
    intro.refusal_reason = reason or None
    _move(intro, "refusee_candidat", actor, reason)
    _tell_officers(intro, _("Une mise en relation a été refusée"))


def request_from_interest(
    candidate: Candidate, posting: JobPosting, actor: User | None
):
    """ "Je suis intéressé·e" enters the pipeline: the candidate already agrees; an
    officer reviews before it goes to the employer."""
    intro = get_introduction(posting, candidate)
    if intro is not None and intro.is_open and intro.status != "suggeree":
        return intro
    if intro is not None and not intro.is_open and intro.status != "retiree":
        return intro
    is_new = intro is None
    if is_new:
        intro = Introduction(posting=posting, candidate=candidate, origin="interet")
        db.session.add(intro)
        db.session.flush()
    intro.origin = "interet"
    intro.answered_at = utcnow()
    intro.decided_at = intro.purged_at = None
    _move(
        intro, "acceptee_candidat", actor, _("Intérêt exprimé sur l'offre."), new=is_new
    )
    return intro


def withdraw_interest(candidate: Candidate, posting: JobPosting, actor: User | None):
    intro = get_introduction(posting, candidate)
    if (
        intro is not None
        and intro.origin == "interet"
        and intro.status == "acceptee_candidat"
    ):
        withdraw(intro, actor, _("Intérêt retiré par la personne."))


# ---------------------------------------------------------------- employer


def earliest_interview(intro: Introduction) -> date:
    """An interview cannot come before the employer had the candidature (or, for an
    older introduction without that date, before it was proposed)."""
    since = intro.transmitted_at or intro.proposed_at or intro.created_at or utcnow()
    return to_paris(since).date()


def interview_date_error(intro: Introduction, on: date | None) -> str | None:
    """Why this interview date cannot be recorded, or None."""
    if on is None:
        return _("Indiquez la date de l'entretien.")
    earliest = earliest_interview(intro)
    if on < earliest:
        return _(
            "L'entretien ne peut pas avoir eu lieu avant le %(date)s, "
            "quand la candidature a été transmise à l'employeur.",
            date=date_fr(earliest),
        )
    return None


def record_interview(
    intro: Introduction, actor: User, on: date | None, note=None
) -> None:
    _require(intro, ("transmise_employeur", "entretien"))
    error = interview_date_error(intro, on)
    if error:
        raise IntroductionError(error)
    intro.interview_on = on
    if intro.status != "entretien":
        _move(intro, "entretien", actor, note)


def not_retained(intro: Introduction, actor: User, note=None) -> None:
    _require(intro, ("transmise_employeur", "entretien"))
    intro.decided_at = utcnow()
    _move(intro, "non_retenue", actor, note)


def hire(intro: Introduction, actor: User, values: dict) -> Placement:
    """Record the hire: a placement with its follow-up plan; the posting is filled when
    every position is, and the candidate is now in post."""
    from matching.introductions.followup import create_milestones

    _require(intro, ("transmise_employeur", "entretien"))
    posting = intro.posting
    start = values["start_date"]
    if values.get("end_date") and values["end_date"] <= start:
        raise IntroductionError(_("La fin du contrat doit venir après le début."))
    if values["contract_type"] in vocab.FIXED_TERM_CONTRACTS and not values.get(
        "end_date"
    ):
        raise IntroductionError(_("Indiquez la fin d'un contrat à durée déterminée."))
    trial, end = values.get("trial_end_date"), values.get("end_date")
    if trial and end and trial > end:
        raise IntroductionError(
            _("La période d'essai doit finir avant la fin du contrat.")
        )
    if values.get("funding_end_date") and values["funding_end_date"] < start:
        raise IntroductionError(_("La fin du financement doit venir après le début."))
    intro.decided_at = utcnow()
    _move(intro, "embauche", actor, values.get("note"))
    placement = Placement(
        introduction=intro,
        posting=posting,
        candidate=intro.candidate,
        organisation_id=posting.organisation_id,
        start_date=start,
        contract_type=values["contract_type"],
        fte=values["fte"],
        end_date=values.get("end_date"),
        trial_end_date=values.get("trial_end_date"),
        funding_end_date=values.get("funding_end_date"),
        referent_id=values.get("referent_id"),
        created_by_id=actor.id if actor else None,
    )
    db.session.add(placement)
    create_milestones(placement, supervision=posting.supervision_planned)
    intro.candidate.status = "en_poste"
    add_event(intro.candidate, "hire", actor, posting_id=posting.id)
    db.session.flush()
    hires = db.session.scalar(
        select(func.count(Placement.id)).where(Placement.posting_id == posting.id)
    )
    if hires >= (posting.positions or 1) and posting.status == "publiee":
        from matching.postings.services import transition_posting

        transition_posting(posting, "pourvue", actor)
    return placement


def close_filled(posting: JobPosting, actor: User | None) -> list[Introduction]:
    """The posting is filled (by a hire of its last position, or marked so by hand,
    ``postings.services.transition_posting``): the introductions still open on it are
    withdrawn ("Poste pourvu."), so nobody is left waiting on an answer that no longer
    matters; the people who had been told of the offer hear it kindly."""
    still_open = db.session.scalars(
        select(Introduction)
        .where(
            Introduction.posting_id == posting.id,
            Introduction.status.in_(OPEN_STATUSES),
        )
        .order_by(Introduction.id)
    ).all()
    for intro in still_open:
        knew = intro.status != "suggeree"  # a kept suggestion was never told
        withdraw(intro, actor, _("Poste pourvu."))
        if knew:
            _tell_candidate_filled(intro)
    return list(still_open)


# ---------------------------------------------------------------- retention


def purge_introduction(intro: Introduction, now: datetime | None = None) -> None:
    """Forget the person's details in an introduction that did not lead to a hire
    (the retention job, 3 months after the decision). The status, the dates and the
    bare score stay, for statistics; the employer no longer sees the person in it
    (``access.employer_stage``)."""
    if intro.status not in NOT_RETAINED:
        raise IntroductionError(
            _("Seule une mise en relation sans embauche est purgée.")
        )
    forget_details(intro)
    intro.purged_at = now or utcnow()


def forget_details(intro: Introduction) -> None:
    """Forget what was written about the person in an introduction — the refusal
    reason, every note of its log and of the hire's follow-up, the message of their
    interest — and the score's reasons, which describe their profile. Used by the
    3-month purge and by the person's erasure."""
    intro.refusal_reason = None
    intro.snapshot = {}
    for event in intro.events:
        event.note = None
    if intro.placement is not None:
        intro.placement.end_reason = None
        for milestone in intro.placement.milestones:
            milestone.note = None
    interest = db.session.scalar(
        select(Interest).where(
            Interest.posting_id == intro.posting_id,
            Interest.candidate_id == intro.candidate_id,
        )
    )
    if interest is not None:
        interest.message = None


def _require(intro: Introduction, allowed) -> None:
    if intro.status not in allowed:
        raise IntroductionError(
            _(
                "Cette action n'est plus possible : la mise en relation est « %(status)s ».",
                status=_label(intro.status),
            )
        )


# ---------------------------------------------------------------- e-mails


def reaches_candidate(candidate: Candidate) -> bool:
    """Whether the person is told by e-mail and answers in their space: only with an
    active account. Otherwise the officer tells them and records their answer."""
    return candidate.user is not None and candidate.user.active


def _tell_candidate(intro: Introduction) -> None:
    user = intro.candidate.user
    if not reaches_candidate(intro.candidate):
        return
    with force_locale(user.locale):
        send_email(
            user,
            _("Une offre vous est proposée sur Passerelle"),
            "introduction_proposed",
            link=external_url(
                "introductions.candidate_detail", introduction_id=intro.id
            ),
        )


def _tell_candidate_filled(intro: Introduction) -> None:
    if not reaches_candidate(intro.candidate):
        return
    user = intro.candidate.user
    with force_locale(user.locale):
        send_email(
            user,
            _("Une offre qui vous était proposée est pourvue"),
            "introduction_filled",
            link=external_url(
                "introductions.candidate_detail", introduction_id=intro.id
            ),
        )


def _tell_employer(intro: Introduction) -> None:
    members = db.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.organisation_id == intro.posting.organisation_id,
            Membership.status == "active",
            User.active.is_(True),
        )
    ).all()
    for user in members:
        with force_locale(user.locale):
            send_email(
                user,
                _("Une candidature vous est transmise"),
                "introduction_transmitted",
                link=external_url(
                    "introductions.employer_detail", introduction_id=intro.id
                ),
            )


def _tell_officers(intro: Introduction, subject: str) -> None:
    case = intro.posting.case
    officers = (
        [case.officer]
        if case and case.officer and case.officer.active
        else list_officers()
    )
    for officer in officers:
        with force_locale(officer.locale):
            send_email(
                officer,
                subject,
                "introduction_update",
                link=external_url("introductions.detail", introduction_id=intro.id),
            )
