"""An employer of organisation B can neither read nor change anything of A (row 12)."""

import pytest
from sqlalchemy import func, select

from matching import vocab
from matching.cases.models import Activity, BarrierRating, FundingLine, SupportCase
from matching.extensions import db
from matching.organisations.models import Organisation
from matching.postings.models import JobPosting
from tests.factories import (
    ActivityFactory,
    FundingLineFactory,
    JobPostingFactory,
    SupportCaseFactory,
)


@pytest.fixture
def records_of_a(make_employer):
    owner = make_employer()
    organisation = owner.membership.organisation
    case = SupportCaseFactory(organisation=organisation, title="Projet de A")
    return {
        "organisation": organisation,
        "case": case,
        "funding": FundingLineFactory(case=case),
        "note": ActivityFactory(case=case, author=owner, visibility="employer"),
        "posting": JobPostingFactory(organisation=organisation, case=case),
    }


def snapshot():
    return (
        db.session.scalar(select(Organisation.name).order_by(Organisation.id)),
        db.session.scalars(select(SupportCase.stage)).all(),
        db.session.scalars(select(FundingLine.status)).all(),
        db.session.scalar(select(func.count(BarrierRating.id))),
        db.session.scalar(select(func.count(Activity.id))),
        db.session.scalars(select(JobPosting.status)).all(),
    )


ATTEMPTS = [
    ("get", "/structures/{organisation}"),
    ("post", "/structures/{organisation}/modifier"),
    ("get", "/accompagnements/{case}"),
    ("post", "/accompagnements/{case}/preparation"),
    ("post", "/accompagnements/{case}/freins"),
    ("post", "/accompagnements/{case}/financements/nouveau"),
    ("post", "/accompagnements/{case}/financements/{funding}"),
    ("post", "/accompagnements/{case}/financements/{funding}/supprimer"),
    ("post", "/accompagnements/{case}/journal"),
    ("post", "/accompagnements/{case}/journal/{note}"),
    ("post", "/accompagnements/{case}/journal/{note}/supprimer"),
    ("get", "/fiches-de-poste/{posting}"),
    ("post", "/fiches-de-poste/{posting}/modifier"),
    ("post", "/fiches-de-poste/{posting}/fermer"),
]


@pytest.mark.parametrize(("method", "template"), ATTEMPTS)
def test_employer_of_b_gets_404_and_changes_nothing(
    client, login, make_employer, records_of_a, method, template
):
    ids = {name: record.id for name, record in records_of_a.items()}
    url = template.format(**ids)
    before = snapshot()
    login(make_employer())
    data = {f"barrier_{slug}": "4" for slug in vocab.BARRIERS}
    data.update(
        name="Piraté",
        stage="cloture",
        status="refuse",
        funder="ddets",
        title="Piraté",
        kind="note",
        occurred_on="2026-01-01",
        visibility="employer",
    )
    response = getattr(client, method)(url, data=data)
    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize(
    "template",
    [
        "/accompagnements/{case}",
        "/accompagnements/{case}/freins",
        "/fiches-de-poste/{posting}",
    ],
)
def test_candidates_are_refused_on_case_pages(
    client, login, candidate, records_of_a, template
):
    login(candidate)
    url = template.format(**{name: r.id for name, r in records_of_a.items()})
    assert client.get(url).status_code == 403
