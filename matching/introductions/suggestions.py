"""Suggestions: rank candidates for a posting, or postings for a candidate."""

from dataclasses import dataclass
from datetime import date

import numpy as np

from matching.admin.settings import get_setting
from matching.candidates.models import Candidate
from matching.core.timeutils import paris_today
from matching.extensions import db
from matching.introductions import profiles
from matching.introductions.services import introduced_candidate_ids
from matching.postings.models import JobPosting
from matching.scoring import Match, Ranking, clean_weights, rank
from matching.scoring.profiles import EPOCH

WEIGHTS_KEY = "matching.weights"


def current_weights() -> dict[str, float]:
    return clean_weights(get_setting(WEIGHTS_KEY))


@dataclass
class SuggestionFilters:
    feasible_only: bool = False
    department: str | None = None
    available_before: date | None = None


def _mask(pool, filters: SuggestionFilters) -> np.ndarray | None:
    mask = np.ones(pool.size, dtype=bool)
    if filters.department:
        index = pool.departments.get(filters.department, -2)
        mask &= pool.department == index
    if filters.available_before:
        mask &= pool.available <= (filters.available_before - EPOCH).days
    return None if mask.all() else mask


def suggest_candidates(
    posting: JobPosting,
    *,
    k: int = 20,
    offset: int = 0,
    filters: SuggestionFilters | None = None,
    weights: dict | None = None,
    audience: str = "officer",
) -> tuple[Ranking, dict[int, Candidate]]:
    """The ranked candidates for a posting, and their records (one query)."""
    filters = filters or SuggestionFilters()
    pool = profiles.candidate_pool()
    ranking = rank(
        profiles.posting_profile(posting),
        pool,
        today=paris_today(),
        k=k,
        offset=offset,
        weights=weights if weights is not None else current_weights(),
        audience=audience,
        exclude_ids=introduced_candidate_ids(posting),
        only=_mask(pool, filters),
    )
    if filters.feasible_only:
        ranking.matches = [m for m in ranking.matches if m.feasible]
    ids = [m.candidate_id for m in ranking.matches]
    records = {
        c.id: c
        for c in db.session.scalars(db.select(Candidate).where(Candidate.id.in_(ids)))
    }
    return ranking, records


def suggest_postings(
    candidate: Candidate, limit: int = 20
) -> list[tuple[JobPosting, Match]]:
    """Published postings ranked for one candidate (a pool of one, each posting)."""
    pool = profiles.single_pool(candidate)
    if pool.size == 0:
        return []
    weights, today = current_weights(), paris_today()
    scored = []
    introduced = _postings_of(candidate)
    for posting in profiles.published_postings():
        if posting.id in introduced:
            continue
        ranking = rank(
            profiles.posting_profile(posting), pool, today=today, k=1, weights=weights
        )
        if ranking.matches:
            scored.append((posting, ranking.matches[0]))
    scored.sort(key=lambda pair: (not pair[1].feasible, -pair[1].score, pair[0].id))
    return scored[:limit]


def explain(posting: JobPosting, candidate: Candidate, audience: str) -> Match | None:
    """The score and reasons of one candidate for one posting, for one audience."""
    pool = profiles.single_pool(candidate)
    if pool.size == 0:
        return None
    ranking = rank(
        profiles.posting_profile(posting),
        pool,
        today=paris_today(),
        k=1,
        weights=current_weights(),
        audience=audience,
        explain_all=True,
    )
    return ranking.matches[0] if ranking.matches else None


def _postings_of(candidate: Candidate) -> set[int]:
    from matching.introductions.models import Introduction

    return set(
        db.session.scalars(
            db.select(Introduction.posting_id).where(
                Introduction.candidate_id == candidate.id
            )
        )
    )
