"""The ranker: scores, hard exclusions, infeasible last, ties, audiences, exactness."""

import random
from datetime import date, datetime, timedelta

import pytest

from matching.scoring import CandidatePool, CandidateProfile, PostingProfile, rank
from matching.scoring.text import normalise

TODAY = date(2026, 12, 1)
TOULOUSE = (43.60405, 1.44305)
COLOMIERS = (43.61162, 1.33546)  # about 9 km from Toulouse
MONTPELLIER = (43.59945, 3.89609)  # about 197 km

POSTING = PostingProfile(
    id=1,
    title="travailleur_pair",
    functions=frozenset({"aller_vers"}),
    sector="ahi_hebergement",
    latitude=TOULOUSE[0],
    longitude=TOULOUSE[1],
    department="31",
    contract_type="cdi",
    fte=0.8,
    start_date=date(2027, 2, 1),
    experience_domains=frozenset({"rue_sans_abrisme"}),
    experience_text=normalise("Une expérience de la rue et de l'hébergement d'urgence"),
    missions_text=normalise(
        "Maraude, aller vers les personnes à la rue, accompagnement"
    ),
)


def candidate(id, **overrides):
    values = {
        "id": id,
        "status": "actif",
        "latitude": COLOMIERS[0],
        "longitude": COLOMIERS[1],
        "department": "31",
        "mobility_radius_km": 20,
        "available_from": date(2027, 1, 15),
        "fte_min": 0.5,
        "fte_max": 1.0,
        "contract_types": frozenset({"cdi", "cdd"}),
        "sectors": frozenset({"ahi_hebergement"}),
        "titles": frozenset({"travailleur_pair"}),
        "functions": frozenset({"aller_vers"}),
        "domains": {"rue_sans_abrisme": "public_employeurs"},
        "text": normalise(
            "J'ai vécu à la rue, maraude et hébergement d'urgence, accompagnement"
        ),
    }
    values.update(overrides)
    return CandidateProfile(**values)


def ids(ranking):
    return [m.candidate_id for m in ranking.matches]


def test_full_match_scores_high_with_a_reason_per_criterion():
    ranking = rank(POSTING, CandidatePool([candidate(1)]), today=TODAY)
    match = ranking.matches[0]
    assert match.score > 85
    assert match.feasible
    assert match.breakdown["experience"].reason.code == "domains_matched"
    assert match.breakdown["experience"].reason.params == {
        "domains": ["rue_sans_abrisme"]
    }
    assert match.breakdown["location"].reason.code == "within_radius"
    assert match.breakdown["location"].reason.params["radius"] == 20
    assert match.distance_km == pytest.approx(8.7, abs=0.5)
    assert sum(c.weight for c in match.breakdown.values()) == pytest.approx(1)


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": "en_pause"},
        {"status": "archive"},
        {"status": "en_poste"},
        {"contract_types": frozenset({"cdd"})},
    ],
)
def test_hard_exclusions(overrides):
    ranking = rank(
        POSTING, CandidatePool([candidate(1), candidate(2, **overrides)]), today=TODAY
    )
    assert ids(ranking) == [1]
    assert ranking.eligible == 1


def test_already_introduced_candidates_are_excluded():
    pool = CandidatePool([candidate(1), candidate(2)])
    assert ids(rank(POSTING, pool, today=TODAY, exclude_ids={1})) == [2]


@pytest.mark.parametrize(
    ("overrides", "blocker"),
    [
        ({"latitude": MONTPELLIER[0], "longitude": MONTPELLIER[1]}, "outside_radius"),
        ({"available_from": date(2027, 9, 1)}, "available_late"),
        ({"fte_min": 0.1, "fte_max": 0.3}, "fte_far"),
    ],
)
def test_impossible_candidates_rank_below_every_feasible_one(overrides, blocker):
    strong_but_impossible = candidate(1, **overrides)
    weak_but_possible = candidate(
        2,
        domains={},
        text=normalise("bénévole"),
        titles=frozenset({"interprete"}),
        sectors=frozenset({"justice"}),
        functions=frozenset(),
    )
    ranking = rank(
        POSTING, CandidatePool([strong_but_impossible, weak_but_possible]), today=TODAY
    )
    assert ids(ranking) == [2, 1]
    impossible = ranking.matches[1]
    assert not impossible.feasible
    assert (
        impossible.score > ranking.matches[0].score
    )  # text and domains alone would win
    assert blocker in [b.code for b in impossible.blockers]


def test_ties_go_to_the_candidate_proposed_least_recently():
    recent = candidate(1, last_proposed_at=datetime(2026, 11, 20))
    long_ago = candidate(2, last_proposed_at=datetime(2026, 1, 5))
    never = candidate(3)
    ranking = rank(POSTING, CandidatePool([recent, long_ago, never]), today=TODAY)
    assert ids(ranking) == [3, 2, 1]


