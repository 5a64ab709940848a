"""Candidate forms: the guided steps, consent, officer tools, data rights.

Every message is plain French next to its field. Single-field checks live here;
rules that need the database (consent, duplicates) live in ``services``.
"""

import re
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FieldList,
    Form,
    FormField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from matching import vocab
from matching.candidates.choices import WRITTEN_EVENT_KINDS
from matching.candidates.consent import CONSENT_PURPOSES
from matching.communes.fields import CommuneField
from matching.core.forms import (
    BaseForm,
    MultiCheckboxField,
    WholeNumberField,
    has_forbidden_characters,
    strip_filter,
)
from matching.core.timeutils import paris_today

BLANK = _l("— Choisir —")
TEXT_MAX = 3000
# Nothing removes such words from a text: say why not to write them, promise nothing.
NO_DIAGNOSIS = _l(
    "N'écrivez ni diagnostic, ni traitement, ni dates de soins : ce n'est pas utile ici."
)
# The history is read by the team and is part of what the person downloads from
# « Mes données » (and of what an officer exports for them); employers never see it.
NOTE_HINT = _l(
    "N'écrivez ni diagnostic, ni traitement, ni dates de soins : ces notes sont lues "
    "par l'équipe Passerelle, et la personne les retrouve quand elle télécharge ses "
    "données."
)

# ---------------------------------------------------------------- shared pieces


class NotInPast:
    def __init__(self, message=None):
        self.message = message or _l(
            "Cette date est passée. Choisissez aujourd'hui ou une date à venir."
        )

    def __call__(self, form, field):
        if field.data and field.data < paris_today():
            raise ValidationError(self.message)


class NotInFuture:
    def __call__(self, form, field):
        if field.data and field.data > paris_today():
            raise ValidationError(_l("Cette date n'est pas encore arrivée."))


class CleanText:
    """Refuse invisible control characters (for sub-forms, which BaseForm skips)."""

    def __call__(self, form, field):
        if isinstance(field.data, str) and has_forbidden_characters(field.data, False):
            raise ValidationError(
                _l("Ce texte contient des caractères invisibles non autorisés.")
            )


def valid_phone(form, field):
    if not field.data:
        return
    digits = re.sub(r"\D", "", field.data)
    if not re.fullmatch(r"[0-9 +().\-]+", field.data) or not 6 <= len(digits) <= 15:
        raise ValidationError(
            _l("Ce numéro n'est pas valide (exemple : 06 12 34 56 78).")
        )


FTE_CHOICES = [
    SelectChoice("", BLANK),
    *[SelectChoice(f"{t / 10:.1f}", f"{t * 10} %") for t in range(1, 10)],
    SelectChoice("1.0", _l("100 % (temps plein)")),
]
FTE_VALUES = {choice.value for choice in FTE_CHOICES if choice.value}


def fte_field(label, description=None):
    return SelectField(
        label,
        choices=FTE_CHOICES,
        validate_choice=False,
        validators=[Optional()],
        description=description,
    )


def check_fte(field):
    if field.data and field.data not in FTE_VALUES:
        raise ValidationError(_l("Choisissez un temps de travail de 10 à 100 %."))


def as_decimal(value: str | None) -> Decimal | None:
    return Decimal(value) if value else None


def name_field():
    return StringField(
        _l("Nom ou prénom"),
        validators=[
            InputRequired(_l("Indiquez comment appeler cette personne.")),
            Length(max=120, message=_l("120 caractères au maximum.")),
        ],
        render_kw={"autocomplete": "name"},
    )


def phone_field(description=None):
    return StringField(
        _l("Téléphone"),
        validators=[
            Optional(),
            Length(max=30, message=_l("30 caractères au maximum.")),
            valid_phone,
        ],
        description=description,
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )


def contact_email_field():
    return EmailField(
        _l("Adresse e-mail"),
        validators=[
            Optional(),
            Length(max=254, message=_l("Cette adresse est trop longue.")),
            Email(
                _l(
                    "Cette adresse e-mail n'est pas valide (exemple : prenom@exemple.fr)."
                )
            ),
        ],
        description=_l("Pour lui envoyer l'invitation à retrouver son profil."),
    )


# ---------------------------------------------------------------- guided steps


