"""Suggestions and the introduction pipeline, on the officer's side.

The candidate's and the employer's pages are in ``party_views``, hires in
``placement_views``, the weights in ``weights_views``: all on this blueprint.
"""

from datetime import date

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
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from matching import access
from matching.access import officer_required
from matching.candidates.models import Candidate
from matching.core.forms import valid_filters
from matching.core.urls import is_safe_redirect
from matching.extensions import db
from matching.introductions import services, suggestions
from matching.introductions.forms import (
    InterviewForm,
    NoteForm,
    PipelineFilterForm,
    SuggestionFilterForm,
)
from matching.introductions.models import Introduction
from matching.introductions.reasons import CRITERION_LABELS, describe
from matching.postings.models import JobPosting
from matching.scoring import Reason
from matching.scoring.weights import MAX_DAYS_LATE, MAX_FTE_GAP, MIN_SLACK_KM

bp = Blueprint("introductions", __name__)

PAGE_SIZE = 20


def snapshot_reason(part: dict) -> Reason:
    """A reason stored as JSON in a snapshot, dates turned back into dates."""
    params = dict(part.get("params") or {})
    for key in ("date", "start"):
        if isinstance(params.get(key), str):
            params[key] = date.fromisoformat(params[key])
    return Reason(part["code"], params)


bp.add_app_template_global(describe, "describe_reason")
bp.add_app_template_global(CRITERION_LABELS, "criterion_labels")
bp.add_app_template_global(snapshot_reason, "snapshot_reason")


def load_introduction(introduction_id: int) -> Introduction:
    intro = db.session.scalar(
        db.select(Introduction)
        .where(Introduction.id == introduction_id)
        .options(
            joinedload(Introduction.posting).joinedload(JobPosting.organisation),
            joinedload(Introduction.candidate),
            selectinload(Introduction.events),
        )
    )
    access.require(
        intro is not None and access.can_view_introduction(current_user, intro)
    )
    return intro


@bp.get("/fiches-de-poste/<int:posting_id>/suggestions")
@officer_required
def posting_suggestions(posting_id: int):
    """Ranked candidates for a posting, with the reasons of each score."""
    posting = db.get_or_404(JobPosting, posting_id)
    form = SuggestionFilterForm(request.args)
    filters = suggestions.SuggestionFilters(**valid_filters(form))
    page = max(1, request.args.get("page", 1, type=int))
    ranking, candidates = suggestions.suggest_candidates(
        posting, k=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, filters=filters
    )
    return render_template(
        "introductions/posting_suggestions.html",
        posting=posting,
        form=form,
        ranking=ranking,
        candidates=candidates,
        page=page,
        pages=max(
            1,
            -(
                -(ranking.feasible if filters.feasible_only else ranking.eligible)
                // PAGE_SIZE
            ),
        ),
        start=(page - 1) * PAGE_SIZE,
        introductions=_introductions_of_posting(posting),
        note_form=NoteForm(),
        feasibility={
            "days": MAX_DAYS_LATE,
            "fte": format_decimal(MAX_FTE_GAP),
            "km": format_decimal(MIN_SLACK_KM),
        },
    )


def _introductions_of_posting(posting: JobPosting) -> list[Introduction]:
    return list(
        db.session.scalars(
            db.select(Introduction)
            .where(Introduction.posting_id == posting.id)
            .options(joinedload(Introduction.candidate))
            .order_by(Introduction.status_changed_at.desc())
        )
    )


