"""One function per criterion. Each scores every candidate of the pool at once
(NumPy arrays of values in [0, 1]) and, for one candidate, explains its score with a
``Reason`` (a code and parameters; the web layer words it in French or English)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from rapidfuzz import fuzz, process

from matching.scoring.profiles import EPOCH, CandidatePool, PostingProfile
from matching.scoring.weights import MAX_DAYS_LATE, MAX_FTE_GAP, MIN_SLACK_KM

# Peer-work titles close enough that someone wanting one would consider the other.
TITLE_FAMILIES = (
    frozenset(
        {
            "travailleur_pair",
            "pair_aidant_professionnel",
            "intervenant_pair",
            "mediateur_pair",
            "mediateur_sante_pair",
            "pair_emulateur",
            "patient_partenaire",
        }
    ),
    frozenset({"animateur_prevention", "intervenant_social", "veilleur_nuit"}),
)
SECTOR_FAMILIES = (
    frozenset({"ahi_hebergement", "veille_sociale", "logement_accompagne"}),
    frozenset(
        {
            "sante_mentale_psychiatrie",
            "sante_soins_primaires",
            "maladies_chroniques_etp",
            "sante_communautaire",
        }
    ),
    frozenset({"addictologie_rdr", "sante_communautaire"}),
    frozenset({"exil_migration", "insertion_emploi"}),
)


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    params: dict = field(default_factory=dict)


def popcount(values: np.ndarray) -> np.ndarray:
    return np.bitwise_count(values).astype(np.float64)


def _family_mask(bits, families, slug: str | None) -> int:
    related = set()
    for family in families:
        if slug in family:
            related |= family
    related.discard(slug)
    return bits.known_mask(sorted(related))


# ---------------------------------------------------------------- experience


TEXT_EVIDENCE = 0.8  # a domain told in one's own words, not ticked, counts a bit less


def experience_domains(posting: PostingProfile, pool: CandidatePool, audience: str):
    """Share of the sought experience domains the candidate lets be used (or None).

    A domain not ticked but plainly told in the person's shared text counts too.
    """
    if not posting.experience_domains:
        return None
    sought = np.uint64(
        pool.vocabularies["domains"].known_mask(sorted(posting.experience_domains))
    )
    if not sought:
        return np.zeros(pool.size)
    wanted = len(posting.experience_domains)
    ticked = popcount(pool.domains[audience] & sought) / wanted
    told = popcount(pool.text_domains[audience] & sought) / wanted
    return np.maximum(ticked, TEXT_EVIDENCE * told)


def experience_reason(
    posting, pool, row: int, audience: str, text_score: float
) -> Reason:
    bits = pool.vocabularies["domains"]
    shared = set(bits.slugs(int(pool.domains[audience][row])))
    matched = sorted(shared & posting.experience_domains)
    if matched:
        return Reason("domains_matched", {"domains": matched})
    told = set(bits.slugs(int(pool.text_domains[audience][row])))
    if told & posting.experience_domains:
        return Reason(
            "domains_told", {"domains": sorted(told & posting.experience_domains)}
        )
    if posting.experience_domains:
        if text_score >= 0.5:
            return Reason("experience_text_close", {})
        return Reason(
            "domains_missing", {"domains": sorted(posting.experience_domains)}
        )
    if text_score >= 0.5:
        return Reason("experience_text_close", {})
    return Reason("experience_text_far", {})


# ---------------------------------------------------------------- role


def role(posting: PostingProfile, pool: CandidatePool) -> np.ndarray:
    """Job title wanted (or a related one), and the functions of the post."""
    titles = pool.vocabularies["titles"]
    wanted = np.uint64(titles.known_mask([posting.title] if posting.title else []))
    related = np.uint64(_family_mask(titles, TITLE_FAMILIES, posting.title))
    title_score = np.where(
        pool.titles == 0,
        0.6,
        np.where(
            (pool.titles & wanted) != 0,
            1.0,
            np.where((pool.titles & related) != 0, 0.6, 0.2),
        ),
    )
    if not posting.functions:
        return title_score
    functions = np.uint64(
        pool.vocabularies["functions"].known_mask(sorted(posting.functions))
    )
    coverage = popcount(pool.functions & functions) / len(posting.functions)
    function_score = np.where(pool.functions == 0, 0.6, coverage)
    return 0.6 * title_score + 0.4 * function_score


def role_reason(posting, pool, row: int) -> Reason:
    titles = set(pool.vocabularies["titles"].slugs(int(pool.titles[row])))
    functions = set(pool.vocabularies["functions"].slugs(int(pool.functions[row])))
    shared_functions = sorted(functions & posting.functions)
    if posting.title in titles:
        return Reason(
            "title_wanted", {"title": posting.title, "functions": shared_functions}
        )
    if not titles:
        return Reason(
            "title_open", {"title": posting.title, "functions": shared_functions}
        )
    if any(posting.title in family and titles & family for family in TITLE_FAMILIES):
        return Reason(
            "title_related", {"title": posting.title, "functions": shared_functions}
        )
    return Reason("title_other", {"title": posting.title, "wanted": sorted(titles)})


# ---------------------------------------------------------------- sector


def sector(posting: PostingProfile, pool: CandidatePool) -> np.ndarray:
    bits = pool.vocabularies["sectors"]
    wanted = np.uint64(bits.known_mask([posting.sector] if posting.sector else []))
    related = np.uint64(_family_mask(bits, SECTOR_FAMILIES, posting.sector))
    return np.where(
        pool.sectors == 0,
        0.6,
        np.where(
            (pool.sectors & wanted) != 0,
            1.0,
            np.where((pool.sectors & related) != 0, 0.5, 0.0),
        ),
    )


def sector_reason(posting, pool, row: int) -> Reason:
    sectors = set(pool.vocabularies["sectors"].slugs(int(pool.sectors[row])))
    if not sectors:
        return Reason("sector_open", {"sector": posting.sector})
    if posting.sector in sectors:
        return Reason("sector_wanted", {"sector": posting.sector})
    if any(posting.sector in family and sectors & family for family in SECTOR_FAMILIES):
        return Reason("sector_related", {"sector": posting.sector})
    return Reason("sector_other", {"sector": posting.sector})


# ---------------------------------------------------------------- availability


def _start_day(posting: PostingProfile, today: date) -> int:
    return ((posting.start_date or today) - EPOCH).days


def days_late(posting: PostingProfile, pool: CandidatePool, today: date) -> np.ndarray:
    start = max(_start_day(posting, today), (today - EPOCH).days)
    return np.maximum(0, pool.available - start).astype(np.float64)


def fte_gap(posting: PostingProfile, pool: CandidatePool) -> np.ndarray:
    if posting.fte is None:
        return np.zeros(pool.size)
    below = pool.fte_min - posting.fte
    above = posting.fte - pool.fte_max
    return np.maximum(0.0, np.maximum(below, above))


def availability(posting, pool, today: date):
    """Free by the start date and wanting about this working time.

    Returns the scores and the feasibility (not many months late, FTE not far off).
    """
    late = days_late(posting, pool, today)
    gap = fte_gap(posting, pool)
    date_score = np.clip(1 - late / MAX_DAYS_LATE, 0, 1)
    fte_score = np.clip(1 - gap / MAX_FTE_GAP, 0, 1)
    feasible = (late <= MAX_DAYS_LATE) & (gap <= MAX_FTE_GAP + 1e-9)
    return 0.6 * date_score + 0.4 * fte_score, feasible


def availability_reason(posting, pool, row: int, today: date) -> Reason:
    available = EPOCH + timedelta(days=int(pool.available[row]))
    params = {
        "start": posting.start_date,
        "fte": posting.fte,
        "fte_min": float(pool.fte_min[row]),
        "fte_max": float(pool.fte_max[row]),
    }
    if available <= today:
        return Reason("available_now", params)
    late = (available - (posting.start_date or today)).days
    code = "available_in_time" if late <= 0 else "available_late"
    return Reason(code, {**params, "date": available, "days_late": max(0, late)})


# ---------------------------------------------------------------- location


def distances(posting: PostingProfile, pool: CandidatePool) -> np.ndarray:
    """Great-circle distance in km (NaN when either commune is unknown)."""
    if posting.latitude is None or posting.longitude is None:
        return np.full(pool.size, np.nan)
    lat1, lon1 = np.radians(posting.latitude), np.radians(posting.longitude)
    lat2, lon2 = np.radians(pool.latitude), np.radians(pool.longitude)
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def location(posting: PostingProfile, pool: CandidatePool):
    """Distance against the mobility radius; departments when a commune is unknown.

    Returns the scores, the feasibility and the distances.
    """
    km = distances(posting, pool)
    radius = np.maximum(pool.radius, 1.0)
    slack = np.maximum(pool.radius, MIN_SLACK_KM)
    inside = 1 - 0.2 * (km / radius)
    outside = 0.8 * (1 - (km - pool.radius) / slack)
    score = np.where(km <= pool.radius, inside, np.clip(outside, 0, 0.8))
    feasible = ~(km > pool.radius + slack)  # NaN (unknown) stays feasible
    unknown = np.isnan(km)
    if unknown.any():
        score = np.where(unknown, _department_scores(posting, pool), score)
    return np.clip(score, 0, 1), feasible, km


def _department_scores(posting, pool) -> np.ndarray:
    code = posting.department
    same = pool.departments.get(code, -2)
    near = [
        pool.departments[d]
        for d in pool.neighbours.get(code, ())
        if d in pool.departments
    ]
    return np.where(
        pool.department == same,
        0.7,
        np.where(np.isin(pool.department, near), 0.4, 0.1),
    )


def location_reason(posting, pool, row: int, km: float) -> Reason:
    radius = float(pool.radius[row])
    if not np.isnan(km):
        if km <= radius:
            return Reason(
                "within_radius", {"km": round(float(km)), "radius": round(radius)}
            )
        # Never "10 km, beyond their 10 km": round away from the radius.
        shown = max(round(float(km)), round(radius) + 1)
        return Reason("outside_radius", {"km": shown, "radius": round(radius)})
    department = pool.department_code(int(pool.department[row]))
    if department and department == posting.department:
        return Reason("same_department", {"department": department})
    if department and department in pool.neighbours.get(posting.department, ()):
        return Reason("neighbour_department", {"department": department})
    return Reason("location_unknown", {})


# ---------------------------------------------------------------- contract


def contract(posting: PostingProfile, pool: CandidatePool):
    """Returns the scores and who refuses this contract (a hard exclusion)."""
    if not posting.contract_type:
        return np.ones(pool.size), np.zeros(pool.size, dtype=bool)
    wanted = np.uint64(
        pool.vocabularies["contracts"].known_mask([posting.contract_type])
    )
    open_to_any = pool.contracts == 0
    accepted = (pool.contracts & wanted) != 0
    return np.where(open_to_any, 0.8, np.where(accepted, 1.0, 0.0)), ~(
        open_to_any | accepted
    )


def contract_reason(posting, pool, row: int) -> Reason:
    if pool.contracts[row] == 0:
        return Reason("contract_open", {"contract": posting.contract_type})
    return Reason("contract_accepted", {"contract": posting.contract_type})


# ---------------------------------------------------------------- free texts


def text_similarity(
    query: str, pool: CandidatePool, rows: np.ndarray, audience: str = "officer"
) -> np.ndarray:
    """Fuzzy similarity of one normalised text with the candidates' texts, in batch.

    token_set_ratio alone gives 100 whenever one side's words are all in the other,
    so a one-word text would match everything containing that word: it is blended
    with token_sort_ratio and weighed by how much text the candidate wrote.
    """
    if not query or not len(rows):
        return np.zeros(len(rows))
    all_texts = pool.texts[audience]
    texts = [all_texts[row] for row in rows]
    token_set = process.cdist([query], texts, scorer=fuzz.token_set_ratio, workers=1)[0]
    token_sort = process.cdist([query], texts, scorer=fuzz.token_sort_ratio, workers=1)[
        0
    ]
    similarity = (0.6 * token_set + 0.4 * token_sort) / 100
    wanted_words = min(8, len(query.split()))
    coverage = np.minimum(1.0, pool.text_words[audience][rows] / wanted_words)
    return similarity * (0.4 + 0.6 * coverage)


def text_reason(score: float) -> Reason:
    return Reason(
        "text_close" if score >= 0.5 else "text_far", {"percent": round(score * 100)}
    )
