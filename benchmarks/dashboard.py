"""The territory dashboard on the benchmark data set (2,000 organisations, 5,000 cases,
50,000 candidates) in SQLite: median time of the page through the test client."""

import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select

from benchmarks import suggestions_page
from matching import create_app, vocab
from matching.extensions import db


def load(app, organisations: int, cases: int, candidates: int):
    from matching.cases.models import (
        Activity,
        BarrierRating,
        FundingLine,
        ReadinessItem,
        SupportCase,
    )
    from matching.organisations.models import Organisation

    rng = random.Random(5)
    posting_id, officer_id = suggestions_page.load(app, candidates)
    with app.app_context():
        db.session.execute(
            insert(Organisation),
            [
                {
                    "name": f"Structure {n}",
                    "name_search": f"structure {n}",
                    "sector": rng.choice(vocab.SECTORS.slugs),
                    "department": rng.choice(vocab.DEPARTMENTS_OCCITANIE.slugs),
                    "peer_workers_count": rng.choice([0, 0, 0, 1, 2]),
                }
                for n in range(organisations)
            ],
        )
        org_ids = db.session.scalars(select(Organisation.id)).all()
        stages = vocab.CASE_STAGES.slugs
        today = date.today()
        db.session.execute(
            insert(SupportCase),
            [
                {
                    "organisation_id": rng.choice(org_ids),
                    "title": f"Projet {n}",
                    "stage": rng.choice(stages),
                    "opened_on": today - timedelta(days=rng.randint(0, 700)),
                    "needs": [],
                    "next_step_due": today + timedelta(days=rng.randint(-30, 60)),
                }
                for n in range(cases)
            ],
        )
        case_ids = db.session.scalars(select(SupportCase.id)).all()
        db.session.execute(
            insert(ReadinessItem),
            [
                {
                    "case_id": c,
                    "item": item,
                    "status": rng.choice(vocab.READINESS_STATUSES.slugs),
                }
                for c in case_ids
                for item in vocab.READINESS_ITEMS
            ],
        )
        db.session.execute(
            insert(BarrierRating),
            [
                {"case_id": c, "barrier": b, "rating": rng.randint(1, 4)}
                for c in case_ids[: cases // 2]
                for b in vocab.BARRIERS
            ],
        )
        db.session.execute(
            insert(FundingLine),
            [
                {
                    "case_id": c,
                    "funder": rng.choice(vocab.FUNDERS.slugs),
                    "status": rng.choice(vocab.FUNDING_STATUSES.slugs),
                    "amount_requested": Decimal(rng.randint(5, 60) * 1000),
                    "amount_granted": Decimal(rng.randint(0, 50) * 1000),
                    "period_start": date(rng.choice([2025, 2026, 2027]), 1, 1),
                }
                for c in case_ids
                for _ in range(2)
            ],
        )
        db.session.execute(
            insert(Activity),
            [
                {
                    "case_id": c,
                    "kind": "stage_change",
                    "title": "",
                    "visibility": "employer",
                    "occurred_at": today - timedelta(days=rng.randint(0, 600)),
                    "data": {"to": rng.choice(stages)},
                }
                for c in case_ids
                for _ in range(3)
            ],
        )
        db.session.commit()
    return officer_id


def run(requests: int = 10) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="passerelle-dashboard-"))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
        }
    )
    officer_id = load(app, 2000, 5000, 50000)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = officer_id
        session["remember"] = True
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get("/tableau-de-bord")
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return {"dashboard_median_ms": statistics.median(timings) * 1000}
