"""The diagnostic: campaigns, invitations and results (officers); the public form."""

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms import SelectChoice

from matching import access
from matching.access import officer_required
from matching.core.forms import EmptyForm, valid_filters
from matching.core.timeutils import paris_today
from matching.extensions import db
from matching.survey import charts, services
from matching.survey.forms import (
    CampaignForm,
    CompareForm,
    InvitationFilterForm,
    InviteForm,
    response_form_class,
)
from matching.survey.links import check_survey_token, survey_link
from matching.survey.models import SurveyCampaign, SurveyInvitation
from matching.survey.questions import FIELDS
from matching.survey.results import campaign_results, compare, list_contributions

bp = Blueprint("survey", __name__)


def _load_campaign(campaign_id: int) -> SurveyCampaign:
    campaign = db.get_or_404(SurveyCampaign, campaign_id)
    access.require(access.can_manage_surveys(current_user))
    return campaign


@bp.get("/diagnostic")
@officer_required
def index():
    """List the campaigns of the diagnostic with their response counts."""
    return render_template(
        "survey/index.html",
        rows=services.list_campaigns(current_user),
        today=paris_today(),
    )


@bp.route("/diagnostic/campagnes/nouvelle", methods=["GET", "POST"])
@officer_required
def new_campaign():
    """Create a campaign: its name, year, opening and closing dates."""
    form = CampaignForm()
    if request.method == "GET":
        form.year.data = paris_today().year
    if form.validate_on_submit():
        campaign = services.create_campaign(form.values(), current_user)
        db.session.commit()
        flash(_("La campagne est créée. Invitez maintenant des structures."), "success")
        return redirect(url_for("survey.campaign", campaign_id=campaign.id))
    status = 422 if request.method == "POST" else 200
    return render_template("survey/campaign_form.html", form=form), status


