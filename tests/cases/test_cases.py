"""Opening cases, moving them through stages, next steps, lists and the board."""

from datetime import date, timedelta

import pytest
import time_machine
from sqlalchemy import event, select

from matching.cases import services
from matching.cases.models import Activity, SupportCase
from matching.extensions import db
from tests.factories import (
    FundingLineFactory,
    MembershipFactory,
    OrganisationFactory,
    SupportCaseFactory,
)

TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def frozen_day():
    with time_machine.travel("2026-11-26 10:00 +0100", tick=False):
        yield


def test_officer_opens_a_case_with_its_checklist(client, login, officer):
    organisation = OrganisationFactory()
    login(officer)
    response = client.post(
        f"/structures/{organisation.id}/accompagnements/nouveau",
        data={
            "title": "Premier poste de pair",
            "officer_id": str(officer.id),
            "next_step": "Rencontrer la direction",
            "next_step_due": "2026-12-03",
            "sessions_planned": "4",
            "sessions_done": "0",
        },
    )
    case = db.session.scalar(select(SupportCase))
    assert response.headers["Location"] == f"/accompagnements/{case.id}"
    assert (case.stage, case.officer_id, case.next_step_due) == (
        "premier_contact",
        officer.id,
        date(2026, 12, 3),
    )
    assert len(case.readiness_items) == 18
    page = client.get(f"/accompagnements/{case.id}").get_data(as_text=True)
    assert "Rencontrer la direction" in page
    assert "3 décembre 2026" in page


def test_next_step_in_the_past_is_refused(client, login, officer):
    organisation = OrganisationFactory()
    login(officer)
    response = client.post(
        f"/structures/{organisation.id}/accompagnements/nouveau",
        data={"title": "Projet", "next_step": "x", "next_step_due": "01/01/2026"},
    )
    assert "ne peut pas être déjà passée" in response.get_data(as_text=True)
    assert db.session.scalar(select(SupportCase)) is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "Donnez un nom court au projet."),
        ("sessions_planned", "-2", "Un nombre entre 0 et 500."),
        ("next_step_due", "32/13/2026", "Indiquez une date valide"),
        ("officer_id", "99999", "Not a valid choice"),
    ],
)
def test_invalid_case_input_changes_nothing(
    client, login, officer, field, value, message
):
    case = SupportCaseFactory(title="Avant")
    login(officer)
    data = {"title": "Après", "officer_id": "", field: value}
    response = client.post(f"/accompagnements/{case.id}/modifier", data=data)
    assert response.status_code == 200
    if message != "Not a valid choice":
        assert message in response.get_data(as_text=True)
    db.session.refresh(case)
    assert case.title == "Avant"


def test_edits_of_key_fields_are_on_the_timeline(client, login, officer):
    case = SupportCaseFactory(title="Avant")
    login(officer)
    client.post(
        f"/accompagnements/{case.id}/modifier",
        data={
            "title": "Après",
            "officer_id": str(officer.id),
            "next_step_due": "2026-12-10",
        },
    )
    edit = db.session.scalar(select(Activity).where(Activity.kind == "edit"))
    assert edit.data["changes"]["title"] == ["Avant", "Après"]
    assert edit.data["changes"]["next_step_due"] == [None, "2026-12-10"]
    assert edit.author_id == officer.id


def test_stage_change_is_recorded_with_who_when_from_and_to(client, login, officer):
    case = SupportCaseFactory(stage="diagnostic")
    login(officer)
    client.post(
        f"/accompagnements/{case.id}/etape", data={"stage": "preparation_equipe"}
    )
    db.session.refresh(case)
    assert case.stage == "preparation_equipe"
    activity = db.session.scalar(
        select(Activity).where(Activity.kind == "stage_change")
    )
    assert activity.data == {
        "from": "diagnostic",
        "to": "preparation_equipe",
        "reason": None,
    }
    assert activity.author_id == officer.id
    assert activity.visibility == "employer"
    page = client.get(f"/accompagnements/{case.id}").get_data(as_text=True)
    assert "Diagnostic → Préparation de l&#39;équipe" in page


