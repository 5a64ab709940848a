"""Forms of the introduction pipeline, the hire, and the matching weights."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    RadioField,
    SelectChoice,
    SelectField,
    TextAreaField,
)
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from matching import vocab
from matching.core.forms import (
    BaseForm,
    DateOrder,
    FrenchDateField,
    FrenchDecimalField,
    WholeNumberField,
    optional_int,
)
from matching.scoring import CRITERIA

NOTE = Length(max=2000, message=_l("2 000 caractères au maximum."))


class NoteForm(BaseForm):
    note = TextAreaField(
        _l("Note (facultatif)"), validators=[NOTE], render_kw={"rows": 2}
    )


class AnswerForm(BaseForm):
    answer = RadioField(
        _l("Votre réponse"),
        choices=[
            SelectChoice(
                "oui", _l("Oui, je suis d'accord pour être présenté·e à cet employeur")
            ),
            SelectChoice("non", _l("Non merci")),
        ],
        validators=[InputRequired(_l("Choisissez oui ou non."))],
    )
    reason = TextAreaField(
        _l("Si vous le souhaitez, un mot pour l'équipe Passerelle (facultatif)"),
        validators=[NOTE],
        render_kw={"rows": 2},
        description=_l(
            "Par exemple, pourquoi vous dites non, ou une question. Seule l'équipe "
            "Passerelle lira ce message."
        ),
    )


class InterviewForm(BaseForm):
    interview_on = FrenchDateField(
        _l("Date de l'entretien"),
        validators=[InputRequired(_l("Indiquez la date de l'entretien."))],
    )
    note = NoteForm.note

    def __init__(self, *args, introduction=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.introduction = introduction

    def validate_interview_on(self, field) -> None:
        from matching.introductions.services import interview_date_error

        if self.introduction is not None and field.data:
            error = interview_date_error(self.introduction, field.data)
            if error:
                raise ValidationError(error)


class HireForm(BaseForm):
    start_date = FrenchDateField(
        _l("Date d'arrivée"),
        validators=[InputRequired(_l("Indiquez la date d'arrivée."))],
    )
    contract_type = SelectField(
        _l("Contrat"),
        choices=vocab.CONTRACT_TYPES.choices(blank=_l("— Choisir —")),
        validators=[InputRequired(_l("Choisissez le contrat."))],
    )
    fte = FrenchDecimalField(
        _l("Temps de travail (ETP)"),
        places=2,
        validators=[
            InputRequired(_l("Indiquez le temps de travail.")),
            NumberRange(min=0.1, max=1.0, message=_l("Entre 0,1 et 1 (temps plein).")),
        ],
    )
    end_date = FrenchDateField(
        _l("Fin du contrat (contrat à durée déterminée)"),
        validators=[
            Optional(),
            DateOrder("start_date", _l("La fin doit venir après le début.")),
        ],
    )
    trial_end_date = FrenchDateField(
        _l("Fin de la période d'essai"),
        validators=[
            Optional(),
            DateOrder("start_date", _l("La fin doit venir après le début.")),
        ],
        description=_l("Laissée vide : calculée selon le contrat."),
    )
    funding_end_date = FrenchDateField(
        _l("Fin du financement du poste (facultatif)"),
        validators=[
            Optional(),
            DateOrder(
                "start_date", _l("La fin du financement doit venir après le début.")
            ),
        ],
    )
    referent_id = SelectField(
        _l("Référent·e dans la structure"), coerce=optional_int, validators=[Optional()]
    )
    note = NoteForm.note

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if (
            self.contract_type.data in vocab.FIXED_TERM_CONTRACTS
            and not self.end_date.data
        ):
            self.end_date.errors.append(
                _l("Indiquez la fin d'un contrat à durée déterminée.")
            )
            valid = False
        end, trial = self.end_date.data, self.trial_end_date.data
        if end and trial and trial > end and not self.trial_end_date.errors:
            self.trial_end_date.errors.append(
                _l("La période d'essai doit finir avant la fin du contrat.")
            )
            valid = False
        return valid


class SuggestionFilterForm(BaseForm):
    class Meta:
        csrf = False

    feasible_only = BooleanField(
        _l("Seulement les personnes qui peuvent prendre le poste")
    )
    department = SelectField(
        _l("Département de la personne"),
        choices=vocab.DEPARTMENTS_OCCITANIE.choices(blank=_l("Tous")),
        validators=[Optional()],
    )
    available_before = FrenchDateField(
        _l("Disponible avant le"), validators=[Optional()]
    )


def weights_form_class():
    from matching.introductions.reasons import CRITERION_LABELS

    class WeightsForm(BaseForm):
        posting_id = SelectField(
            _l("Offre pour l'aperçu"), coerce=optional_int, validators=[Optional()]
        )

    for name in CRITERIA:
        setattr(
            WeightsForm,
            name,
            WholeNumberField(
                CRITERION_LABELS[name],
                validators=[
                    InputRequired(_l("Indiquez un poids.")),
                    NumberRange(
                        min=0, max=100, message=_l("Un nombre entre 0 et 100.")
                    ),
                ],
            ),
        )
    return WeightsForm


class PipelineFilterForm(BaseForm):
    class Meta:
        csrf = False

    status = SelectField(
        _l("État"),
        choices=vocab.INTRODUCTION_STATUSES.choices(blank=_l("Tous")),
        validators=[Optional()],
    )
    origin = SelectField(
        _l("Origine"),
        choices=[
            SelectChoice("", _l("Toutes")),
            SelectChoice("suggestion", _l("Proposée par l'équipe")),
            SelectChoice("interet", _l("Intérêt de la personne")),
        ],
        validators=[Optional()],
    )
