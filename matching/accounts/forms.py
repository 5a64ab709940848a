"""Account forms: registration, login, password reset and change, profile."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length

from matching.core.forms import BaseForm

EMAIL_VALIDATORS = [
    InputRequired(_l("Indiquez votre adresse e-mail.")),
    Length(max=254, message=_l("Cette adresse est trop longue.")),
    Email(_l("Cette adresse e-mail n'est pas valide (exemple : prenom@exemple.fr).")),
]


def password_field(label, description=None):
    return PasswordField(
        label,
        validators=[InputRequired(_l("Choisissez un mot de passe."))],
        description=description,
        render_kw={"autocomplete": "new-password"},
    )


NEW_PASSWORD_HELP = _l(
    "Au moins 12 caractères. Une phrase de plusieurs mots est facile à retenir et "
    "difficile à deviner. Accents, espaces et émojis sont permis."
)


class RegistrationForm(BaseForm):
    display_name = StringField(
        _l("Votre nom ou prénom"),
        validators=[
            InputRequired(_l("Indiquez comment nous pouvons vous appeler.")),
            Length(max=120, message=_l("120 caractères au maximum.")),
        ],
        description=_l("Un prénom suffit. Vous pourrez le changer plus tard."),
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("Adresse e-mail"),
        validators=EMAIL_VALIDATORS,
        render_kw={"autocomplete": "email"},
    )
    password = password_field(_l("Mot de passe"), NEW_PASSWORD_HELP)
    password_confirm = PasswordField(
        _l("Mot de passe, une seconde fois"),
        validators=[
            InputRequired(_l("Recopiez le mot de passe.")),
            EqualTo("password", _l("Les deux mots de passe ne sont pas identiques.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    accept_terms = BooleanField(
        _l("J'ai lu comment Passerelle utilise mes données et je l'accepte."),
        validators=[InputRequired(_l("Cochez cette case pour créer votre compte."))],
    )


class LoginForm(BaseForm):
    email = EmailField(
        _l("Adresse e-mail"),
        validators=[InputRequired(_l("Indiquez votre adresse e-mail."))],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Mot de passe"),
        validators=[InputRequired(_l("Indiquez votre mot de passe."))],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(
        _l("Rester connecté·e sur cet appareil (30 jours)"),
        description=_l("À éviter sur un ordinateur partagé."),
    )


class ForgotPasswordForm(BaseForm):
    email = EmailField(
        _l("Adresse e-mail de votre compte"),
        validators=EMAIL_VALIDATORS,
        render_kw={"autocomplete": "email"},
    )


class ResetPasswordForm(BaseForm):
    password = password_field(_l("Nouveau mot de passe"), NEW_PASSWORD_HELP)
    password_confirm = PasswordField(
        _l("Nouveau mot de passe, une seconde fois"),
        validators=[
            InputRequired(_l("Recopiez le mot de passe.")),
            EqualTo("password", _l("Les deux mots de passe ne sont pas identiques.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(ResetPasswordForm):
    current_password = PasswordField(
        _l("Mot de passe actuel"),
        validators=[InputRequired(_l("Indiquez votre mot de passe actuel."))],
        render_kw={"autocomplete": "current-password"},
    )


class ProfileForm(BaseForm):
    display_name = RegistrationForm.display_name
    locale = SelectField(_l("Langue de l'interface"), choices=[])


class UserCreateForm(BaseForm):
    """An admin creates an officer (or admin) account."""

    display_name = RegistrationForm.display_name
    email = EmailField(_l("Adresse e-mail"), validators=EMAIL_VALIDATORS)
    is_admin = BooleanField(
        _l("Administrateur·rice (gère les comptes et les réglages)")
    )
