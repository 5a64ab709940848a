"""Support cases: lists and board, the case page, readiness, barriers, funding, timeline."""

from datetime import datetime, time

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
from wtforms import SelectChoice

from matching import access, vocab
from matching.access import employer_required, officer_required, role_required
from matching.accounts.models import User
from matching.cases import services
from matching.cases.forms import (
    ACTIVITY_KIND_LABELS,
    ActivityForm,
    CaseFilterForm,
    CaseForm,
    CaseRequestForm,
    FundingLineForm,
    StageForm,
    barriers_form_class,
    readiness_form_class,
)
from matching.cases.funding import funding_totals
from matching.cases.models import Activity, FundingLine, SupportCase
from matching.core.forms import EmptyForm, valid_filters
from matching.core.timeutils import paris_to_utc, paris_today, to_paris
from matching.extensions import db
from matching.organisations.models import Organisation

bp = Blueprint("cases", __name__)

officer_or_employer = role_required("officer", "employer")


def _load_case(case_id: int) -> SupportCase:
    case = services.get_case_for_detail(case_id) or abort(404)
    access.require(access.can_view_case(current_user, case))
    return case


def _officer_choices(blank):
    return [SelectChoice(None, blank)] + [
        SelectChoice(officer.id, officer.display_name)
        for officer in services.list_officers()
    ]


def _case_filters():
    form = CaseFilterForm(request.args)
    form.officer.choices = _officer_choices(_("Tous"))
    filters = valid_filters(form)
    view = request.args.get("vue", "mes")
    filters.update(
        mine=view == "mes", unassigned=view == "a-attribuer", officer_id=current_user.id
    )
    return form, filters, view


@bp.get("/accompagnements")
@officer_required
def index():
    """List cases (mine or all) with filters; overdue next steps first."""
    form, filters, view = _case_filters()
    page = services.list_cases(
        current_user,
        filters,
        request.args.get("page", 1, type=int),
        current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "cases/index.html", form=form, page=page, view=view, today=paris_today()
    )


@bp.get("/accompagnements/tableau")
@officer_required
def board():
    """Show open cases as a board, one column per stage."""
    form, filters, view = _case_filters()
    return render_template(
        "cases/board.html",
        form=form,
        columns=services.board(current_user, filters),
        view=view,
        today=paris_today(),
    )


@bp.get("/employeur/accompagnements")
@employer_required
def employer_list():
    """The employer's own support cases."""
    organisation = db.session.get(
        Organisation, access.active_organisation_id(current_user)
    )
    return render_template(
        "cases/employer_list.html",
        organisation=organisation,
        cases=services.list_cases_of(current_user, organisation),
    )


@bp.route("/employeur/accompagnements/demande", methods=["GET", "POST"])
@employer_required
def request_case():
    """An employer asks the Passerelle team for an accompaniment."""
    form = CaseRequestForm()
    if form.validate_on_submit():
        organisation = db.session.get(
            Organisation, access.active_organisation_id(current_user)
        )
        case = services.request_case(
            organisation, form.title.data, form.message.data, current_user
        )
        db.session.commit()
        flash(
            _("Votre demande est envoyée : un·e chargé·e de mission vous contactera."),
            "success",
        )
        return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("cases/request.html", form=form)


@bp.route(
    "/structures/<int:organisation_id>/accompagnements/nouveau", methods=["GET", "POST"]
)
@officer_required
def new(organisation_id: int):
    """Open a support case for an organisation."""
    organisation = db.get_or_404(Organisation, organisation_id)
    form = CaseForm()
    form.officer_id.choices = _officer_choices(_("— Personne pour l'instant —"))
    if request.method == "GET":
        form.officer_id.data = current_user.id
    if form.validate_on_submit() and _due_date_allowed(form, None):
        officer = db.session.get(User, form.officer_id.data or 0)
        case = services.open_case(organisation, form.title.data, current_user, officer)
        services.update_case(
            case,
            current_user,
            next_step=form.next_step.data or None,
            next_step_due=form.next_step_due.data,
            sessions_planned=form.sessions_planned.data or 0,
            sessions_done=form.sessions_done.data or 0,
        )
        db.session.commit()
        flash(_("L'accompagnement est ouvert."), "success")
        return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("cases/form.html", form=form, organisation=organisation)


def _due_date_allowed(form, case) -> bool:
    due = form.next_step_due.data
    unchanged = case is not None and due == case.next_step_due
    if due and due < paris_today() and not unchanged:
        form.next_step_due.errors.append(
            _("La date de la prochaine étape ne peut pas être déjà passée.")
        )
        return False
    return True


