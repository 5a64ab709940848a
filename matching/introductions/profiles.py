"""Build the engine's inputs from the database, and keep the candidate pool cached.

The pool is rebuilt only when candidates, their consents or the introductions changed
(a cheap signature query tells); otherwise each ranking reuses it.
"""

import threading
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select

from matching import access
from matching.candidates.models import (
    Candidate,
    CandidateDomain,
    ConsentRecord,
)
from matching.communes.data import departments
from matching.extensions import db
from matching.introductions.models import Introduction
from matching.postings.models import JobPosting
from matching.scoring import CandidatePool, CandidateProfile, PostingProfile

AUDIENCES = ("introduced", "anonymous")


def posting_profile(posting: JobPosting) -> PostingProfile:
    return PostingProfile(
        id=posting.id,
        title=posting.title,
        functions=frozenset(posting.functions or ()),
        sector=posting.sector,
        latitude=posting.latitude,
        longitude=posting.longitude,
        department=posting.department,
        contract_type=posting.contract_type,
        fte=float(posting.fte) if posting.fte is not None else None,
        start_date=posting.start_date,
        experience_domains=frozenset(posting.experience_domains or ()),
        experience_text=posting.match_experience or "",
        missions_text=posting.match_missions or "",
    )


def _joined(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)


def candidate_profile(row, domains, purposes, last_proposed: datetime | None):
    """One profile from a candidate row, its domains and its consent purposes."""
    effective = {}
    for domain, level in domains:
        applied = access.effective_sharing(level, purposes)
        if applied:
            effective[domain] = applied
    shared = {}
    for audience in AUDIENCES:
        shared[audience] = _joined(
            row.match_background
            if access.employer_may_see(row.background_sharing, purposes, audience)
            else None,
            row.match_peer_help
            if access.employer_may_see(row.peer_help_sharing, purposes, audience)
            else None,
            row.match_trainings,
        )
    return CandidateProfile(
        id=row.id,
        status=row.status,
        latitude=row.latitude,
        longitude=row.longitude,
        department=row.department,
        mobility_radius_km=row.mobility_radius_km or 0,
        available_from=row.available_from,
        fte_min=float(row.fte_min) if row.fte_min is not None else None,
        fte_max=float(row.fte_max) if row.fte_max is not None else None,
        contract_types=frozenset(row.contract_types or ()),
        sectors=frozenset(row.sectors or ()),
        titles=frozenset(row.titles or ()),
        functions=frozenset(row.functions or ()),
        domains=effective,
        text=_joined(row.match_background, row.match_peer_help, row.match_trainings),
        shared_texts=shared,
        last_proposed_at=last_proposed,
    )


CANDIDATE_COLUMNS = (
    Candidate.id,
    Candidate.status,
    Candidate.latitude,
    Candidate.longitude,
    Candidate.department,
    Candidate.mobility_radius_km,
    Candidate.available_from,
    Candidate.fte_min,
    Candidate.fte_max,
    Candidate.contract_types,
    Candidate.sectors,
    Candidate.titles,
    Candidate.functions,
    Candidate.background_sharing,
    Candidate.peer_help_sharing,
    Candidate.match_background,
    Candidate.match_peer_help,
    Candidate.match_trainings,
)


def _active_purposes(candidate_ids=None) -> dict[int, frozenset]:
    query = select(ConsentRecord.candidate_id, ConsentRecord.purposes).where(
        ConsentRecord.withdrawn_at.is_(None), ConsentRecord.superseded_at.is_(None)
    )
    if candidate_ids is not None:
        query = query.where(ConsentRecord.candidate_id.in_(candidate_ids))
    return {cid: frozenset(p or ()) for cid, p in db.session.execute(query)}


def _domains(candidate_ids=None) -> dict[int, list]:
    query = select(
        CandidateDomain.candidate_id, CandidateDomain.domain, CandidateDomain.sharing
    )
    if candidate_ids is not None:
        query = query.where(CandidateDomain.candidate_id.in_(candidate_ids))
    found: dict[int, list] = {}
    for candidate_id, domain, sharing in db.session.execute(query):
        found.setdefault(candidate_id, []).append((domain, sharing))
    return found


