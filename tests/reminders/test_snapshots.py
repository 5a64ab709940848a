"""The loaders' SQL pre-filter is only a speed-up: the rules must find the same
reminders with it as without it, whatever the data and the day."""

import random
from datetime import date, datetime, timedelta

import pytest

from matching.extensions import db
from matching.reminders import snapshots
from matching.reminders.rules import RULES, Context, evaluate
from tests.factories import (
    FundingLineFactory,
    JobPostingFactory,
    OrganisationFactory,
    SupportCaseFactory,
)

STAGES = ["diagnostic", "recrutement", "en_pause", "cloture", "abandonne"]
STATUSES = [
    "repere",
    "en_preparation",
    "depose",
    "en_instruction",
    "accorde",
    "conventionne",
    "bilan_a_rendre",
    "refuse",
    "clos",
]
START = date(2027, 3, 1)


def around(rng, days=70):
    return START + timedelta(days=rng.randint(-days, days))


@pytest.fixture
def random_territory(make_user):
    rng = random.Random(6)
    officer = make_user(role="officer")
    organisation = OrganisationFactory()
    for _ in range(60):
        case = SupportCaseFactory(
            organisation=organisation,
            officer=officer,
            stage=rng.choice(STAGES),
            next_step_due=around(rng) if rng.random() < 0.8 else None,
            last_activity_at=datetime.combine(around(rng), datetime.min.time())
            + timedelta(hours=rng.randint(0, 23), minutes=rng.randint(0, 59)),
        )
        for _ in range(rng.randint(0, 3)):
            FundingLineFactory(
                case=case,
                status=rng.choice(STATUSES),
                filing_deadline=around(rng) if rng.random() < 0.8 else None,
                expected_decision_on=around(rng) if rng.random() < 0.8 else None,
                report_due_on=around(rng) if rng.random() < 0.8 else None,
            )
        JobPostingFactory(
            organisation=organisation,
            case=case,
            status=rng.choice(["publiee", "brouillon"]),
            published_at=datetime.combine(around(rng), datetime.min.time())
            + timedelta(hours=rng.randint(0, 23)),
        )
    db.session.commit()


@pytest.mark.parametrize("inactivity_days", [7, 30])
def test_prefilter_never_hides_a_due_reminder(random_territory, inactivity_days):
    sources = {rule.source for rule in RULES.values()}
    everything = {
        source: loader()
        for source, loader in snapshots.LOADERS.items()
        if source in sources
    }
    found = 0
    for offset in range(-40, 41, 3):
        ctx = Context(START + timedelta(days=offset), inactivity_days)
        filtered = snapshots.load_snapshots(sources, ctx=ctx)
        expected = set(evaluate(everything, ctx))
        assert set(evaluate(filtered, ctx)) == expected
        found += len(expected)
    assert found > 100  # the data does exercise the rules
