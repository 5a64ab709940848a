"""The candidate's own space: guided profile, consent, preview, data rights.

The officer's pages live in ``officer_views`` on the same blueprint.
"""

import json
from datetime import datetime

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    has_request_context,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matching import access
from matching.access import candidate_required
from matching.accounts.forms import ResetPasswordForm
from matching.accounts.passwords import password_problem, verify_password
from matching.accounts.sessions import start_session
from matching.candidates import invitations, services
from matching.candidates.choices import EVENT_KINDS, INTEREST_STATUSES, LAST_STEP, STEPS
from matching.candidates.consent import (
    CONSENT_METHODS,
    CONSENT_NOTICE,
    CONSENT_PURPOSES,
    CONSENT_VERSION,
)
from matching.candidates.forms import ConfirmProfileForm, ConsentForm, EraseForm
from matching.candidates.steps import EDITABLE_STEPS, apply_step, step_form
from matching.core.forms import EmptyForm
from matching.core.templating import date_fr, datetime_fr
from matching.core.urls import is_safe_redirect
from matching.extensions import db, limiter

bp = Blueprint("candidates", __name__)


@bp.context_processor
def candidate_vocabularies():
    return {
        "steps": STEPS,
        "last_step": LAST_STEP,
        "event_kinds": EVENT_KINDS,
        "interest_statuses": INTEREST_STATUSES,
        "consent_purposes": CONSENT_PURPOSES,
        "consent_methods": CONSENT_METHODS,
        "consent_notice": CONSENT_NOTICE,
        "consent_version": CONSENT_VERSION,
    }


@bp.app_template_filter("iso_fr")
def iso_fr(value: str | None) -> str:
    """Show an export's ISO date ("2026-03-01T10:00:00Z") the French way."""
    if not value:
        return ""
    parsed = datetime.fromisoformat(value.removesuffix("Z"))
    return datetime_fr(parsed) if "T" in value else date_fr(parsed)


@bp.after_app_request
def send_new_candidates_to_step_one(response):
    """Once their address is confirmed, a candidate without a profile starts step 1
    (rather than an empty home page)."""
    if (
        request.endpoint == "accounts.verify_email"
        and response.status_code == 302
        and response.location == url_for("core.candidate_home")
        and services.get_candidate_for_user(current_user) is None
    ):
        response.location = url_for("candidates.step", step=1)
    return response


@bp.app_context_processor
def home_summaries():
    """What the role's home page shows of candidates (the core views stay generic)."""
    from matching.candidates.home import home_context

    if not has_request_context():  # e-mails rendered by a command
        return {}
    return home_context(request.endpoint, current_user)


def _own_profile():
    candidate = services.get_candidate_for_user(current_user)
    if candidate is None:
        flash(_("Commençons par votre profil."), "info")
    return candidate


def _next_target(default: str) -> str:
    target = request.values.get("next")
    return target if is_safe_redirect(target) else default


@bp.get("/candidat/profil")
@candidate_required
def my_profile():
    """Show the candidate their profile, with a link to change each part."""
    candidate = _own_profile()
    if candidate is None:
        return redirect(url_for("candidates.step", step=1))
    from matching.offers.services import list_interests_of

    return render_template(
        "candidates/my_profile.html",
        candidate=candidate,
        interests=list_interests_of(candidate),
    )


@bp.route("/candidat/profil/etape/<int:step>", methods=["GET", "POST"])
@candidate_required
def step(step: int):
    """One step of the guided profile; each step is saved on its own."""
    if step not in range(1, LAST_STEP + 1):
        abort(404)
    candidate = services.get_candidate_for_user(current_user)
    if candidate is None and step != 1:
        return redirect(url_for("candidates.step", step=1))
    if step == LAST_STEP:
        return _confirm_step(candidate)
    if request.method == "POST" and "skip" in request.form:
        return _skip(candidate, step)
    if step == 3 and candidate.active_consent is None:
        return render_template(
            "candidates/step_consent.html",
            candidate=candidate,
            step=step,
            form=ConsentForm(),
        )
    form = step_form(step, candidate, account_name=current_user.display_name)
    if form.validate_on_submit():
        candidate = candidate or services.start_profile(current_user)
        try:
            apply_step(step, candidate, form)
        except services.CandidateError as error:
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(_("C'est enregistré."), "success")
            if "later" in request.form:
                return redirect(url_for("candidates.my_profile"))
            return redirect(url_for("candidates.step", step=step + 1))
    return render_template(
        f"candidates/step_{step}.html", candidate=candidate, step=step, form=form
    )


