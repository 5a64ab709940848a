"""The job description editor (fiche de poste)."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from matching import vocab
from matching.communes.fields import CommuneField
from matching.core.forms import (
    BaseForm,
    FrenchDateField,
    FrenchDecimalField,
    MultiCheckboxField,
    WholeNumberField,
    optional_int,
)

LONG_TEXT = Length(max=8000, message=_l("8 000 caractères au maximum."))
SHORT_TEXT = Length(max=200, message=_l("200 caractères au maximum."))


class PostingForm(BaseForm):
    case_id = SelectField(
        _l("Accompagnement lié"), coerce=optional_int, validators=[Optional()]
    )
    title = SelectField(
        _l("Intitulé du poste"),
        choices=vocab.JOB_TITLES.choices(blank=_l("— Choisir —")),
        validators=[InputRequired(_l("Choisissez un intitulé de poste."))],
    )
    custom_title = StringField(
        _l("Intitulé utilisé dans votre structure (facultatif)"),
        validators=[SHORT_TEXT],
        description=_l("Si votre structure emploie un autre nom pour ce poste."),
    )
    functions = MultiCheckboxField(
        _l("Fonctions du poste"),
        choices=vocab.FUNCTIONS.choices(),
        validators=[Optional()],
    )
    sector = SelectField(
        _l("Secteur"),
        choices=vocab.SECTORS.choices(blank=_l("— Choisir —")),
        validators=[InputRequired(_l("Choisissez le secteur."))],
    )
    commune = CommuneField(_l("Commune du poste"), validators=[Length(max=120)])
    contract_type = SelectField(
        _l("Type de contrat"),
        choices=vocab.CONTRACT_TYPES.choices(blank=_l("— Choisir —")),
        validators=[Optional()],
    )
    contract_months = WholeNumberField(
        _l("Durée du contrat (mois, pour un contrat à durée déterminée)"),
        validators=[
            Optional(),
            NumberRange(min=1, max=60, message=_l("Entre 1 et 60 mois.")),
        ],
    )
    fte = FrenchDecimalField(
        _l("Temps de travail (ETP)"),
        places=2,
        validators=[
            Optional(),
            NumberRange(min=0.1, max=1.0, message=_l("Entre 0,1 et 1 (temps plein).")),
        ],
        description=_l("1 = temps plein ; 0,5 = mi-temps."),
    )
    positions = WholeNumberField(
        _l("Nombre de postes"),
        default=1,
        validators=[
            InputRequired(_l("Indiquez le nombre de postes.")),
            NumberRange(min=1, max=50, message=_l("Entre 1 et 50.")),
        ],
    )
    collective_agreement = SelectField(
        _l("Convention collective appliquée"),
        choices=vocab.COLLECTIVE_AGREEMENTS.choices(blank=_l("— Choisir —")),
        validators=[Optional()],
    )
    classification = StringField(
        _l("Classification réellement utilisée"),
        validators=[SHORT_TEXT],
        description=_l(
            "Par exemple : « Moniteur-éducateur, coefficient 434 ». Une reconnaissance "
            "égale aux autres professionnel·les compte beaucoup."
        ),
    )
    salary = StringField(_l("Rémunération"), validators=[SHORT_TEXT])
    start_date = FrenchDateField(
        _l("Date de prise de poste souhaitée"), validators=[Optional()]
    )
    context = TextAreaField(
        _l("La structure et l'équipe"), validators=[LONG_TEXT], render_kw={"rows": 4}
    )
    missions = TextAreaField(
        _l("Missions"),
        validators=[LONG_TEXT],
        render_kw={"rows": 6},
        description=_l("Les missions liées au savoir expérientiel d'abord."),
    )
    experience_domains = MultiCheckboxField(
        _l("Expériences de vie recherchées"),
        choices=vocab.EXPERIENCE_DOMAINS.choices(),
        validators=[Optional()],
    )
    experience_text = TextAreaField(
        _l("Le savoir expérientiel recherché, en quelques phrases"),
        validators=[LONG_TEXT],
        render_kw={"rows": 4},
    )
    savoir_etre = TextAreaField(
        _l("Savoir-être recherché"), validators=[LONG_TEXT], render_kw={"rows": 3}
    )
    diploma_required = BooleanField(_l("Un diplôme est exigé"))
    binome = BooleanField(_l("Travail en binôme avec un·e professionnel·le"))
    supervision_planned = BooleanField(
        _l("Supervision ou analyse des pratiques prévue")
    )
    how_to_apply = TextAreaField(
        _l("Comment candidater"), validators=[LONG_TEXT], render_kw={"rows": 3}
    )


class PostingFilterForm(BaseForm):
    class Meta:
        csrf = False

    status = SelectField(
        _l("État"),
        choices=vocab.POSTING_STATUSES.choices(blank=_l("Tous")),
        validators=[Optional()],
    )
    sector = SelectField(
        _l("Secteur"),
        choices=vocab.SECTORS.choices(blank=_l("Tous")),
        validators=[Optional()],
    )
    title = SelectField(
        _l("Intitulé"),
        choices=vocab.JOB_TITLES.choices(blank=_l("Tous")),
        validators=[Optional()],
    )
    department = SelectField(
        _l("Département"),
        choices=vocab.DEPARTMENTS_OCCITANIE.choices(blank=_l("Tous")),
        validators=[Optional()],
    )
