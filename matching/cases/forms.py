"""Forms of support cases: the case, its stage, readiness, barriers, funding, timeline."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from matching import vocab
from matching.core.forms import (
    BaseForm,
    DateOrder,
    FrenchDateField,
    FrenchDecimalField,
    MultiCheckboxField,
    SafeLink,
    WholeNumberField,
    optional_int,
)

NOTE_LENGTH = Length(max=5000, message=_l("5 000 caractères au maximum."))
# Texts the organisation's employer accounts read too (on the case page).
SHARED_WITH_ORGANISATION = _l("L'équipe Passerelle et la structure lisent ce texte.")


class CaseForm(BaseForm):
    title = StringField(
        _l("Projet accompagné"),
        validators=[
            InputRequired(_l("Donnez un nom court au projet.")),
            Length(max=200, message=_l("200 caractères au maximum.")),
        ],
        description=_l("Par exemple : « Premier poste de médiateur·rice santé pair »."),
    )
    officer_id = SelectField(
        _l("Chargé·e de mission référent·e"),
        coerce=optional_int,
        validators=[Optional()],
    )
    next_step = StringField(
        _l("Prochaine étape"),
        validators=[Length(max=300, message=_l("300 caractères au maximum."))],
    )
    next_step_due = FrenchDateField(_l("Pour le"), validators=[Optional()])
    sessions_planned = WholeNumberField(
        _l("Séances prévues"),
        default=0,
        validators=[
            Optional(),
            NumberRange(min=0, max=500, message=_l("Un nombre entre 0 et 500.")),
        ],
    )
    sessions_done = WholeNumberField(
        _l("Séances réalisées"),
        default=0,
        validators=[
            Optional(),
            NumberRange(min=0, max=500, message=_l("Un nombre entre 0 et 500.")),
        ],
    )


class CaseRequestForm(BaseForm):
    """An employer asks for an accompaniment."""

    title = StringField(
        _l("Votre projet en quelques mots"),
        validators=[
            InputRequired(_l("Décrivez votre projet en quelques mots.")),
            Length(max=200, message=_l("200 caractères au maximum.")),
        ],
        description=_l(
            "Par exemple : « Recruter un·e travailleur·euse pair à mi-temps »."
        ),
    )
    message = TextAreaField(
        _l("Ce que vous attendez de l'accompagnement (facultatif)"),
        validators=[NOTE_LENGTH],
    )


class StageForm(BaseForm):
    stage = SelectField(
        _l("Nouvelle étape"),
        choices=vocab.CASE_STAGES.choices(),
        validators=[InputRequired(_l("Choisissez l'étape."))],
    )
    reason = SelectField(
        _l("Raison (pour une pause ou un arrêt)"),
        choices=vocab.STOP_REASONS.choices(blank=_l("— Choisir —")),
        validators=[Optional()],
    )
    note = TextAreaField(
        _l("Commentaire (facultatif)"),
        validators=[NOTE_LENGTH],
        description=_l(
            "La structure lira ce commentaire : il apparaît sur la page de "
            "l'accompagnement et dans son journal."
        ),
    )


def readiness_form_class(items: list[str]):
    """A form with one status and one note per readiness item."""

    class ReadinessForm(BaseForm):
        pass

    for slug in items:
        setattr(
            ReadinessForm,
            f"status_{slug}",
            SelectField(
                vocab.READINESS_ITEMS.label(slug),
                choices=vocab.READINESS_STATUSES.choices(),
                validators=[InputRequired()],
            ),
        )
        setattr(
            ReadinessForm,
            f"note_{slug}",
            TextAreaField(
                # The item in the label: the error summary and screen readers say
                # which note (the page shows "Note" beside the item's status).
                _l("Note – %(item)s", item=vocab.READINESS_ITEMS.label(slug)),
                validators=[
                    Length(max=2000, message=_l("2 000 caractères au maximum."))
                ],
                render_kw={"rows": 2},
            ),
        )
    return ReadinessForm


RATING_CHOICES = [
    SelectChoice("", _l("Non évalué")),
    *vocab.BARRIER_RATINGS.choices(),
]


def barriers_form_class():
    class BarriersForm(BaseForm):
        needs = MultiCheckboxField(
            _l("Besoins exprimés"),
            choices=vocab.NEEDS.choices(),
            validators=[Optional()],
        )
        note = TextAreaField(
            _l("Ce qui freine encore, dans vos mots"),
            validators=[NOTE_LENGTH],
            description=SHARED_WITH_ORGANISATION,
        )

    for slug in vocab.BARRIERS:
        setattr(
            BarriersForm,
            f"barrier_{slug}",
            RadioField(
                vocab.BARRIERS.label(slug),
                choices=RATING_CHOICES,
                default="",
                validators=[Optional()],
            ),
        )
    return BarriersForm


AMOUNT_MESSAGE = _l("Indiquez un montant en euros, par exemple 12 500,50.")
AMOUNT_RANGE = NumberRange(
    min=0, max=10_000_000, message=_l("Un montant entre 0 et 10 000 000 €.")
)


class FundingLineForm(BaseForm):
    funder = SelectField(
        _l("Financeur"),
        choices=vocab.FUNDERS.choices(blank=_l("— Choisir —")),
        validators=[InputRequired(_l("Choisissez le financeur."))],
    )
    instrument = StringField(
        _l("Dispositif ou appel à projets"),
        validators=[Length(max=200, message=_l("200 caractères au maximum."))],
        description=_l("Par exemple : « AAP pair-aidance 2026 », « FIR prévention »."),
    )
    status = SelectField(
        _l("État"),
        choices=vocab.FUNDING_STATUSES.choices(),
        validators=[InputRequired(_l("Choisissez l'état."))],
    )
    amount_requested = FrenchDecimalField(
        _l("Montant demandé (€)"),
        places=2,
        validators=[Optional(), AMOUNT_RANGE],
        invalid_message=AMOUNT_MESSAGE,
    )
    amount_granted = FrenchDecimalField(
        _l("Montant accordé (€)"),
        places=2,
        validators=[Optional(), AMOUNT_RANGE],
        invalid_message=AMOUNT_MESSAGE,
    )
    period_start = FrenchDateField(
        _l("Début de la période financée"), validators=[Optional()]
    )
    period_end = FrenchDateField(
        _l("Fin de la période financée"),
        validators=[
            Optional(),
            DateOrder("period_start", _l("La fin doit venir après le début.")),
        ],
    )
    filing_deadline = FrenchDateField(
        _l("Date limite de dépôt"), validators=[Optional()]
    )
    expected_decision_on = FrenchDateField(
        _l("Décision attendue le"),
        validators=[
            Optional(),
            DateOrder(
                "filing_deadline", _l("La décision ne peut pas précéder le dépôt.")
            ),
        ],
    )
    agreement_on = FrenchDateField(_l("Convention signée le"), validators=[Optional()])
    report_due_on = FrenchDateField(
        _l("Bilan à rendre le"),
        validators=[Optional()],
        description=_l("Laissé vide : six mois après la fin de la période financée."),
    )
    notes = TextAreaField(
        _l("Notes"), validators=[NOTE_LENGTH], description=SHARED_WITH_ORGANISATION
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        from matching.cases.funding import GRANTED_STATUSES

        if self.status.data in GRANTED_STATUSES and self.amount_granted.data is None:
            self.amount_granted.errors.append(
                _l("Indiquez le montant accordé pour cet état.")
            )
            valid = False
        return valid


ACTIVITY_KINDS = [
    SelectChoice("note", _l("Note")),
    SelectChoice("meeting", _l("Rendez-vous ou réunion")),
    SelectChoice("call", _l("Appel")),
    SelectChoice("training", _l("Sensibilisation, formation ou immersion")),
    SelectChoice("document", _l("Document")),
]
ACTIVITY_KIND_LABELS = {
    **{choice.value: choice.label for choice in ACTIVITY_KINDS},
    "stage_change": _l("Étape"),
    "edit": _l("Modification"),
    "reminder": _l("Rappel envoyé"),
}
VISIBILITY_CHOICES = [
    SelectChoice("officers", _l("Équipe Passerelle seulement")),
    SelectChoice("employer", _l("Visible aussi par la structure")),
]


class ActivityForm(BaseForm):
    kind = SelectField(_l("Type"), choices=ACTIVITY_KINDS, validators=[InputRequired()])
    occurred_on = FrenchDateField(
        _l("Date"), validators=[InputRequired(_l("Indiquez la date."))]
    )
    title = StringField(
        _l("Titre"),
        validators=[
            InputRequired(_l("Donnez un titre court.")),
            Length(max=200, message=_l("200 caractères au maximum.")),
        ],
    )
    body = TextAreaField(_l("Détails"), validators=[NOTE_LENGTH])
    link = StringField(
        _l("Lien vers le document (facultatif)"),
        validators=[Optional(), Length(max=500), SafeLink()],
    )
    visibility = RadioField(
        _l("Qui peut lire cette entrée ?"),
        choices=VISIBILITY_CHOICES,
        default="officers",
        validators=[InputRequired()],
    )


class CaseFilterForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField(_l("Structure ou projet"), validators=[Length(max=100)])
    stage = SelectField(
        _l("Étape"),
        choices=vocab.CASE_STAGES.choices(blank=_l("Toutes (en cours)")),
        validators=[Optional()],
    )
    sector = SelectField(
        _l("Secteur"),
        choices=vocab.SECTORS.choices(blank=_l("Tous")),
        validators=[Optional()],
    )
    officer = SelectField(
        _l("Chargé·e de mission"), coerce=optional_int, validators=[Optional()]
    )
    funding_status = SelectField(
        _l("Financement"),
        choices=vocab.FUNDING_STATUSES.choices(blank=_l("Tous")),
        validators=[Optional()],
    )
    overdue = SelectField(
        _l("Prochaine étape"),
        choices=[
            SelectChoice("", _l("Toutes")),
            SelectChoice("1", _l("En retard seulement")),
        ],
        validators=[Optional()],
    )
    sort = SelectField(
        _l("Trier par"),
        choices=[
            SelectChoice("echeance", _l("Date de la prochaine étape")),
            SelectChoice("recent", _l("Dernière modification")),
            SelectChoice("structure", _l("Nom de la structure")),
            SelectChoice("etape", _l("Ancienneté à l'étape")),
        ],
        validators=[Optional()],
    )
