"""The officer's candidate pages: list and search, registration of a person met in
person, profile with timeline, consent recorded orally, invitation, export, erasure.

Every opening of a profile by an officer is audited (it shows sensitive fields).
"""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matching.access import officer_required
from matching.audit.services import record_audit
from matching.candidates import invitations, services
from matching.candidates.forms import (
    CandidateContactForm,
    CandidateCreateForm,
    CandidateFilterForm,
    EventForm,
    OfficerEraseForm,
    OralConsentForm,
)
from matching.candidates.models import Candidate
from matching.candidates.search import (
    CandidateFilters,
    find_duplicates,
    search_candidates,
)
from matching.candidates.steps import EDITABLE_STEPS, apply_step, step_form
from matching.candidates.views import _employer_views, _load_full, bp, json_download
from matching.core.forms import EmptyForm
from matching.core.timeutils import paris_today
from matching.extensions import db


def _filters(form: CandidateFilterForm) -> CandidateFilters:
    """The valid filters of the list (an invalid one is shown and ignored)."""
    form.validate()

    def value(field):
        return field.data if field.data and not field.errors else None

    return CandidateFilters(
        q=(form.q.data or "") if not form.q.errors else "",
        status=value(form.status),
        sector=value(form.sector),
        title=value(form.title),
        domain=value(form.domain),
        available_before=value(form.available_before),
        department=value(form.department),
        commune_insee=form.commune.commune.insee if form.commune.commune else None,
    )


@bp.get("/equipe/candidats")
@officer_required
def index():
    """List candidates: fuzzy search (accents and typos ignored) and filters."""
    form = CandidateFilterForm(request.args)
    filters = _filters(form)
    page = search_candidates(
        current_user,
        filters,
        request.args.get("page", 1, type=int),
        current_app.config["PAGE_SIZE"],
    )
    if filters.sensitive:
        record_audit(
            current_user,
            "candidate.search",
            "candidate_search",
            None,
            filters=filters.sensitive,
            count=page.total,
        )
        db.session.commit()
    return render_template("candidates/index.html", form=form, page=page)


def _get_live(candidate_id: int) -> Candidate:
    candidate = db.get_or_404(Candidate, candidate_id)
    if candidate.is_anonymised:
        abort(404)
    return candidate


@bp.route("/equipe/candidats/nouveau", methods=["GET", "POST"])
@officer_required
def create():
    """Register a person met in person; similar profiles are shown first."""
    form = CandidateCreateForm()
    duplicates = []
    if form.validate_on_submit():
        commune = form.commune.commune
        duplicates = find_duplicates(
            form.display_name.data,
            form.email.data,
            form.phone.data,
            commune.insee if commune else None,
        )
        if not duplicates or form.confirm_distinct.data:
            candidate = services.create_candidate(
                current_user,
                form.display_name.data,
                form.email.data,
                form.phone.data,
                commune,
            )
            db.session.commit()
            flash(
                _(
                    "Profil créé. Notez l'accord de la personne avant d'enregistrer son "
                    "expérience."
                ),
                "success",
            )
            return redirect(url_for("candidates.detail", candidate_id=candidate.id))
        form.confirm_distinct.errors.append(
            _(
                "Vérifiez les profils ci-dessous, puis cochez cette case si c'est une autre personne."
            )
        )
    return render_template("candidates/new.html", form=form, duplicates=duplicates)


@bp.get("/equipe/candidats/<int:candidate_id>")
@officer_required
def detail(candidate_id: int):
    """The candidate's page for officers: profile, consent, timeline (audited)."""
    from matching.offers.services import list_interests_of

    candidate = _load_full(candidate_id)
    if candidate is None or candidate.is_anonymised:
        abort(404)
    services.record_sensitive_view(candidate, current_user, via="page")
    db.session.commit()
    duplicates = find_duplicates(
        candidate.display_name,
        candidate.email,
        candidate.phone,
        candidate.commune_insee,
        exclude_id=candidate.id,
    )
    return render_template(
        "candidates/detail.html",
        candidate=candidate,
        duplicates=duplicates,
        interests=list_interests_of(candidate),
        event_form=EventForm(formdata=None, occurred_on=paris_today()),
        views=_employer_views(candidate),
    )


@bp.route("/equipe/candidats/<int:candidate_id>/coordonnees", methods=["GET", "POST"])
@officer_required
def edit_contact(candidate_id: int):
    """Correct the name, contact details or status of a profile."""
    candidate = _get_live(candidate_id)
    form = CandidateContactForm(obj=candidate)
    if form.validate_on_submit():
        try:
            services.update_contact(
                candidate,
                form.display_name.data,
                form.email.data,
                form.phone.data,
                form.status.data,
            )
        except services.CandidateError as error:
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(_("C'est enregistré."), "success")
            return redirect(url_for("candidates.detail", candidate_id=candidate.id))
    return render_template(
        "candidates/edit_contact.html", form=form, candidate=candidate
    )


