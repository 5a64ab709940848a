"""Combine the criteria into a 0–100 score, apply hard exclusions, return the top k.

Cheap criteria (structured fields) are computed for every candidate with NumPy. The
free-text similarities are the expensive part: candidates are visited best cheap score
first, in blocks, and the visit stops as soon as no remaining candidate could enter the
top k even with perfect texts. The result is exactly the top k of a full computation.

Candidates who plainly cannot take the job (far outside their radius, available many
months after the start, working time far from theirs) rank below every feasible one.
Ties go to the candidate proposed least recently, then to the lowest id.
"""

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from matching.scoring import criteria
from matching.scoring.criteria import Reason
from matching.scoring.profiles import CandidatePool, PostingProfile
from matching.scoring.weights import CRITERIA, clean_weights

BLOCK = 256
DOMAIN_SHARE = 0.7  # within "experience": domains sought vs shared; the rest is text


@dataclass(frozen=True, slots=True)
class Criterion:
    score: float  # 0..1
    weight: float  # share of the total, 0..1
    reason: Reason


@dataclass(slots=True)
class Match:
    candidate_id: int
    score: float  # 0..100
    feasible: bool
    breakdown: dict[str, Criterion] = field(default_factory=dict)
    blockers: list[Reason] = field(default_factory=list)
    distance_km: float | None = None

    @property
    def shown_km(self) -> int | None:
        """The distance in whole km as the location reason words it: one rounding
        on the whole page (never "10 km" above "À 11 km, au-delà de ses 10 km")."""
        location = self.breakdown.get("location")
        if location is not None and "km" in location.reason.params:
            return location.reason.params["km"]
        return None if self.distance_km is None else round(self.distance_km)


@dataclass(slots=True)
class Ranking:
    matches: list[Match]
    eligible: int  # candidates not excluded (active, not introduced, contract accepted)
    feasible: int
    scored_texts: int  # how many candidates needed the text similarity


