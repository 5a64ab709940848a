"""Template filters and globals: French dates, vocabulary labels, the active role."""

from datetime import date, datetime

from flask import Flask, current_app, has_request_context
from flask_babel import (
    format_currency,
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
)
from flask_login import current_user

from matching import access, vocab
from matching.core.forms import EmptyForm
from matching.core.navigation import menu_for
from matching.core.timeutils import to_paris


def date_fr(value: date | datetime | None, fmt: str = "long") -> str:
    """Format a date the French way (26 novembre 2026); datetimes are shown in Paris."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_paris(value).date()
    text = format_date(value, fmt)
    if fmt == "long" and value.day == 1 and str(get_locale()) == "fr":
        text = "1er" + text[1:]  # "1er mars 2027", as French writes it
    return text


def datetime_fr(value: datetime | None, fmt: str = "d MMMM y 'à' HH:mm") -> str:
    if value is None:
        return ""
    return format_datetime(value, fmt)  # Flask-Babel converts UTC to Europe/Paris


def euros(amount) -> str:
    """12500 -> "12 500 €" (no cents when there are none)."""
    if amount is None:
        return ""
    digits = 0 if amount == int(amount) else 2
    return format_currency(
        amount,
        "EUR",
        format="#,##0 ¤" if digits == 0 else None,
        currency_digits=digits != 0,
    )


def label(slug: str | None, vocabulary: str) -> str:
    return vocab.ALL[vocabulary].label(slug)


def describedby(field, help_text) -> str:
    """The ids of a field's help text and error message, for aria-describedby."""
    ids = []
    if help_text:
        ids.append(f"{field.id}-aide")
    if field.errors:
        ids.append(f"{field.id}-erreur")
    return " ".join(ids)


def field_attrs(field, help_text) -> dict:
    """ARIA attributes of an input: what describes it, whether it is invalid."""
    attrs = {}
    if described := describedby(field, help_text):
        attrs["aria-describedby"] = described
    if field.errors:
        attrs["aria-invalid"] = "true"
    if field.flags.required:
        attrs["aria-required"] = "true"
    return attrs


def dict_without(mapping: dict, *keys) -> dict:
    """A copy of ``mapping`` without ``keys`` (to rebuild a URL with another page)."""
    return {k: v for k, v in mapping.items() if k not in keys}


def register_template_helpers(app: Flask) -> None:
    app.add_template_filter(date_fr)
    app.add_template_filter(datetime_fr)
    app.add_template_filter(label)
    app.add_template_filter(euros)
    app.add_template_filter(dict_without)
    app.add_template_filter(format_decimal, "decimal")
    app.add_template_global(vocab, "vocab")
    app.add_template_global(describedby)
    app.add_template_global(field_attrs)
    app.add_template_global(access, "access")

    @app.context_processor
    def common_context():
        context = {
            "languages": current_app.config["LANGUAGES"],
            "current_locale": str(get_locale() or "fr"),
        }
        if has_request_context():  # e-mails rendered by a command have no request
            context["post_form"] = EmptyForm()
            context["nav_items"] = menu_for(current_user)
        return context
