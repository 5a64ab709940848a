"""Forms of the diagnostic: campaigns, invitations, and the public questionnaire."""

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
    MultiCheckboxField,
    WholeNumberField,
)
from matching.survey.questions import YES_NO_QUESTIONS


class CampaignForm(BaseForm):
    name = StringField(
        _l("Nom de la campagne"),
        validators=[
            InputRequired(_l("Donnez un nom à la campagne.")),
            Length(max=200, message=_l("200 caractères au maximum.")),
        ],
        description=_l("Par exemple : « Diagnostic 2026 »."),
    )
    year = WholeNumberField(
        _l("Année"),
        validators=[
            InputRequired(_l("Indiquez l'année de la campagne.")),
            NumberRange(
                min=2000, max=2100, message=_l("Une année entre 2000 et 2100.")
            ),
        ],
    )
    opens_on = FrenchDateField(
        _l("Ouverture du questionnaire"),
        validators=[InputRequired(_l("Indiquez la date d'ouverture."))],
    )
    closes_on = FrenchDateField(
        _l("Clôture du questionnaire"),
        validators=[
            InputRequired(_l("Indiquez la date de clôture.")),
            DateOrder("opens_on", _l("La clôture doit venir après l'ouverture.")),
        ],
        description=_l("Les réponses restent modifiables jusqu'à ce jour inclus."),
    )
    invited_count = WholeNumberField(
        _l("Structures sollicitées"),
        default=0,
        validators=[
            Optional(),
            NumberRange(min=0, max=100000, message=_l("Un nombre entre 0 et 100 000.")),
        ],
        description=_l(
            "Toutes les structures à qui le questionnaire est envoyé, y compris hors de "
            "Passerelle. Le taux de réponse se calcule sur ce nombre, ou sur le nombre "
            "de liens créés s'il est plus grand."
        ),
    )
    description = TextAreaField(
        _l("Présentation (facultatif)"),
        validators=[Length(max=5000, message=_l("5 000 caractères au maximum."))],
        description=_l("Affichée en haut du questionnaire."),
    )

    def values(self) -> dict:
        return {
            "name": self.name.data,
            "year": self.year.data,
            "opens_on": self.opens_on.data,
            "closes_on": self.closes_on.data,
            "invited_count": self.invited_count.data or 0,
            "description": self.description.data or None,
        }


class InvitationFilterForm(BaseForm):
    """Which organisations to list for invitation (GET, no CSRF)."""

    class Meta:
        csrf = False

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


class InviteForm(BaseForm):
    organisation_ids = MultiCheckboxField(
        _l("Structures à inviter"),
        coerce=int,
        validate_choice=False,  # the service keeps only organisations one may see
        validators=[InputRequired(_l("Cochez au moins une structure."))],
    )


class CompareForm(BaseForm):
    """Two campaigns to compare (GET, no CSRF)."""

    class Meta:
        csrf = False

    avant = SelectField(_l("Campagne de référence"), coerce=int)
    apres = SelectField(_l("Campagne comparée"), coerce=int)


YES_NO = [SelectChoice("oui", _l("Oui")), SelectChoice("non", _l("Non"))]
YES_NO_REQUIRED = _l("Répondez par oui ou par non.")


def _yes_no(label, description=None, required=True) -> RadioField:
    return RadioField(
        label,
        choices=YES_NO,
        validators=[InputRequired(YES_NO_REQUIRED)] if required else [Optional()],
        invalid_choice_message=YES_NO_REQUIRED,
        description=description,
    )


RATING_REQUIRED = _l("Choisissez une note de 1 à 4.")


