"""Job descriptions: list, editor, printable page, publication."""

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
from matching.access import role_required
from matching.cases.models import SupportCase
from matching.core.forms import EmptyForm, valid_filters
from matching.extensions import db
from matching.organisations.models import Organisation
from matching.postings import services
from matching.postings.forms import PostingFilterForm, PostingForm
from matching.postings.models import JobPosting

bp = Blueprint("postings", __name__)

officer_or_employer = role_required("officer", "employer")


def _load_posting(posting_id: int) -> JobPosting:
    posting = db.get_or_404(JobPosting, posting_id)
    access.require(access.can_view_posting_internals(current_user, posting))
    return posting


def _case_choices(organisation: Organisation):
    return [SelectChoice(None, _("— Aucun —"))] + [
        SelectChoice(case.id, case.title)
        for case in services.open_cases_of(organisation)
    ]


def _show_publication_problems(form, posting: JobPosting) -> None:
    for field, message in services.publication_problems(posting).items():
        target = "experience_domains" if field == "experience_domains" else field
        form[target].errors = [*form[target].errors, str(message)]


@bp.get("/fiches-de-poste")
@officer_or_employer
def index():
    """List job descriptions (all for officers, the organisation's for employers)."""
    form = PostingFilterForm(request.args)
    page = services.list_postings(
        current_user,
        valid_filters(form),
        request.args.get("page", 1, type=int),
        current_app.config["PAGE_SIZE"],
    )
    return render_template("postings/index.html", form=form, page=page)


def _organisation_for_new() -> Organisation:
    if access.is_officer(current_user):
        organisation_id = request.args.get("structure", type=int)
        return db.get_or_404(Organisation, organisation_id or 0)
    return db.session.get(Organisation, access.active_organisation_id(current_user))


@bp.route("/fiches-de-poste/nouvelle", methods=["GET", "POST"])
@officer_or_employer
def new():
    """Write a new job description (saved as a draft)."""
    organisation = _organisation_for_new()
    form = PostingForm()
    form.case_id.choices = _case_choices(organisation)
    if request.method == "GET":
        form.sector.data = organisation.sector
        form.case_id.data = request.args.get("accompagnement", type=int)
        form.commune.process_data(organisation.commune_insee)
    if form.validate_on_submit():
        case = _case_of(organisation, form.case_id.data)
        posting = services.create_posting(organisation, case, form, current_user)
        if request.form.get("action") == "publier":
            return _publish_from_editor(posting, form)
        db.session.commit()
        flash(_("La fiche de poste est enregistrée en brouillon."), "success")
        return redirect(url_for("postings.detail", posting_id=posting.id))
    return render_template("postings/form.html", form=form, organisation=organisation)


def _case_of(organisation: Organisation, case_id: int | None) -> SupportCase | None:
    if not case_id:
        return None
    case = db.session.get(SupportCase, case_id)
    if case is None or case.organisation_id != organisation.id:
        abort(404)
    return case


def _publish_from_editor(posting: JobPosting, form):
    try:
        services.transition_posting(posting, "publier", current_user)
    except services.PostingError as error:
        db.session.flush()
        _show_publication_problems(form, posting)
        db.session.commit()  # the draft is kept; only publishing waits
        flash(
            _(
                "Brouillon enregistré. %(reason)s Complétez les champs signalés.",
                reason=str(error),
            ),
            "warning",
        )
        return render_template(
            "postings/form.html",
            form=form,
            organisation=posting.organisation,
            posting=posting,
        ), 422
    db.session.commit()
    flash(_("La fiche de poste est publiée."), "success")
    return redirect(url_for("postings.detail", posting_id=posting.id))


@bp.get("/fiches-de-poste/<int:posting_id>")
@officer_or_employer
def detail(posting_id: int):
    """The job description as it will be printed or handed to a board."""
    posting = _load_posting(posting_id)
    return render_template(
        "postings/detail.html",
        posting=posting,
        problems=services.publication_problems(posting),
        title=services.display_title(posting),
        can_edit=access.can_edit_posting(current_user, posting),
        introductions=services.list_introductions(current_user, posting),
    )


@bp.route("/fiches-de-poste/<int:posting_id>/modifier", methods=["GET", "POST"])
@officer_or_employer
def edit(posting_id: int):
    """Edit the job description; published ones stay complete enough to stay online."""
    posting = _load_posting(posting_id)
    form = PostingForm(obj=posting)
    form.case_id.choices = _case_choices(posting.organisation)
    if request.method == "GET":
        form.commune.process_data(posting.commune_insee)
        if request.args.get("verifier"):
            _show_publication_problems(form, posting)
    if form.validate_on_submit():
        form_case = _case_of(posting.organisation, form.case_id.data)
        services.apply_posting_form(posting, form)
        posting.case = form_case
        if posting.is_published and services.publication_problems(posting):
            _show_publication_problems(form, posting)
            db.session.rollback()
            flash(_("Une offre publiée doit rester complète."), "danger")
        elif request.form.get("action") == "publier" and not posting.is_published:
            return _publish_from_editor(posting, form)
        else:
            db.session.commit()
            flash(_("La fiche de poste est enregistrée."), "success")
            return redirect(url_for("postings.detail", posting_id=posting.id))
    return render_template(
        "postings/form.html",
        form=form,
        organisation=posting.organisation,
        posting=posting,
    )


@bp.post("/fiches-de-poste/<int:posting_id>/<action>")
@officer_or_employer
def transition(posting_id: int, action: str):
    """Publish, unpublish, mark filled, close or reopen a job description."""
    posting = _load_posting(posting_id)
    if action not in services.TRANSITIONS or not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.transition_posting(posting, action, current_user)
    except services.PostingError as error:
        flash(str(error), "danger")
        if action == "publier":
            return redirect(url_for("postings.edit", posting_id=posting.id, verifier=1))
    else:
        db.session.commit()
        flash(
            _(
                "État de la fiche : %(status)s",
                status=vocab.POSTING_STATUSES.label(posting.status),
            ),
            "success",
        )
    return redirect(url_for("postings.detail", posting_id=posting.id))
