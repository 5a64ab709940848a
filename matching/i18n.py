"""Locale and timezone selection for Flask-Babel."""

from flask import current_app, has_request_context, session
from flask_login import current_user


def select_locale() -> str:
    """The user's saved language, else the one chosen this session, else French."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if (
        current_user
        and current_user.is_authenticated
        and current_user.locale in languages
    ):
        return current_user.locale
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return "Europe/Paris"