class _ResponseForm(BaseForm):
    sector = SelectField(
        _l("Secteur principal de votre structure"),
        choices=vocab.SECTORS.choices(blank=_l("— Choisir —")),
        validators=[InputRequired(_l("Choisissez le secteur de votre structure."))],
        invalid_choice_message=_l("Choisissez le secteur de votre structure."),
    )
    knows_peer_work = _yes_no(_l("Connaissez-vous le travail pair ?"))
    worked_with_volunteer_peers = _yes_no(
        _l("Avez-vous déjà collaboré avec des pair-aidant·es bénévoles ?"),
        _l(
            "Par exemple dans un groupe d'entraide mutuelle (GEM), un groupe de parole."
        ),
    )
    employed_peer_worker = _yes_no(
        _l("Avez-vous déjà eu recours à un·e travailleur·euse pair salarié·e ?")
    )
    has_peer_worker_in_post = _yes_no(
        _l("Avez-vous un·e travailleur·euse pair en poste aujourd'hui ?")
    )
    sees_added_value = _yes_no(
        _l(
            "Le recrutement d'un·e travailleur·euse pair représente-t-il, selon vous, "
            "une plus-value pour votre structure ?"
        )
    )
    considers_hiring = _yes_no(
        _l("Envisagez-vous d'intégrer un·e travailleur·euse pair dans votre équipe ?"),
        _l("Seulement si vous n'avez pas de travailleur·euse pair en poste."),
        required=False,
    )
    needs = MultiCheckboxField(
        _l("De quoi auriez-vous besoin pour développer le travail pair ?"),
        choices=vocab.NEEDS.choices(),
        # No Optional(): it would clear the choice error of a stray empty value.
        invalid_choice_message=_l("Choisissez parmi les besoins proposés."),
        description=_l("Plusieurs réponses possibles, ou aucune."),
    )
    contributions_text = TextAreaField(
        _l("Selon vous, qu'apportent les travailleur·euses pairs ?"),
        validators=[Length(max=5000, message=_l("5 000 caractères au maximum."))],
        description=_l(
            "Facultatif. Seule l'équipe Passerelle lit ces réponses ; ne citez "
            "personne par son nom."
        ),
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        in_post = self.has_peer_worker_in_post.data
        if in_post == "non" and not self.considers_hiring.data:
            self.considers_hiring.errors = [
                *self.considers_hiring.errors,
                _l("Sans travailleur·euse pair en poste, répondez par oui ou par non."),
            ]
            valid = False
        if in_post == "oui" and self.employed_peer_worker.data == "non":
            self.employed_peer_worker.errors = [
                *self.employed_peer_worker.errors,
                _l(
                    "Vous avez un·e travailleur·euse pair en poste : répondez « oui » "
                    "ici aussi."
                ),
            ]
            valid = False
        return valid

    def answers(self) -> dict:
        """The validated answers as plain values for ``services.save_response``."""
        values = {slug: self[slug].data == "oui" for slug in YES_NO_QUESTIONS}
        values.update(
            sector=self.sector.data,
            considers_hiring=(
                self.considers_hiring.data == "oui"
                if self.considers_hiring.data
                else None
            ),
            needs=list(self.needs.data or []),
            contributions_text=self.contributions_text.data or None,
        )
        return values

    def ratings(self) -> dict[str, int]:
        return {slug: int(self[f"barrier_{slug}"].data) for slug in vocab.BARRIERS}

    def fill_from(self, response) -> None:
        """Show saved answers, so the organisation can change them."""
        self.sector.data = response.sector
        for slug in YES_NO_QUESTIONS:
            self[slug].data = "oui" if getattr(response, slug) else "non"
        if response.considers_hiring is not None:
            self.considers_hiring.data = "oui" if response.considers_hiring else "non"
        self.needs.data = list(response.needs or [])
        self.contributions_text.data = response.contributions_text
        for rating in response.barrier_ratings:
            self[f"barrier_{rating.barrier}"].data = str(rating.rating)


def response_form_class():
    """The questionnaire, with one 1–4 radio group per barrier of the diagnostic."""

    class ResponseForm(_ResponseForm):
        pass

    for slug in vocab.BARRIERS:
        setattr(
            ResponseForm,
            f"barrier_{slug}",
            RadioField(
                vocab.BARRIERS.label(slug),
                choices=vocab.BARRIER_RATINGS.choices(),
                validators=[InputRequired(RATING_REQUIRED)],
                invalid_choice_message=RATING_REQUIRED,
            ),
        )
    return ResponseForm