def _skip(candidate, step: int):
    if not EmptyForm().validate_on_submit() or step not in EDITABLE_STEPS:
        abort(400)
    if candidate is None:
        return redirect(url_for("candidates.step", step=1))
    services.skip_step(candidate, step)
    db.session.commit()
    return redirect(url_for("candidates.step", step=step + 1))


def _confirm_step(candidate):
    form = ConfirmProfileForm()
    if form.validate_on_submit():
        services.complete_profile(candidate, current_user)
        db.session.commit()
        flash(
            _(
                "Votre profil est enregistré. Merci ! Vous pouvez le changer à tout moment."
            ),
            "success",
        )
        return redirect(url_for("candidates.my_profile"))
    return render_template(
        "candidates/step_5.html",
        candidate=candidate,
        step=LAST_STEP,
        form=form,
        views=_employer_views(candidate),
    )


def _employer_views(candidate) -> list[dict]:
    return [
        access.candidate_view_for_employer(candidate, stage)
        for stage in access.EMPLOYER_STAGES
    ]


@bp.get("/candidat/profil/apercu")
@candidate_required
def preview():
    """Show exactly what an employer sees, before and after an introduction."""
    candidate = _own_profile()
    if candidate is None:
        return redirect(url_for("candidates.step", step=1))
    return render_template(
        "candidates/preview.html", candidate=candidate, views=_employer_views(candidate)
    )


@bp.route("/candidat/profil/accord", methods=["GET", "POST"])
@candidate_required
def consent():
    """Give or change consent to keep lived-experience information."""
    candidate = _own_profile()
    if candidate is None:
        return redirect(url_for("candidates.step", step=1))
    current = candidate.consent_purposes
    form = ConsentForm(
        **{f"purpose_{slug}": slug in current for slug in CONSENT_PURPOSES}
    )
    if form.validate_on_submit():
        before = services.sharing_levels(candidate)
        services.give_consent(candidate, form.purposes(), current_user)
        lowered = services.lowered_levels(before, services.sharing_levels(candidate))
        db.session.commit()
        flash(_consent_message(lowered), "success")
        # A finished profile goes back to itself, not to the guided steps.
        done = url_for("candidates.my_profile")
        return redirect(
            _next_target(
                done if candidate.is_complete else url_for("candidates.step", step=3)
            )
        )
    return render_template("candidates/consent.html", candidate=candidate, form=form)


def _consent_message(lowered: set[str]) -> str:
    """Say what a narrower consent changed in what the candidate shares."""
    message = _("Votre accord est enregistré.")
    if "apres_mise_en_relation" in lowered:
        message += " " + _(
            "Ce qui était visible de tous les employeurs ne leur est maintenant "
            "montré qu'après une mise en relation que vous avez acceptée."
        )
    if "prive" in lowered:
        message += " " + _(
            "Vos expériences partagées avec les employeurs sont maintenant privées : "
            "seule l'équipe Passerelle les voit."
        )
    return message


@bp.post("/candidat/profil/accord/retrait")
@candidate_required
def withdraw_consent():
    """Withdraw consent: domains of experience and texts are deleted."""
    candidate = _own_profile()
    if candidate is None or not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.withdraw_consent(candidate, current_user)
    except services.CandidateError as error:
        flash(str(error), "warning")
    else:
        db.session.commit()
        flash(
            _(
                "Votre accord est retiré. Les domaines de votre expérience et vos textes "
                "sont effacés."
            ),
            "success",
        )
    return redirect(url_for("candidates.my_profile"))


