"""Candidate operations. They change state and flush; the caller commits once.

The consent rule lives here: no experience domain, background or peer-help text is
stored without an active consent covering its sharing level.
"""

import re
import secrets
from datetime import datetime, time
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from matching import access, vocab
from matching.accounts import services as accounts
from matching.accounts.models import User
from matching.accounts.passwords import hash_password
from matching.audit.services import record_audit
from matching.candidates.choices import SELF_STATUSES
from matching.candidates.consent import CONSENT_PURPOSES, CONSENT_VERSION
from matching.candidates.models import (
    ANONYMISED_NAME,
    Candidate,
    CandidateDomain,
    CandidateEvent,
    ConsentRecord,
    Training,
)
from matching.communes.data import Commune
from matching.core.timeutils import paris_to_utc, utcnow
from matching.extensions import db
from matching.reminders.models import EmailMessage
from matching.scoring.text import normalise
from matching.vocab import fold

FTE_MIN, FTE_MAX = Decimal("0.1"), Decimal("1.0")
RADIUS_MAX = 200
TEXT_LIMITS = {"background_text": 3000, "peer_help_text": 2000}


class CandidateError(ValueError):
    """A rule of candidate profiles was broken; the message is for the person."""


class ConsentRequired(CandidateError):
    """Sensitive data without an active consent covering it."""


# ---------------------------------------------------------------- derived fields