@bp.route("/diagnostic/campagnes/<int:campaign_id>/modifier", methods=["GET", "POST"])
@officer_required
def edit_campaign(campaign_id: int):
    """Change a campaign's name, dates or number of organisations asked."""
    campaign = _load_campaign(campaign_id)
    form = CampaignForm(obj=campaign)
    if form.validate_on_submit():
        services.update_campaign(campaign, form.values())
        db.session.commit()
        flash(_("La campagne est mise à jour."), "success")
        return redirect(url_for("survey.campaign", campaign_id=campaign.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "survey/campaign_form.html", form=form, campaign=campaign
    ), status


def _campaign_page(campaign: SurveyCampaign, invite_form: InviteForm, status=200):
    filter_form = InvitationFilterForm(request.args)
    filters = valid_filters(filter_form)
    invitations = services.list_invitations(campaign)
    return render_template(
        "survey/campaign.html",
        campaign=campaign,
        invitations=invitations,
        links={invitation.id: survey_link(invitation) for invitation in invitations},
        unsent=len(services.unsent_invitations(campaign)),
        invitable=services.list_invitable_organisations(
            current_user, campaign, filters
        ),
        organisation_filters=filter_form,
        filters=filters,
        invite_form=invite_form,
        today=paris_today(),
    ), status


@bp.get("/diagnostic/campagnes/<int:campaign_id>")
@officer_required
def campaign(campaign_id: int):
    """The campaign's invitations, their links, and organisations to invite."""
    return _campaign_page(_load_campaign(campaign_id), InviteForm(formdata=None))


@bp.post("/diagnostic/campagnes/<int:campaign_id>/invitations")
@officer_required
def invite(campaign_id: int):
    """Create the signed links of the organisations chosen."""
    campaign = _load_campaign(campaign_id)
    form = InviteForm()
    if not form.validate_on_submit():
        return _campaign_page(campaign, form, 422)
    created = services.invite_organisations(
        current_user, campaign, form.organisation_ids.data
    )
    db.session.commit()
    flash(
        ngettext("%(num)d lien créé.", "%(num)d liens créés.", len(created)),
        "success",
    )
    return redirect(
        url_for("survey.campaign", campaign_id=campaign.id, _anchor="invitations")
    )


def _flash_sent(sent: int, unreachable: list) -> None:
    if sent:
        flash(
            ngettext(
                "Le lien est envoyé à %(num)d structure.",
                "Les liens sont envoyés à %(num)d structures.",
                sent,
            ),
            "success",
        )
    if unreachable:
        names = ", ".join(organisation.name for organisation in unreachable)
        flash(
            _(
                "Aucun membre actif pour : %(names)s. Copiez leur lien et "
                "envoyez-le vous-même.",
                names=names,
            ),
            "warning",
        )


@bp.post("/diagnostic/campagnes/<int:campaign_id>/invitations/envoyer")
@officer_required
def send_invitations(campaign_id: int):
    """E-mail every link not sent yet to the organisations' active members."""
    campaign = _load_campaign(campaign_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    sent, unreachable = services.send_invitations(services.unsent_invitations(campaign))
    db.session.commit()
    if not sent and not unreachable:
        flash(_("Tous les liens ont déjà été envoyés."), "info")
    _flash_sent(sent, unreachable)
    return redirect(
        url_for("survey.campaign", campaign_id=campaign.id, _anchor="invitations")
    )


@bp.post(
    "/diagnostic/campagnes/<int:campaign_id>/invitations/<int:invitation_id>/envoyer"
)
@officer_required
def send_invitation(campaign_id: int, invitation_id: int):
    """E-mail (again) one organisation's link to its active members."""
    campaign = _load_campaign(campaign_id)
    invitation = db.session.get(SurveyInvitation, invitation_id)
    access.require(invitation is not None and invitation.campaign_id == campaign.id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    sent, unreachable = services.send_invitations([invitation])
    db.session.commit()
    _flash_sent(sent, unreachable)
    return redirect(
        url_for("survey.campaign", campaign_id=campaign.id, _anchor="invitations")
    )


@bp.get("/diagnostic/campagnes/<int:campaign_id>/resultats")
@officer_required
def results(campaign_id: int):
    """The diagnostic's figures for one campaign, as in the working group's slides."""
    campaign = _load_campaign(campaign_id)
    figures = campaign_results(campaign)
    show_texts = figures.shown and access.can_read_survey_free_text(current_user)
    return render_template(
        "survey/results.html",
        campaign=campaign,
        results=figures,
        answers=charts.answers_items(figures) if figures.shown else [],
        barriers=charts.barrier_rows(figures),
        levels=charts.rating_levels(),
        needs=charts.needs_items(figures),
        contributions=list_contributions(campaign) if show_texts else [],
        field_labels=FIELDS,
    )


def _compared_campaigns(form: CompareForm, campaigns: list[SurveyCampaign]):
    """The two campaigns to compare, and whether one asked for was not found (an
    unknown id, or one the user may not see): that side falls back to a default."""
    by_id = {campaign.id: campaign for campaign in campaigns}
    chosen = valid_filters(form)
    unknown = any(request.args.get(name) and name not in chosen for name in form.data)
    if len(campaigns) >= 2:
        defaults = {"avant": campaigns[-2].id, "apres": campaigns[-1].id}
        for name, other in (("avant", "apres"), ("apres", "avant")):
            if name not in chosen:
                fallback = defaults[name]
                if fallback == chosen.get(other):
                    fallback = defaults[other]
                chosen[name] = form[name].data = fallback
    return by_id.get(chosen.get("avant")), by_id.get(chosen.get("apres")), unknown


@bp.get("/diagnostic/comparer")
@officer_required
def compare_campaigns():
    """Two campaigns side by side: each figure, and how it changed."""
    campaigns = services.other_campaigns(current_user)
    form = CompareForm(request.args)
    form.avant.choices = form.apres.choices = [
        SelectChoice(campaign.id, campaign.name) for campaign in campaigns
    ]
    before, after, unknown = _compared_campaigns(form, campaigns)
    rows = chart = None
    if before and after and before.id != after.id:
        rows = compare(campaign_results(before), campaign_results(after))
        chart = charts.comparison_series(rows["general"], before.name, after.name)
    return render_template(
        "survey/compare.html",
        form=form,
        before=before,
        after=after,
        rows=rows,
        chart=chart,
        same=before is not None and before == after,
        unknown=unknown,
        enough=len(campaigns) >= 2,
    )


def _refuse_link(status: str):
    code = 410 if status == "expired" else 404
    response = render_template("survey/link_refused.html", status=status)
    return response, code, {"Cache-Control": "no-store"}


def _save_response(invitation, form) -> None:
    """Save and commit. Two first submissions from the same link at the same instant
    both find no response and both insert one: the slower meets the unique constraint,
    starts again, finds the other's response and updates it."""
    for attempt in (1, 2):
        try:
            services.save_response(invitation, form.answers(), form.ratings())
            db.session.commit()
            return
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                raise


@bp.route("/diagnostic/repondre/<token>", methods=["GET", "POST"])
def respond(token: str):
    """Answer the diagnostic through the organisation's own link (no account)."""
    check = check_survey_token(token)
    if check.status != "ok":
        return _refuse_link(check.status)
    invitation = check.invitation
    campaign = invitation.campaign
    editable = access.can_edit_survey_response(campaign, paris_today())
    response = services.find_response(invitation)
    form_class = response_form_class()
    form, status = form_class(), 200
    if request.method == "POST" and not editable:
        form, status = form_class(formdata=None), 403
    if (request.method == "GET" or status == 403) and response is not None:
        form.fill_from(response)
    if status == 200 and request.method == "POST":
        if form.validate_on_submit():
            try:
                _save_response(invitation, form)
            except services.SurveyError as error:
                db.session.rollback()
                flash(str(error), "danger")
            else:
                flash(_("Merci ! Vos réponses sont enregistrées."), "success")
                return redirect(url_for("survey.respond", token=token))
        status = 422
    page = render_template(
        "survey/respond.html",
        form=form,
        campaign=campaign,
        organisation=invitation.organisation,
        response=response,
        editable=editable,
        state=campaign.status_on(paris_today()),
        refused=status == 403,
    )
    return page, status, {"Cache-Control": "no-store"}
