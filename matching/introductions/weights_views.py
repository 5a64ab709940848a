"""Admins change the weights of the matching criteria, with a preview."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from matching.access import admin_required
from matching.admin.settings import set_setting
from matching.extensions import db
from matching.introductions import profiles, suggestions
from matching.introductions.forms import weights_form_class
from matching.introductions.views import bp
from matching.postings.models import JobPosting
from matching.scoring import CRITERIA, DEFAULT_WEIGHTS

PREVIEW_SIZE = 10


@bp.route("/admin/ponderation", methods=["GET", "POST"])
@admin_required
def weights():
    """Show and change the weights; preview how a posting's ranking would move."""
    current = suggestions.current_weights()
    form = weights_form_class()(data={**{n: round(current[n]) for n in CRITERIA}})
    form.posting_id.choices = [
        SelectChoice(None, _("— Choisir une offre publiée —"))
    ] + [
        SelectChoice(p.id, f"{p.custom_title or p.title} – {p.organisation.name}")
        for p in profiles.published_postings()
    ]
    if request.method == "POST":
        form.process(request.form)
    preview = None
    if form.validate_on_submit():
        proposed = {name: form[name].data for name in CRITERIA}
        if request.form.get("action") == "enregistrer":
            set_setting(suggestions.WEIGHTS_KEY, proposed, current_user)
            db.session.commit()
            flash(_("Les nouveaux poids sont enregistrés."), "success")
            return redirect(url_for("introductions.weights"))
        if request.form.get("action") == "defaut":
            set_setting(suggestions.WEIGHTS_KEY, dict(DEFAULT_WEIGHTS), current_user)
            db.session.commit()
            flash(_("Les poids par défaut sont rétablis."), "success")
            return redirect(url_for("introductions.weights"))
        posting = db.session.get(JobPosting, form.posting_id.data or 0)
        if posting is None:
            form.posting_id.errors.append(_("Choisissez une offre pour l'aperçu."))
        else:
            preview = _preview(posting, current, proposed)
    return render_template(
        "introductions/weights.html", form=form, preview=preview, current=current
    )


def _preview(posting, current: dict, proposed: dict) -> dict:
    before, candidates = suggestions.suggest_candidates(
        posting, k=PREVIEW_SIZE, weights=current
    )
    after, more = suggestions.suggest_candidates(
        posting, k=PREVIEW_SIZE, weights=proposed
    )
    candidates.update(more)
    old_rank = {m.candidate_id: n for n, m in enumerate(before.matches, 1)}
    rows = [
        {
            "rank": n,
            "candidate": candidates[m.candidate_id],
            "score": m.score,
            "old_rank": old_rank.get(m.candidate_id),
        }
        for n, m in enumerate(after.matches, 1)
    ]
    return {"posting": posting, "rows": rows}