def test_pause_needs_a_reason_and_resumes_where_it_was(client, login, officer):
    case = SupportCaseFactory(stage="recherche_financement")
    login(officer)
    client.post(f"/accompagnements/{case.id}/etape", data={"stage": "en_pause"})
    db.session.refresh(case)
    assert case.stage == "recherche_financement"
    client.post(
        f"/accompagnements/{case.id}/etape",
        data={"stage": "en_pause", "reason": "financement_refuse", "note": "Refus ARS"},
    )
    db.session.refresh(case)
    assert (case.stage, case.stop_reason, case.stage_before_pause) == (
        "en_pause",
        "financement_refuse",
        "recherche_financement",
    )
    client.post(
        f"/accompagnements/{case.id}/etape",
        data={"stage": "abandonne", "reason": "autre"},
    )
    db.session.refresh(case)
    assert case.closed_on == TODAY
    assert not case.is_open


def test_comment_fields_warn_that_the_organisation_reads_them(
    client, login, officer, make_employer
):
    case = SupportCaseFactory(stage="recherche_financement")
    login(officer)
    page = client.get(f"/accompagnements/{case.id}").get_data(as_text=True)
    assert "La structure lira ce commentaire" in page
    assert 'aria-describedby="note-aide"' in page
    for url in ("freins", "financements/nouveau"):
        page = client.get(f"/accompagnements/{case.id}/{url}").get_data(as_text=True)
        assert "L'équipe Passerelle et la structure lisent ce texte." in page, url
    # What the warning says: the comment reaches the organisation's accounts.
    client.post(
        f"/accompagnements/{case.id}/etape",
        data={"stage": "en_pause", "reason": "autre", "note": "Trop tôt"},
    )
    login(make_employer(case.organisation))
    page = client.get(f"/accompagnements/{case.id}").get_data(as_text=True)
    assert "Trop tôt" in page


def test_employer_cannot_change_the_stage(client, login, make_employer):
    employer = login(make_employer())
    case = SupportCaseFactory(organisation=employer.membership.organisation)
    response = client.post(
        f"/accompagnements/{case.id}/etape", data={"stage": "cloture"}
    )
    assert response.status_code == 403
    db.session.refresh(case)
    assert case.stage == "diagnostic"


def test_list_shows_overdue_next_steps_first_and_filters(
    client, login, officer, make_user
):
    other = make_user(role="officer", display_name="Autre Chargée")
    late = SupportCaseFactory(
        title="Retardataire", officer=officer, next_step_due=TODAY - timedelta(days=3)
    )
    SupportCaseFactory(
        title="Plus tard", officer=officer, next_step_due=TODAY + timedelta(days=1)
    )
    SupportCaseFactory(
        title="Pas à moi", officer=other, next_step_due=TODAY - timedelta(days=9)
    )
    FundingLineFactory(case=late, status="accorde", amount_granted=1000)
    login(officer)
    page = client.get("/accompagnements").get_data(as_text=True)
    assert page.index("Retardataire") < page.index("Plus tard")
    assert "Pas à moi" not in page
    assert "badge-overdue" in page
    page = client.get("/accompagnements?vue=tous").get_data(as_text=True)
    assert (
        page.index("Pas à moi") < page.index("Retardataire") < page.index("Plus tard")
    )
    page = client.get("/accompagnements?vue=tous&funding_status=accorde").get_data(
        as_text=True
    )
    assert "Retardataire" in page
    assert "Plus tard" not in page
    page = client.get(f"/accompagnements?vue=tous&officer={other.id}").get_data(
        as_text=True
    )
    assert "Pas à moi" in page
    assert "Retardataire" not in page
    page = client.get("/accompagnements?vue=tous&overdue=1").get_data(as_text=True)
    assert "Plus tard" not in page


def test_board_groups_open_cases_by_stage(client, login, officer):
    SupportCaseFactory(title="Au diagnostic", stage="diagnostic", officer=officer)
    SupportCaseFactory(title="Au recrutement", stage="recrutement", officer=officer)
    SupportCaseFactory(title="Terminé", stage="cloture", officer=officer)
    login(officer)
    page = client.get("/accompagnements/tableau").get_data(as_text=True)
    assert page.index("Au diagnostic") < page.index("Au recrutement")
    assert "Terminé" not in page


