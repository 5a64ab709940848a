"""Download the lists as CSV or XLSX, with the filters of the page they come from.

What each user may export is what ``access.py`` lets them see: employers get their
own organisation's cases, funding, postings and introductions; candidates and the
organisations list, the survey answers and the candidates are for officers. Every
export writes an audit row (who, what, format, count) before the file is sent.

Cases and candidates are filtered by their lists' own filter readers, so an export
holds exactly what its page shows; postings, organisations and introductions apply
the few filters of their list services the same way.
"""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload, selectinload

from matching import access
from matching.access import officer_required, role_required
from matching.audit.services import record_audit
from matching.candidates.forms import CandidateFilterForm
from matching.candidates.models import Candidate
from matching.candidates.officer_views import _filters as candidate_list_filters
from matching.candidates.search import filtered_query, rank
from matching.cases.models import FundingLine, SupportCase
from matching.cases.services import _apply_case_filters
from matching.cases.views import _case_filters as case_list_filters
from matching.core.forms import valid_filters
from matching.core.search import fuzzy_ids
from matching.core.timeutils import paris_today
from matching.exports import tables
from matching.exports.writer import download
from matching.extensions import db
from matching.introductions.forms import PipelineFilterForm
from matching.introductions.models import Introduction
from matching.organisations.forms import OrganisationFilterForm
from matching.organisations.models import Organisation
from matching.postings.forms import PostingFilterForm
from matching.postings.models import JobPosting
from matching.survey.models import SurveyCampaign, SurveyResponse

bp = Blueprint("exports", __name__)

officer_or_employer = role_required("officer", "employer")
FMT = "<any(csv, xlsx):fmt>"


def count_of(query) -> int:
    return db.session.scalar(
        select(func.count()).select_from(query.order_by(None).subquery())
    )


def send(name: str, table, fmt: str, what: str, count: int, subject_id=None, **audit):
    """Audit the export, commit, then stream the file."""
    record_audit(
        current_user, "data.export", what, subject_id, format=fmt, count=count, **audit
    )
    db.session.commit()
    headers, rows = table
    filename = f"passerelle-{name}-{paris_today().isoformat()}"
    return download(filename, headers, rows, fmt, sheet_title=name)


# ---------------------------------------------------------------- support cases


def _cases_query():
    """The cases of the list page: the officer's filters, or the employer's own."""
    query = access.cases_scope(current_user).join(SupportCase.organisation)
    if access.is_officer(current_user):
        _form, filters, _view = case_list_filters()
        query = _apply_case_filters(query, filters)
    return query


@bp.get(f"/exports/accompagnements.{FMT}")
@officer_or_employer
def cases(fmt: str):
    """Download the support cases of the list (its filters apply)."""
    query = _cases_query()
    count = count_of(query)
    query = query.options(
        joinedload(SupportCase.organisation), joinedload(SupportCase.officer)
    ).order_by(Organisation.name_search, SupportCase.id)
    return send("accompagnements", tables.case_table(query), fmt, "cases", count)


def _funding_query(case_ids):
    return (
        access.funding_lines_scope(current_user)
        .where(FundingLine.case_id.in_(case_ids))
        .join(FundingLine.case)
        .join(SupportCase.organisation)
    )


def _send_funding(query, fmt: str, subject_id=None):
    count = count_of(query)
    query = query.options(
        joinedload(FundingLine.case).joinedload(SupportCase.organisation)
    ).order_by(Organisation.name_search, SupportCase.id, FundingLine.id)
    return send(
        "financements",
        tables.funding_table(query),
        fmt,
        "funding_lines",
        count,
        subject_id,
    )


@bp.get(f"/exports/financements.{FMT}")
@officer_or_employer
def funding(fmt: str):
    """Download the funding lines of the cases of the list."""
    case_ids = _cases_query().with_only_columns(SupportCase.id).scalar_subquery()
    return _send_funding(_funding_query(case_ids), fmt)


@bp.get(f"/exports/accompagnements/<int:case_id>/financements.{FMT}")
@officer_or_employer
def case_funding(case_id: int, fmt: str):
    """Download the funding lines of one case."""
    case = db.get_or_404(SupportCase, case_id)
    access.require(access.can_view_case(current_user, case))
    return _send_funding(_funding_query([case.id]), fmt, case.id)


# ---------------------------------------------------------------- postings


def _postings_query():
    """The filters of postings.services.list_postings."""
    filters = valid_filters(PostingFilterForm(request.args))
    query = access.postings_scope(current_user).join(JobPosting.organisation)
    for name in ("status", "sector", "title", "department"):
        if filters.get(name):
            query = query.where(getattr(JobPosting, name) == filters[name])
    return query


@bp.get(f"/exports/fiches-de-poste.{FMT}")
@officer_or_employer
def postings(fmt: str):
    """Download the job descriptions of the list (its filters apply)."""
    query = _postings_query()
    count = count_of(query)
    query = query.options(joinedload(JobPosting.organisation)).order_by(
        JobPosting.updated_at.desc(), JobPosting.id.desc()
    )
    return send("fiches-de-poste", tables.posting_table(query), fmt, "postings", count)


# ---------------------------------------------------------------- introductions


