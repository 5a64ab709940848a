"""The labelled evaluation set (tests/scoring/data): precision@5 and the known traps."""

from datetime import date

import pytest

from matching.scoring import rank
from tests.scoring.eval_loader import load


@pytest.fixture(scope="module")
def evaluation():
    data, pool, postings, refs = load()
    today = date.fromisoformat(data["today"])

    def ranked(posting_ref, k=10, audience="officer"):
        ranking = rank(postings[posting_ref], pool, today=today, k=k, audience=audience)
        return ranking, [refs[m.candidate_id] for m in ranking.matches]

    return data, ranked


def test_precision_at_5(evaluation):
    data, ranked = evaluation
    precisions = []
    for posting_ref, relevant in data["relevant"].items():
        _, top = ranked(posting_ref, k=5)
        precisions.append(len(set(top) & set(relevant)) / min(5, len(relevant)))
    mean = sum(precisions) / len(precisions)
    assert len(precisions) >= 30
    assert mean >= 0.85, f"precision@5 = {mean:.3f}"
    assert min(precisions) >= 0.6


@pytest.mark.parametrize(
    ("posting", "candidate", "trap"),
    [
        ("p07", "c035", "capitals without accents"),
        ("p07", "c036", "lower case without accents, text only"),
        ("p07", "c037", "typo: médiatrise"),
        ("p08", "c037", "typo: médiatrise"),
        ("p11", "c034", "MSP"),
        ("p13", "c065", "addicto"),
        ("p01", "c003", "SDF / la rue"),
        ("p32", "c164", "la rue"),
        ("p14", "c071", "RdR"),
        ("p13", "c066", "CSAPA"),
        ("p01", "c004", "relevant domain shared privately"),
    ],
)
def test_traps_of_writing_still_match(evaluation, posting, candidate, trap):
    _, ranked = evaluation
    _, top = ranked(posting, k=8)
    assert candidate in top, trap


def test_one_word_text_does_not_outrank_full_matches(evaluation):
    data, ranked = evaluation
    for posting in ("p01", "p02", "p03", "p04", "p06"):
        _, top = ranked(posting, k=5)
        assert "c016" not in top
    _, top = ranked("p01", k=60)
    last_relevant = max(top.index(ref) for ref in data["relevant"]["p01"])
    assert top.index("c016") > last_relevant


def test_private_domain_never_in_an_employer_facing_reason(evaluation):
    data, ranked = evaluation
    candidates = {row["ref"]: row for row in data["candidates"]}
    for posting in ("p01", "p16", "p26"):
        ranking, top = ranked(posting, k=30, audience="anonymous")
        for match, ref in zip(ranking.matches, top, strict=True):
            private = {
                d
                for d, level in candidates[ref]["domains"].items()
                if level != "public_employeurs"
            }
            reason = match.breakdown["experience"].reason
            if reason.code == "domains_matched":
                assert not private & set(reason.params["domains"]), (posting, ref)


def test_inactive_refused_late_and_far_candidates_are_never_suggested(evaluation):
    data, ranked = evaluation
    ranking, top = ranked("p07", k=250)
    assert "c041" not in top  # en_pause
    assert "c042" not in top  # refuses the contract
    for ref in ("c039", "c040"):  # 8 months late; 80 km outside the radius
        match = ranking.matches[top.index(ref)]
        assert not match.feasible
        assert top.index(ref) >= ranking.feasible
    _, top10 = ranked("p07", k=10)
    assert not {"c039", "c040", "c041", "c042"} & set(top10)
    statuses = {row["ref"]: row["status"] for row in data["candidates"]}
    for posting in data["relevant"]:
        _, top = ranked(posting, k=10)
        assert all(statuses[ref] == "actif" for ref in top)
