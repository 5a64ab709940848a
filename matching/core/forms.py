"""Form base class and shared validators.

Every form strips surrounding spaces from text fields and refuses invisible control
characters (null bytes, bidirectional overrides…) with a message next to the field.
"""

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

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
            if _only_spaces_where_required(field):
                field.errors = [*field.errors, _required_message(field)]
                valid = False
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


def _only_spaces_where_required(field) -> bool:
    """InputRequired looks at what was sent: "   " passes it, then the strip filter
    leaves an empty text (a case titled with nothing)."""
    return (
        isinstance(field, StringField)
        and field.data == ""
        and not field.errors
        and bool(field.raw_data)
        and any(isinstance(v, InputRequired) for v in field.validators)
    )


def _required_message(field):
    required = next(v for v in field.validators if isinstance(v, InputRequired))
    return required.message or _l("Ce champ est obligatoire.")


class SafeLink:
    """Accept only http(s) links (refuses javascript:, data:…)."""

    def __call__(self, form, field):
        if field.data and not re.match(r"^https?://[^\s]+$", field.data, re.IGNORECASE):
            raise ValidationError(
                _l("Indiquez une adresse web qui commence par https:// ou http://.")
            )


class EmptyForm(BaseForm):
    """A form with only the CSRF token, for POST-only buttons (logout, delete…)."""


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes; rendered as a fieldset by the ``field`` macro."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def process_formdata(self, valuelist):
        # An empty value is not a choice: without this, Optional() would wave it
        # through as "nothing ticked" while the data still holds "".
        super().process_formdata([value for value in valuelist if value])

    def pre_validate(self, form):
        if not self.validate_choice:
            return
        known = {str(choice.value) for choice in self.choices or ()}
        if any(str(value) not in known for value in self.data or []):
            raise ValidationError(
                self.invalid_choice_message
                or _l("Un des choix n'existe pas. Rechargez la page et réessayez.")
            )


class _OneMessage:
    """A number that cannot be read gets one clear message, not that one and then
    the range's message about an empty value."""

    def validate(self, form, extra_validators=()):
        typed = self.raw_data and str(self.raw_data[0]).strip()
        if self.process_errors and typed:
            self.errors = list(self.process_errors)
            return False
        return super().validate(form, extra_validators)


class FrenchDecimalField(_OneMessage, DecimalField):
    """A decimal typed the French way: "0,5", "12 500,50 €".

    A text input (with the phone's decimal keypad), not ``type="number"``: browsers
    show "0,8" in a number input as empty, and drop the space and the comma of
    "12 000,50" — the form then saved nothing, or 1 200 050 €."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, invalid_message=None, **kwargs):
        kwargs["render_kw"] = {
            "inputmode": "decimal",
            **(kwargs.get("render_kw") or {}),
        }
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid_message or _l(
            "Indiquez un nombre, par exemple 0,5."
        )

    def process_formdata(self, valuelist):
        if valuelist:
            raw = valuelist[0] or ""
            cleaned = re.sub(r"[\s\u00a0\u202f€]", "", raw).replace(",", ".")
            valuelist = [cleaned]
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(str(self.invalid_message)) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return format(self.data.normalize(), "f").replace(".", ",")


class WholeNumberField(_OneMessage, IntegerField):
    """A whole number, with a French message when what was typed is not one."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(
                str(_l("Indiquez un nombre entier, par exemple 3."))
            ) from None


class FrenchDateField(DateField):
    """A date picker that also accepts 31/12/2026 typed by hand."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"])
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(
                _l("Indiquez une date valide, par exemple 31/12/2026.")
            ) from None


class DateOrder:
    """The date of this field is not before the date of ``other``."""

    def __init__(self, other: str, message):
        self.other = other
        self.message = message

    def __call__(self, form, field):
        earlier = form[self.other].data
        if field.data and earlier and field.data < earlier:
            raise ValidationError(self.message)


def valid_filters(form) -> dict:
    """Read a GET filter form: a value that does not validate is simply ignored."""
    form.validate()
    return {
        name: field.data
        for name, field in form._fields.items()
        if not field.errors and field.data not in (None, "", [])
    }


def optional_int(value):
    """Coerce for selects of ids where the blank option means "none"."""
    if value in (None, "", "None"):
        return None
    return int(value)
