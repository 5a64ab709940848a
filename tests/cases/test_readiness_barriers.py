"""The readiness checklist and the barriers assessment, by officers and employers."""

from sqlalchemy import select

from matching import vocab
from matching.cases.models import BarrierRating
from matching.cases.services import readiness_progress
from matching.extensions import db
from tests.factories import SupportCaseFactory


def readiness_data(**overrides):
    data = {}
    for slug in vocab.READINESS_ITEMS:
        data[f"status_{slug}"] = "non_commence"
        data[f"note_{slug}"] = ""
    data.update(overrides)
    return data


def test_employer_fills_readiness_and_sees_progress_per_area(
    client, login, make_employer
):
    employer = login(make_employer())
    case = SupportCaseFactory(organisation=employer.membership.organisation)
    response = client.post(
        f"/accompagnements/{case.id}/preparation",
        data=readiness_data(
            status_soutien_direction="fait",
            note_soutien_direction="Validé en CA le 12 mars",
            status_besoin_formalise="fait",
            status_projet_service="en_cours",
            status_coconstruction="non_applicable",
        ),
    )
    assert response.status_code == 302
    db.session.refresh(case)
    items = {item.item: item for item in case.readiness_items}
    assert items["soutien_direction"].note == "Validé en CA le 12 mars"
    progress = readiness_progress(case.readiness_items)
    # Institution: 2 done out of 3 applicable items.
    assert progress["areas"]["institution"] == {"done": 2, "total": 3, "percent": 67}
    assert progress["total"] == 17
    page = client.get(f"/accompagnements/{case.id}").get_data(as_text=True)
    assert "2 éléments faits sur 17" in page
    assert 'value="67"' in page


def test_unknown_readiness_status_is_refused(client, login, officer):
    case = SupportCaseFactory()
    login(officer)
    response = client.post(
        f"/accompagnements/{case.id}/preparation",
        data=readiness_data(status_soutien_direction="presque"),
    )
    assert response.status_code == 200
    db.session.refresh(case)
    assert {item.status for item in case.readiness_items} == {"non_commence"}


def test_a_too_long_note_names_its_item(client, login, officer):
    case = SupportCaseFactory()
    login(officer)
    response = client.post(
        f"/accompagnements/{case.id}/preparation",
        data=readiness_data(note_soutien_direction="x" * 2001),
    )
    page = response.get_data(as_text=True)
    assert (
        '<a href="#note_soutien_direction">Note – La direction soutient le projet : '
        "2 000 caractères au maximum.</a>"
    ) in page
    assert (
        '<label class="form-label visually-hidden" for="note_besoin_formalise">Note – '
    ) in page


def test_barriers_are_rated_and_ranked(client, login, officer):
    case = SupportCaseFactory()
    login(officer)
    data = {f"barrier_{slug}": "" for slug in vocab.BARRIERS}
    data.update(
        barrier_financement="4",
        barrier_vivier_candidats="3",
        barrier_reticence_equipes="4",
        barrier_blocages_gouvernance="1",
        needs=["financement", "recrutement"],
        note="Le CA hésite encore.",
    )
    client.post(f"/accompagnements/{case.id}/freins", data=data)
    db.session.refresh(case)
    assert case.needs == ["financement", "recrutement"]
    page = client.get(f"/accompagnements/{case.id}").get_data(as_text=True)
    first = page.index("L&#39;absence de financement")
    second = page.index("La réticence des équipes")
    third = page.index("La difficulté à identifier un vivier")
    assert first < second < third  # 4, 4 (diagnostic order), then 3
    assert "Le CA hésite encore." in page


def test_barrier_rating_outside_1_to_4_is_refused(client, login, officer):
    case = SupportCaseFactory()
    login(officer)
    data = {f"barrier_{slug}": "" for slug in vocab.BARRIERS}
    data["barrier_financement"] = "7"
    response = client.post(f"/accompagnements/{case.id}/freins", data=data)
    assert response.status_code == 200
    assert db.session.scalar(select(BarrierRating)) is None


def test_clearing_a_rating_removes_it(client, login, officer):
    case = SupportCaseFactory()
    login(officer)
    data = {f"barrier_{slug}": "" for slug in vocab.BARRIERS}
    client.post(
        f"/accompagnements/{case.id}/freins", data={**data, "barrier_financement": "2"}
    )
    client.post(f"/accompagnements/{case.id}/freins", data=data)
    assert db.session.scalar(select(BarrierRating)) is None


def test_barriers_form_shows_the_12_barriers_of_the_diagnostic(client, login, officer):
    case = SupportCaseFactory()
    login(officer)
    page = client.get(f"/accompagnements/{case.id}/freins").get_data(as_text=True)
    assert page.count("<legend") >= 12
    assert "Le manque de stabilité de l&#39;équipe" in page
    assert "1 – pas du tout important" in page
