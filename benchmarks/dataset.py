"""The benchmark data set (2,000 organisations, 5,000 cases, 50,000 candidates) plus
the accounts and published postings a load test logs in with and browses."""

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select, text

from benchmarks import dashboard
from benchmarks.synthetic import MISSIONS, PHRASES
from matching import vocab
from matching.accounts.passwords import hash_password
from matching.extensions import db
from matching.scoring.text import normalise

PASSWORD = "charge de la plateforme"  # noqa: S105  (benchmark accounts only)


def _fix_sequences() -> None:
    """Rows inserted with explicit ids leave PostgreSQL's sequences behind."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.autoincrement and table.c.id.primary_key:
            name = table.name  # from the metadata, never from input
            sql = f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), COALESCE((SELECT MAX(id) FROM {name}), 1))"  # noqa: S608
            db.session.execute(text(sql))


def load(
    app, organisations=2000, cases=5000, candidates=50000, postings=100, seed=9
) -> dict:
    from matching.accounts.models import User
    from matching.candidates.models import Candidate
    from matching.organisations.models import Membership, Organisation
    from matching.postings.models import JobPosting

    dashboard.load(app, organisations, cases, candidates)
    rng = random.Random(seed)
    with app.app_context():
        _fix_sequences()
        password_hash = hash_password(PASSWORD)
        org_ids = db.session.scalars(
            select(Organisation.id).order_by(Organisation.id)
        ).all()
        chosen = rng.sample(org_ids, postings)
        rows = []
        for n, org_id in enumerate(chosen):
            rows.append(
                {
                    "organisation_id": org_id,
                    "title": rng.choice(vocab.JOB_TITLES.slugs),
                    "functions": rng.sample(vocab.FUNCTIONS.slugs, 2),
                    "sector": rng.choice(vocab.SECTORS.slugs),
                    "commune_insee": "31555",
                    "commune": "Toulouse",
                    "department": "31",
                    "latitude": 43.6 + rng.uniform(-0.2, 0.2),
                    "longitude": 1.44 + rng.uniform(-0.2, 0.2),
                    "contract_type": rng.choice(["cdi", "cdd", "adultes_relais"]),
                    "fte": Decimal("0.8"),
                    "positions": 1,
                    "start_date": date.today() + timedelta(days=rng.randint(10, 90)),
                    "missions": f"Missions du poste n° {n}",
                    "experience_domains": rng.sample(vocab.EXPERIENCE_DOMAINS.slugs, 1),
                    "match_experience": normalise(*rng.sample(PHRASES, 2)),
                    "match_missions": normalise(*rng.sample(MISSIONS, 3)),
                    "status": "publiee",
                    "published_at": date.today(),
                }
            )
        db.session.execute(insert(JobPosting), rows)
        accounts = {"officer": [], "employer": [], "candidate": []}
        for n in range(10):
            accounts["officer"].append(f"officer{n}@load.example.org")
            db.session.add(
                User(
                    email=accounts["officer"][-1],
                    display_name=f"Chargée {n}",
                    role="officer",
                    password_hash=password_hash,
                    email_verified_at=date.today(),
                )
            )
        for n, org_id in enumerate(chosen[:20]):
            email = f"employer{n}@load.example.org"
            accounts["employer"].append(email)
            user = User(
                email=email,
                display_name=f"Employeur {n}",
                role="employer",
                password_hash=password_hash,
                email_verified_at=date.today(),
            )
            db.session.add(user)
            db.session.flush()
            db.session.add(
                Membership(
                    user_id=user.id,
                    organisation_id=org_id,
                    status="active",
                    is_org_admin=True,
                )
            )
        candidate_ids = db.session.scalars(
            select(Candidate.id).order_by(Candidate.id).limit(200)
        ).all()
        for n, candidate_id in enumerate(candidate_ids):
            email = f"candidate{n}@load.example.org"
            accounts["candidate"].append(email)
            user = User(
                email=email,
                display_name=f"Candidat·e {n}",
                role="candidate",
                password_hash=password_hash,
                email_verified_at=date.today(),
            )
            db.session.add(user)
            db.session.flush()
            db.session.execute(
                Candidate.__table__.update()
                .where(Candidate.id == candidate_id)
                .values(user_id=user.id, email=email)
            )
        _fix_sequences()
        db.session.commit()
        counts = {
            "postings": db.session.scalar(
                select(func.count(JobPosting.id)).where(JobPosting.status == "publiee")
            ),
        }
    return {"accounts": accounts, **counts}
