"""The dashboard's tests share one small territory, on a frozen day."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from matching.cases import services as cases
from matching.extensions import db
from matching.introductions.models import Introduction, IntroductionEvent, Placement
from tests.factories import (
    FundingLineFactory,
    JobPostingFactory,
    OrganisationFactory,
    SupportCaseFactory,
)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-26 10:00 +0100", tick=False):
        yield


@pytest.fixture
def territory(officer, make_candidate):
    shelter = OrganisationFactory(
        sector="ahi_hebergement", department="31", peer_workers_count=2
    )
    clinic = OrganisationFactory(sector="sante_mentale_psychiatrie", department="34")
    OrganisationFactory(sector="ahi_hebergement", department="31")
    case = SupportCaseFactory(organisation=shelter, officer=officer, stage="diagnostic")
    cases.change_stage(case, "recrutement", officer)
    SupportCaseFactory(
        organisation=clinic, stage="diagnostic", next_step_due=date(2026, 11, 1)
    )
    cases.save_barriers(
        case, officer, {"financement": 4, "vivier_candidats": 2}, ["financement"], None
    )
    other = SupportCaseFactory(organisation=clinic)
    cases.save_barriers(
        other, officer, {"financement": 3, "vivier_candidats": 1}, [], None
    )
    FundingLineFactory(
        case=case,
        funder="ars_fir",
        status="conventionne",
        amount_requested=Decimal(30000),
        amount_granted=Decimal(25000),
        period_start=date(2026, 1, 1),
    )
    FundingLineFactory(
        case=other,
        funder="ars_fir",
        status="refuse",
        amount_requested=Decimal(10000),
        period_start=date(2026, 1, 1),
    )
    posting = JobPostingFactory(organisation=shelter)
    person = make_candidate()
    intro = Introduction(posting=posting, candidate=person, status="embauche")
    db.session.add(intro)
    for status in (
        "proposee_candidat",
        "acceptee_candidat",
        "transmise_employeur",
        "entretien",
        "embauche",
    ):
        intro.events.append(IntroductionEvent(to_status=status, at=date(2026, 3, 1)))
    db.session.add(
        Placement(
            introduction=intro,
            posting=posting,
            candidate=person,
            organisation=shelter,
            start_date=date(2026, 3, 1),
            contract_type="cdi",
            fte=Decimal("0.8"),
        )
    )
    db.session.commit()
    return {"shelter": shelter, "clinic": clinic, "case": case}