class WhereWhenForm(BaseForm):
    """Step 1: who, where and when."""

    display_name = StringField(
        _l("Votre nom ou prénom"),
        validators=[
            InputRequired(_l("Indiquez comment nous pouvons vous appeler.")),
            Length(max=120, message=_l("120 caractères au maximum.")),
        ],
        description=_l(
            "Les employeurs ne le voient qu'après une mise en relation que vous avez acceptée."
        ),
        render_kw={"autocomplete": "name"},
    )
    phone = phone_field(
        _l(
            "Facultatif. Seule l'équipe Passerelle le voit, et un employeur après une "
            "mise en relation que vous avez acceptée."
        )
    )
    commune = CommuneField(
        _l("Votre commune"),
        validators=[
            InputRequired(_l("Indiquez votre commune.")),
            Length(max=120, message=_l("120 caractères au maximum.")),
        ],
    )
    mobility_radius_km = WholeNumberField(
        _l("Jusqu'où pouvez-vous aller travailler ? (en kilomètres)"),
        default=20,
        validators=[
            InputRequired(
                _l(
                    "Indiquez une distance en kilomètres (0 si vous ne pouvez pas vous déplacer)."
                )
            ),
            NumberRange(
                min=0,
                max=200,
                message=_l("Indiquez un nombre entre 0 et 200 kilomètres."),
            ),
        ],
        description=_l("Par exemple 20 pour 20 km autour de chez vous."),
        render_kw={"inputmode": "numeric"},
    )
    available_from = DateField(
        _l("Disponible à partir du"),
        validators=[
            Optional(),
            NotInPast(
                _l(
                    "Cette date est passée. Laissez vide si vous êtes disponible dès "
                    "maintenant."
                )
            ),
        ],
        description=_l("Laissez vide si vous êtes disponible dès maintenant."),
    )
    fte_min = fte_field(
        _l("Temps de travail : au moins"),
        _l("Un temps plein (35 heures par semaine) correspond à 100 %."),
    )
    fte_max = fte_field(_l("Temps de travail : au plus"))
    contract_types = MultiCheckboxField(
        _l("Contrats qui vous conviennent"),
        choices=vocab.CONTRACT_TYPES.choices(),
        description=_l("Cochez tout ce qui vous irait. Rien de coché : tous."),
    )
    status = RadioField(
        _l("Où en êtes-vous ?"),
        choices=[
            SelectChoice("actif", _l("Je cherche un poste")),
            SelectChoice("en_poste", _l("J'ai un poste de travailleur·euse pair")),
            SelectChoice("en_pause", _l("Je fais une pause dans mes recherches")),
        ],
        default="actif",
        validators=[InputRequired(_l("Choisissez une réponse."))],
    )

    def validate_fte_min(self, field):
        check_fte(field)

    def validate_fte_max(self, field):
        check_fte(field)
        low, high = self.fte_min.data, field.data
        if low in FTE_VALUES and high in FTE_VALUES and Decimal(low) > Decimal(high):
            raise ValidationError(
                _l("Le « au plus » doit être plus grand que le « au moins ».")
            )


class WishesForm(BaseForm):
    """Step 2: what the person looks for."""

    titles = MultiCheckboxField(
        _l("Les postes qui vous intéressent"),
        choices=vocab.JOB_TITLES.choices(),
        description=_l(
            "Les noms varient d'une structure à l'autre : cochez tous ceux qui vous parlent."
        ),
    )
    functions = MultiCheckboxField(
        _l("Ce que vous aimeriez faire"), choices=vocab.FUNCTIONS.choices()
    )
    sectors = MultiCheckboxField(
        _l("Les secteurs où vous aimeriez travailler"), choices=vocab.SECTORS.choices()
    )


DOMAIN_CHOICES = vocab.SHARING_LEVELS.choices(
    blank=_l("Non, ou je préfère ne pas le dire")
)
NOT_COVERED = _l(
    "Votre accord ne couvre pas ce niveau de partage. Changez d'abord votre accord, "
    "ou choisissez un partage plus restreint."
)


class SharingChoice:
    """Offer only the sharing levels the active consent covers; a level it does not
    cover is refused next to the field with a message saying why."""

    def pre_validate(self, form):
        offered = {str(choice.value) for choice in self.choices}
        if self.data in offered:
            return
        if self.data in vocab.SHARING_LEVELS:
            raise ValidationError(NOT_COVERED)
        raise ValidationError(
            _l("Un des choix n'existe pas. Rechargez la page et réessayez.")
        )


class SharingSelectField(SharingChoice, SelectField):
    pass


class SharingRadioField(SharingChoice, RadioField):
    pass


