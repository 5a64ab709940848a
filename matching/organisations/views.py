"""An employer's organisation: create or join it, approve new members."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from matching import access
from matching.access import role_required
from matching.core.forms import BaseForm, valid_filters
from matching.extensions import db
from matching.organisations import services
from matching.organisations.forms import (
    JoinForm,
    OrganisationFilterForm,
    OrganisationForm,
)
from matching.organisations.models import Membership, Organisation

bp = Blueprint("organisations", __name__)

# The attach pages are for employers who have no active organisation yet, so they use
# the plain role guard rather than employer_required (which sends people here).
employer_account_required = role_required()


def _join_form() -> JoinForm:
    form = JoinForm()
    names = db.session.execute(
        select(Organisation.id, Organisation.name).order_by(Organisation.name_search)
    )
    form.organisation_id.choices = [SelectChoice(0, _("— Choisir —"))] + [
        SelectChoice(row.id, row.name) for row in names
    ]
    return form


def _require_unattached_employer():
    if current_user.role != "employer":
        abort(403)
    membership = current_user.membership
    if membership is not None and membership.status == "active":
        return redirect(url_for("core.employer_home"))
    return None


@bp.get("/structure/rattachement")
@employer_account_required
def attach():
    """Let a new employer create their organisation or ask to join one."""
    if (response := _require_unattached_employer()) is not None:
        return response
    return render_template(
        "organisations/attach.html",
        create_form=OrganisationForm(prefix="create"),
        join_form=_join_form(),
        membership=current_user.membership,
    )


@bp.post("/structure/creer")
@employer_account_required
def create():
    """Create the employer's organisation; they become its administrator."""
    if (response := _require_unattached_employer()) is not None:
        return response
    form = OrganisationForm(prefix="create")
    if form.validate_on_submit():
        try:
            services.create_organisation_for(current_user, form)
        except services.MembershipError as error:
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(_("Votre structure est créée."), "success")
            return redirect(url_for("core.employer_home"))
    return render_template(
        "organisations/attach.html",
        create_form=form,
        join_form=_join_form(),
        membership=current_user.membership,
        open_panel="create",
    ), 422


@bp.post("/structure/rejoindre")
@employer_account_required
def join():
    """Ask to join an existing organisation."""
    if (response := _require_unattached_employer()) is not None:
        return response
    form = _join_form()
    organisation = None
    if form.validate_on_submit():
        organisation = db.session.get(Organisation, form.organisation_id.data)
        if organisation is None:
            form.organisation_id.errors.append(_("Choisissez la structure."))
    if organisation is not None:
        try:
            services.request_membership(current_user, organisation)
        except services.MembershipError as error:
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(
                _(
                    "Votre demande est envoyée. Vous recevrez un e-mail dès qu'elle sera "
                    "validée."
                ),
                "success",
            )
            return redirect(url_for("organisations.attach"))
    return render_template(
        "organisations/attach.html",
        create_form=OrganisationForm(prefix="create"),
        join_form=form,
        membership=current_user.membership,
        open_panel="join",
    ), 422


@bp.get("/equipe/demandes-de-rattachement")
@access.officer_required
def pending_memberships():
    """List every pending request to join an organisation."""
    return render_template(
        "organisations/pending_memberships.html",
        memberships=services.list_pending_memberships(),
    )


@bp.post("/structures/<int:organisation_id>/membres/<int:membership_id>/<decision>")
@role_required("officer", "employer")
def decide(organisation_id: int, membership_id: int, decision: str):
    """Approve or refuse a request to join an organisation."""
    membership = db.get_or_404(Membership, membership_id)
    organisation = membership.organisation
    access.require(
        organisation.id == organisation_id
        and access.can_manage_members(current_user, organisation)
    )
    if decision not in ("accepter", "refuser") or not BaseForm().validate_on_submit():
        abort(400)
    try:
        services.decide_membership(membership, decision == "accepter", current_user)
    except services.MembershipError as error:
        flash(str(error), "warning")
    else:
        db.session.commit()
        if decision == "accepter":
            flash(
                _(
                    "%(name)s a rejoint la structure.",
                    name=membership.user.display_name,
                ),
                "success",
            )
        else:
            flash(_("La demande est refusée."), "info")
    if current_user.role == "officer":
        return redirect(url_for("organisations.pending_memberships"))
    return redirect(url_for("core.employer_home"))


@bp.get("/structures")
@access.officer_required
def index():
    """List organisations with fuzzy search and filters."""
    form = OrganisationFilterForm(request.args)
    filters = valid_filters(form)
    page = request.args.get("page", 1, type=int)
    pagination, open_cases = services.list_organisations(
        current_user, filters, page, current_app.config["PAGE_SIZE"]
    )
    return render_template(
        "organisations/index.html", form=form, page=pagination, open_cases=open_cases
    )


@bp.route("/structures/nouvelle", methods=["GET", "POST"])
@access.officer_required
def new():
    """Register an organisation met on the territory."""
    form = OrganisationForm()
    similar = []
    if form.validate_on_submit():
        similar = services.find_similar_organisations(form.name.data)
        if similar and not request.form.get("confirm_duplicate"):
            flash(
                _(
                    "Des structures au nom proche existent déjà. Vérifiez qu'il ne "
                    "s'agit pas de la même, puis confirmez."
                ),
                "warning",
            )
        else:
            organisation = services.create_organisation(form)
            db.session.commit()
            flash(_("La structure est enregistrée."), "success")
            return redirect(
                url_for("organisations.detail", organisation_id=organisation.id)
            )
    return render_template("organisations/form.html", form=form, similar=similar)


@bp.get("/structures/<int:organisation_id>")
@role_required("officer", "employer")
def detail(organisation_id: int):
    """Show an organisation: its members, support cases and job descriptions."""
    organisation = db.get_or_404(Organisation, organisation_id)
    access.require(access.can_view_organisation(current_user, organisation))
    from matching.cases.services import list_cases_of
    from matching.postings.services import list_postings_of

    return render_template(
        "organisations/detail.html",
        organisation=organisation,
        members=services.list_members(organisation),
        cases=list_cases_of(current_user, organisation),
        postings=list_postings_of(current_user, organisation),
        can_edit=access.can_edit_organisation(current_user, organisation),
    )


@bp.route("/structures/<int:organisation_id>/modifier", methods=["GET", "POST"])
@role_required("officer", "employer")
def edit(organisation_id: int):
    """Edit an organisation (officers, and the organisation's own administrators)."""
    organisation = db.get_or_404(Organisation, organisation_id)
    access.require(access.can_view_organisation(current_user, organisation))
    if not access.can_edit_organisation(current_user, organisation):
        abort(403)
    form = OrganisationForm(obj=organisation)
    if request.method == "GET":
        form.commune.process_data(organisation.commune_insee)
    if form.validate_on_submit():
        services.apply_organisation_form(organisation, form)
        db.session.commit()
        flash(_("Les informations de la structure sont enregistrées."), "success")
        return redirect(
            url_for("organisations.detail", organisation_id=organisation.id)
        )
    return render_template(
        "organisations/form.html", form=form, organisation=organisation
    )
