"""Account operations. They change state and flush; the caller commits once."""

import secrets

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from matching.accounts import tokens
from matching.accounts.models import ROLES, User
from matching.accounts.passwords import hash_password, needs_rehash, verify_password
from matching.core.timeutils import utcnow
from matching.email import send_email
from matching.extensions import db


class AccountError(ValueError):
    """A rule of the accounts was broken; the message is for the user."""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(
        select(User).where(func.lower(User.email) == normalise_email(email))
    )


def external_url(endpoint: str, **values) -> str:
    """An absolute link built from BASE_URL, never from the request's Host header."""
    from matching.email import outside_request_context

    with outside_request_context():
        return current_app.config["BASE_URL"] + url_for(endpoint, **values)


def create_user(
    email: str,
    display_name: str,
    role: str,
    password: str | None = None,
    *,
    is_admin: bool = False,
    verified: bool = False,
    locale: str = "fr",
) -> User:
    """Create an account; without a password it gets an unusable one."""
    if role not in ROLES:
        raise AccountError(_("Rôle inconnu : %(role)s", role=role))
    if get_user_by_email(email) is not None:
        raise AccountError(_("Un compte existe déjà avec cette adresse."))
    user = User(
        email=normalise_email(email),
        display_name=display_name.strip(),
        role=role,
        is_admin=is_admin and role == "officer",
        password_hash=hash_password(password or secrets.token_urlsafe(32)),
        email_verified_at=utcnow() if verified else None,
        locale=locale,
    )
    db.session.add(user)
    db.session.flush()
    return user


def register_user(email: str, display_name: str, password: str, role: str) -> None:
    """Self-registration; the answer is the same whether or not the address is known.

    A new address gets an account and a confirmation link; a known address gets an
    e-mail telling its owner that someone tried to register with it.
    """
    existing = get_user_by_email(email)
    if existing is not None:
        with force_locale(existing.locale):
            send_email(
                existing,
                _("Quelqu'un a essayé de créer un compte avec votre adresse"),
                "account_exists",
                login_url=external_url("accounts.login"),
                reset_url=external_url("accounts.forgot_password"),
            )
        return
    user = create_user(email, display_name, role, password)
    send_verification_email(user)


def send_verification_email(user: User) -> None:
    link = external_url(
        "accounts.verify_email", token=tokens.make_verification_token(user)
    )
    with force_locale(user.locale):
        send_email(
            user,
            _("Confirmez votre adresse e-mail"),
            "verify_email",
            sensitive=True,
            link=link,
        )


def verify_email(user: User) -> None:
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()


def authenticate(email: str, password: str) -> User | None:
    """Return the user when the password matches (time-constant for unknown e-mails)."""
    user = get_user_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def record_login(user: User) -> None:
    user.last_login_at = utcnow()


def set_password(user: User, password: str) -> None:
    """Change the password and end every other session of this account."""
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.rotate_session_token()


def end_sessions(user: User) -> None:
    user.rotate_session_token()


def request_password_reset(email: str) -> None:
    """E-mail a reset link if the account exists; do nothing visible otherwise."""
    user = get_user_by_email(email)
    if user is None or not user.active:
        # Spend the time a real request would, so timing does not tell either.
        tokens.make_signed_token("noop", {"email": email})
        return
    link = external_url(
        "accounts.reset_password", token=tokens.make_password_token(user)
    )
    with force_locale(user.locale):
        send_email(
            user,
            _("Réinitialiser votre mot de passe Passerelle"),
            "reset_password",
            sensitive=True,
            link=link,
            minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
        )


def invite_user(user: User, invited_by: User | None = None) -> None:
    """E-mail a link that lets a user created by someone else choose a password."""
    link = external_url(
        "accounts.accept_invitation",
        token=tokens.make_password_token(user, tokens.INVITE),
    )
    with force_locale(user.locale):
        send_email(
            user,
            _("Votre compte Passerelle vous attend"),
            "invitation",
            sensitive=True,
            link=link,
            invited_by=invited_by,
            days=current_app.config["INVITATION_MAX_AGE"] // 86400,
        )


def deactivate_user(user: User) -> None:
    user.active = False
    user.rotate_session_token()


def reactivate_user(user: User) -> None:
    user.active = True


def update_profile(user: User, display_name: str, locale: str) -> None:
    user.display_name = display_name
    if locale in current_app.config["LANGUAGES"]:
        user.locale = locale