def phone_key(phone: str | None) -> str | None:
    """Digits only, "+33 6 12…" and "0033 6…" written "0612…" (for duplicates)."""
    digits = re.sub(r"\D", "", phone or "")
    for prefix in ("0033", "33"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 9:
            digits = "0" + digits[len(prefix) :]
    return digits or None


def _slug_words(slugs) -> list[str]:
    return [slug.replace("_", " ") for slug in slugs or []]


def refresh_search_fields(candidate: Candidate) -> None:
    """Recompute the folded copies the search reads (never computed at query time)."""
    candidate.name_search = fold(candidate.display_name or "")[:120]
    parts = [
        candidate.display_name,
        candidate.commune,
        candidate.department,
        candidate.email,
        candidate.phone,
        *_slug_words(candidate.sectors),
        *_slug_words(candidate.titles),
        *_slug_words(candidate.functions),
        *_slug_words(d.domain for d in candidate.domains),
        candidate.background_text,
        candidate.peer_help_text,
        *(t.name for t in candidate.trainings),
        *(t.provider for t in candidate.trainings),
    ]
    candidate.search_text = fold(" ".join(p for p in parts if p))
    candidate.match_background = normalise(candidate.background_text)
    candidate.match_peer_help = normalise(candidate.peer_help_text)
    candidate.match_trainings = normalise(*(t.name for t in candidate.trainings))
    # Touch the row even when only a sharing level changed: the matching pool's cache
    # is keyed on the latest update.
    candidate.updated_at = utcnow()


def set_commune(candidate: Candidate, commune: Commune | None) -> None:
    """Copy the commune and its coordinates (the matching engine reads them)."""
    candidate.commune_insee = commune.insee if commune else None
    candidate.commune = commune.name if commune else None
    candidate.department = commune.department if commune else None
    candidate.latitude = commune.latitude if commune else None
    candidate.longitude = commune.longitude if commune else None


def set_contact(candidate: Candidate, email: str | None, phone: str | None) -> None:
    candidate.email = accounts.normalise_email(email) or None
    candidate.phone = (phone or "").strip() or None
    candidate.phone_key = phone_key(candidate.phone)


def _check_slugs(values, vocabulary) -> list[str]:
    values = list(dict.fromkeys(values or []))
    if any(value not in vocabulary for value in values):
        raise CandidateError(_("Un des choix n'existe pas."))
    return values


# ---------------------------------------------------------------- timeline


def add_event(
    candidate: Candidate,
    kind: str,
    author: User | None = None,
    body: str | None = None,
    occurred_at: datetime | None = None,
    **data,
) -> CandidateEvent:
    event = CandidateEvent(
        candidate=candidate,
        kind=kind,
        author=author,
        body=body,
        occurred_at=occurred_at or utcnow(),
        data=data,
    )
    db.session.add(event)
    return event


def add_written_event(candidate, kind, author, body, occurred_on) -> CandidateEvent:
    """An officer's note, meeting or call; the day is taken at noon in Paris."""
    occurred_at = paris_to_utc(datetime.combine(occurred_on, time(12)))
    return add_event(candidate, kind, author, body=body, occurred_at=occurred_at)


# ---------------------------------------------------------------- profiles


def get_candidate_for_user(user) -> Candidate | None:
    if not (user and user.is_authenticated):
        return None
    return db.session.scalar(
        select(Candidate).where(
            Candidate.user_id == user.id, Candidate.anonymised_at.is_(None)
        )
    )


def start_profile(user: User) -> Candidate:
    """Create the profile of a confirmed candidate account.

    A profile that an officer registered with the same (now confirmed) address and
    that nobody has claimed becomes this account's profile.
    """
    existing = db.session.scalar(
        select(Candidate)
        .where(Candidate.user_id.is_(None), Candidate.anonymised_at.is_(None))
        .where(func.lower(Candidate.email) == user.email.lower())
        .order_by(Candidate.id)
    )
    if existing is not None:
        existing.user = user
        add_event(existing, "claimed", user)
        return existing
    candidate = Candidate(
        user=user, display_name=user.display_name, email=user.email, status="actif"
    )
    refresh_search_fields(candidate)
    db.session.add(candidate)
    db.session.flush()
    add_event(candidate, "created", user)
    return candidate


def _mark_step(candidate: Candidate, step: int) -> None:
    candidate.registration_step = max(candidate.registration_step or 1, step + 1)


def apply_where_when(candidate: Candidate, form, step: int = 1) -> None:
    """Step 1: name, phone, commune, radius, availability, working time, contracts."""
    radius = form.mobility_radius_km.data
    fte_min, fte_max = (
        Decimal(v) if v else None for v in (form.fte_min.data, form.fte_max.data)
    )
    if radius is None or not 0 <= radius <= RADIUS_MAX:
        raise CandidateError(_("Indiquez un nombre entre 0 et 200 kilomètres."))
    for value in (fte_min, fte_max):
        if value is not None and not FTE_MIN <= value <= FTE_MAX:
            raise CandidateError(_("Choisissez un temps de travail de 10 à 100 %."))
    if fte_min is not None and fte_max is not None and fte_min > fte_max:
        raise CandidateError(
            _("Le « au plus » doit être plus grand que le « au moins ».")
        )
    candidate.display_name = form.display_name.data
    set_contact(candidate, candidate.email, form.phone.data)
    set_commune(candidate, form.commune.commune)
    candidate.mobility_radius_km = radius
    candidate.available_from = form.available_from.data
    candidate.fte_min, candidate.fte_max = fte_min, fte_max
    candidate.contract_types = _check_slugs(
        form.contract_types.data, vocab.CONTRACT_TYPES
    )
    if "status" in form and form.status.data in SELF_STATUSES:
        candidate.status = form.status.data
    _mark_step(candidate, step)
    refresh_search_fields(candidate)


def apply_wishes(candidate: Candidate, form, step: int = 2) -> None:
    candidate.titles = _check_slugs(form.titles.data, vocab.JOB_TITLES)
    candidate.functions = _check_slugs(form.functions.data, vocab.FUNCTIONS)
    candidate.sectors = _check_slugs(form.sectors.data, vocab.SECTORS)
    _mark_step(candidate, step)
    refresh_search_fields(candidate)


def apply_trainings_languages(candidate: Candidate, trainings, languages, step=4):
    """Step 4: ``trainings`` is a list of (name, provider, status); blanks ignored."""
    kept = []
    for name, provider, status in trainings:
        if not name:
            continue
        if status not in vocab.TRAINING_STATUSES:
            raise CandidateError(_("Un des choix n'existe pas."))
        kept.append(Training(name=name, provider=provider or None, status=status))
    candidate.trainings = kept
    candidate.languages = _check_slugs(languages, vocab.LANGUAGES)
    _mark_step(candidate, step)
    refresh_search_fields(candidate)


def save_experience(
    candidate: Candidate,
    domains: dict[str, str],
    background_text: str | None = None,
    background_sharing: str = "prive",
    peer_help_text: str | None = None,
    peer_help_sharing: str = "prive",
    step: int = 3,
) -> None:
    """Store experience domains (slug -> sharing level) and the person's texts.

    Refused unless an active consent covers every sharing level asked for.
    """
    purposes = candidate.consent_purposes
    allowed = access.allowed_sharing_levels(purposes)
    wanted = {
        *domains.values(),
        *([background_sharing] if background_text else []),
        *([peer_help_sharing] if peer_help_text else []),
    }
    has_content = bool(domains or background_text or peer_help_text)
    if has_content and not allowed:
        raise ConsentRequired(
            _("Sans votre accord, Passerelle ne peut pas garder ces informations.")
        )
    for level in wanted | {background_sharing, peer_help_sharing}:
        if level not in vocab.SHARING_LEVELS:
            raise CandidateError(_("Un des choix n'existe pas."))
    if wanted - set(allowed):
        raise ConsentRequired(
            _(
                "Votre accord ne couvre pas ce niveau de partage. Changez votre accord "
                "ou choisissez un partage plus restreint."
            )
        )
    _check_slugs(domains.keys(), vocab.EXPERIENCE_DOMAINS)
    for field, text in (
        ("background_text", background_text),
        ("peer_help_text", peer_help_text),
    ):
        if text and len(text) > TEXT_LIMITS[field]:
            raise CandidateError(_("Ce texte est trop long."))
    current = {d.domain: d for d in candidate.domains}
    candidate.domains = [
        _domain_row(current.get(slug), slug, level) for slug, level in domains.items()
    ]
    candidate.background_text = background_text or None
    candidate.background_sharing = background_sharing
    candidate.peer_help_text = peer_help_text or None
    candidate.peer_help_sharing = peer_help_sharing
    _mark_step(candidate, step)
    refresh_search_fields(candidate)


def _domain_row(row, slug, level) -> CandidateDomain:
    row = row or CandidateDomain(domain=slug)
    row.sharing = level
    return row


def skip_step(candidate: Candidate, step: int) -> None:
    _mark_step(candidate, step)


def complete_profile(candidate: Candidate, by: User) -> None:
    if candidate.completed_at is None:
        candidate.completed_at = utcnow()
        add_event(candidate, "completed", by)
    candidate.last_confirmed_at = utcnow()


def confirm_profile(candidate: Candidate, by: User) -> None:
    """ "My information is still correct": restarts the 24-month retention clock."""
    candidate.last_confirmed_at = utcnow()
    add_event(candidate, "confirmed", by)


# ---------------------------------------------------------------- consent


def give_consent(
    candidate: Candidate,
    purposes: list[str],
    by: User,
    method: str = "en_ligne",
    given_on=None,
) -> ConsentRecord:
    """Record a consent (replacing the active one); narrower purposes lower the
    sharing levels already chosen so nothing stays shared beyond the new consent."""
    purposes = [p for p in CONSENT_PURPOSES if p in set(purposes)]
    if "equipe" not in purposes:
        raise ConsentRequired(_("Cochez au moins la première case."))
    if method not in ("en_ligne", "oral") or (method == "oral" and given_on is None):
        raise CandidateError(_("Indiquez la date de l'accord."))
    now = utcnow()
    previous = candidate.active_consent
    if previous is not None:
        previous.superseded_at = now
    record = ConsentRecord(
        version=CONSENT_VERSION,
        purposes=purposes,
        method=method,
        given_on=given_on,
        given_at=now,
        recorded_by=by,
    )
    candidate.consents.append(record)
    for row in candidate.domains:
        row.sharing = access.effective_sharing(row.sharing, purposes)
    for field in ("background_sharing", "peer_help_sharing"):
        setattr(
            candidate,
            field,
            access.effective_sharing(getattr(candidate, field), purposes),
        )
    add_event(candidate, "consent", by, purposes=purposes, method=method)
    db.session.flush()
    record_audit(
        by, "consent.give", "candidate", candidate.id, purposes=purposes, method=method
    )
    return record


def sharing_levels(candidate: Candidate) -> dict[str, str]:
    """What is shared at which level: each domain, and the two texts when written."""
    levels = {f"domain:{row.domain}": row.sharing for row in candidate.domains}
    if candidate.background_text:
        levels["background"] = candidate.background_sharing
    if candidate.peer_help_text:
        levels["peer_help"] = candidate.peer_help_sharing
    return levels


def lowered_levels(before: dict[str, str], after: dict[str, str]) -> set[str]:
    """The levels that some shared item was lowered to (by a narrower consent)."""
    order = access.SHARING_ORDER
    return {
        level
        for key, level in after.items()
        if key in before
        and before[key] in order
        and level in order
        and order.index(level) < order.index(before[key])
    }


def withdraw_consent(candidate: Candidate, by: User) -> None:
    """Withdraw the consent and delete everything it covered."""
    consent = candidate.active_consent
    if consent is None:
        raise CandidateError(_("Il n'y a pas d'accord en cours."))
    consent.withdrawn_at = utcnow()
    consent.withdrawn_by = by
    _delete_sensitive(candidate)
    add_event(candidate, "consent_withdrawn", by)
    refresh_search_fields(candidate)
    db.session.flush()
    record_audit(by, "consent.withdraw", "candidate", candidate.id)


def _delete_sensitive(candidate: Candidate) -> None:
    candidate.domains = []
    candidate.background_text = None
    candidate.background_sharing = "prive"
    candidate.peer_help_text = None
    candidate.peer_help_sharing = "prive"


# ---------------------------------------------------------------- officer tools


def create_candidate(officer: User, display_name, email, phone, commune) -> Candidate:
    """An officer registers a person met in person (no account yet)."""
    candidate = Candidate(display_name=display_name, status="actif", created_by=officer)
    set_contact(candidate, email, phone)
    set_commune(candidate, commune)
    refresh_search_fields(candidate)
    db.session.add(candidate)
    db.session.flush()
    add_event(candidate, "created", officer)
    return candidate


def update_contact(candidate: Candidate, display_name, email, phone, status) -> None:
    """An officer corrects the name, contact details or status (the account's login
    address, if any, is not changed)."""
    if status not in vocab.CANDIDATE_STATUSES:
        raise CandidateError(_("Un des choix n'existe pas."))
    candidate.display_name = display_name
    set_contact(candidate, email, phone)
    candidate.status = status
    refresh_search_fields(candidate)


def record_sensitive_view(candidate: Candidate, viewer: User, via: str) -> None:
    """Audit a view of the profile by someone other than the person."""
    if not access.is_third_party_view(viewer, candidate):
        return
    fields = [
        name
        for name, present in (
            ("domains", bool(candidate.domains)),
            ("background_text", bool(candidate.background_text)),
            ("peer_help_text", bool(candidate.peer_help_text)),
            ("contact", bool(candidate.email or candidate.phone)),
        )
        if present
    ]
    record_audit(
        viewer, "candidate.view", "candidate", candidate.id, fields=fields, via=via
    )


# ---------------------------------------------------------------- data rights


def erase_candidate(candidate: Candidate, by: User | None) -> None:
    """Anonymise a candidate: delete contact details, commune, sensitive fields,
    trainings and notes, and what was written about them in their introductions and
    hires; end the account's sessions. What remains (department, dates,
    status ``archive``, interest rows without their message) only feeds counts.

    Reused by the retention job (``by=None``).
    """
    if candidate.anonymised_at is not None:
        return
    _close_what_needed_consent(candidate, by)
    user = candidate.user
    active = candidate.active_consent
    if active is not None:
        active.withdrawn_at = utcnow()
        active.withdrawn_by = by
    _delete_sensitive(candidate)
    candidate.display_name = ANONYMISED_NAME
    set_contact(candidate, None, None)
    department = candidate.department
    set_commune(candidate, None)
    candidate.department = department
    for field in ("contract_types", "sectors", "titles", "functions", "languages"):
        setattr(candidate, field, [])
    candidate.available_from = None
    candidate.mobility_radius_km = None
    candidate.fte_min = candidate.fte_max = None
    candidate.trainings = []
    candidate.events = []
    candidate.status = "archive"
    candidate.name_search = ""
    candidate.search_text = ""
    candidate.anonymised_at = utcnow()
    if user is not None:
        _anonymise_user(user)
    db.session.flush()
    record_audit(by, "candidate.erase", "candidate", candidate.id)


def erase_account_without_profile(user: User) -> None:
    """A candidate account that never had a profile: forget the account."""
    _anonymise_user(user)
    db.session.flush()
    record_audit(user, "candidate.erase", "user", user.id)


def _close_what_needed_consent(candidate: Candidate, by: User | None) -> None:
    """Introductions still in progress are withdrawn (nobody may pass the person on
    any more), and what was written about the person in every introduction and hire
    is forgotten (notes, reasons, score explanations); interests are closed without
    their message. Statuses and dates stay, for the counts."""
    from matching.introductions.models import OPEN_STATUSES, Introduction
    from matching.introductions.services import forget_details, withdraw
    from matching.offers.models import Interest

    for interest in db.session.scalars(
        select(Interest).where(Interest.candidate_id == candidate.id)
    ):
        interest.status, interest.message = "retiree", None
    for intro in db.session.scalars(
        select(Introduction).where(Introduction.candidate_id == candidate.id)
    ):
        if intro.status in OPEN_STATUSES:
            withdraw(intro, by, _("Les données de la personne sont effacées."))
        forget_details(intro)


def _anonymise_user(user: User) -> None:
    """Deactivate the account, end its sessions, and forget its address and name,
    including in the e-mail log (pending messages are cancelled)."""
    address = user.email
    user.active = False
    user.rotate_session_token()
    user.email = f"efface-{user.id}-{secrets.token_hex(4)}@passerelle.invalid"
    user.display_name = ANONYMISED_NAME
    user.password_hash = hash_password(secrets.token_urlsafe(32))
    for message in db.session.scalars(
        select(EmailMessage).where(
            or_(
                EmailMessage.recipient_user_id == user.id,
                EmailMessage.recipient_email == address,
            )
        )
    ):
        if message.status == "pending":
            message.status = "cancelled"
        message.recipient_email = user.email
        message.body_text = ""
        message.body_html = ""


def export_candidate_data(candidate: Candidate, actor: User, fmt: str) -> dict:
    """Everything Passerelle holds about the person, including consents and who
    viewed or exported the profile (the export itself is audited first)."""
    from matching.candidates.export import build_export

    record_audit(actor, "candidate.export", "candidate", candidate.id, format=fmt)
    return build_export(candidate)


def view_candidate_data(candidate: Candidate, actor: User) -> dict:
    """The same content, read on the "Mes données" page: audited as a view, not as a
    download (the view itself is audited first, so the page lists it)."""
    from matching.candidates.export import build_export

    record_audit(actor, "candidate.view_data", "candidate", candidate.id)
    return build_export(candidate)