@bp.get("/accompagnements/<int:case_id>")
@officer_or_employer
def detail(case_id: int):
    """The case page: stage, next step, readiness, barriers, jobs, funding, timeline."""
    case = _load_case(case_id)
    from matching.postings.services import list_postings_of_case

    activity_form = ActivityForm()
    activity_form.occurred_on.data = paris_today()
    stage_form = StageForm()
    stage_form.stage.data = case.stage
    return render_template(
        "cases/detail.html",
        case=case,
        progress=services.readiness_progress(case.readiness_items),
        barriers=services.ranked_barriers(case),
        funding_lines=sorted(case.funding_lines, key=lambda f: f.created_at),
        funding_totals=funding_totals(case.funding_lines),
        postings=list_postings_of_case(current_user, case),
        activities=services.timeline(current_user, case),
        activity_form=activity_form,
        stage_form=stage_form,
        overdue=services.is_overdue(case),
        activity_kinds=ACTIVITY_KIND_LABELS,
        can_manage=access.can_manage_case(current_user, case),
    )


@bp.route("/accompagnements/<int:case_id>/modifier", methods=["GET", "POST"])
@officer_required
def edit(case_id: int):
    """Edit the project name, the referent officer, the next step and sessions."""
    case = _load_case(case_id)
    form = CaseForm(obj=case)
    form.officer_id.choices = _officer_choices(_("— Personne pour l'instant —"))
    if form.validate_on_submit() and _due_date_allowed(form, case):
        services.update_case(
            case,
            current_user,
            title=form.title.data,
            officer_id=form.officer_id.data,
            next_step=form.next_step.data or None,
            next_step_due=form.next_step_due.data,
            sessions_planned=form.sessions_planned.data or 0,
            sessions_done=form.sessions_done.data or 0,
        )
        db.session.commit()
        flash(_("L'accompagnement est mis à jour."), "success")
        return redirect(url_for("cases.detail", case_id=case.id))
    return render_template(
        "cases/form.html", form=form, organisation=case.organisation, case=case
    )


@bp.post("/accompagnements/<int:case_id>/etape")
@officer_required
def change_stage(case_id: int):
    """Move the case to another stage (pause and stop need a reason)."""
    case = _load_case(case_id)
    form = StageForm()
    if form.validate_on_submit():
        try:
            services.change_stage(
                case,
                form.stage.data,
                current_user,
                form.reason.data or None,
                form.note.data or None,
            )
        except services.CaseError as error:
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(
                _(
                    "Étape enregistrée : %(stage)s",
                    stage=vocab.CASE_STAGES.label(case.stage),
                ),
                "success",
            )
    else:
        flash(_("Choisissez une étape de la liste."), "danger")
    return redirect(url_for("cases.detail", case_id=case.id, _anchor="etape"))


@bp.route("/accompagnements/<int:case_id>/preparation", methods=["GET", "POST"])
@officer_or_employer
def readiness(case_id: int):
    """Fill the readiness checklist, item by item, with a note each."""
    case = _load_case(case_id)
    items = {item.item: item for item in case.readiness_items}
    form = readiness_form_class(vocab.READINESS_ITEMS.slugs)()
    if request.method == "GET":
        for slug in vocab.READINESS_ITEMS:
            item = items.get(slug)
            form[f"status_{slug}"].data = item.status if item else "non_commence"
            form[f"note_{slug}"].data = item.note if item else ""
    if form.validate_on_submit():
        values = {
            slug: (form[f"status_{slug}"].data, form[f"note_{slug}"].data)
            for slug in vocab.READINESS_ITEMS
        }
        services.update_readiness(case, current_user, values)
        db.session.commit()
        flash(_("La préparation est enregistrée."), "success")
        return redirect(url_for("cases.detail", case_id=case.id, _anchor="preparation"))
    return render_template(
        "cases/readiness.html",
        case=case,
        form=form,
        progress=services.readiness_progress(case.readiness_items),
    )


@bp.route("/accompagnements/<int:case_id>/freins", methods=["GET", "POST"])
@officer_or_employer
def barriers(case_id: int):
    """Rate the 12 barriers of the diagnostic, and say what is needed."""
    case = _load_case(case_id)
    form = barriers_form_class()()
    if request.method == "GET":
        ratings = {rating.barrier: rating.rating for rating in case.barrier_ratings}
        for slug in vocab.BARRIERS:
            form[f"barrier_{slug}"].data = str(ratings.get(slug, ""))
        form.needs.data = list(case.needs or [])
        form.note.data = case.barriers_note
    if form.validate_on_submit():
        ratings = {
            slug: int(form[f"barrier_{slug}"].data)
            if form[f"barrier_{slug}"].data
            else None
            for slug in vocab.BARRIERS
        }
        try:
            services.save_barriers(
                case, current_user, ratings, form.needs.data or [], form.note.data
            )
        except services.CaseError as error:
            db.session.rollback()
            flash(str(error), "danger")
            return render_template("cases/barriers.html", case=case, form=form), 422
        db.session.commit()
        flash(_("Les freins et besoins sont enregistrés."), "success")
        return redirect(url_for("cases.detail", case_id=case.id, _anchor="freins"))
    return render_template("cases/barriers.html", case=case, form=form)


