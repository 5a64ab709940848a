"""The candidate pool is built once, then only changed candidates are reloaded."""

from matching.candidates import services as candidates
from matching.extensions import db
from matching.introductions import profiles
from matching.scoring import CandidatePool


def rows_agree(updated: CandidatePool, rebuilt: CandidatePool) -> bool:
    """Every candidate of the rebuilt pool has the same values in the updated one."""
    for candidate_id, row in rebuilt.index.items():
        other = updated.index[candidate_id]
        if (
            updated.radius[other] != rebuilt.radius[row]
            or updated.active[other] != rebuilt.active[row]
            or updated.available[other] != rebuilt.available[row]
            or updated.texts["anonymous"][other] != rebuilt.texts["anonymous"][row]
            or updated.texts["officer"][other] != rebuilt.texts["officer"][row]
        ):
            return False
    return True


def test_changes_are_written_over_rows_without_a_rebuild(app, make_candidate, officer):
    first = make_candidate(consent=["equipe"], domains={"addictions": "prive"})
    second = make_candidate()
    pool = profiles.candidate_pool()
    assert profiles.candidate_pool() is pool  # nothing changed: the same pool
    first.mobility_radius_km = 45
    candidates.refresh_search_fields(first)
    candidates.save_experience(
        first, {"addictions": "prive"}, "Six ans à la rue.", "prive"
    )
    third = make_candidate()
    candidates.erase_candidate(second, officer)
    db.session.commit()
    updated = profiles.candidate_pool()
    assert updated is not pool
    row = updated.index[first.id]
    assert updated.radius[row] == 45
    assert "rue" in updated.texts["officer"][row]
    assert third.id in updated.index
    assert not updated.active[updated.index[second.id]]
    rebuilt = CandidatePool(profiles.load_profiles(), profiles.neighbours())
    assert second.id not in rebuilt.index
    assert rows_agree(updated, rebuilt)
