"""Benchmark of the matching engine (issue goals (a), (b) and (d)).

(a) time to rank all candidates for one posting, median and p95 over the postings,
    on one core; (b) the same ranking with a naive loop that calls a rapidfuzz scorer
    one pair at a time, and the ratio; (d) peak memory of the process.
"""

import statistics
import time
from datetime import date

import numpy as np
from rapidfuzz import fuzz

from benchmarks.synthetic import TODAY, candidates, postings
from matching.scoring import CandidatePool, rank
from matching.scoring.criteria import TITLE_FAMILIES
from matching.scoring.weights import DEFAULT_WEIGHTS, MAX_DAYS_LATE, MAX_FTE_GAP

NEIGHBOURS = {
    "31": ("09", "11", "32", "65", "81", "82"),
    "09": ("11", "31", "66"),
    "81": ("11", "12", "31", "34", "82"),
    "82": ("12", "31", "32", "46", "47", "81"),
    "32": ("31", "40", "47", "64", "65", "82"),
}


def percentile(values, q):
    return float(np.percentile(values, q))


def naive_rank(posting, profiles, today: date, k: int = 10):
    """Every criterion in plain Python, one rapidfuzz call per pair: the baseline."""
    import math

    weights = DEFAULT_WEIGHTS
    total_weight = sum(weights.values())
    results = []
    for c in profiles:
        if c.status != "actif":
            continue
        if (
            posting.contract_type
            and c.contract_types
            and posting.contract_type not in c.contract_types
        ):
            continue
        shared = set(c.domains)
        domains = len(shared & posting.experience_domains) / len(
            posting.experience_domains
        )
        texts = []
        for query in (posting.experience_text, posting.missions_text):
            s = fuzz.token_set_ratio(query, c.text)
            o = fuzz.token_sort_ratio(query, c.text)
            coverage = min(1.0, len(c.text.split()) / min(8, len(query.split())))
            texts.append((0.6 * s + 0.4 * o) / 100 * (0.4 + 0.6 * coverage))
        experience = 0.7 * domains + 0.3 * texts[0]
        if not c.titles:
            title = 0.6
        elif posting.title in c.titles:
            title = 1.0
        elif any(posting.title in f and c.titles & f for f in TITLE_FAMILIES):
            title = 0.6
        else:
            title = 0.2
        functions = (
            0.6
            if not c.functions
            else len(c.functions & posting.functions) / len(posting.functions)
        )
        role = 0.6 * title + 0.4 * functions
        sector = 0.6 if not c.sectors else (1.0 if posting.sector in c.sectors else 0.0)
        late = max(0, (c.available_from - max(posting.start_date, today)).days)
        gap = max(0.0, c.fte_min - posting.fte, posting.fte - c.fte_max)
        availability = 0.6 * max(0, 1 - late / MAX_DAYS_LATE) + 0.4 * max(
            0, 1 - gap / MAX_FTE_GAP
        )
        p1, p2 = math.radians(posting.latitude), math.radians(c.latitude)
        a = (
            math.sin((p2 - p1) / 2) ** 2
            + math.cos(p1)
            * math.cos(p2)
            * math.sin(math.radians(c.longitude - posting.longitude) / 2) ** 2
        )
        km = 2 * 6371.0088 * math.asin(math.sqrt(a))
        r = c.mobility_radius_km
        location = (
            1 - 0.2 * km / max(r, 1)
            if km <= r
            else max(0.0, 0.8 * (1 - (km - r) / max(r, 10)))
        )
        contract = 0.8 if not c.contract_types else 1.0
        feasible = late <= MAX_DAYS_LATE and gap <= MAX_FTE_GAP and km <= r + max(r, 10)
        total = (
            weights["experience"] * experience
            + weights["role"] * role
            + weights["sector"] * sector
            + weights["availability"] * availability
            + weights["location"] * location
            + weights["contract"] * contract
            + weights["text"] * texts[1]
        ) / total_weight
        results.append((not feasible, -total, c.id))
    results.sort()
    return results[:k]


def run(n_candidates: int, n_postings: int, naive_sample: int) -> dict:
    profiles = candidates(n_candidates)
    posts = postings(n_postings)
    started = time.perf_counter()
    pool = CandidatePool(profiles, NEIGHBOURS)
    build = time.perf_counter() - started
    timings = []
    for posting in posts:
        started = time.perf_counter()
        rank(posting, pool, today=TODAY, k=10)
        timings.append(time.perf_counter() - started)
    naive = []
    for posting in posts[:naive_sample]:
        started = time.perf_counter()
        naive_rank(posting, profiles, TODAY)
        naive.append(time.perf_counter() - started)
    engine_median = statistics.median(timings)
    return {
        "pool_build_s": build,
        "engine_median_ms": engine_median * 1000,
        "engine_p95_ms": percentile(timings, 95) * 1000,
        "naive_median_ms": statistics.median(naive) * 1000,
        "ratio": statistics.median(naive) / engine_median,
    }
