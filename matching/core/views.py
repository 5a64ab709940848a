"""Home page, language switch, privacy notice, health check."""

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user

from matching.access import candidate_required, employer_required, officer_required
from matching.core.forms import BaseForm
from matching.core.urls import is_safe_redirect
from matching.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/")
def home():
    """Show the landing page, or send a logged-in user to their own space."""
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    return render_template("core/home.html")


def home_endpoint(user) -> str:
    return {
        "officer": "core.officer_home",
        "employer": "core.employer_home",
    }.get(user.role, "core.candidate_home")


@bp.get("/equipe")
@officer_required
def officer_home():
    """The officer's start page: what needs attention today."""
    from matching.cases.services import cases_to_assign, overdue_cases
    from matching.organisations.services import list_pending_memberships

    to_assign, to_assign_count = cases_to_assign()
    return render_template(
        "core/officer_home.html",
        pending_memberships=list_pending_memberships(),
        overdue=overdue_cases(current_user),
        to_assign=to_assign,
        to_assign_count=to_assign_count,
    )


@bp.get("/employeur")
@employer_required
def employer_home():
    """The employer's start page: their organisation and its follow-up."""
    from matching.organisations.services import list_pending_memberships

    membership = current_user.membership
    pending = (
        list_pending_memberships(membership.organisation)
        if membership.is_org_admin
        else []
    )
    from matching.cases.services import list_cases_of
    from matching.postings.services import list_postings_of

    organisation = membership.organisation
    return render_template(
        "core/employer_home.html",
        organisation=organisation,
        pending_memberships=pending,
        cases=list_cases_of(current_user, organisation),
        postings=list_postings_of(current_user, organisation),
    )


@bp.get("/candidat")
@candidate_required
def candidate_home():
    """The candidate's own space."""
    return render_template("core/candidate_home.html")


@bp.post("/langue")
def set_language():
    """Switch the interface language and remember it on the account."""
    form = BaseForm()
    locale = request.form.get("locale", "")
    if form.validate() and locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
    target = request.form.get("next")
    return redirect(target if is_safe_redirect(target) else url_for("core.home"))


@bp.get("/confidentialite")
def privacy():
    """Explain what Passerelle stores, why, for how long and who sees it."""
    return render_template("core/privacy.html")


@bp.get("/accessibilite")
def accessibility():
    """State the accessibility commitments and how to report a problem."""
    return render_template("core/accessibility.html")


@bp.get("/sante")
def health():
    """Answer load balancers: the app and its database respond."""
    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok"}
