"""Filters of the published roles, and the "je suis intéressé·e" form."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, TextAreaField
from wtforms.validators import Length, Optional

from matching import vocab
from matching.communes.fields import CommuneField
from matching.core.forms import BaseForm

ALL = _l("Tous")
DISTANCES = [SelectChoice(str(km), f"{km} km") for km in (10, 20, 30, 50)]
FTE_FILTERS = [
    SelectChoice("", _l("Peu importe")),
    SelectChoice("0.5", _l("Au plus un mi-temps")),
    SelectChoice("0.8", _l("Au plus 80 %")),
    SelectChoice("1.0", _l("Temps plein possible")),
]


class OfferFilterForm(BaseForm):
    """Read from the query string: no CSRF; an invalid filter is shown and ignored."""

    class Meta:
        csrf = False

    sector = SelectField(
        _l("Secteur"), choices=vocab.SECTORS.choices(blank=ALL), validators=[Optional()]
    )
    title = SelectField(
        _l("Poste"),
        choices=vocab.JOB_TITLES.choices(blank=ALL),
        validators=[Optional()],
    )
    department = SelectField(
        _l("Département"),
        choices=vocab.DEPARTMENTS_OCCITANIE.choices(blank=ALL),
        validators=[Optional()],
    )
    commune = CommuneField(
        _l("Près de la commune"),
        validators=[
            Optional(),
            Length(max=120, message=_l("120 caractères au maximum.")),
        ],
        description="",
    )
    distance = SelectField(
        _l("Distance"), choices=DISTANCES, default="20", validators=[Optional()]
    )
    fte = SelectField(
        _l("Temps de travail"), choices=FTE_FILTERS, validators=[Optional()]
    )
    contract_type = SelectField(
        _l("Contrat"),
        choices=vocab.CONTRACT_TYPES.choices(blank=ALL),
        validators=[Optional()],
    )


class InterestForm(BaseForm):
    message = TextAreaField(
        _l("Un mot pour l'équipe Passerelle (facultatif)"),
        validators=[
            Optional(),
            Length(max=1000, message=_l("%(max)d caractères au maximum.", max=1000)),
        ],
        description=_l(
            "Seule l'équipe Passerelle le lit. L'employeur ne reçoit rien sans votre accord."
        ),
        render_kw={"rows": 3},
    )
