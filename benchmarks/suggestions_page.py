"""(c) The officer's suggestions page for one posting with N candidates in SQLite,
median of 20 requests through the test client."""

import statistics
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert

from benchmarks.synthetic import DOMAINS, candidates, postings
from matching import create_app
from matching.extensions import db

PLACE_BY_DEPARTMENT = {
    "31": "31555",
    "82": "82121",
    "81": "81004",
    "09": "09122",
    "32": "32013",
}


def _candidate_rows(profiles):
    for profile in profiles:
        yield {
            "id": profile.id,
            "display_name": f"Personne {profile.id}",
            "status": profile.status,
            "commune_insee": PLACE_BY_DEPARTMENT.get(profile.department),
            "commune": "Commune",
            "department": profile.department,
            "latitude": profile.latitude,
            "longitude": profile.longitude,
            "mobility_radius_km": int(profile.mobility_radius_km),
            "available_from": profile.available_from,
            "fte_min": Decimal(str(profile.fte_min)),
            "fte_max": Decimal(str(profile.fte_max)),
            "contract_types": sorted(profile.contract_types),
            "sectors": sorted(profile.sectors),
            "titles": sorted(profile.titles),
            "functions": sorted(profile.functions),
            "languages": ["fr"],
            "background_sharing": "apres_mise_en_relation",
            "peer_help_sharing": "prive",
            "match_background": profile.text,
            "match_peer_help": "",
            "match_trainings": "",
            "name_search": f"personne {profile.id}",
            "search_text": profile.text,
            "registration_step": 5,
        }


def load(app, n_candidates: int) -> int:
    from matching.accounts.models import User
    from matching.candidates.models import Candidate, CandidateDomain, ConsentRecord
    from matching.organisations.models import Organisation
    from matching.postings.models import JobPosting

    profiles = candidates(n_candidates)
    with app.app_context():
        db.create_all()
        officer = User(
            email="bench@example.org",
            display_name="Bench",
            role="officer",
            password_hash="x",  # noqa: S106  (never used to log in)
            email_verified_at=date.today(),
        )
        organisation = Organisation(
            name="Structure", name_search="structure", sector="ahi_hebergement"
        )
        db.session.add_all([officer, organisation])
        db.session.flush()
        rows = list(_candidate_rows(profiles))
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(Candidate), rows[start : start + 5000])
        db.session.execute(
            insert(ConsentRecord),
            [
                {
                    "candidate_id": p.id,
                    "version": "2026-11",
                    "purposes": ["equipe", "mise_en_relation", "profil_anonyme"],
                    "method": "oral",
                }
                for p in profiles
            ],
        )
        db.session.execute(
            insert(CandidateDomain),
            [
                {"candidate_id": p.id, "domain": d, "sharing": level}
                for p in profiles
                for d, level in p.domains.items()
                if d in DOMAINS
            ],
        )
        spec = postings(1)[0]
        posting = JobPosting(
            organisation=organisation,
            title=spec.title,
            functions=sorted(spec.functions),
            sector=spec.sector,
            commune_insee="31555",
            commune="Toulouse",
            department="31",
            latitude=spec.latitude,
            longitude=spec.longitude,
            contract_type=spec.contract_type,
            fte=Decimal(str(spec.fte)),
            start_date=date.today() + timedelta(days=40),
            experience_domains=sorted(spec.experience_domains),
            match_experience=spec.experience_text,
            match_missions=spec.missions_text,
            missions="Missions",
            status="publiee",
        )
        db.session.add(posting)
        db.session.commit()
        return posting.id, officer.get_id()


def run(n_candidates: int, requests: int = 20) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="passerelle-bench-"))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
            "MATCHING_INSTANCE_PATH": str(folder),
        }
    )
    started = time.perf_counter()
    posting_id, officer_id = load(app, n_candidates)
    loaded = time.perf_counter() - started
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = officer_id
        session["remember"] = True
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(f"/fiches-de-poste/{posting_id}/suggestions")
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return {
        "load_s": loaded,
        "first_ms": timings[0] * 1000,
        "page_median_ms": statistics.median(timings) * 1000,
    }
