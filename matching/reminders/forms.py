"""The notification settings form, and the admins' reminder settings."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectChoice, SelectField
from wtforms.validators import InputRequired, NumberRange

from matching.core.forms import BaseForm, WholeNumberField

MODE_CHOICES = [
    SelectChoice(
        "immediate",
        _l("Un e-mail pour chaque rappel, le matin du jour où il est dû (vers 8 h)"),
    ),
    SelectChoice(
        "digest", _l("Un seul e-mail par jour, qui rassemble tous mes rappels")
    ),
]
HOUR_CHOICES = [SelectChoice(hour, f"{hour} h") for hour in range(24)]


class NotificationsForm(BaseForm):
    reminder_mode = RadioField(
        _l("Comment recevoir mes rappels"),
        choices=MODE_CHOICES,
        validators=[InputRequired(_l("Choisissez une façon de recevoir vos rappels."))],
    )
    digest_hour = SelectField(
        _l("Heure du résumé quotidien (heure de Paris)"),
        choices=HOUR_CHOICES,
        coerce=int,
        validators=[InputRequired(_l("Choisissez une heure."))],
    )
    has_optional_reminders = BooleanField(
        _l("Recevoir aussi les rappels de suivi"),
    )


# What "les rappels de suivi" are, for each role that has some.
OPTIONAL_DESCRIPTIONS = {
    "officer": _l(
        "Accompagnement sans nouvelles depuis un mois, dossier à déposer dans "
        "14 jours, décision de financement attendue, offre sans mise en relation."
    ),
    "employer": _l(
        "Dossier de financement à déposer dans 14 jours, décision de financement "
        "attendue, candidature sans décision de votre part depuis deux semaines."
    ),
}


class ReminderSettingsForm(BaseForm):
    inactivity_days = WholeNumberField(
        _l("Rappel d'un accompagnement sans activité après (jours)"),
        validators=[
            InputRequired(_l("Indiquez un nombre de jours.")),
            NumberRange(7, 365, _l("Entre 7 et 365 jours.")),
        ],
    )