@bp.route(
    "/equipe/candidats/<int:candidate_id>/etape/<int:step>", methods=["GET", "POST"]
)
@officer_required
def edit_step(candidate_id: int, step: int):
    """Edit one part of the profile for the person (same forms as the guided steps)."""
    if step not in EDITABLE_STEPS:
        abort(404)
    candidate = _get_live(candidate_id)
    if step == 3 and candidate.active_consent is None:
        flash(_("Notez d'abord l'accord de la personne."), "warning")
        return redirect(url_for("candidates.record_consent", candidate_id=candidate.id))
    form = step_form(step, candidate, officer=True)
    if step == 3 and request.method == "GET":
        services.record_sensitive_view(candidate, current_user, via="edit")
        db.session.commit()
    if form.validate_on_submit():
        try:
            apply_step(step, candidate, form)
        except services.CandidateError as error:
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(_("C'est enregistré."), "success")
            return redirect(url_for("candidates.detail", candidate_id=candidate.id))
    return render_template(
        f"candidates/step_{step}.html",
        candidate=candidate,
        step=step,
        form=form,
        officer_mode=True,
    )


@bp.route("/equipe/candidats/<int:candidate_id>/accord", methods=["GET", "POST"])
@officer_required
def record_consent(candidate_id: int):
    """Record the consent the person gave orally, with its date."""
    candidate = _get_live(candidate_id)
    form = OralConsentForm()
    if form.validate_on_submit():
        services.give_consent(
            candidate,
            form.purposes(),
            current_user,
            method="oral",
            given_on=form.given_on.data,
        )
        db.session.commit()
        flash(_("L'accord est enregistré."), "success")
        return redirect(url_for("candidates.detail", candidate_id=candidate.id))
    return render_template(
        "candidates/record_consent.html", form=form, candidate=candidate
    )


@bp.post("/equipe/candidats/<int:candidate_id>/accord/retrait")
@officer_required
def officer_withdraw_consent(candidate_id: int):
    """Withdraw the consent at the person's request (their experience is deleted)."""
    candidate = _get_live(candidate_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.withdraw_consent(candidate, current_user)
    except services.CandidateError as error:
        flash(str(error), "warning")
    else:
        db.session.commit()
        flash(
            _("L'accord est retiré et l'expérience de la personne est effacée."),
            "success",
        )
    return redirect(url_for("candidates.detail", candidate_id=candidate.id))


@bp.post("/equipe/candidats/<int:candidate_id>/historique")
@officer_required
def add_event(candidate_id: int):
    """Add a note, meeting or call to the candidate's timeline."""
    candidate = _get_live(candidate_id)
    form = EventForm()
    if form.validate_on_submit():
        services.add_written_event(
            candidate,
            form.kind.data,
            current_user,
            form.body.data,
            form.occurred_on.data,
        )
        db.session.commit()
        flash(_("C'est ajouté à l'historique."), "success")
    else:
        for field in form:
            for error in field.errors:
                flash(f"{field.label.text} : {error}", "danger")
    return redirect(
        url_for("candidates.detail", candidate_id=candidate.id) + "#historique"
    )


@bp.post("/equipe/candidats/<int:candidate_id>/invitation")
@officer_required
def invite(candidate_id: int):
    """E-mail the person a link to claim their profile and choose a password."""
    candidate = _get_live(candidate_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        invitations.invite_candidate(candidate, current_user)
    except services.CandidateError as error:
        flash(str(error), "warning")
    else:
        db.session.commit()
        flash(_("L'invitation est envoyée."), "success")
    return redirect(url_for("candidates.detail", candidate_id=candidate.id))


@bp.post("/equipe/candidats/<int:candidate_id>/confirmer")
@officer_required
def officer_confirm(candidate_id: int):
    """Record that the person confirmed their information (met, or on the phone)."""
    candidate = _get_live(candidate_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.confirm_profile(candidate, current_user)
    db.session.commit()
    flash(_("C'est noté : le profil reste actif."), "success")
    return redirect(
        url_for("candidates.detail", candidate_id=candidate.id) + "#confirmation"
    )


@bp.get("/equipe/candidats/<int:candidate_id>/export.json")
@officer_required
def officer_export(candidate_id: int):
    """Download a person's data for them (right of access without an account)."""
    candidate = _load_full(candidate_id)
    if candidate is None or candidate.is_anonymised:
        abort(404)
    data = services.export_candidate_data(candidate, current_user, "json")
    db.session.commit()
    return json_download(data, f"passerelle-candidat-{candidate.id}.json")


@bp.route("/equipe/candidats/<int:candidate_id>/effacer", methods=["GET", "POST"])
@officer_required
def officer_erase(candidate_id: int):
    """Erase a person's data at their request."""
    candidate = _get_live(candidate_id)
    form = OfficerEraseForm()
    if form.validate_on_submit():
        services.erase_candidate(candidate, current_user)
        db.session.commit()
        flash(_("Les données de la personne sont effacées."), "success")
        return redirect(url_for("candidates.index"))
    return render_template(
        "candidates/officer_erase.html", form=form, candidate=candidate
    )