def rank(
    posting: PostingProfile,
    pool: CandidatePool,
    *,
    today: date,
    k: int = 10,
    offset: int = 0,
    weights: dict | None = None,
    audience: str = "officer",
    exclude_ids=(),
    only: np.ndarray | None = None,
    explain_all: bool = False,
) -> Ranking:
    """The candidates ranked ``offset`` to ``offset + k`` for a posting.

    ``audience`` chooses which experience domains count: ``officer`` (every consented
    domain), ``introduced`` or ``anonymous`` (only what the candidate shared at that
    stage), so nothing private can shape what an employer sees. ``only`` is an optional
    boolean mask of the pool (filters of the suggestions page).
    """
    w = clean_weights(weights)
    total_weight = sum(w.values())
    share = {name: w[name] / total_weight for name in CRITERIA}
    if pool.size == 0:
        return Ranking([], 0, 0, 0)

    domains = criteria.experience_domains(posting, pool, audience)
    role = criteria.role(posting, pool)
    sector = criteria.sector(posting, pool)
    availability, available_ok = criteria.availability(posting, pool, today)
    location, location_ok, km = criteria.location(posting, pool)
    contract, refused = criteria.contract(posting, pool)

    eligible = np.ones(pool.size, dtype=bool) if explain_all else pool.active & ~refused
    if len(exclude_ids):
        eligible &= ~np.isin(pool.ids, np.fromiter(exclude_ids, dtype=np.int64))
    if only is not None:
        eligible &= only
    feasible = available_ok & location_ok

    experience_text_share = share["experience"] * (
        1 - DOMAIN_SHARE if domains is not None else 1.0
    )
    cheap = (
        share["role"] * role
        + share["sector"] * sector
        + share["availability"] * availability
        + share["location"] * location
        + share["contract"] * contract
    )
    if domains is not None:
        cheap = cheap + share["experience"] * DOMAIN_SHARE * domains
    text_bound = experience_text_share + share["text"]

    rows = np.flatnonzero(eligible)
    order = rows[np.lexsort((-cheap[rows], ~feasible[rows]))]
    need = offset + k
    kept_rows: list[np.ndarray] = []
    kept_totals: list[np.ndarray] = []
    kept_exp: list[np.ndarray] = []
    kept_mis: list[np.ndarray] = []
    threshold = None  # (feasible, total) of the need-th best so far
    scored = 0
    for start in range(0, len(order), BLOCK):
        first = order[start]
        if (
            threshold is not None
            and (
                bool(feasible[first]),
                cheap[first] + text_bound,
            )
            < threshold
        ):
            break
        block = order[start : start + BLOCK]
        exp_text = criteria.text_similarity(
            posting.experience_text, pool, block, audience
        )
        mis_text = criteria.text_similarity(
            posting.missions_text, pool, block, audience
        )
        scored += len(block)
        kept_rows.append(block)
        kept_totals.append(
            cheap[block] + experience_text_share * exp_text + share["text"] * mis_text
        )
        kept_exp.append(exp_text)
        kept_mis.append(mis_text)
        all_rows = np.concatenate(kept_rows)
        all_totals = np.concatenate(kept_totals)
        if len(all_rows) >= need:
            keys = _order(all_rows, all_totals, feasible, pool)
            nth = keys[need - 1]
            threshold = (bool(feasible[all_rows[nth]]), float(all_totals[nth]))

    if not kept_rows:
        return Ranking([], int(eligible.sum()), int((eligible & feasible).sum()), 0)
    all_rows = np.concatenate(kept_rows)
    all_totals = np.concatenate(kept_totals)
    all_exp = np.concatenate(kept_exp)
    all_mis = np.concatenate(kept_mis)
    chosen = _order(all_rows, all_totals, feasible, pool)[offset:need]

    scores = {
        "role": role,
        "sector": sector,
        "availability": availability,
        "location": location,
        "contract": contract,
    }
    matches = []
    for position in chosen:
        row = int(all_rows[position])
        experience = (
            DOMAIN_SHARE * domains[row] + (1 - DOMAIN_SHARE) * all_exp[position]
            if domains is not None
            else all_exp[position]
        )
        values = {
            **{name: float(array[row]) for name, array in scores.items()},
            "experience": float(experience),
            "text": float(all_mis[position]),
        }
        reasons = {
            "experience": criteria.experience_reason(
                posting, pool, row, audience, float(all_exp[position])
            ),
            "role": criteria.role_reason(posting, pool, row),
            "sector": criteria.sector_reason(posting, pool, row),
            "availability": criteria.availability_reason(posting, pool, row, today),
            "location": criteria.location_reason(posting, pool, row, float(km[row])),
            "contract": criteria.contract_reason(posting, pool, row),
            "text": criteria.text_reason(float(all_mis[position])),
        }
        matches.append(
            Match(
                candidate_id=int(pool.ids[row]),
                score=round(100 * float(all_totals[position]), 1),
                feasible=bool(feasible[row]),
                breakdown={
                    name: Criterion(values[name], share[name], reasons[name])
                    for name in CRITERIA
                },
                blockers=_blockers(
                    reasons, available_ok[row], location_ok[row], posting, pool, row
                ),
                distance_km=None if np.isnan(km[row]) else round(float(km[row]), 1),
            )
        )
    return Ranking(
        matches, int(eligible.sum()), int((eligible & feasible).sum()), scored
    )


def _order(rows: np.ndarray, totals: np.ndarray, feasible, pool) -> np.ndarray:
    """Positions sorted: feasible first, best score, least recently proposed, id."""
    return np.lexsort(
        (
            pool.ids[rows],
            pool.last_proposed[rows],
            -np.round(totals, 3),
            ~feasible[rows],
        )
    )


def _blockers(reasons, available_ok, location_ok, posting, pool, row) -> list[Reason]:
    blockers = []
    if not location_ok:
        blockers.append(reasons["location"])
    if not available_ok:
        if criteria.fte_gap(posting, pool)[row] > 0:
            blockers.append(Reason("fte_far", reasons["availability"].params))
        if reasons["availability"].code == "available_late":
            blockers.append(reasons["availability"])
    return blockers
