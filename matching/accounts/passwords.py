"""Password hashing (argon2id) and the password policy.

The policy follows ASVS 5.0: 12 to 128 characters, any character allowed (accents,
spaces, emoji), no composition rules, refuse common or easily guessed passwords.
"""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

# Verifying against this dummy hash when the account does not exist makes a login for
# an unknown e-mail cost the same time as one for a known e-mail.
_DUMMY_PASSWORD = "pas-un-vrai-mot-de-passe-passerelle"  # noqa: S105
_dummy_hash: dict[tuple, str] = {}


def hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_COST"],
        parallelism=cfg["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check a password; with no stored hash, spend the same time and return False."""
    ph = hasher()
    if stored_hash is None:
        params = (ph.time_cost, ph.memory_cost, ph.parallelism)
        if params not in _dummy_hash:
            _dummy_hash[params] = ph.hash(_DUMMY_PASSWORD)
        stored_hash = _dummy_hash[params]
        password = password + "\x00"  # never matches
    try:
        return ph.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash uses weaker parameters than the configured ones."""
    try:
        return hasher().check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def password_problem(password: str, user_inputs: list[str] | None = None):
    """Return a French explanation of what is wrong with a new password, or None."""
    cfg = current_app.config
    if len(password) < cfg["PASSWORD_MIN_LENGTH"]:
        return _l(
            "Le mot de passe doit contenir au moins %(n)s caractères.",
            n=cfg["PASSWORD_MIN_LENGTH"],
        )
    if len(password) > cfg["PASSWORD_MAX_LENGTH"]:
        return _l(
            "Le mot de passe ne peut pas dépasser %(n)s caractères.",
            n=cfg["PASSWORD_MAX_LENGTH"],
        )
    inputs = [value for value in (user_inputs or []) if value]
    # zxcvbn reads at most 72 characters; a longer password is strong by length.
    if zxcvbn(password[:72], user_inputs=inputs)["score"] <= 1:
        return _l(
            "Ce mot de passe est trop courant ou trop facile à deviner. Essayez une "
            "phrase de plusieurs mots que vous retiendrez facilement."
        )
    return None