def _funding_values(form) -> dict:
    return {field: form[field].data for field in services.FUNDING_FIELDS}


@bp.route(
    "/accompagnements/<int:case_id>/financements/nouveau", methods=["GET", "POST"]
)
@officer_or_employer
def new_funding(case_id: int):
    """Add a funding line (from a funder spotted to a signed agreement)."""
    case = _load_case(case_id)
    form = FundingLineForm()
    if form.validate_on_submit():
        services.save_funding_line(case, current_user, _funding_values(form))
        db.session.commit()
        flash(_("Le financement est ajouté."), "success")
        return redirect(
            url_for("cases.detail", case_id=case.id, _anchor="financements")
        )
    return render_template("cases/funding_form.html", case=case, form=form)


def _load_funding(case: SupportCase, funding_id: int) -> FundingLine:
    line = db.session.get(FundingLine, funding_id)
    access.require(line is not None and line.case_id == case.id)
    return line


@bp.route(
    "/accompagnements/<int:case_id>/financements/<int:funding_id>",
    methods=["GET", "POST"],
)
@officer_or_employer
def edit_funding(case_id: int, funding_id: int):
    """Update a funding line: status, amounts, dates."""
    case = _load_case(case_id)
    line = _load_funding(case, funding_id)
    form = FundingLineForm(obj=line)
    if form.validate_on_submit():
        services.save_funding_line(case, current_user, _funding_values(form), line)
        db.session.commit()
        flash(_("Le financement est mis à jour."), "success")
        return redirect(
            url_for("cases.detail", case_id=case.id, _anchor="financements")
        )
    return render_template("cases/funding_form.html", case=case, form=form, line=line)


@bp.post("/accompagnements/<int:case_id>/financements/<int:funding_id>/supprimer")
@officer_or_employer
def delete_funding(case_id: int, funding_id: int):
    """Remove a funding line entered by mistake."""
    case = _load_case(case_id)
    line = _load_funding(case, funding_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.delete_funding_line(line, current_user)
    db.session.commit()
    flash(_("Le financement est retiré."), "info")
    return redirect(url_for("cases.detail", case_id=case.id, _anchor="financements"))


def _activity_values(form) -> dict:
    occurred = datetime.combine(form.occurred_on.data, time(12, 0))
    return {
        "kind": form.kind.data,
        "title": form.title.data,
        "body": form.body.data or None,
        "occurred_at": paris_to_utc(occurred),
        "link": form.link.data or None,
        "visibility": (
            form.visibility.data if access.is_officer(current_user) else "employer"
        ),
    }


@bp.post("/accompagnements/<int:case_id>/journal")
@officer_or_employer
def add_activity(case_id: int):
    """Write a note, a meeting, a call… on the case's timeline."""
    case = _load_case(case_id)
    form = ActivityForm()
    if form.validate_on_submit():
        services.add_activity(case, current_user, _activity_values(form))
        db.session.commit()
        flash(_("L'entrée est ajoutée au journal."), "success")
        return redirect(url_for("cases.detail", case_id=case.id, _anchor="journal"))
    return render_template("cases/activity_form.html", case=case, form=form), 422


def _load_activity(case: SupportCase, activity_id: int) -> Activity:
    activity = db.session.get(Activity, activity_id)
    access.require(
        activity is not None
        and activity.case_id == case.id
        and access.can_read_activity(current_user, activity)
    )
    if not access.can_edit_activity(current_user, activity):
        abort(403)
    return activity


@bp.route(
    "/accompagnements/<int:case_id>/journal/<int:activity_id>", methods=["GET", "POST"]
)
@officer_or_employer
def edit_activity(case_id: int, activity_id: int):
    """Correct an entry one wrote."""
    case = _load_case(case_id)
    activity = _load_activity(case, activity_id)
    form = ActivityForm(obj=activity)
    if request.method == "GET":
        form.occurred_on.data = to_paris(activity.occurred_at).date()
        form.link.data = (activity.data or {}).get("link")
    if form.validate_on_submit():
        services.update_activity(activity, _activity_values(form))
        db.session.commit()
        flash(_("L'entrée est corrigée."), "success")
        return redirect(url_for("cases.detail", case_id=case.id, _anchor="journal"))
    return render_template(
        "cases/activity_form.html", case=case, form=form, activity=activity
    )


@bp.post("/accompagnements/<int:case_id>/journal/<int:activity_id>/supprimer")
@officer_or_employer
def delete_activity(case_id: int, activity_id: int):
    """Delete an entry one wrote."""
    case = _load_case(case_id)
    activity = _load_activity(case, activity_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    db.session.delete(activity)
    db.session.commit()
    flash(_("L'entrée est supprimée."), "info")
    return redirect(url_for("cases.detail", case_id=case.id, _anchor="journal"))
