"""Spreadsheet imports, officers only: upload, column mapping, dry run, import.

The dry run and the import of long files report their progress: with JavaScript the
browser asks for the dry run step by step (``Accept: application/json``) and polls
the import's state; without it each form posts normally and the server does the
whole work before answering.
"""

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from matching import access
from matching.access import officer_required
from matching.core.forms import EmptyForm
from matching.exports.writer import download
from matching.extensions import db
from matching.imports import services
from matching.imports.columns import KIND_LABELS, columns_for
from matching.imports.forms import (
    CheckForm,
    CommitForm,
    UploadForm,
    field_name,
    mapping_form_class,
)
from matching.imports.models import IMPORT_KINDS, ImportJob
from matching.imports.reading import FileRefused

bp = Blueprint("imports", __name__)

# Where a duplicate's existing record is shown.
DETAIL_ENDPOINTS = {
    "organisations": ("organisations.detail", "organisation_id"),
    "candidates": ("candidates.detail", "candidate_id"),
    "postings": ("postings.detail", "posting_id"),
}


def _load_job(job_id: int) -> ImportJob:
    job = db.get_or_404(ImportJob, job_id)
    access.require(access.can_use_import(current_user, job))
    return job


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _file_gone(job: ImportJob):
    flash(
        _(
            "Le fichier de cet import n'est plus disponible (les fichiers sont "
            "supprimés après un jour). Déposez-le à nouveau."
        ),
        "warning",
    )
    if _wants_json():
        return jsonify(finished=True, next=url_for("imports.index")), 409
    return redirect(url_for("imports.index"))


@bp.get("/imports")
@officer_required
def index():
    """The officer's recent imports."""
    services.purge_stale_imports()
    db.session.commit()
    return render_template(
        "imports/index.html",
        jobs=services.list_jobs(current_user),
        kinds=KIND_LABELS,
        delete_form=EmptyForm(),
    )


@bp.route("/imports/nouveau", methods=["GET", "POST"])
@officer_required
def new():
    """Upload a CSV or XLSX file and say what it holds."""
    form = UploadForm()
    if request.method == "GET" and request.args.get("type") in IMPORT_KINDS:
        form.kind.data = request.args["type"]
    if form.validate_on_submit():
        upload = form.upload.data
        try:
            job = services.create_job(
                current_user, form.kind.data, upload.read(), upload.filename
            )
        except FileRefused as refused:
            form.upload.errors.append(str(refused))
        else:
            services.purge_stale_imports()
            db.session.commit()
            return redirect(url_for("imports.mapping", job_id=job.id))
    return render_template("imports/new.html", form=form, kinds=KIND_LABELS)


@bp.route("/imports/<int:job_id>/colonnes", methods=["GET", "POST"])
@officer_required
def mapping(job_id: int):
    """Say which column of the file holds each field."""
    job = _load_job(job_id)
    if job.status in ("importe", "expire"):
        return redirect(url_for("imports.detail", job_id=job.id))
    form = mapping_form_class(job.kind, job.headers)()
    if request.method == "GET":
        for name, index in job.mapping.items():
            form[field_name(name)].data = str(index)
    if form.validate_on_submit():
        services.save_mapping(job, form.mapping())
        db.session.commit()
        return redirect(url_for("imports.detail", job_id=job.id))
    return render_template(
        "imports/mapping.html",
        job=job,
        form=form,
        columns=[
            (column, form[field_name(column.name)]) for column in columns_for(job.kind)
        ],
        kinds=KIND_LABELS,
    )


@bp.get("/imports/<int:job_id>")
@officer_required
def detail(job_id: int):
    """Where the import stands: dry run to start, its report, or the summary."""
    job = _load_job(job_id)
    if job.status == "depose":
        return redirect(url_for("imports.mapping", job_id=job.id))
    return render_template(
        "imports/detail.html",
        job=job,
        kinds=KIND_LABELS,
        check_form=CheckForm(),
        commit_form=CommitForm(),
        errors=services.error_lines(job) if job.status == "verifie" else [],
        duplicates=(job.report or {}).get("duplicates", []),
        progress=services.progress(job),
        detail_endpoint=DETAIL_ENDPOINTS[job.kind],
    )


