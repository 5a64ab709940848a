"""Officers list, search, create and edit organisations; employers edit their own."""

from sqlalchemy import select

from matching.extensions import db
from matching.organisations.models import Organisation
from tests.factories import MembershipFactory, OrganisationFactory, SupportCaseFactory

NEW = {
    "name": "Association Équinoxe",
    "sector": "sante_mentale_psychiatrie",
    "structure_type": "gem",
    "legal_status": "association",
    "commune": "Muret",
    "headcount_band": "1-10",
    "peer_workers_count": "2",
}


def test_fuzzy_accent_insensitive_search(client, login, officer):
    OrganisationFactory(name="Le Relais du Canal")
    OrganisationFactory(name="Foyer Les Tilleuls")
    login(officer)
    for query in ("relai canal", "RELAIS", "rélais du cnal"):
        page = client.get("/structures", query_string={"q": query}).get_data(
            as_text=True
        )
        assert "Le Relais du Canal" in page
        assert "Foyer Les Tilleuls" not in page


def test_filters_sector_department_case_and_peer_workers(client, login, officer):
    with_case = OrganisationFactory(
        name="Avec Accompagnement", sector="addictologie_rdr"
    )
    SupportCaseFactory(organisation=with_case)
    OrganisationFactory(name="Sans Rien", department="34", peer_workers_count=0)
    OrganisationFactory(name="Déjà Pairs", peer_workers_count=3)
    login(officer)

    def names(**params):
        page = client.get("/structures", query_string=params).get_data(as_text=True)
        return {
            n for n in ("Avec Accompagnement", "Sans Rien", "Déjà Pairs") if n in page
        }

    assert names(sector="addictologie_rdr") == {"Avec Accompagnement"}
    assert names(department="34") == {"Sans Rien"}
    assert names(has_case="oui") == {"Avec Accompagnement"}
    assert names(has_case="non") == {"Sans Rien", "Déjà Pairs"}
    assert names(peer_workers="oui") == {"Déjà Pairs"}
    assert names(sector="pas_un_secteur") == {
        "Avec Accompagnement",
        "Sans Rien",
        "Déjà Pairs",
    }


def test_list_is_paginated(client, login, officer):
    for n in range(30):
        OrganisationFactory(name=f"Structure {n:02d}")
    login(officer)
    first = client.get("/structures").get_data(as_text=True)
    assert "Structure 00" in first
    assert "Structure 29" not in first
    assert "Page 1 sur 2" in first
    assert "Structure 29" in client.get("/structures?page=2").get_data(as_text=True)


def test_officer_creates_an_organisation(client, login, officer):
    login(officer)
    response = client.post("/structures/nouvelle", data=NEW)
    organisation = db.session.scalar(select(Organisation))
    assert response.headers["Location"] == f"/structures/{organisation.id}"
    assert (organisation.commune_insee, organisation.department) == ("31395", "31")
    assert organisation.peer_workers_count == 2


def test_similar_name_asks_for_confirmation(client, login, officer):
    OrganisationFactory(name="Association Equinoxe")
    login(officer)
    response = client.post("/structures/nouvelle", data=NEW)
    assert response.status_code == 200
    assert "nom proche" in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(Organisation.id))) == 1
    client.post("/structures/nouvelle", data={**NEW, "confirm_duplicate": "1"})
    assert db.session.scalar(select(db.func.count(Organisation.id))) == 2


def test_invalid_values_are_refused_next_to_the_field(client, login, officer):
    login(officer)
    response = client.post(
        "/structures/nouvelle",
        data={**NEW, "peer_workers_count": "-1", "headcount_band": "9999"},
    )
    page = response.get_data(as_text=True)
    assert "Un nombre entre 0 et 1000." in page
    assert db.session.scalar(select(Organisation)) is None


def test_a_word_where_a_number_goes_gets_one_french_message(client, login, officer):
    login(officer)
    response = client.post(
        "/structures/nouvelle", data={**NEW, "peer_workers_count": "deux"}
    )
    page = response.get_data(as_text=True)
    assert "Indiquez un nombre entier, par exemple 3." in page
    assert "Un nombre entre 0 et 1000." not in page
    assert "entier valide" not in page
    assert db.session.scalar(select(Organisation)) is None


def test_employer_admin_edits_their_organisation(client, login, make_employer):
    employer = login(make_employer())
    organisation = employer.membership.organisation
    page = client.get(f"/structures/{organisation.id}/modifier").get_data(as_text=True)
    assert "Toulouse (31000)" in page
    client.post(
        f"/structures/{organisation.id}/modifier", data={**NEW, "name": "Nouveau nom"}
    )
    db.session.refresh(organisation)
    assert organisation.name == "Nouveau nom"


def test_member_who_is_not_admin_cannot_edit(client, login, make_employer):
    member = login(make_employer(is_org_admin=False))
    organisation = member.membership.organisation
    assert client.get(f"/structures/{organisation.id}").status_code == 200
    assert (
        client.post(f"/structures/{organisation.id}/modifier", data=NEW).status_code
        == 403
    )


def test_detail_lists_members_cases_and_postings(client, login, officer):
    membership = MembershipFactory()
    case = SupportCaseFactory(
        organisation=membership.organisation, title="Premier poste"
    )
    login(officer)
    page = client.get(f"/structures/{membership.organisation_id}").get_data(
        as_text=True
    )
    assert membership.user.display_name in page
    assert "Premier poste" in page
    assert f"/accompagnements/{case.id}" in page
