"""The candidate's and the employer's sides of an introduction."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from matching import access
from matching.access import candidate_required, employer_required
from matching.audit.services import record_audit
from matching.extensions import db
from matching.introductions import services, suggestions
from matching.introductions.forms import AnswerForm, InterviewForm, NoteForm
from matching.introductions.models import Introduction
from matching.introductions.views import bp, load_introduction, officer_page
from matching.postings.models import JobPosting

# ---------------------------------------------------------------- candidate


@bp.get("/candidat/mises-en-relation")
@candidate_required
def candidate_list():
    """The candidate's introductions: offers proposed to them and their answers."""
    introductions = db.session.scalars(
        access.introductions_scope(current_user)
        .options(joinedload(Introduction.posting).joinedload(JobPosting.organisation))
        .order_by(Introduction.status_changed_at.desc())
    ).all()
    return render_template(
        "introductions/candidate_list.html", introductions=introductions
    )


@bp.get("/candidat/mises-en-relation/<int:introduction_id>")
@candidate_required
def candidate_detail(introduction_id: int):
    """The offer proposed, what the employer will see of the candidate, yes or no."""
    return _candidate_page(load_introduction(introduction_id), AnswerForm())


def _candidate_page(intro: Introduction, form: AnswerForm):
    return render_template(
        "introductions/candidate_detail.html",
        intro=intro,
        posting=access.posting_public_view(intro.posting),
        employer_view=access.candidate_view_for_employer(intro.candidate, "introduced"),
        employer_sight=access.employer_sight_for_candidate(intro),
        form=form,
    )


@bp.post("/candidat/mises-en-relation/<int:introduction_id>/reponse")
@candidate_required
def candidate_answer(introduction_id: int):
    """Accept or refuse an introduction; a word typed for the team is kept with
    either answer (the reason of a refusal, the note of an acceptance)."""
    intro = load_introduction(introduction_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        return _candidate_page(intro, form), 422
    try:
        if form.answer.data == "oui":
            services.accept(intro, current_user, form.reason.data or None)
            message = _(
                "Merci ! L'employeur va recevoir votre profil et vos coordonnées."
            )
        else:
            services.refuse(intro, current_user, form.reason.data or None)
            message = _("C'est noté. Cette offre ne vous sera plus proposée.")
    except services.IntroductionError as error:
        flash(str(error), "danger")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("introductions.candidate_detail", introduction_id=intro.id))


# ---------------------------------------------------------------- employer


@bp.get("/employeur/candidatures")
@employer_required
def employer_list():
    """Candidates passed on to the organisation, for each of its postings."""
    introductions = db.session.scalars(
        access.introductions_scope(current_user)
        .options(joinedload(Introduction.posting))
        .order_by(Introduction.status_changed_at.desc())
    ).all()
    return render_template(
        "introductions/employer_list.html", introductions=introductions
    )


@bp.get("/employeur/candidatures/<int:introduction_id>")
@employer_required
def employer_detail(introduction_id: int):
    """The candidate as they chose to be seen once introduced, and the next steps."""
    return _employer_page(load_introduction(introduction_id))


def _employer_page(intro: Introduction, interview_form=None):
    view = access.candidate_view_for_employer(
        intro.candidate, access.employer_stage(intro)
    )
    record_audit(
        current_user,
        "candidate.view_employer",
        "candidate",
        intro.candidate_id,
        stage=access.employer_stage(intro),
    )
    db.session.commit()
    return render_template(
        "introductions/employer_detail.html",
        intro=intro,
        view=view,
        match=suggestions.explain(
            intro.posting, intro.candidate, access.employer_stage(intro)
        ),
        interview_form=interview_form or InterviewForm(),
        note_form=NoteForm(),
    )


@bp.post("/mises-en-relation/<int:introduction_id>/entretien")
@access.role_required("officer", "employer")
def interview(introduction_id: int):
    """Record an interview (and its date)."""
    intro = load_introduction(introduction_id)
    form = InterviewForm(introduction=intro)
    if not form.validate_on_submit():
        # the page again, the error next to the date
        if access.is_officer(current_user):
            return officer_page(intro, interview_form=form), 422
        return _employer_page(intro, interview_form=form), 422
    try:
        services.record_interview(
            intro, current_user, form.interview_on.data, form.note.data or None
        )
    except services.IntroductionError as error:
        flash(str(error), "danger")
    else:
        db.session.commit()
        flash(_("L'entretien est enregistré."), "success")
    return redirect(_back_to(intro))


@bp.post("/employeur/candidatures/<int:introduction_id>/non-retenue")
@employer_required
def employer_not_retained(introduction_id: int):
    """The employer does not retain the candidate."""
    intro = load_introduction(introduction_id)
    form = NoteForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.not_retained(intro, current_user, form.note.data or None)
    except services.IntroductionError as error:
        flash(str(error), "danger")
    else:
        db.session.commit()
        flash(_("C'est noté. L'équipe Passerelle en est informée."), "info")
    return redirect(_back_to(intro))


def _back_to(intro: Introduction) -> str:
    if access.is_officer(current_user):
        return url_for("introductions.detail", introduction_id=intro.id)
    return url_for("introductions.employer_detail", introduction_id=intro.id)
