"""The timeline: entries with authors, officer-only versus shared, edits and deletion."""

from sqlalchemy import select

from matching.cases.models import Activity
from matching.extensions import db
from tests.factories import ActivityFactory, SupportCaseFactory

ENTRY = {
    "kind": "meeting",
    "occurred_on": "2026-11-20",
    "title": "Réunion d'équipe",
    "body": "Présentation du travail pair à l'équipe de nuit.",
    "link": "",
    "visibility": "officers",
}


def test_officer_writes_an_officer_only_note_the_employer_never_sees(
    app, client, login, officer, make_employer
):
    employer = make_employer()
    case = SupportCaseFactory(organisation=employer.membership.organisation)
    login(officer)
    client.post(
        f"/accompagnements/{case.id}/journal", data={**ENTRY, "title": "Confidentiel"}
    )
    client.post(
        f"/accompagnements/{case.id}/journal",
        data={**ENTRY, "title": "Compte rendu partagé", "visibility": "employer"},
    )
    page = client.get(f"/accompagnements/{case.id}").get_data(as_text=True)
    assert "Confidentiel" in page
    assert "équipe seulement" in page

    employer_client = app.test_client()
    with employer_client.session_transaction() as session:
        session["_user_id"] = employer.get_id()
    page = employer_client.get(f"/accompagnements/{case.id}").get_data(as_text=True)
    assert "Compte rendu partagé" in page
    assert "Confidentiel" not in page
    assert "équipe seulement" not in page


def test_employer_entries_are_always_shared(client, login, make_employer):
    employer = login(make_employer())
    case = SupportCaseFactory(organisation=employer.membership.organisation)
    client.post(f"/accompagnements/{case.id}/journal", data=ENTRY)
    activity = db.session.scalar(select(Activity).where(Activity.kind == "meeting"))
    assert activity.visibility == "employer"
    assert activity.author_id == employer.id


def test_unsafe_links_are_refused(client, login, officer):
    case = SupportCaseFactory()
    login(officer)
    response = client.post(
        f"/accompagnements/{case.id}/journal",
        data={**ENTRY, "kind": "document", "link": "javascript:alert(1)"},
    )
    assert response.status_code == 422
    assert "https://" in response.get_data(as_text=True)
    assert (
        db.session.scalar(select(Activity).where(Activity.kind == "document")) is None
    )


def test_author_corrects_and_deletes_their_entry(client, login, officer):
    entry = ActivityFactory(author=officer, title="Avant")
    login(officer)
    url = f"/accompagnements/{entry.case_id}/journal/{entry.id}"
    client.post(url, data={**ENTRY, "title": "Après"})
    db.session.refresh(entry)
    assert entry.title == "Après"
    entry_id = entry.id
    client.post(url + "/supprimer")
    db.session.expunge_all()
    assert db.session.get(Activity, entry_id) is None


def test_automatic_entries_cannot_be_edited(client, login, officer):
    entry = ActivityFactory(author=officer, kind="stage_change")
    login(officer)
    url = f"/accompagnements/{entry.case_id}/journal/{entry.id}"
    assert client.get(url).status_code == 403


def test_employer_cannot_read_an_officer_only_entry_by_its_url(
    client, login, make_employer
):
    employer = make_employer()
    case = SupportCaseFactory(organisation=employer.membership.organisation)
    entry = ActivityFactory(case=case, author=employer, visibility="officers")
    login(employer)
    url = f"/accompagnements/{case.id}/journal/{entry.id}"
    assert client.get(url).status_code == 404


def test_every_activity_moves_last_activity_forward(client, login, officer):
    case = SupportCaseFactory()
    before = case.last_activity_at
    login(officer)
    client.post(f"/accompagnements/{case.id}/journal", data=ENTRY)
    db.session.refresh(case)
    assert case.last_activity_at > before