def test_private_domain_counts_for_officers_but_not_for_employers():
    private = candidate(1, domains={"rue_sans_abrisme": "prive"}, text="")
    shared = candidate(2, domains={"rue_sans_abrisme": "public_employeurs"}, text="")
    pool = CandidatePool([private, shared])
    officer = rank(POSTING, pool, today=TODAY, audience="officer")
    assert officer.matches[0].score == officer.matches[1].score
    employer = rank(POSTING, pool, today=TODAY, audience="anonymous")
    assert ids(employer) == [2, 1]
    hidden = employer.matches[1].breakdown["experience"].reason
    assert "rue_sans_abrisme" not in str(hidden.params.get("domains", [])) or (
        hidden.code == "domains_missing"
    )
    assert hidden.code != "domains_matched"


def test_domain_shared_after_introduction_counts_only_once_introduced():
    after = candidate(
        1, domains={"rue_sans_abrisme": "apres_mise_en_relation"}, text=""
    )
    pool = CandidatePool([after])
    anonymous = rank(POSTING, pool, today=TODAY, audience="anonymous").matches[0]
    introduced = rank(POSTING, pool, today=TODAY, audience="introduced").matches[0]
    assert anonymous.breakdown["experience"].reason.code == "domains_missing"
    assert introduced.breakdown["experience"].reason.code == "domains_matched"


def test_one_word_text_does_not_outrank_a_full_match():
    full = candidate(1)
    one_word = candidate(
        2, domains={}, text=normalise("rue"), titles=frozenset(), sectors=frozenset()
    )
    ranking = rank(POSTING, CandidatePool([one_word, full]), today=TODAY)
    assert ids(ranking) == [1, 2]
    assert (
        ranking.matches[0].breakdown["text"].score
        > ranking.matches[1].breakdown["text"].score
    )


def test_unknown_commune_falls_back_on_departments():
    same = candidate(1, latitude=None, longitude=None, department="31")
    neighbour = candidate(2, latitude=None, longitude=None, department="09")
    elsewhere = candidate(3, latitude=None, longitude=None, department="75")
    pool = CandidatePool([elsewhere, neighbour, same], neighbours={"31": ("09", "32")})
    ranking = rank(POSTING, pool, today=TODAY)
    assert ids(ranking) == [1, 2, 3]
    codes = [m.breakdown["location"].reason.code for m in ranking.matches]
    assert codes == ["same_department", "neighbour_department", "location_unknown"]
    assert all(m.feasible for m in ranking.matches)


def test_weights_change_the_order():
    near_but_other_sector = candidate(
        1, sectors=frozenset({"justice"}), mobility_radius_km=50
    )
    far_same_sector = candidate(
        2, latitude=43.5, longitude=1.1, mobility_radius_km=50, domains={}, text=""
    )
    pool = CandidatePool([near_but_other_sector, far_same_sector])
    by_sector = rank(POSTING, pool, today=TODAY, weights={"sector": 100, "location": 0})
    by_experience = rank(
        POSTING, pool, today=TODAY, weights={"experience": 100, "sector": 0}
    )
    assert ids(by_sector)[0] == 2
    assert ids(by_experience)[0] == 1


def test_pruned_top_k_equals_the_full_ranking():
    rng = random.Random(7)
    words = "rue maraude hebergement ecoute addiction psychiatrie logement soin entraide".split()
    pool = CandidatePool(
        [
            candidate(
                n,
                latitude=43.6 + rng.uniform(-0.6, 0.6),
                longitude=1.44 + rng.uniform(-0.6, 0.6),
                mobility_radius_km=rng.choice([5, 15, 30]),
                available_from=TODAY + timedelta(days=rng.randint(-30, 200)),
                sectors=frozenset(
                    rng.sample(["ahi_hebergement", "justice", "handicap"], 1)
                ),
                domains={"rue_sans_abrisme": "prive"} if rng.random() < 0.5 else {},
                text=" ".join(rng.choice(words) for _ in range(rng.randint(1, 25))),
            )
            for n in range(1, 3001)
        ]
    )
    everything = rank(POSTING, pool, today=TODAY, k=3000)
    assert everything.scored_texts == everything.eligible
    for offset, k in ((0, 10), (40, 20)):
        page = rank(POSTING, pool, today=TODAY, k=k, offset=offset)
        assert ids(page) == ids(everything)[offset : offset + k]
        assert [m.score for m in page.matches] == [
            m.score for m in everything.matches[offset : offset + k]
        ]
    assert rank(POSTING, pool, today=TODAY, k=10).scored_texts < 1000


def test_empty_pool():
    ranking = rank(POSTING, CandidatePool([]), today=TODAY)
    assert ranking.matches == []


def test_replacing_rows_ranks_like_a_fresh_pool():
    pool = CandidatePool([candidate(1), candidate(2), candidate(3, status="en_pause")])
    moved = candidate(1, latitude=MONTPELLIER[0], longitude=MONTPELLIER[1])
    back = candidate(3)
    new = candidate(
        4, contract_types=frozenset({"cdd"}), titles=frozenset({"interprete"})
    )
    changed = pool.copy()
    changed.replace([moved, back, new])
    fresh = CandidatePool([moved, candidate(2), back, new])
    assert ids(rank(POSTING, changed, today=TODAY, k=10)) == ids(
        rank(POSTING, fresh, today=TODAY, k=10)
    )
    assert ids(rank(POSTING, pool, today=TODAY, k=10)) == [
        1,
        2,
    ]  # the original is untouched