def count_queries(client, url) -> int:
    statements = []

    def record(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


@pytest.mark.parametrize(
    "url",
    ["/accompagnements?vue=tous", "/accompagnements/tableau?vue=tous", "/structures"],
)
def test_list_pages_run_the_same_number_of_queries_for_5_or_25_cases(
    client, login, officer, make_user, url
):
    login(officer)

    def add(n):
        for _ in range(n):
            officer_n = make_user(role="officer")
            case = SupportCaseFactory(officer=officer_n, next_step_due=TODAY)
            FundingLineFactory(case=case)

    add(5)
    few = count_queries(client, url)
    add(20)
    assert count_queries(client, url) == few


def test_employer_requests_an_accompaniment(
    client, login, make_employer, officer, outbox
):
    employer = login(make_employer())
    response = client.post(
        "/employeur/accompagnements/demande",
        data={"title": "Recruter un pair", "message": "Nous avons un financement."},
    )
    case = db.session.scalar(select(SupportCase))
    assert response.headers["Location"] == f"/accompagnements/{case.id}"
    assert case.organisation_id == employer.membership.organisation_id
    assert case.officer_id is None
    assert [m.recipients for m in outbox] == [[officer.email]]
    assert "Nous avons un financement." in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)


def test_a_title_of_spaces_only_is_refused_like_an_empty_one(
    client, login, make_employer
):
    login(make_employer())
    response = client.post(
        "/employeur/accompagnements/demande", data={"title": "   ", "message": ""}
    )
    assert response.status_code in (200, 422)
    assert "Décrivez votre projet en quelques mots." in response.get_data(as_text=True)
    assert db.session.scalar(select(SupportCase)) is None


def test_employer_sees_only_their_cases(client, login, make_employer):
    employer = login(make_employer())
    mine = SupportCaseFactory(
        organisation=employer.membership.organisation, title="Le nôtre"
    )
    theirs = SupportCaseFactory(title="Celui des autres")
    page = client.get("/employeur/accompagnements").get_data(as_text=True)
    assert "Le nôtre" in page
    assert "Celui des autres" not in page
    assert client.get(f"/accompagnements/{mine.id}").status_code == 200
    assert client.get(f"/accompagnements/{theirs.id}").status_code == 404


def test_service_refuses_an_unknown_stage(officer):
    case = SupportCaseFactory()
    with pytest.raises(services.CaseError):
        services.change_stage(case, "nulle_part", officer)
    with pytest.raises(services.CaseError):
        services.change_stage(case, case.stage, officer)


def test_pending_member_cannot_open_the_case(client, login):
    membership = MembershipFactory(status="pending")
    case = SupportCaseFactory(organisation=membership.organisation)
    login(membership.user)
    response = client.get(f"/accompagnements/{case.id}")
    assert response.headers["Location"] == "/structure/rattachement"


def test_board_columns_are_capped_with_a_link_to_the_rest(client, login, officer):
    for _ in range(25):
        SupportCaseFactory(stage="diagnostic", officer=officer)
    login(officer)
    page = client.get("/accompagnements/tableau").get_data(as_text=True)
    assert page.count('class="board-card"') == 20
    assert "Voir les 5 autres accompagnements" in page


def test_officer_home_lists_ten_requests_to_assign_and_links_to_all(
    client, login, officer
):
    for n in range(12):
        SupportCaseFactory(officer=None, title=f"Demande {n:02d}")
    SupportCaseFactory(officer=officer, title="Déjà suivie")
    login(officer)
    page = client.get("/equipe").text
    assert page.count("Demande ") == 10
    assert "Voir les 12 demandes à attribuer" in page
    listing = client.get("/accompagnements?vue=a-attribuer").text
    assert "Demande 11" in listing
    assert "Demande 00" in listing
    assert "Déjà suivie" not in listing
