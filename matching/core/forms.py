"""Form base class and shared validators.

Every form strips surrounding spaces from text fields and refuses invisible control
characters (null bytes, bidirectional overrides…) with a message next to the field.
"""

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import ValidationError

# Control characters except tab and newlines; bidi overrides and isolates.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def strip_filter(value):
    return value.strip() if isinstance(value, str) else value


def has_forbidden_characters(value: str, multiline: bool) -> bool:
    if _FORBIDDEN.search(value):
        return True
    if not multiline and ("\n" in value or "\r" in value):
        return True
    return any(unicodedata.category(c) == "Cs" for c in value)  # lone surrogates


class BaseForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            if issubclass(unbound_field.field_class, StringField):
                filters = unbound_field.kwargs.get("filters", ())
                options["filters"] = [strip_filter, *filters]
            return unbound_field.bind(form=form, **options)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field, StringField) and isinstance(field.data, str):
                multiline = isinstance(field, TextAreaField)
                if has_forbidden_characters(field.data, multiline):
                    field.errors = [
                        *field.errors,
                        _l(
                            "Ce texte contient des caractères invisibles non autorisés."
                        ),
                    ]
                    valid = False
        return valid


class SafeLink:
    """Accept only http(s) links (refuses javascript:, data:…)."""

    def __call__(self, form, field):
        if field.data and not re.match(r"^https?://[^\s]+$", field.data, re.IGNORECASE):
            raise ValidationError(
                _l("Indiquez une adresse web qui commence par https:// ou http://.")
            )


class EmptyForm(BaseForm):
    """A form with only the CSRF token, for POST-only buttons (logout, delete…)."""
