"""Load the benchmark data set into the (migrated, empty) database of
MATCHING_DATABASE_URL and write what the simulated users need to a JSON file."""

import json
import sys

from sqlalchemy import select

from benchmarks import dataset
from matching import create_app
from matching.extensions import db


def main(path: str) -> None:
    from matching.candidates.models import Candidate
    from matching.cases.models import SupportCase
    from matching.organisations.models import Organisation
    from matching.postings.models import JobPosting

    app = create_app()
    loaded = dataset.load(app)
    with app.app_context():
        ids = {
            "postings": db.session.scalars(
                select(JobPosting.id).where(JobPosting.status == "publiee")
            ).all(),
            "cases": db.session.scalars(select(SupportCase.id).limit(2000)).all(),
            "candidates": db.session.scalars(select(Candidate.id).limit(2000)).all(),
            "organisations": db.session.scalars(
                select(Organisation.id).limit(2000)
            ).all(),
        }
    with open(path, "w") as handle:
        json.dump(
            {"password": dataset.PASSWORD, "accounts": loaded["accounts"], **ids},
            handle,
        )
    print(
        f"Loaded: {len(ids['postings'])} published postings, "
        + ", ".join(f"{len(v)} {k} accounts" for k, v in loaded["accounts"].items())
    )


if __name__ == "__main__":
    main(sys.argv[1])