@bp.get(f"/exports/mises-en-relation.{FMT}")
@officer_or_employer
def introductions(fmt: str):
    """Download the introductions (the employer: those passed on to them)."""
    query = access.introductions_scope(current_user)
    officer = access.is_officer(current_user)
    if officer:
        filters = valid_filters(PipelineFilterForm(request.args))
        if filters.get("status"):
            query = query.where(Introduction.status == filters["status"])
        if filters.get("origin"):
            query = query.where(Introduction.origin == filters["origin"])
    count = count_of(query)
    query = query.options(
        joinedload(Introduction.candidate),
        joinedload(Introduction.posting).joinedload(JobPosting.organisation),
    ).order_by(Introduction.status_changed_at.desc(), Introduction.id.desc())
    return send(
        "mises-en-relation",
        tables.introduction_table(query, for_officer=officer),
        fmt,
        "introductions",
        count,
    )


# ---------------------------------------------------------------- organisations


def _organisations_query():
    """The filters of organisations.services.list_organisations."""
    filters = valid_filters(OrganisationFilterForm(request.args))
    query = access.organisations_scope(current_user)
    if filters.get("sector"):
        query = query.where(Organisation.sector == filters["sector"])
    if filters.get("department"):
        query = query.where(Organisation.department == filters["department"])
    has_case = exists().where(SupportCase.organisation_id == Organisation.id)
    if filters.get("has_case") in ("oui", "non"):
        query = query.where(has_case if filters["has_case"] == "oui" else ~has_case)
    if filters.get("peer_workers") == "oui":
        query = query.where(Organisation.peer_workers_count > 0)
    elif filters.get("peer_workers") == "non":
        query = query.where(Organisation.peer_workers_count == 0)
    if filters.get("q"):
        keys = dict(
            db.session.execute(
                query.with_only_columns(Organisation.id, Organisation.name_search)
            ).all()
        )
        query = query.where(Organisation.id.in_(fuzzy_ids(filters["q"], keys)))
    return query


@bp.get(f"/exports/structures.{FMT}")
@officer_required
def organisations(fmt: str):
    """Download the organisations of the list (its filters apply)."""
    query = _organisations_query()
    count = count_of(query)
    query = query.order_by(Organisation.name_search, Organisation.id)
    return send(
        "structures", tables.organisation_table(query), fmt, "organisations", count
    )


# ---------------------------------------------------------------- candidates


def _candidates_query():
    """The officer's list: its filters, and the typed text ranked like the list."""
    filters = candidate_list_filters(CandidateFilterForm(request.args))
    query = filtered_query(current_user, filters)
    if filters.q:
        scores, _names = rank(current_user, filters)
        query = query.where(Candidate.id.in_(list(scores)))
    return query, filters


@bp.route(f"/exports/candidats.{FMT}", methods=["GET", "POST"])
@officer_required
def candidates(fmt: str):
    """Download the candidates of the list: contacts and wishes; their experience and
    texts only when the officer ticks the box (each person's trail records it)."""
    sensitive = (
        request.method == "POST"
        and request.form.get("sensibles") == "1"
        and access.can_export_sensitive_fields(current_user)
    )
    query, filters = _candidates_query()
    count = count_of(query)
    fields = ["contact", "domains", "background_text", "peer_help_text"]
    fields = fields if sensitive else fields[:1]
    if sensitive:
        for candidate_id in db.session.scalars(query.with_only_columns(Candidate.id)):
            record_audit(
                current_user,
                "candidate.export",
                "candidate",
                candidate_id,
                format=fmt,
                fields=fields,
                via="list",
            )
    record_audit(
        current_user,
        "candidate.export",
        "candidate_list",
        None,
        format=fmt,
        count=count,
        fields=fields,
        filters=filters.sensitive,
    )
    db.session.commit()
    query = query.options(
        selectinload(Candidate.trainings),
        selectinload(Candidate.domains),
        selectinload(Candidate.consents),
    ).order_by(Candidate.name_search, Candidate.id)
    headers, rows = tables.candidate_table(query, sensitive)
    name = f"passerelle-candidats-{paris_today().isoformat()}"
    return download(name, headers, rows, fmt, sheet_title=_("Candidat·es"))


# ---------------------------------------------------------------- survey answers


@bp.route(
    f"/exports/diagnostic/<int:campaign_id>/reponses.{FMT}", methods=["GET", "POST"]
)
@officer_required
def survey_responses(campaign_id: int, fmt: str):
    """Download a campaign's answers, one anonymous row per organisation; the free
    texts only when the officer ticks the box."""
    campaign = db.get_or_404(SurveyCampaign, campaign_id)
    access.require(access.can_export_survey_answers(current_user))
    responses = list(
        db.session.scalars(
            select(SurveyResponse)
            .where(SurveyResponse.campaign_id == campaign.id)
            .options(selectinload(SurveyResponse.barrier_ratings))
        )
    )
    if not access.survey_figure_is_shown(len(responses)) or not responses:
        flash(
            _(
                "Les réponses s'exportent à partir de %(num)d réponses, pour qu'aucune "
                "structure ne soit reconnaissable.",
                num=access.SURVEY_MIN_GROUP_SIZE,
            ),
            "warning",
        )
        return redirect(url_for("survey.results", campaign_id=campaign.id))
    with_texts = (
        request.method == "POST"
        and request.form.get("textes") == "1"
        and access.can_read_survey_free_text(current_user)
    )
    return send(
        "diagnostic",
        tables.survey_table(responses, with_texts),
        fmt,
        "survey_responses",
        len(responses),
        campaign.id,
        fields=["contributions_text"] if with_texts else [],
    )
