"""Demo candidates: about forty, varied, fictional."""

import re

from sqlalchemy import func, select

from matching import ROOT
from matching.candidates.models import Candidate, CandidateDomain, ConsentRecord
from matching.extensions import db
from matching.vocab import fold


def test_demo_candidates_are_varied_and_fictional(runner):
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    candidates = db.session.scalars(select(Candidate)).all()
    assert 35 <= len(candidates) <= 45
    assert sum(c.department == "31" for c in candidates) > len(candidates) / 2
    assert len({c.commune for c in candidates}) >= 15
    sharing = set(db.session.scalars(select(CandidateDomain.sharing)))
    assert sharing == {"prive", "apres_mise_en_relation", "public_employeurs"}
    assert len(set(db.session.scalars(select(CandidateDomain.domain)))) >= 8
    assert len({c.available_from for c in candidates}) > 5
    assert len({c.status for c in candidates}) >= 2
    methods = set(db.session.scalars(select(ConsentRecord.method)))
    assert methods == {"oral", "en_ligne"}
    # Experience is stored only with a consent.
    for candidate in candidates:
        if candidate.domains or candidate.background_text:
            assert candidate.active_consent is not None
    # Demo accounts have a profile; a second run adds nothing.
    assert sum(c.user_id is not None for c in candidates) >= 2
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    assert db.session.scalar(select(func.count(Candidate.id))) == len(candidates)
    # No capitalised word of the reference document (where it is available) is the
    # surname of a demo person.
    path = ROOT.parent / "shared/reference/diagnostic-toulouse.txt"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    words = {fold(w) for w in re.findall(r"\b[A-ZÀ-Ý][\w-]+", text)}
    for candidate in candidates:
        surname = fold(candidate.display_name.split()[-1])
        assert surname not in words, candidate.display_name
