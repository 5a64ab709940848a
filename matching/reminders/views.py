"""Notification settings, linked from the footer of every reminder and digest."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matching.extensions import db
from matching.reminders.forms import NotificationsForm
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
    """Choose one e-mail per reminder or a daily digest, and optional reminders."""
    form = NotificationsForm(obj=current_user)
    if form.validate_on_submit():
        update_preferences(
            current_user,
            form.reminder_mode.data,
            form.digest_hour.data,
            form.has_optional_reminders.data,
        )
        db.session.commit()
        flash(_("Vos préférences de notification sont enregistrées."), "success")
        return redirect(url_for("reminders.preferences"))
    labels = rule_labels()
    return render_template(
        "reminders/preferences.html",
        form=form,
        essential=[labels[name] for name in essential_rules()],
        optional=[labels[name] for name in optional_rules()],
    )