@bp.post("/fiches-de-poste/<int:posting_id>/suggestions/<int:candidate_id>/proposer")
@officer_required
def propose(posting_id: int, candidate_id: int):
    """Propose the posting to a suggested candidate, with the score of the moment."""
    posting = db.get_or_404(JobPosting, posting_id)
    candidate = db.get_or_404(Candidate, candidate_id)
    form = NoteForm()
    if not form.validate_on_submit():
        abort(400)
    match = suggestions.explain(posting, candidate, "officer")
    try:
        services.propose(
            posting, candidate, current_user, match, form.note.data or None
        )
    except services.IntroductionError as error:
        flash(str(error), "danger")
    else:
        db.session.commit()
        if services.reaches_candidate(candidate):
            message = _(
                "La proposition est envoyée à la personne, qui va pouvoir répondre."
            )
        else:
            message = _(
                "La proposition est enregistrée, mais la personne n'a pas de compte : "
                "elle n'a rien reçu. Présentez-lui le poste vous-même, puis "
                "enregistrez sa réponse sur la page de la mise en relation."
            )
        flash(message, "success")
    back = request.form.get("next")
    if is_safe_redirect(back):
        return redirect(back)
    return redirect(url_for("introductions.posting_suggestions", posting_id=posting.id))


@bp.get("/equipe/candidats/<int:candidate_id>/offres-suggerees")
@officer_required
def candidate_suggestions(candidate_id: int):
    """Published postings ranked for one candidate."""
    candidate = db.get_or_404(Candidate, candidate_id)
    access.require(candidate.anonymised_at is None)
    return render_template(
        "introductions/candidate_suggestions.html",
        candidate=candidate,
        suggestions=suggestions.suggest_postings(candidate),
        note_form=NoteForm(),
    )


@bp.get("/mises-en-relation")
@officer_required
def index():
    """Every introduction, the latest changes first, filtered by status and origin."""
    form = PipelineFilterForm(request.args)
    filters = valid_filters(form)
    query = access.introductions_scope(current_user).options(
        joinedload(Introduction.candidate),
        joinedload(Introduction.posting).joinedload(JobPosting.organisation),
    )
    if filters.get("status"):
        query = query.where(Introduction.status == filters["status"])
    if filters.get("origin"):
        query = query.where(Introduction.origin == filters["origin"])
    page = db.paginate(
        query.order_by(Introduction.status_changed_at.desc(), Introduction.id.desc()),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template("introductions/index.html", form=form, page=page)


@bp.get("/mises-en-relation/<int:introduction_id>")
@officer_required
def detail(introduction_id: int):
    """One introduction: its history, the score when proposed, and the next actions."""
    return officer_page(load_introduction(introduction_id))


def officer_page(intro: Introduction, interview_form=None):
    return render_template(
        "introductions/detail.html",
        intro=intro,
        note_form=NoteForm(),
        interview_form=interview_form or InterviewForm(),
        employer_view=access.candidate_view_for_employer(
            intro.candidate, access.employer_stage(intro)
        ),
    )


def _propose_kept(intro: Introduction, officer, note=None) -> None:
    match = suggestions.explain(intro.posting, intro.candidate, "officer")
    services.propose(intro.posting, intro.candidate, officer, match, note)


def _answer_yes(intro: Introduction, officer, note=None) -> None:
    services.accept(intro, officer, note or _("Réponse recueillie par l'équipe."))


def _answer_no(intro: Introduction, officer, note=None) -> None:
    services.refuse(intro, officer, note)


OFFICER_ACTIONS = {
    "proposer": _propose_kept,
    "accord": _answer_yes,
    "refus": _answer_no,
    "transmettre": services.transmit,
    "retirer": services.withdraw,
    "non-retenue": services.not_retained,
}


@bp.post("/mises-en-relation/<int:introduction_id>/<action>")
@officer_required
def act(introduction_id: int, action: str):
    """Pass on to the employer, withdraw, or record that the person was not retained."""
    intro = load_introduction(introduction_id)
    form = NoteForm()
    if action not in OFFICER_ACTIONS or not form.validate_on_submit():
        abort(400)
    try:
        OFFICER_ACTIONS[action](intro, current_user, form.note.data or None)
    except services.IntroductionError as error:
        flash(str(error), "danger")
    else:
        db.session.commit()
        flash(_("C'est enregistré."), "success")
    return redirect(url_for("introductions.detail", introduction_id=intro.id))


from matching.introductions import party_views, placement_views, weights_views  # noqa: E402, F401
