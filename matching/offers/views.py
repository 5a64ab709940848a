"""Published roles for everyone (/offres), "je suis intéressé·e" for candidates, and
the officers' list of interests."""

from decimal import Decimal

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

from matching import access
from matching.access import candidate_required, officer_required
from matching.candidates.choices import INTEREST_STATUSES
from matching.candidates.services import get_candidate_for_user
from matching.core.forms import EmptyForm
from matching.extensions import db
from matching.offers import services
from matching.offers.forms import InterestForm, OfferFilterForm
from matching.offers.models import Interest

bp = Blueprint("offers", __name__)


@bp.context_processor
def offer_vocabularies():
    return {"interest_statuses": INTEREST_STATUSES}


def _filters(form: OfferFilterForm) -> services.OfferFilters:
    form.validate()

    def value(field):
        return field.data if field.data and not field.errors else None

    commune = form.commune.commune
    return services.OfferFilters(
        sector=value(form.sector),
        title=value(form.title),
        department=value(form.department),
        commune_insee=commune.insee if commune else None,
        distance_km=int(value(form.distance) or 20),
        fte_max=Decimal(value(form.fte)) if value(form.fte) else None,
        contract_type=value(form.contract_type),
    )


@bp.get("/offres")
def index():
    """Browse published roles, with filters (no organisation-internal field)."""
    form = OfferFilterForm(request.args)
    page = db.paginate(
        services.published_offers_query(_filters(form)),
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    offers = [access.posting_public_view(p) for p in page.items]
    return render_template("offers/index.html", form=form, page=page, offers=offers)


@bp.get("/offres/<int:posting_id>")
def detail(posting_id: int):
    """One published role; a candidate can say they are interested."""
    posting = services.get_published(posting_id)
    if posting is None:
        abort(404)
    interest = None
    if current_user.is_authenticated and current_user.role == "candidate":
        candidate = get_candidate_for_user(current_user)
        interest = services.get_interest(candidate, posting)
    return render_template(
        "offers/detail.html",
        offer=access.posting_public_view(posting),
        interest=interest,
        form=InterestForm(),
    )


@bp.post("/offres/<int:posting_id>/interet")
@candidate_required
def express_interest(posting_id: int):
    """Say "je suis intéressé·e": the Passerelle team is told."""
    posting = services.get_published(posting_id)
    if posting is None:
        abort(404)
    candidate = get_candidate_for_user(current_user)
    if candidate is None:
        flash(
            _("Remplissez d'abord votre profil : cela prend quelques minutes."), "info"
        )
        return redirect(url_for("candidates.step", step=1))
    form = InterestForm()
    if not form.validate_on_submit():
        return render_template(
            "offers/detail.html",
            offer=access.posting_public_view(posting),
            interest=None,
            form=form,
        )
    try:
        services.express_interest(candidate, posting, form.message.data)
    except services.OfferError as error:
        flash(str(error), "warning")
    else:
        db.session.commit()
        flash(
            _(
                "C'est noté ! L'équipe Passerelle revient vers vous. Rien n'est envoyé à "
                "l'employeur sans votre accord."
            ),
            "success",
        )
    return redirect(url_for("offers.detail", posting_id=posting.id))


@bp.post("/offres/<int:posting_id>/interet/retrait")
@candidate_required
def withdraw_interest(posting_id: int):
    """Withdraw an interest in a role."""
    posting = services.get_published(posting_id)
    candidate = get_candidate_for_user(current_user)
    if posting is None or candidate is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.withdraw_interest(candidate, posting)
    except services.OfferError as error:
        flash(str(error), "warning")
    else:
        db.session.commit()
        flash(_("Votre intérêt est retiré."), "success")
    return redirect(url_for("offers.detail", posting_id=posting.id))


@bp.get("/equipe/interets")
@officer_required
def interests():
    """The interests candidates expressed, newest first."""
    status = request.args.get("statut", "")
    status = status if status in INTEREST_STATUSES else None
    page = db.paginate(
        services.interests_query(current_user, status),
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template("offers/interests.html", page=page, status=status or "")


@bp.post("/equipe/interets/<int:interest_id>/prise-en-compte")
@officer_required
def acknowledge_interest(interest_id: int):
    """Mark an interest as taken into account."""
    interest = db.get_or_404(Interest, interest_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.acknowledge_interest(interest)
    db.session.commit()
    return redirect(url_for("offers.interests"))