def _last_proposed(candidate_ids=None) -> dict[int, datetime]:
    query = select(
        Introduction.candidate_id, func.max(Introduction.proposed_at)
    ).group_by(Introduction.candidate_id)
    if candidate_ids is not None:
        query = query.where(Introduction.candidate_id.in_(candidate_ids))
    return dict(db.session.execute(query).all())


def load_profiles(candidate_ids=None) -> list[CandidateProfile]:
    """Profiles of every candidate still in the pool (not anonymised), or of some."""
    query = select(*CANDIDATE_COLUMNS).where(Candidate.anonymised_at.is_(None))
    if candidate_ids is not None:
        query = query.where(Candidate.id.in_(candidate_ids))
    rows = db.session.execute(query.order_by(Candidate.id)).all()
    purposes = _active_purposes(candidate_ids)
    domains = _domains(candidate_ids)
    proposed = _last_proposed(candidate_ids)
    return [
        candidate_profile(
            row,
            domains.get(row.id, ()),
            purposes.get(row.id, frozenset()),
            proposed.get(row.id),
        )
        for row in rows
    ]


def neighbours() -> dict[str, tuple[str, ...]]:
    return {code: d.neighbours for code, d in departments().items()}


def _marks() -> dict:
    """Where the data stands: counts and latest changes (one cheap query)."""
    row = db.session.execute(
        select(
            # profiles are never deleted (erasure anonymises): the highest id
            # tells new ones without counting the table
            select(func.max(Candidate.id)).scalar_subquery(),
            select(func.max(Candidate.updated_at)).scalar_subquery(),
            select(func.max(ConsentRecord.id)).scalar_subquery(),
            select(func.max(ConsentRecord.withdrawn_at)).scalar_subquery(),
            select(func.max(Introduction.proposed_at)).scalar_subquery(),
        )
    ).one()
    return dict(
        zip(
            ("last_id", "updated", "consent", "withdrawn", "proposed"), row, strict=True
        )
    )


def _changed_since(marks: dict) -> set[int]:
    """Candidates whose profile, consent or last proposal changed after ``marks``."""
    changed: set[int] = set()
    if marks["updated"] is not None:
        changed |= set(
            db.session.scalars(
                select(Candidate.id).where(Candidate.updated_at > marks["updated"])
            )
        )
    consent = select(ConsentRecord.candidate_id)
    if marks["consent"] is not None:
        changed |= set(
            db.session.scalars(consent.where(ConsentRecord.id > marks["consent"]))
        )
    if marks["withdrawn"] is not None:
        changed |= set(
            db.session.scalars(
                consent.where(ConsentRecord.withdrawn_at > marks["withdrawn"])
            )
        )
    if marks["proposed"] is not None:
        changed |= set(
            db.session.scalars(
                select(Introduction.candidate_id).where(
                    Introduction.proposed_at > marks["proposed"]
                )
            )
        )
    return changed


_cache: dict[str, tuple[dict, CandidatePool]] = {}
_lock = threading.Lock()


def candidate_pool() -> CandidatePool:
    """Every candidate as a pool. Built once per process; afterwards only the
    candidates who changed since are reloaded and written over their rows."""
    key = current_app.config["SQLALCHEMY_DATABASE_URI"]
    marks = _marks()
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == marks:
            return cached[1]
        if (
            cached is not None
            and (marks["last_id"] or 0) >= (cached[0]["last_id"] or 0)
            and None not in (cached[0]["updated"],)
        ):
            old_marks, pool = cached[0], cached[1].copy()
            changed = _changed_since(old_marks)
            profiles = load_profiles(sorted(changed)) if changed else []
            pool.replace(profiles)
            pool.remove(changed - {profile.id for profile in profiles})
            _cache[key] = (marks, pool)
            return pool
    pool = CandidatePool(load_profiles(), neighbours())
    with _lock:
        _cache[key] = (marks, pool)
    return pool


def single_pool(candidate: Candidate) -> CandidatePool:
    """A pool of one candidate (to rank postings for them, or explain one match)."""
    return CandidatePool(load_profiles([candidate.id]), neighbours())


def published_postings() -> list[JobPosting]:
    return list(
        db.session.scalars(
            access.published_postings_scope().order_by(JobPosting.published_at.desc())
        )
    )