@bp.post("/candidat/profil/confirmer")
@candidate_required
def confirm_profile():
    """ "My information is still correct": keeps the profile for two more years."""
    candidate = _own_profile()
    if candidate is None or not EmptyForm().validate_on_submit():
        abort(400)
    services.confirm_profile(candidate, current_user)
    db.session.commit()
    flash(_("Merci ! Votre profil reste actif."), "success")
    return redirect(url_for("candidates.my_profile"))


def _load_full(candidate_id: int):
    from matching.candidates.models import Candidate, CandidateEvent, ConsentRecord

    return db.session.scalar(
        select(Candidate)
        .where(Candidate.id == candidate_id)
        .options(
            selectinload(Candidate.domains),
            selectinload(Candidate.trainings),
            selectinload(Candidate.consents).selectinload(ConsentRecord.recorded_by),
            selectinload(Candidate.events).selectinload(CandidateEvent.author),
            selectinload(Candidate.user),
        )
    )


@bp.get("/candidat/mes-donnees")
@candidate_required
def my_data():
    """A readable summary of everything Passerelle holds about the candidate."""
    candidate = _own_profile()
    if candidate is None:
        return redirect(url_for("candidates.step", step=1))
    data = services.view_candidate_data(_load_full(candidate.id), current_user)
    db.session.commit()
    return render_template("candidates/my_data.html", candidate=candidate, data=data)


def json_download(data: dict, filename: str) -> Response:
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/candidat/mes-donnees.json")
@candidate_required
def export_json():
    """Download all the candidate's data as JSON (portability)."""
    candidate = _own_profile()
    if candidate is None:
        return redirect(url_for("candidates.step", step=1))
    data = services.export_candidate_data(
        _load_full(candidate.id), current_user, "json"
    )
    db.session.commit()
    return json_download(data, "passerelle-mes-donnees.json")


@bp.route("/candidat/effacer", methods=["GET", "POST"])
@candidate_required
def erase_account():
    """Erase the candidate's data and account, after confirmation."""
    candidate = services.get_candidate_for_user(current_user)
    form = EraseForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.password.data):
            form.password.errors.append(_("Ce n'est pas votre mot de passe."))
        else:
            if candidate is not None:
                services.erase_candidate(candidate, current_user)
            else:
                services.erase_account_without_profile(current_user)
            db.session.commit()
            logout_user()
            start_session(remember=False)
            flash(
                _(
                    "Vos données sont effacées et votre compte est fermé. Prenez soin de vous."
                ),
                "success",
            )
            return redirect(url_for("core.home"))
    return render_template("candidates/erase.html", form=form, candidate=candidate)


@bp.route("/candidat/activer/<token>", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["RESET_LIMIT"], methods=["POST"], scope="claim-token"
)
def claim(token: str):
    """A person registered by an officer claims their profile by choosing a password."""
    candidate = invitations.candidate_from_claim_token(token)
    if candidate is None or current_user.is_authenticated:
        flash(
            _(
                "Ce lien n'est plus valable : il a expiré, a déjà servi, ou vous êtes "
                "déjà connecté·e. Demandez un nouveau lien à l'équipe Passerelle."
            ),
            "warning",
        )
        return redirect(url_for("core.home"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        problem = password_problem(
            form.password.data, [candidate.email, candidate.display_name]
        )
        if problem:
            form.password.errors.append(problem)
        else:
            return _finish_claim(candidate, form.password.data)
    return render_template("candidates/claim.html", form=form, candidate=candidate)


def _finish_claim(candidate, password: str):
    from matching.accounts.services import AccountError

    try:
        user = invitations.claim_candidate(candidate, password)
    except AccountError as error:
        flash(str(error), "danger")
        return redirect(url_for("accounts.login"))
    db.session.commit()
    start_session(remember=False)
    login_user(user)
    flash(
        _("Bienvenue ! Votre profil est à vous. Prenez le temps de le relire."),
        "success",
    )
    return redirect(url_for("candidates.my_profile"))


from matching.candidates import officer_views  # noqa: E402, F401  (routes on bp)
