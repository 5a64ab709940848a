"""Published roles for visitors and candidates, and "je suis intéressé·e"."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from matching.candidates.models import CandidateEvent
from matching.cases.models import SupportCase
from matching.extensions import db
from matching.offers.models import Interest


@pytest.fixture
def offers(make_posting, make_organisation, officer):
    organisation = make_organisation(name="Le Phare")
    case = SupportCase(
        organisation=organisation,
        title="Dossier interne confidentiel",
        opened_on=db.func.current_date(),
    )
    db.session.add(case)
    db.session.commit()
    return {
        "toulouse": make_posting(
            organisation=organisation,
            case=case,
            published_by=officer,
            custom_title="Travailleur·euse pair en maraude",
            salary="1 900 € brut",
        ),
        "blagnac": make_posting(
            title="mediateur_sante_pair",
            custom_title="Médiation santé à Blagnac",
            sector="sante_mentale_psychiatrie",
            commune="Blagnac",
            commune_insee="31069",
            contract_type="cdd",
            fte=Decimal("0.5"),
        ),
        "montpellier": make_posting(
            title="interprete",
            custom_title="Interprétariat à Montpellier",
            commune="Montpellier",
            commune_insee="34172",
            department="34",
            fte=Decimal("1.0"),
        ),
        "draft": make_posting(custom_title="Brouillon secret", status="brouillon"),
        "closed": make_posting(custom_title="Poste pourvu secret", status="pourvue"),
    }


def titles_on(page: str) -> set[str]:
    known = {
        "Travailleur·euse pair en maraude": "toulouse",
        "Médiation santé à Blagnac": "blagnac",
        "Interprétariat à Montpellier": "montpellier",
        "Brouillon secret": "draft",
        "Poste pourvu secret": "closed",
    }
    return {key for title, key in known.items() if title in page}


def test_visitors_see_published_roles_without_internal_fields(client, offers):
    page = client.get("/offres").get_data(as_text=True)
    assert titles_on(page) == {"toulouse", "blagnac", "montpellier"}
    detail = client.get(f"/offres/{offers['toulouse'].id}").get_data(as_text=True)
    assert "1 900 € brut" in detail
    assert "Le Phare" in detail
    assert "Dossier interne confidentiel" not in detail
    assert "Chargée Test" not in detail  # who published it
    assert "Je crée mon compte" in detail


@pytest.mark.parametrize("key", ["draft", "closed"])
def test_unpublished_roles_are_not_found(client, login, officer, offers, key):
    login(officer)
    assert client.get(f"/offres/{offers[key].id}").status_code == 404
    assert client.post(f"/offres/{offers[key].id}/interet").status_code in (403, 404)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sector=sante_mentale_psychiatrie", {"blagnac"}),
        ("title=interprete", {"montpellier"}),
        ("department=34", {"montpellier"}),
        ("commune=Toulouse&distance=20", {"toulouse", "blagnac"}),
        ("commune=Toulouse&distance=10", {"toulouse", "blagnac"}),
        ("commune=Montpellier&distance=10", {"montpellier"}),
        ("fte=0.5", {"blagnac"}),
        ("contract_type=cdd", {"blagnac"}),
        ("sector=pas_un_secteur", {"toulouse", "blagnac", "montpellier"}),
    ],
)
def test_filters(client, offers, query, expected):
    page = client.get(f"/offres?{query}").get_data(as_text=True)
    assert titles_on(page) == expected


def test_invalid_filter_is_explained(client, offers):
    page = client.get("/offres?commune=Atlantide").get_data(as_text=True)
    assert "Nous ne trouvons pas cette commune" in page


def test_candidate_says_they_are_interested(
    client, login, make_candidate, make_user, offers, outbox
):
    other_officer = make_user(role="officer", display_name="Autre Chargé")
    candidate = make_candidate(
        consent=["equipe"],
        domains={"addictions": "prive"},
        display_name="Sélène Quidam",
        background_text="Texte sensible",
    )
    posting = offers["toulouse"]
    login(candidate.user)
    response = client.post(
        f"/offres/{posting.id}/interet", data={"message": "Je connais ce quartier"}
    )
    assert response.headers["Location"] == f"/offres/{posting.id}"
    interest = db.session.scalar(select(Interest))
    assert (interest.candidate_id, interest.posting_id, interest.status) == (
        candidate.id,
        posting.id,
        "nouvelle",
    )
    assert interest.message == "Je connais ce quartier"
    assert db.session.scalar(select(CandidateEvent.kind)) == "interest"
    # Every officer is told that something awaits, and nothing more.
    officers = {other_officer.email, posting.published_by.email}
    assert {r for m in outbox for r in m.recipients} == officers
    assert len(outbox) == 2
    for message in outbox:
        body = message.body + message.html
        for secret in ("Sélène", "Quidam", "quartier", "addiction", "Texte sensible"):
            assert secret not in body
        assert "http://passerelle.test/equipe/interets" in body
    page = client.get(f"/offres/{posting.id}").get_data(as_text=True)
    assert "Vous avez dit votre intérêt" in page
    # Twice is refused; withdrawing then saying it again works.
    client.post(f"/offres/{posting.id}/interet")
    assert db.session.scalar(select(func.count(Interest.id))) == 1
    client.post(f"/offres/{posting.id}/interet/retrait")
    db.session.refresh(interest)
    assert interest.status == "retiree"
    client.post(f"/offres/{posting.id}/interet")
    db.session.refresh(interest)
    assert interest.status == "nouvelle"


def test_a_candidate_without_profile_fills_it_first(client, login, candidate, offers):
    login(candidate)
    response = client.post(f"/offres/{offers['toulouse'].id}/interet")
    assert response.headers["Location"] == "/candidat/profil/etape/1"
    assert db.session.scalar(select(Interest)) is None


def test_archived_profile_cannot_express_interest(
    client, login, make_candidate, offers
):
    candidate = make_candidate(status="archive")
    login(candidate.user)
    client.post(f"/offres/{offers['toulouse'].id}/interet")
    assert db.session.scalar(select(Interest)) is None


def test_message_is_limited(client, login, make_candidate, offers):
    login(make_candidate().user)
    response = client.post(
        f"/offres/{offers['toulouse'].id}/interet", data={"message": "x" * 1001}
    )
    assert response.status_code == 200
    assert "1000 caractères au maximum." in response.get_data(as_text=True)
    assert db.session.scalar(select(Interest)) is None


def test_officers_follow_interests(client, login, officer, make_candidate, offers):
    candidate = make_candidate(display_name="Sélène Quidam")
    interest = Interest(candidate=candidate, posting=offers["blagnac"], message="Hâte")
    db.session.add(interest)
    db.session.commit()
    login(officer)
    page = client.get("/equipe/interets").get_data(as_text=True)
    assert "Sélène Quidam" in page
    assert "Hâte" in page
    client.post(f"/equipe/interets/{interest.id}/prise-en-compte")
    db.session.refresh(interest)
    assert interest.status == "prise_en_compte"
    page = client.get("/equipe/interets?statut=nouvelle").get_data(as_text=True)
    assert "Sélène Quidam" not in page
    assert "1 nouvel intérêt" not in client.get("/equipe").get_data(as_text=True)


def test_the_officer_of_the_posting_case_is_the_one_told(
    client, login, make_candidate, make_posting, make_user, outbox
):
    make_user(role="officer")
    follower = make_user(role="officer", display_name="Référente du dossier")
    posting = make_posting()
    case = SupportCase(
        organisation=posting.organisation,
        title="Projet",
        officer=follower,
        opened_on=db.func.current_date(),
    )
    posting.case = case
    db.session.commit()
    login(make_candidate().user)
    client.post(f"/offres/{posting.id}/interet")
    assert [m.recipients for m in outbox] == [[follower.email]]
