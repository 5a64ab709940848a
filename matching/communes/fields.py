"""A form field where a person types a commune and gets it resolved to its INSEE code."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import ValidationError

from matching.communes.data import Commune, get_commune, resolve_commune


class CommuneField(StringField):
    """Text input with autocomplete; ``.commune`` holds the resolved commune or None."""

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {
            "autocomplete": "off",
            "data-commune-autocomplete": "1",
            **kwargs.pop("render_kw", {}),
        }
        kwargs.setdefault(
            "description",
            _l(
                "Tapez le début du nom ou le code postal, puis choisissez dans la liste."
            ),
        )
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.commune: Commune | None = None

    def process_data(self, value):
        """Accept an INSEE code or a Commune when the form is filled from a record."""
        commune = value if isinstance(value, Commune) else get_commune(value)
        self.commune = commune
        self.data = commune.label if commune else (value or "")

    def pre_validate(self, form):
        self.commune = None
        if not self.data:
            return
        commune, candidates = resolve_commune(self.data)
        if commune is not None:
            self.commune = commune
            return
        if candidates:
            choices = ", ".join(c.label for c in candidates[:6])
            raise ValidationError(
                _l(
                    "Plusieurs communes portent ce nom : précisez le code postal (%(c)s).",
                    c=choices,
                )
            )
        raise ValidationError(
            _l(
                "Nous ne trouvons pas cette commune en Occitanie. Vérifiez l'orthographe "
                "ou tapez le code postal."
            )
        )
