"""The loaders' SQL pre-filter is only a speed-up: the rules must find the same
reminders with it as without it, whatever the data and the day."""

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from matching.extensions import db
from matching.introductions.models import Introduction, Milestone, Placement
from matching.reminders import snapshots
from matching.reminders.rules import RULES, Context, evaluate
from tests.factories import (
    CandidateFactory,
    FundingLineFactory,
    JobPostingFactory,
    MembershipFactory,
    OrganisationFactory,
    SupportCaseFactory,
    UserFactory,
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
    "verse",
    "accorde_partiel",
    "refuse",
    "clos",
]
INTRODUCTION_STATUSES = [
    "suggeree",
    "proposee_candidat",
    "acceptee_candidat",
    "refusee_candidat",
    "transmise_employeur",
    "entretien",
    "embauche",
    "non_retenue",
    "retiree",
]
MILESTONE_KINDS = [
    "j0_accueil",
    "s1_point_integration",
    "m1_point",
    "fin_periode_essai",
    "analyse_pratiques",
    "echeance_contrat",
    "echeance_financement",
]
START = date(2027, 3, 1)


def around(rng, days=70, centre=START):
    return centre + timedelta(days=rng.randint(-days, days))


def moment(rng, days=70, centre=START):
    """A UTC time on a day around ``centre``, at any hour (Paris midnight included)."""
    return datetime.combine(around(rng, days, centre), datetime.min.time()) + timedelta(
        hours=rng.randint(0, 23), minutes=rng.randint(0, 59)
    )


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
                period_end=around(rng, 130) if rng.random() < 0.6 else None,
            )
        posting = JobPostingFactory(
            organisation=organisation,
            case=case,
            status=rng.choice(["publiee", "brouillon"]),
            published_at=datetime.combine(around(rng), datetime.min.time())
            + timedelta(hours=rng.randint(0, 23)),
        )
        for _ in range(rng.randint(0, 2)):
            _random_introduction(rng, posting, officer, organisation)
    db.session.commit()


def _random_introduction(rng, posting, officer, organisation):
    """A candidate (with or without an account, confirmed about 1 or 2 years ago)
    and their introduction at any status, sometimes a hire with its follow-up."""
    # Built, then added: one commit at the end rather than one per record.
    last_confirmed = rng.choice([365, 700, 730])
    candidate = CandidateFactory.build(
        user=UserFactory.build(role="candidate") if rng.random() < 0.6 else None,
        created_by=officer if rng.random() < 0.8 else None,
        last_confirmed_at=moment(rng, 60, START - timedelta(days=last_confirmed)),
        anonymised_at=moment(rng) if rng.random() < 0.1 else None,
    )
    status = rng.choice(INTRODUCTION_STATUSES)
    intro = Introduction(
        posting=posting,
        candidate=candidate,
        status=status,
        proposed_by_id=officer.id if rng.random() < 0.7 else None,
        proposed_at=moment(rng, 30) if rng.random() < 0.9 else None,
        answered_at=moment(rng, 30) if rng.random() < 0.3 else None,
        transmitted_at=moment(rng, 30) if rng.random() < 0.9 else None,
    )
    db.session.add_all([candidate, intro])
    if rng.random() < 0.5:
        membership = MembershipFactory.build(
            organisation=organisation,
            status=rng.choice(["active", "active", "refused"]),
        )
        db.session.add(membership)
        db.session.flush()
        referent = membership.user
        placement = Placement(
            introduction=intro,
            posting=posting,
            candidate=candidate,
            organisation_id=organisation.id,
            start_date=around(rng),
            contract_type="cdd",
            fte=Decimal("0.8"),
            end_date=around(rng, 90) if rng.random() < 0.6 else None,
            funding_end_date=around(rng, 120) if rng.random() < 0.4 else None,
            referent_id=referent.id if rng.random() < 0.8 else None,
            status=rng.choice(["en_cours", "en_cours", "termine", "rompu"]),
        )
        db.session.add(placement)
        for kind in rng.sample(MILESTONE_KINDS, 4):
            placement.milestones.append(
                Milestone(
                    kind=kind,
                    due_on=around(rng, 50),
                    done_at=moment(rng) if rng.random() < 0.3 else None,
                )
            )


@pytest.mark.parametrize("inactivity_days", [7, 30])
def test_prefilter_never_hides_a_due_reminder(random_territory, inactivity_days):
    sources = {rule.source for rule in RULES.values()}
    everything = {
        source: loader()
        for source, loader in snapshots.LOADERS.items()
        if source in sources
    }
    found = 0
    expected_all: set = set()
    for offset in range(-40, 41, 3):
        ctx = Context(START + timedelta(days=offset), inactivity_days)
        filtered = snapshots.load_snapshots(sources, ctx=ctx)
        expected = set(evaluate(everything, ctx))
        assert set(evaluate(filtered, ctx)) == expected
        found += len(expected)
        expected_all |= expected
    assert found > 100  # the data does exercise the rules
    fired = {due.rule for due in expected_all}
    assert fired == set(RULES), set(RULES) - fired
