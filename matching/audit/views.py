"""The audit trail of a candidate, for officers and admins."""

from flask import Blueprint, render_template, request

from matching.access import officer_required
from matching.audit.services import (
    ACTION_LABELS,
    ROLE_LABELS,
    describe_details,
    list_candidate_audit,
)
from matching.candidates.models import Candidate
from matching.extensions import db

bp = Blueprint("audit", __name__)


@bp.get("/equipe/candidats/<int:candidate_id>/journal")
@officer_required
def candidate_trail(candidate_id: int):
    """Who viewed, exported, erased or changed consent on this profile, and when."""
    candidate = db.get_or_404(Candidate, candidate_id)
    page = db.paginate(
        list_candidate_audit(candidate.id),
        page=request.args.get("page", 1, type=int),
        per_page=50,
        error_out=False,
    )
    return render_template(
        "audit/candidate_trail.html",
        candidate=candidate,
        page=page,
        action_labels=ACTION_LABELS,
        role_labels=ROLE_LABELS,
        describe_details=describe_details,
    )
