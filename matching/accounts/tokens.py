"""Signed, expiring, single-use tokens for e-mailed links.

A password token (reset or account invitation) carries a fingerprint of the current
password hash: once the password changes, by this token or any other way, every earlier
token stops working. An e-mail confirmation token carries the address it confirms.
"""

import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from matching.accounts.models import User
from matching.extensions import db

RESET = "password-reset"
INVITE = "account-invitation"
VERIFY = "email-verification"


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def _fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def _max_age(purpose: str) -> int:
    if purpose == RESET:
        return current_app.config["PASSWORD_RESET_MAX_AGE"]
    return current_app.config["INVITATION_MAX_AGE"]


def make_password_token(user: User, purpose: str = RESET) -> str:
    return _serializer(purpose).dumps(
        {"uid": user.id, "fp": _fingerprint(user.password_hash)}
    )


def user_from_password_token(token: str, purpose: str = RESET) -> User | None:
    """Return the user of a valid token; None if forged, expired or already used."""
    data = load_signed_token(purpose, token, _max_age(purpose))
    user = db.session.get(User, data["uid"]) if data and "uid" in data else None
    if user is None or not user.active:
        return None
    if data.get("fp") != _fingerprint(user.password_hash):
        return None
    return user


def make_verification_token(user: User) -> str:
    return _serializer(VERIFY).dumps({"uid": user.id, "email": user.email})


def user_from_verification_token(token: str) -> User | None:
    data = load_signed_token(VERIFY, token, _max_age(VERIFY))
    user = db.session.get(User, data["uid"]) if data and "uid" in data else None
    if user is None or not user.active or user.email != data.get("email"):
        return None
    return user


def make_signed_token(purpose: str, payload: dict) -> str:
    return _serializer(purpose).dumps(payload)


def load_signed_token(purpose: str, token: str, max_age: int | None) -> dict | None:
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except (BadSignature, TypeError, ValueError):
        return None
    return data if isinstance(data, dict) else None
