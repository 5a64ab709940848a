"""Administration: accounts of the team, the outbox (every e-mail and reminder)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from matching.access import admin_required
from matching.accounts import services as accounts
from matching.accounts.forms import UserCreateForm
from matching.accounts.models import ROLES, User
from matching.core.forms import EmptyForm
from matching.core.timeutils import utcnow
from matching.extensions import db
from matching.reminders import services as outbox
from matching.reminders.forms import ReminderSettingsForm
from matching.reminders.models import EmailMessage
from matching.reminders.render import rule_labels

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.context_processor
def email_vocabulary():
    return {
        "email_statuses": [
            ("pending", _("En attente")),
            ("sending", _("En cours d'envoi")),
            ("sent", _("Envoyé")),
            ("failed", _("Échec")),
            ("cancelled", _("Annulé")),
        ],
        "email_views": [
            ("due", _("À envoyer maintenant")),
            ("scheduled", _("Programmés")),
            ("pending", _("En attente (tous)")),
            ("sending", _("En cours d'envoi")),
            ("sent", _("Envoyés")),
            ("failed", _("Échecs")),
            ("cancelled", _("Annulés")),
        ],
        "email_kinds": [
            ("transactional", _("E-mails de service (sécurité, comptes)")),
            ("digest", _("Résumés quotidiens")),
        ],
        "rule_labels": rule_labels(),
    }


@bp.get("/utilisateurs")
@admin_required
def users():
    """List accounts, filtered by role and searched by name or e-mail."""
    query = select(User).order_by(User.created_at.desc())
    role = request.args.get("role", "")
    if role in ROLES:
        query = query.where(User.role == role)
    text = request.args.get("q", "").strip()[:100]
    if text:
        pattern = f"%{text.lower()}%"
        query = query.where(
            or_(User.email.like(pattern), User.display_name.ilike(pattern))
        )
    page = db.paginate(query, per_page=50, error_out=False)
    return render_template("admin/users.html", page=page, role=role, q=text)


@bp.route("/utilisateurs/nouveau", methods=["GET", "POST"])
@admin_required
def create_user():
    """Create an officer account; the person receives a link to choose a password."""
    form = UserCreateForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                form.email.data,
                form.display_name.data,
                "officer",
                is_admin=form.is_admin.data,
                verified=True,
            )
        except accounts.AccountError as error:
            form.email.errors.append(str(error))
        else:
            accounts.invite_user(user, invited_by=current_user)
            db.session.commit()
            flash(
                _(
                    "Compte créé. %(name)s a reçu un e-mail pour choisir son mot de passe.",
                    name=user.display_name,
                ),
                "success",
            )
            return redirect(url_for("admin.users"))
    return render_template("admin/user_new.html", form=form)


@bp.post("/utilisateurs/<int:user_id>/<action>")
@admin_required
def toggle_user(user_id: int, action: str):
    """Deactivate (ending its sessions) or reactivate an account."""
    user = db.get_or_404(User, user_id)
    if (
        action not in ("desactiver", "reactiver")
        or not EmptyForm().validate_on_submit()
    ):
        abort(400)
    if user.id == current_user.id:
        flash(_("Vous ne pouvez pas désactiver votre propre compte."), "warning")
        return redirect(url_for("admin.users"))
    if action == "desactiver":
        accounts.deactivate_user(user)
        flash(_("Le compte de %(name)s est désactivé.", name=user.display_name), "info")
    else:
        accounts.reactivate_user(user)
        flash(
            _("Le compte de %(name)s est réactivé.", name=user.display_name), "success"
        )
    db.session.commit()
    return redirect(url_for("admin.users"))


@bp.get("/emails")
@admin_required
def emails():
    """The outbox: reminders due, scheduled, sent, failed; filter by rule, recipient."""
    filters = {
        "view": request.args.get("statut", ""),
        "rule": request.args.get("regle", "")[:60],
        "recipient": request.args.get("destinataire", "").strip().lower()[:254],
    }
    now = utcnow()
    page = db.paginate(outbox.outbox_query(filters, now), per_page=50, error_out=False)
    settings_form = ReminderSettingsForm(inactivity_days=outbox.get_inactivity_days())
    return render_template(
        "admin/emails.html",
        page=page,
        filters=filters,
        counts=outbox.outbox_counts(now),
        settings_form=settings_form,
    )


@bp.post("/emails/reglages")
@admin_required
def reminder_settings():
    """Change how long a case may stay quiet before its officer is reminded."""
    form = ReminderSettingsForm()
    if form.validate_on_submit():
        outbox.set_inactivity_days(form.inactivity_days.data, current_user)
        db.session.commit()
        flash(_("Réglages des rappels enregistrés."), "success")
    else:
        for error in form.inactivity_days.errors:
            flash(str(error), "danger")
    return redirect(url_for("admin.emails"))


@bp.get("/emails/<int:email_id>")
@admin_required
def email(email_id: int):
    """Read one message as it was (or will be) sent; a digest lists its reminders."""
    message = db.get_or_404(EmailMessage, email_id)
    carried = outbox.carried_by(message) if message.kind == "digest" else []
    digest = (
        db.session.get(EmailMessage, message.digest_id) if message.digest_id else None
    )
    return render_template(
        "admin/email.html", message=message, carried=carried, digest=digest
    )


@bp.post("/emails/<int:email_id>/reessayer")
@admin_required
def retry_email(email_id: int):
    """Queue a failed message again; the next tick sends it."""
    message = db.get_or_404(EmailMessage, email_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        outbox.retry_message(message, utcnow())
    except outbox.RetryError:
        flash(_("Seul un e-mail en échec peut être renvoyé."), "warning")
    else:
        db.session.commit()
        flash(_("L'e-mail sera renvoyé dans la minute."), "success")
    return redirect(url_for("admin.email", email_id=message.id))
