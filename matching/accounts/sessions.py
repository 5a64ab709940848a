"""Who is logged in: the Flask-Login loader, the idle timeout, session rotation.

The Flask-Login id is ``"<user id>:<session token>"``. Rotating the token (logout,
password change, deactivation) makes every copy of an older cookie anonymous.
"""

import secrets
import time

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import logout_user, user_loaded_from_cookie

from matching.accounts.models import User
from matching.extensions import db, login_manager


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    raw_id, _, token = (user_id or "").partition(":")
    if not raw_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not user.active:
        return None
    if not secrets.compare_digest(user.session_token, token):
        return None
    return user


def start_session(remember: bool) -> None:
    """Forget whatever the visitor's session held before logging in (fixation)."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    session["remember"] = bool(remember)
    session["seen_at"] = int(time.time())


def _on_cookie_login(sender, user) -> None:
    session["remember"] = True
    session["seen_at"] = int(time.time())


def register_session_handling(app: Flask) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    user_loaded_from_cookie.connect(_on_cookie_login, app)

    @app.before_request
    def enforce_idle_timeout():
        if request.endpoint == "static" or "_user_id" not in session:
            return None
        now = int(time.time())
        seen_at = session.get("seen_at", now)
        limit = current_app.config["IDLE_TIMEOUT_MINUTES"] * 60
        if not session.get("remember") and now - seen_at > limit:
            logout_user()
            session.clear()
            flash(
                _(
                    "Votre session a expiré après une période d'inactivité. "
                    "Reconnectez-vous."
                ),
                "info",
            )
            return redirect(url_for("accounts.login"))
        if now - seen_at >= 30:
            session["seen_at"] = now
        return None