def _state(job: ImportJob, finished: bool = False) -> dict:
    state = services.progress(job)
    state["label"] = ngettext(
        "%(done)s ligne sur %(num)s",
        "%(done)s lignes sur %(num)s",
        state["total"],
        done=state["done"],
    )
    state["finished"] = finished
    state["next"] = url_for("imports.detail", job_id=job.id)
    return state


@bp.post("/imports/<int:job_id>/verifier")
@officer_required
def check(job_id: int):
    """Dry run: check the rows (the next step of them when asked in JSON)."""
    job = _load_job(job_id)
    form = CheckForm()
    if not form.validate_on_submit() or job.status not in ("associe", "verifie"):
        return redirect(url_for("imports.detail", job_id=job.id))
    if form.debut.data or job.status == "verifie":
        services.reset_report(job)
        job.status = "associe"
    try:
        services.check_step(job, services.STEP_ROWS if _wants_json() else None)
    except FileNotFoundError:
        return _file_gone(job)
    except FileRefused as refused:
        flash(str(refused), "danger")
        return redirect(url_for("imports.detail", job_id=job.id))
    db.session.commit()
    if _wants_json():
        return jsonify(_state(job, finished=job.status == "verifie"))
    return redirect(url_for("imports.detail", job_id=job.id))


@bp.post("/imports/<int:job_id>/importer")
@officer_required
def commit(job_id: int):
    """Write every row in one transaction, or nothing when one row is wrong."""
    job = _load_job(job_id)
    form = CommitForm()
    if not (form.validate_on_submit() and job.can_be_imported):
        flash(_("Cet import ne peut pas être enregistré dans son état."), "warning")
        return _after_commit(job)
    skip = form.duplicates.data != "importer"
    job.skip_duplicates = skip
    try:
        summary = services.import_job(job, current_user)
    except FileNotFoundError:
        db.session.rollback()
        return _file_gone(job)
    except services.RowsRefused as refused:
        db.session.rollback()
        job.skip_duplicates = skip
        services.refuse_import(job, refused.errors)
        db.session.commit()
        flash(
            _(
                "Rien n'a été enregistré : des lignes ne sont plus valables. Lisez "
                "la liste des erreurs, corrigez le fichier et déposez-le à nouveau."
            ),
            "danger",
        )
        return _after_commit(job)
    services.finish_import(job, summary)
    db.session.commit()
    flash(_("L'import est enregistré."), "success")
    return _after_commit(job, finished=True)


def _after_commit(job: ImportJob, finished: bool = False):
    if _wants_json():
        return jsonify(_state(job, finished=True) | {"imported": finished})
    return redirect(url_for("imports.detail", job_id=job.id))


@bp.get("/imports/<int:job_id>/etat")
@officer_required
def status(job_id: int):
    """The progress of the dry run or of the import, for the progress bar."""
    job = _load_job(job_id)
    return jsonify(_state(job, finished=job.status in ("importe", "expire")))


@bp.get("/imports/<int:job_id>/erreurs.<any(csv, xlsx):fmt>")
@officer_required
def errors(job_id: int, fmt: str):
    """The dry run's errors as a spreadsheet, to fix the file line by line."""
    job = _load_job(job_id)
    rows = (job.report or {}).get("errors", [])
    return download(
        f"passerelle-import-{job.id}-erreurs",
        [_("Ligne"), _("Colonne"), _("Problème")],
        rows,
        fmt,
        sheet_title=_("Erreurs"),
    )


@bp.post("/imports/<int:job_id>/supprimer")
@officer_required
def delete(job_id: int):
    """Give up an import: its stored file and report are deleted."""
    job = _load_job(job_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.delete_file(job)
    db.session.delete(job)
    db.session.commit()
    flash(_("L'import et son fichier sont supprimés."), "success")
    return redirect(url_for("imports.index"))


@bp.get(
    "/imports/modele/<any(organisations, candidates, postings):kind>.<any(csv, xlsx):fmt>"
)
@officer_required
def template(kind: str, fmt: str):
    """An empty spreadsheet with the expected column titles."""
    headers = [str(column.label) for column in columns_for(kind)]
    return download(f"passerelle-modele-{kind}", headers, [], fmt)
