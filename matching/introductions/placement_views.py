"""Hires: recording one, the placement page with its follow-up milestones."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from wtforms import SelectChoice

from matching import access
from matching.access import role_required
from matching.accounts.models import User
from matching.core.forms import EmptyForm
from matching.core.timeutils import paris_today, utcnow
from matching.extensions import db
from matching.introductions import services
from matching.introductions.followup import milestone_label
from matching.introductions.forms import HireForm
from matching.introductions.models import Milestone, Placement
from matching.introductions.views import bp, load_introduction
from matching.organisations.models import Membership

officer_or_employer = role_required("officer", "employer")

bp.add_app_template_global(milestone_label, "milestone_label")


def _referent_choices(organisation_id: int):
    members = db.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.organisation_id == organisation_id, Membership.status == "active"
        )
        .order_by(User.display_name)
    )
    return [SelectChoice(None, _("— À désigner —"))] + [
        SelectChoice(user.id, user.display_name) for user in members
    ]


@bp.route("/mises-en-relation/<int:introduction_id>/embauche", methods=["GET", "POST"])
@officer_or_employer
def hire(introduction_id: int):
    """Record the hire: start date, contract, working time; the follow-up is planned."""
    intro = load_introduction(introduction_id)
    posting = intro.posting
    form = HireForm()
    form.referent_id.choices = _referent_choices(posting.organisation_id)
    if request.method == "GET":
        form.contract_type.data = posting.contract_type
        form.fte.data = posting.fte
        form.start_date.data = posting.start_date
    if form.validate_on_submit():
        values = {
            name: form[name].data
            for name in (
                "start_date",
                "contract_type",
                "fte",
                "end_date",
                "trial_end_date",
                "funding_end_date",
                "referent_id",
                "note",
            )
        }
        try:
            placement = services.hire(intro, current_user, values)
        except services.IntroductionError as error:
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(_("L'embauche est enregistrée et le suivi est planifié."), "success")
            return redirect(
                url_for("introductions.placement", placement_id=placement.id)
            )
    return render_template("introductions/hire.html", intro=intro, form=form)


def load_placement(placement_id: int) -> Placement:
    placement = db.session.scalar(
        access.placements_scope(current_user)
        .where(Placement.id == placement_id)
        .options(
            selectinload(Placement.milestones),
            joinedload(Placement.posting),
            joinedload(Placement.candidate),
        )
    )
    access.require(placement is not None)
    return placement


@bp.get("/embauches")
@officer_or_employer
def placements():
    """Hires followed up, the next milestone first."""
    page = db.paginate(
        access.placements_scope(current_user)
        .options(joinedload(Placement.posting), joinedload(Placement.organisation))
        .order_by(Placement.start_date.desc()),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template("introductions/placements.html", page=page)


@bp.get("/embauches/<int:placement_id>")
@officer_or_employer
def placement(placement_id: int):
    """A hire and its follow-up plan."""
    return render_template(
        "introductions/placement.html",
        placement=load_placement(placement_id),
        today=paris_today(),
    )


@bp.post("/embauches/<int:placement_id>/jalons/<int:milestone_id>")
@officer_or_employer
def milestone_done(placement_id: int, milestone_id: int):
    """Mark a milestone done (or not done any more)."""
    placement = load_placement(placement_id)
    milestone = db.session.get(Milestone, milestone_id)
    access.require(milestone is not None and milestone.placement_id == placement.id)
    if not EmptyForm().validate_on_submit():
        flash(_("Le formulaire a expiré. Réessayez."), "danger")
    elif milestone.done_at is None:
        milestone.done_at, milestone.done_by_id = utcnow(), current_user.id
        db.session.commit()
        flash(_("Étape du suivi faite."), "success")
    else:
        milestone.done_at = milestone.done_by_id = None
        db.session.commit()
        flash(_("Étape du suivi remise à faire."), "info")
    return redirect(url_for("introductions.placement", placement_id=placement.id))
