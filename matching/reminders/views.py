"""Notification settings, linked from the footer of every reminder and digest."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matching.extensions import db
from matching.reminders.forms import OPTIONAL_DESCRIPTIONS, NotificationsForm
from matching.reminders.pipeline_wording import candidate_rule_labels
from matching.reminders.preferences import (
    essential_rules,
    optional_rules,
    update_preferences,
)
from matching.reminders.render import rule_labels

bp = Blueprint("reminders", __name__)


@bp.route("/compte/notifications", methods=["GET", "POST"])
@login_required
def preferences():
    """Choose one e-mail per reminder or a daily digest, and optional reminders;
    each person sees only the reminders that can reach someone of their role."""
    role = current_user.role
    essential, optional = essential_rules(role), optional_rules(role)
    form = NotificationsForm(obj=current_user)
    if optional:
        form.has_optional_reminders.description = OPTIONAL_DESCRIPTIONS.get(role, "")
    else:  # nothing to switch off: the setting does not apply
        del form.has_optional_reminders
    if form.validate_on_submit():
        update_preferences(
            current_user,
            form.reminder_mode.data,
            form.digest_hour.data,
            form.has_optional_reminders.data
            if optional
            else current_user.has_optional_reminders,
        )
        db.session.commit()
        flash(_("Vos préférences de notification sont enregistrées."), "success")
        return redirect(url_for("reminders.preferences"))
    labels = rule_labels()
    if role == "candidate":
        labels |= candidate_rule_labels()
    return render_template(
        "reminders/preferences.html",
        form=form,
        essential=[labels[name] for name in essential],
        optional=[labels[name] for name in optional],
    )