class ExperienceForm(BaseForm):
    """Step 3: domains of lived experience with a sharing level each, and texts.

    One select per domain (``domain_<slug>``): empty means "not stored".
    """

    background_text = TextAreaField(
        _l("Ce que votre parcours vous a appris"),
        validators=[
            Optional(),
            Length(
                max=TEXT_MAX, message=_l("%(max)d caractères au maximum.", max=TEXT_MAX)
            ),
        ],
        description=NO_DIAGNOSIS,
        render_kw={"rows": 6},
    )
    background_sharing = SharingRadioField(
        _l("Qui peut lire ce texte ?"),
        choices=vocab.SHARING_LEVELS.choices(),
        default="prive",
        validators=[InputRequired(_l("Choisissez qui peut lire ce texte."))],
    )
    peer_help_text = TextAreaField(
        _l("Entraide bénévole (GEM, groupes de parole, associations…)"),
        validators=[
            Optional(),
            Length(max=2000, message=_l("%(max)d caractères au maximum.", max=2000)),
        ],
        description=_l(
            "Facultatif. Ce que vous avez fait pour soutenir d'autres personnes, même sans être payé·e."
        ),
        render_kw={"rows": 4},
    )
    peer_help_sharing = SharingRadioField(
        _l("Qui peut lire ce texte ?"),
        choices=vocab.SHARING_LEVELS.choices(),
        default="prive",
        validators=[InputRequired(_l("Choisissez qui peut lire ce texte."))],
    )

    def limit_sharing(self, allowed: tuple[str, ...]) -> None:
        """Offer only the levels the consent covers (``prive`` stays the default)."""
        levels = [c for c in vocab.SHARING_LEVELS.choices() if c.value in allowed]
        for field in self.domain_fields():
            field.choices = [DOMAIN_CHOICES[0], *levels]
        self.background_sharing.choices = levels
        self.peer_help_sharing.choices = levels

    def domain_fields(self):
        return [getattr(self, f"domain_{slug}") for slug in vocab.EXPERIENCE_DOMAINS]

    def chosen_domains(self) -> dict[str, str]:
        return {
            slug: getattr(self, f"domain_{slug}").data
            for slug in vocab.EXPERIENCE_DOMAINS
            if getattr(self, f"domain_{slug}").data
        }


for _slug, _label in vocab.EXPERIENCE_DOMAINS.items():
    setattr(
        ExperienceForm,
        f"domain_{_slug}",
        SharingSelectField(_label, choices=DOMAIN_CHOICES, default=""),
    )


class TrainingEntryForm(Form):
    """One training (a sub-form of step 4; blank rows are ignored)."""

    name = StringField(
        _l("Formation"),
        filters=[strip_filter],
        validators=[
            Optional(),
            Length(max=200, message=_l("200 caractères au maximum.")),
            CleanText(),
        ],
    )
    provider = StringField(
        _l("Organisme (facultatif)"),
        filters=[strip_filter],
        validators=[
            Optional(),
            Length(max=200, message=_l("200 caractères au maximum.")),
            CleanText(),
        ],
    )
    status = SelectField(
        _l("Où en êtes-vous ?"),
        choices=vocab.TRAINING_STATUSES.choices(),
        default="souhaitee",
    )

    def validate_provider(self, field):
        if field.data and not self.name.data:
            raise ValidationError(_l("Indiquez aussi le nom de la formation."))


class TrainingsLanguagesForm(BaseForm):
    """Step 4: trainings and languages."""

    trainings = FieldList(FormField(TrainingEntryForm), min_entries=0, max_entries=15)
    languages = StringField(
        _l("Langues que vous parlez"),
        validators=[
            Optional(),
            Length(max=500, message=_l("500 caractères au maximum.")),
        ],
        description=_l(
            "Séparez-les par des virgules, par exemple : français, arabe, anglais."
        ),
    )

    def validate_languages(self, field):
        codes, unknown = parse_languages(field.data or "")
        if unknown:
            raise ValidationError(
                _l(
                    "Nous ne reconnaissons pas : %(names)s. Écrivez le nom de la langue en "
                    "français (par exemple : anglais).",
                    names=", ".join(unknown[:5]),
                )
            )
        if len(codes) > 20:
            raise ValidationError(_l("20 langues au maximum."))
        field.codes = codes


def parse_languages(text: str) -> tuple[list[str], list[str]]:
    """Turn "français, Arabe; en" into (["fr", "ar", "en"], unknown names)."""
    codes, unknown = [], []
    for part in re.split(r"[,;/\n]+", text):
        part = part.strip()
        if not part:
            continue
        code = vocab.LANGUAGES.resolve(part)
        if code is None:
            unknown.append(part[:40])
        elif code not in codes:
            codes.append(code)
    return codes, unknown


class ConfirmProfileForm(BaseForm):
    """Step 5: the person saw the preview and confirms."""


# ---------------------------------------------------------------- consent


def purpose_field(slug):
    return BooleanField(CONSENT_PURPOSES.label(slug), default=False)


class ConsentForm(BaseForm):
    """Unticked, separate checkboxes, one per purpose."""

    purpose_equipe = purpose_field("equipe")
    purpose_mise_en_relation = purpose_field("mise_en_relation")
    purpose_profil_anonyme = purpose_field("profil_anonyme")

    def purposes(self) -> list[str]:
        return [
            slug for slug in CONSENT_PURPOSES if getattr(self, f"purpose_{slug}").data
        ]

    def validate_purpose_equipe(self, field):
        if not field.data:
            raise ValidationError(
                _l(
                    "Pour que Passerelle garde ces informations, cochez au moins cette "
                    "première case. Sinon, passez simplement cette étape."
                )
            )


