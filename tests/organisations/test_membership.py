"""An employer creates or joins an organisation; admins of it or officers approve."""

from sqlalchemy import select

from matching.extensions import db
from matching.organisations.models import Membership, Organisation
from tests.factories import MembershipFactory

ORGANISATION = {
    "create-name": "Association du Pont Neuf",
    "create-sector": "addictologie_rdr",
    "create-structure_type": "csapa",
    "create-legal_status": "association",
    "create-commune": "Toulouse (31000)",
    "create-headcount_band": "11-50",
    "create-peer_workers_count": "0",
}


def test_new_employer_creates_the_organisation_and_administers_it(
    client, login, make_user, officer, outbox
):
    user = login(make_user(role="employer"))
    assert client.get("/structure/rattachement").status_code == 200
    response = client.post("/structure/creer", data=ORGANISATION)
    assert response.status_code == 302
    assert response.headers["Location"] == "/employeur"
    organisation = db.session.scalar(select(Organisation))
    assert (organisation.name, organisation.commune_insee, organisation.department) == (
        "Association du Pont Neuf",
        "31555",
        "31",
    )
    assert organisation.name_search == "association du pont neuf"
    membership = db.session.scalar(
        select(Membership).where(Membership.user_id == user.id)
    )
    assert membership.status == "active"
    assert membership.is_org_admin
    assert [m.recipients for m in outbox] == [[officer.email]]
    assert "Association du Pont Neuf" in client.get("/employeur").get_data(as_text=True)


def test_invalid_organisation_keeps_what_was_typed_and_saves_nothing(
    client, login, make_user
):
    login(make_user(role="employer"))
    data = {
        **ORGANISATION,
        "create-sector": "pas_un_secteur",
        "create-commune": "Atlantide",
    }
    response = client.post("/structure/creer", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Not a valid choice" not in page
    assert "Nous ne trouvons pas cette commune" in page
    assert "Association du Pont Neuf" in page
    assert db.session.scalar(select(Organisation)) is None


def test_ambiguous_commune_asks_for_the_postcode(client, login, make_user):
    login(make_user(role="employer"))
    response = client.post(
        "/structure/creer", data={**ORGANISATION, "create-commune": "Montesquieu"}
    )
    assert "précisez le code postal" in response.get_data(as_text=True)


def test_joining_needs_approval_by_the_organisation_admin(
    client, app, login, make_user, make_employer, outbox
):
    admin_of_org = make_employer()
    organisation = admin_of_org.membership.organisation
    requester = login(make_user(role="employer", display_name="Nouvelle Recrue"))
    response = client.post(
        "/structure/rejoindre", data={"organisation_id": organisation.id}
    )
    assert response.status_code == 302
    assert [m.recipients for m in outbox] == [[admin_of_org.email]]
    # Until approved, the employer pages send them back to the waiting page.
    assert client.get("/employeur").headers["Location"] == "/structure/rattachement"
    assert "en attente" in client.get("/structure/rattachement").get_data(as_text=True)

    admin_client = app.test_client()
    with admin_client.session_transaction() as session:
        session["_user_id"] = admin_of_org.get_id()
    assert "Nouvelle Recrue" in admin_client.get("/employeur").get_data(as_text=True)
    membership = db.session.scalar(
        select(Membership).where(Membership.user_id == requester.id)
    )
    response = admin_client.post(
        f"/structures/{organisation.id}/membres/{membership.id}/accepter"
    )
    assert response.status_code == 302
    db.session.refresh(membership)
    assert membership.status == "active"
    assert membership.decided_by_id == admin_of_org.id
    assert client.get("/employeur").status_code == 200


def test_without_an_organisation_admin_officers_are_asked(
    client, login, make_user, make_organisation, officer, outbox
):
    organisation = make_organisation()
    login(make_user(role="employer"))
    client.post("/structure/rejoindre", data={"organisation_id": organisation.id})
    assert [m.recipients for m in outbox] == [[officer.email]]


def test_officer_refuses_a_request(client, login, officer, make_organisation, outbox):
    pending = MembershipFactory(status="pending", is_org_admin=False)
    login(officer)
    page = client.get("/equipe/demandes-de-rattachement").get_data(as_text=True)
    assert pending.user.display_name in page
    client.post(f"/structures/{pending.organisation_id}/membres/{pending.id}/refuser")
    db.session.refresh(pending)
    assert pending.status == "refused"
    assert (
        "n&#39;a pas été acceptée" in outbox[0].html
        or "pas été acceptée" in outbox[0].body
    )


def test_member_who_is_not_admin_cannot_decide(client, login, make_employer):
    member = make_employer(is_org_admin=False)
    pending = MembershipFactory(
        organisation=member.membership.organisation,
        status="pending",
        is_org_admin=False,
    )
    login(member)
    response = client.post(
        f"/structures/{pending.organisation_id}/membres/{pending.id}/accepter"
    )
    assert response.status_code == 404
    db.session.refresh(pending)
    assert pending.status == "pending"


def test_admin_of_another_organisation_cannot_decide(client, login, make_employer):
    other_admin = make_employer()
    pending = MembershipFactory(status="pending", is_org_admin=False)
    login(other_admin)
    response = client.post(
        f"/structures/{pending.organisation_id}/membres/{pending.id}/accepter"
    )
    assert response.status_code == 404
    # The organisation id in the URL must match the membership's too.
    response = client.post(
        f"/structures/{other_admin.membership.organisation_id}/membres/{pending.id}/accepter"
    )
    assert response.status_code == 404
    db.session.refresh(pending)
    assert pending.status == "pending"


def test_refused_employer_may_ask_another_organisation(
    client, login, make_user, make_organisation
):
    first, second = make_organisation(), make_organisation()
    user = make_user(role="employer")
    MembershipFactory(
        user=user, organisation=first, status="refused", is_org_admin=False
    )
    login(user)
    client.post("/structure/rejoindre", data={"organisation_id": second.id})
    membership = db.session.scalar(
        select(Membership).where(Membership.user_id == user.id)
    )
    assert (membership.organisation_id, membership.status) == (second.id, "pending")


def test_attached_employer_cannot_create_a_second_organisation(client, login, employer):
    login(employer)
    response = client.post("/structure/creer", data=ORGANISATION)
    assert response.headers["Location"] == "/employeur"
    assert db.session.scalar(select(db.func.count(Organisation.id))) == 1
