"""Registration, login and logout, password reset, invitations, profile."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from wtforms import SelectChoice

from matching.accounts import services, tokens
from matching.accounts.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegistrationForm,
    ResetPasswordForm,
)
from matching.accounts.passwords import password_problem, verify_password
from matching.accounts.sessions import start_session
from matching.core.forms import EmptyForm
from matching.core.urls import is_safe_redirect
from matching.core.views import home_endpoint
from matching.extensions import db, limiter
from matching.vocab import fold

bp = Blueprint("accounts", __name__)


def _login_account_key() -> str:
    return "login-account:" + fold(request.form.get("email", ""))[:254]


def _failed(response) -> bool:
    """Count an attempt against the limits only when it did not log in."""
    return response.status_code != 302


def _after_login_target() -> str:
    target = request.args.get("next")
    if is_safe_redirect(target):
        return target
    return url_for(home_endpoint(current_user))


def _check_new_password(form, user_inputs) -> bool:
    problem = password_problem(form.password.data or "", user_inputs)
    if problem:
        form.password.errors.append(problem)
        return False
    return True


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_IP"],
    methods=["POST"],
    deduct_when=_failed,
    scope="login-ip",
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    key_func=_login_account_key,
    methods=["POST"],
    deduct_when=_failed,
    scope="login-account",
)
def login():
    """Log in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(_after_login_target())
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None or not user.active:
            flash(_("Adresse e-mail ou mot de passe incorrect."), "danger")
        elif user.email_verified_at is None:
            services.send_verification_email(user)
            db.session.commit()
            flash(
                _(
                    "Confirmez d'abord votre adresse : nous venons de vous renvoyer le "
                    "lien par e-mail."
                ),
                "warning",
            )
        else:
            start_session(form.remember.data)
            login_user(user, remember=form.remember.data)
            services.record_login(user)
            db.session.commit()
            return redirect(_after_login_target())
    return render_template("accounts/login.html", form=form)


@bp.post("/deconnexion")
@login_required
def logout():
    """Log out and make every copy of this session's cookies useless."""
    form = EmptyForm()
    if not form.validate():
        abort(400)
    services.end_sessions(current_user)
    db.session.commit()
    logout_user()
    start_session(remember=False)
    flash(_("Vous êtes déconnecté·e. À bientôt !"), "success")
    return redirect(url_for("accounts.login"))


def _register(role: str, template: str):
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = RegistrationForm()
    if form.validate_on_submit() and _check_new_password(
        form, [form.email.data, form.display_name.data]
    ):
        services.register_user(
            form.email.data, form.display_name.data, form.password.data, role
        )
        db.session.commit()
        return redirect(url_for("accounts.check_inbox"))
    return render_template(template, form=form, role=role)


@bp.route("/inscription/candidat", methods=["GET", "POST"])
def register_candidate():
    """Create a candidate account (future or current peer worker)."""
    return _register("candidate", "accounts/register_candidate.html")


@bp.route("/inscription/employeur", methods=["GET", "POST"])
def register_employer():
    """Create an employer account; the organisation comes after confirmation."""
    return _register("employer", "accounts/register_employer.html")


@bp.get("/inscription/verifiez-vos-emails")
def check_inbox():
    """Tell the visitor to open the confirmation link (same page for every address)."""
    return render_template("accounts/check_inbox.html")


@bp.get("/inscription/confirmer/<token>")
def verify_email(token: str):
    """Confirm the address from the e-mailed link and log the person in."""
    user = tokens.user_from_verification_token(token)
    if user is None:
        flash(
            _(
                "Ce lien n'est plus valable. Connectez-vous : nous vous en enverrons "
                "un nouveau."
            ),
            "warning",
        )
        return redirect(url_for("accounts.login"))
    services.verify_email(user)
    start_session(remember=False)
    login_user(user)
    services.record_login(user)
    db.session.commit()
    flash(_("Votre adresse est confirmée. Bienvenue sur Passerelle !"), "success")
    return redirect(url_for(home_endpoint(user)))


@bp.route("/mot-de-passe/oublie", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["RESET_LIMIT"], methods=["POST"], scope="reset-ip"
)
def forgot_password():
    """Send a reset link; the answer never says whether the address is known."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(
            _(
                "Si un compte existe avec cette adresse, un e-mail vient de lui être "
                "envoyé avec un lien pour choisir un nouveau mot de passe. Pensez à "
                "regarder dans les indésirables."
            ),
            "info",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


def _set_password_from_token(token: str, purpose: str, template: str):
    user = tokens.user_from_password_token(token, purpose)
    if user is None:
        flash(
            _(
                "Ce lien n'est plus valable : il a expiré ou a déjà servi. Demandez-en "
                "un nouveau."
            ),
            "warning",
        )
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit() and _check_new_password(
        form, [user.email, user.display_name]
    ):
        services.set_password(user, form.password.data)
        services.verify_email(user)
        db.session.commit()
        flash(_("Votre mot de passe est enregistré. Connectez-vous."), "success")
        return redirect(url_for("accounts.login"))
    return render_template(template, form=form, user=user)


@bp.route("/mot-de-passe/nouveau/<token>", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["RESET_LIMIT"], methods=["POST"], scope="reset-token"
)
def reset_password(token: str):
    """Choose a new password from the e-mailed link."""
    return _set_password_from_token(token, tokens.RESET, "accounts/reset_password.html")


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """Activate an account created by someone else by choosing a password."""
    return _set_password_from_token(
        token, tokens.INVITE, "accounts/accept_invitation.html"
    )


@bp.route("/compte", methods=["GET", "POST"])
@login_required
def profile():
    """Show and edit the account's name and language."""
    form = ProfileForm(obj=current_user)
    form.locale.choices = [
        SelectChoice(code, name)
        for code, name in current_app.config["LANGUAGES"].items()
    ]
    if form.validate_on_submit():
        services.update_profile(current_user, form.display_name.data, form.locale.data)
        db.session.commit()
        flash(_("Vos informations sont enregistrées."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form)


@bp.route("/compte/mot-de-passe", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password; other devices are logged out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(
                _("Ce n'est pas votre mot de passe actuel.")
            )
        elif _check_new_password(form, [current_user.email, current_user.display_name]):
            services.set_password(current_user, form.password.data)
            db.session.commit()
            # This device keeps its session (and remember cookie) under the new id.
            login_user(
                current_user._get_current_object(),
                remember=session.get("remember", False),
            )
            flash(
                _("Mot de passe changé. Vos autres appareils ont été déconnectés."),
                "success",
            )
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form)
