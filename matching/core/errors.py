"""Error pages in French, and one log line per server error (no request data)."""

import traceback

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from matching.extensions import db

MESSAGES = {
    400: (
        _l("Demande incorrecte"),
        _l("La page n'a pas compris la demande. Revenez en arrière et réessayez."),
    ),
    403: (
        _l("Accès refusé"),
        _l("Votre compte ne permet pas d'ouvrir cette page."),
    ),
    404: (
        _l("Page introuvable"),
        _l("Cette page n'existe pas, ou elle n'est pas accessible avec votre compte."),
    ),
    405: (
        _l("Action non permise"),
        _l("Cette action ne peut pas se faire de cette façon."),
    ),
    413: (
        _l("Fichier trop volumineux"),
        _l("Le fichier ou le formulaire envoyé dépasse la taille permise."),
    ),
    429: (
        _l("Trop de tentatives"),
        _l(
            "Vous avez fait trop d'essais en peu de temps. Attendez quelques minutes "
            "avant de réessayer."
        ),
    ),
    500: (
        _l("Erreur du serveur"),
        _l(
            "Quelque chose s'est mal passé de notre côté. Rien n'a été enregistré. "
            "Réessayez dans un moment."
        ),
    ),
}


def render_error(code: int, message=None):
    title, default = MESSAGES.get(code, MESSAGES[500])
    try:
        body = render_template(
            "errors/error.html", code=code, title=title, message=message or default
        )
    except Exception:  # e.g. an untrusted Host: no URL can be built for the page
        body = f"{title}\n\n{message or default}\n"
        return body, code, {"Content-Type": "text/plain; charset=utf-8"}
    return body, code


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400,
            _l(
                "Le formulaire a expiré ou n'a pas été envoyé depuis cette page. "
                "Rechargez la page et réessayez."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        response = render_error(error.code)
        if error.code == 429 and error.response is not None:
            retry = error.response.headers.get("Retry-After")
            if retry:
                return response[0], 429, {"Retry-After": retry}
        return response

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        if isinstance(error, HTTPException) and not isinstance(
            error, InternalServerError
        ):
            return http_error(error)
        db.session.rollback()
        original = getattr(error, "original_exception", None) or error
        frame = traceback.extract_tb(original.__traceback__)[-1:] or [None]
        where = f"{frame[0].filename}:{frame[0].lineno}" if frame[0] else "?"
        app.logger.error(
            "500 %s %s %s at %s",
            request.method,
            request.path,
            original.__class__.__name__,
            where,
        )
        if app.testing and app.config.get("PROPAGATE_EXCEPTIONS") is not False:
            raise error
        return render_error(500)
