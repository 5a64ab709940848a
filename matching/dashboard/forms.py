"""Filters of the territory dashboard."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import Optional

from matching import vocab
from matching.core.forms import BaseForm, DateOrder, FrenchDateField, optional_int


class DashboardFilterForm(BaseForm):
    class Meta:
        csrf = False

    start = FrenchDateField(_l("Du"), validators=[Optional()])
    end = FrenchDateField(
        _l("Au"),
        validators=[
            Optional(),
            DateOrder("start", _l("La fin doit venir après le début.")),
        ],
    )
    sector = SelectField(
        _l("Secteur"),
        choices=vocab.SECTORS.choices(blank=_l("Tous")),
        validators=[Optional()],
    )
    department = SelectField(
        _l("Département"),
        choices=vocab.DEPARTMENTS_OCCITANIE.choices(blank=_l("Tous")),
        validators=[Optional()],
    )
    officer_id = SelectField(
        _l("Chargé·e de mission"), coerce=optional_int, validators=[Optional()]
    )