class OralConsentForm(ConsentForm):
    """An officer records the consent a person gave orally, and when."""

    given_on = DateField(
        _l("Date de l'accord oral"),
        validators=[InputRequired(_l("Indiquez la date de l'accord.")), NotInFuture()],
    )
    notice_read = BooleanField(
        _l(
            "J'ai lu la notice à la personne et elle a donné son accord pour les cases cochées."
        ),
        validators=[InputRequired(_l("Cochez cette case pour enregistrer l'accord."))],
    )

    def validate_purpose_equipe(self, field):
        if not field.data:
            raise ValidationError(
                _l("Sans cette case, rien de son expérience ne peut être enregistré.")
            )


# ---------------------------------------------------------------- officer tools


class CandidateCreateForm(BaseForm):
    """An officer registers a person met in person."""

    display_name = name_field()
    email = contact_email_field()
    phone = phone_field()
    commune = CommuneField(
        _l("Commune"),
        validators=[
            Optional(),
            Length(max=120, message=_l("120 caractères au maximum.")),
        ],
    )
    confirm_distinct = BooleanField(
        _l("J'ai vérifié : c'est une autre personne que les profils ci-dessus.")
    )


class CandidateContactForm(BaseForm):
    """An officer edits the name, contact and status of a profile."""

    display_name = name_field()
    email = contact_email_field()
    phone = phone_field()
    status = SelectField(
        _l("Statut"),
        choices=vocab.CANDIDATE_STATUSES.choices(),
        validators=[InputRequired(_l("Choisissez un statut."))],
    )


class EventForm(BaseForm):
    """A note, meeting or call on the candidate's timeline."""

    kind = SelectField(
        _l("Type"),
        choices=WRITTEN_EVENT_KINDS.choices(),
        default="note",
        validators=[InputRequired(_l("Choisissez un type."))],
    )
    occurred_on = DateField(
        _l("Date"),
        validators=[InputRequired(_l("Indiquez la date.")), NotInFuture()],
    )
    body = TextAreaField(
        _l("Texte"),
        validators=[
            InputRequired(_l("Écrivez la note.")),
            Length(max=5000, message=_l("%(max)d caractères au maximum.", max=5000)),
        ],
        description=NOTE_HINT,
        render_kw={"rows": 3},
    )


class CandidateFilterForm(BaseForm):
    """Search and filters of the officer's candidate list (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Rechercher"),
        validators=[
            Optional(),
            Length(max=100, message=_l("100 caractères au maximum.")),
        ],
        description=_l(
            "Nom, commune ou mot du profil ; les fautes de frappe sont tolérées."
        ),
    )
    status = SelectField(
        _l("Statut"),
        choices=vocab.CANDIDATE_STATUSES.choices(blank=_l("Tous")),
        validators=[Optional()],
    )
    sector = SelectField(
        _l("Secteur"),
        choices=vocab.SECTORS.choices(blank=_l("Tous")),
        validators=[Optional()],
    )
    title = SelectField(
        _l("Poste"),
        choices=vocab.JOB_TITLES.choices(blank=_l("Tous")),
        validators=[Optional()],
    )
    domain = SelectField(
        _l("Domaine d'expérience"),
        choices=vocab.EXPERIENCE_DOMAINS.choices(blank=_l("Tous")),
        validators=[Optional()],
    )
    available_before = DateField(_l("Disponible avant le"), validators=[Optional()])
    department = SelectField(
        _l("Département"),
        choices=vocab.DEPARTMENTS_OCCITANIE.choices(blank=_l("Tous")),
        validators=[Optional()],
    )
    commune = CommuneField(
        _l("Commune"),
        validators=[
            Optional(),
            Length(max=120, message=_l("120 caractères au maximum.")),
        ],
        description="",
    )


# ---------------------------------------------------------------- data rights


class EraseForm(BaseForm):
    confirm = BooleanField(
        _l("Je comprends que l'effacement est définitif."),
        validators=[InputRequired(_l("Cochez cette case pour confirmer."))],
    )
    password = PasswordField(
        _l("Votre mot de passe"),
        validators=[InputRequired(_l("Indiquez votre mot de passe."))],
        render_kw={"autocomplete": "current-password"},
    )


class OfficerEraseForm(BaseForm):
    confirm = BooleanField(
        _l("La personne a demandé l'effacement de ses données."),
        validators=[InputRequired(_l("Cochez cette case pour confirmer."))],
    )
