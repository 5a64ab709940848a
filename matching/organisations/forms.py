"""Organisation forms."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from matching import vocab
from matching.communes.fields import CommuneField
from matching.core.forms import BaseForm, WholeNumberField


class OrganisationForm(BaseForm):
    name = StringField(
        _l("Nom de la structure"),
        validators=[
            InputRequired(_l("Indiquez le nom de la structure.")),
            Length(max=200, message=_l("200 caractères au maximum.")),
        ],
    )
    sector = SelectField(
        _l("Secteur principal"),
        choices=vocab.SECTORS.choices(blank=_l("— Choisir —")),
        validators=[InputRequired(_l("Choisissez un secteur."))],
    )
    structure_type = SelectField(
        _l("Type de structure"),
        choices=vocab.STRUCTURE_TYPES.choices(blank=_l("— Choisir —")),
        validators=[Optional()],
    )
    legal_status = SelectField(
        _l("Statut juridique"),
        choices=vocab.LEGAL_STATUSES.choices(blank=_l("— Choisir —")),
        validators=[Optional()],
    )
    commune = CommuneField(
        _l("Commune"),
        validators=[
            InputRequired(_l("Indiquez la commune de la structure.")),
            Length(max=120, message=_l("120 caractères au maximum.")),
        ],
    )
    headcount_band = SelectField(
        _l("Nombre de salarié·es"),
        choices=vocab.HEADCOUNT_BANDS.choices(blank=_l("— Choisir —")),
        validators=[Optional()],
    )
    peer_workers_count = WholeNumberField(
        _l("Travailleur·euses pairs déjà salarié·es"),
        default=0,
        validators=[
            Optional(),
            NumberRange(min=0, max=1000, message=_l("Un nombre entre 0 et 1000.")),
        ],
    )


class JoinForm(BaseForm):
    organisation_id = SelectField(
        _l("Structure à rejoindre"),
        coerce=int,
        validators=[InputRequired(_l("Choisissez la structure."))],
        description=_l(
            "Un·e responsable de la structure ou l'équipe Passerelle validera votre "
            "demande."
        ),
    )


class OrganisationFilterForm(BaseForm):
    """Filters of the organisations list (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(_l("Nom"), validators=[Length(max=100)])
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
    has_case = SelectField(
        _l("Accompagnement"),
        choices=[
            SelectChoice("", _l("Tous")),
            SelectChoice("oui", _l("Avec accompagnement")),
            SelectChoice("non", _l("Sans accompagnement")),
        ],
        validators=[Optional()],
    )
    peer_workers = SelectField(
        _l("Travailleur·euses pairs"),
        choices=[
            SelectChoice("", _l("Tous")),
            SelectChoice("oui", _l("En emploient déjà")),
            SelectChoice("non", _l("N'en emploient pas")),
        ],
        validators=[Optional()],
    )
