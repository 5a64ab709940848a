"""Commune suggestions for the autocomplete of commune fields."""

from flask import Blueprint, request

from matching.communes.data import search_communes
from matching.extensions import limiter

bp = Blueprint("communes", __name__)


@bp.get("/communes/suggestions")
@limiter.limit("120 per minute")
def suggestions():
    """Return up to ten communes matching the typed text, as JSON."""
    query = request.args.get("q", "")[:80]
    return {
        "communes": [
            {"insee": c.insee, "label": c.label, "department": c.department}
            for c in search_communes(query)
        ]
    }
