"""Administration: accounts of the team, the e-mail log."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from matching.access import admin_required
from matching.accounts import services as accounts
from matching.accounts.forms import UserCreateForm
from matching.accounts.models import ROLES, User
from matching.core.forms import EmptyForm
from matching.extensions import db
from matching.reminders.models import EMAIL_STATUSES, EmailMessage

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
        ]
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
    """The e-mail log: every message queued, sent, failed or cancelled."""
    query = select(EmailMessage).order_by(EmailMessage.id.desc())
    status = request.args.get("statut", "")
    if status in EMAIL_STATUSES:
        query = query.where(EmailMessage.status == status)
    recipient = request.args.get("destinataire", "").strip().lower()[:254]
    if recipient:
        query = query.where(EmailMessage.recipient_email.like(f"%{recipient}%"))
    page = db.paginate(query, per_page=50, error_out=False)
    return render_template(
        "admin/emails.html", page=page, status=status, recipient=recipient
    )


@bp.get("/emails/<int:email_id>")
@admin_required
def email(email_id: int):
    """Read one message as it was (or will be) sent."""
    message = db.get_or_404(EmailMessage, email_id)
    return render_template("admin/email.html", message=message)
