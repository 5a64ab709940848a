"""The job description editor, its printable page and the publication workflow."""

import pytest
from sqlalchemy import select

from matching.cases.models import Activity
from matching.extensions import db
from matching.postings.models import JobPosting
from matching.postings.services import PostingError, transition_posting
from tests.factories import (
    DraftJobPostingFactory,
    JobPostingFactory,
    SupportCaseFactory,
)

COMPLETE = {
    "case_id": "",
    "title": "mediateur_sante_pair",
    "custom_title": "Médiatrice santé paire",
    "functions": ["aller_vers", "mediation_acces_droits_soins"],
    "sector": "sante_mentale_psychiatrie",
    "commune": "Toulouse",
    "contract_type": "cdi",
    "contract_months": "",
    "fte": "0,5",
    "positions": "1",
    "collective_agreement": "ccn66",
    "classification": "Moniteur-éducateur",
    "salary": "",
    "start_date": "2027-03-01",
    "context": "Une équipe mobile de 8 personnes.",
    "missions": "Aller vers les personnes à la rue.",
    "experience_domains": ["troubles_psychiques"],
    "experience_text": "",
    "savoir_etre": "Écoute, recul sur son parcours.",
    "how_to_apply": "",
}


@pytest.fixture
def employer_case(make_employer, login):
    employer = login(make_employer())
    return employer, SupportCaseFactory(organisation=employer.membership.organisation)


def test_employer_writes_and_publishes_a_job_description(client, employer_case):
    employer, case = employer_case
    response = client.post(
        "/fiches-de-poste/nouvelle",
        data={**COMPLETE, "case_id": str(case.id), "action": "publier"},
    )
    posting = db.session.scalar(select(JobPosting))
    assert response.headers["Location"] == f"/fiches-de-poste/{posting.id}"
    assert posting.status == "publiee"
    assert posting.published_by_id == employer.id
    assert str(posting.fte) == "0.50"
    assert posting.commune_insee == "31555"
    assert posting.latitude is not None
    titles = db.session.scalars(select(Activity.title)).all()
    assert any("Fiche de poste publiée" in t for t in titles)


def test_publishing_an_incomplete_description_keeps_the_draft_and_says_what_is_missing(
    client, employer_case
):
    incomplete = {
        **COMPLETE,
        "functions": [],
        "missions": "",
        "fte": "",
        "experience_domains": [],
        "experience_text": "",
        "action": "publier",
    }
    response = client.post("/fiches-de-poste/nouvelle", data=incomplete)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for message in (
        "Cochez au moins une fonction.",
        "Décrivez les missions.",
        "Indiquez le temps de travail (ETP).",
        "Cochez au moins un domaine d&#39;expérience",
    ):
        assert message in page
    posting = db.session.scalar(select(JobPosting))
    assert posting.status == "brouillon"


def test_free_text_on_experiential_knowledge_is_enough_to_publish(
    client, employer_case
):
    data = {
        **COMPLETE,
        "experience_domains": [],
        "experience_text": "Une expérience de la rue.",
        "action": "publier",
    }
    client.post("/fiches-de-poste/nouvelle", data=data)
    assert db.session.scalar(select(JobPosting.status)) == "publiee"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("fte", "1,5", "Entre 0,1 et 1 (temps plein)."),
        ("fte", "0,05", "Entre 0,1 et 1 (temps plein)."),
        ("positions", "0", "Entre 1 et 50."),
        ("title", "directeur", None),
        ("functions", ["aller_vers", "voler"], None),
        ("missions", "x" * 8001, "8 000 caractères au maximum."),
        ("commune", "Gotham", "Nous ne trouvons pas cette commune"),
    ],
)
def test_invalid_description_is_refused_and_nothing_saved(
    client, employer_case, field, value, message
):
    response = client.post("/fiches-de-poste/nouvelle", data={**COMPLETE, field: value})
    assert response.status_code == 200
    if message:
        assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(JobPosting)) is None


def test_officer_publishes_on_behalf_of_the_employer(client, login, officer):
    posting = DraftJobPostingFactory(
        missions="Missions",
        fte=0.5,
        contract_type="cdi",
        commune="Toulouse",
        commune_insee="31555",
    )
    login(officer)
    response = client.post(f"/fiches-de-poste/{posting.id}/publier")
    assert response.headers["Location"] == f"/fiches-de-poste/{posting.id}"
    db.session.refresh(posting)
    assert posting.status == "publiee"
    assert posting.published_by_id == officer.id


def test_publish_button_on_an_incomplete_draft_shows_the_problems(
    client, login, officer
):
    posting = DraftJobPostingFactory()
    login(officer)
    response = client.post(f"/fiches-de-poste/{posting.id}/publier")
    assert (
        response.headers["Location"]
        == f"/fiches-de-poste/{posting.id}/modifier?verifier=1"
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Décrivez les missions." in page
    db.session.refresh(posting)
    assert posting.status == "brouillon"


def test_status_workflow(officer):
    posting = DraftJobPostingFactory(
        missions="M", fte=1, contract_type="cdd", commune="Muret", commune_insee="31395"
    )
    transition_posting(posting, "publier", officer)
    transition_posting(posting, "pourvue", officer)
    assert posting.status == "pourvue"
    assert posting.filled_at is not None
    with pytest.raises(PostingError):
        transition_posting(posting, "publier", officer)
    transition_posting(posting, "rouvrir", officer)
    transition_posting(posting, "fermer", officer)
    assert posting.status == "fermee"
    with pytest.raises(PostingError):
        transition_posting(posting, "voler", officer)


def test_a_published_description_must_stay_complete(client, login, officer):
    posting = JobPostingFactory(
        status="publiee",
        missions="M",
        fte=1,
        contract_type="cdd",
        commune="Muret",
        commune_insee="31395",
    )
    login(officer)
    response = client.post(
        f"/fiches-de-poste/{posting.id}/modifier", data={**COMPLETE, "missions": ""}
    )
    assert "Une offre publiée doit rester complète." in response.get_data(as_text=True)
    db.session.refresh(posting)
    assert posting.missions == "M"


def test_printable_page_has_every_section(client, login, officer):
    posting = JobPostingFactory(
        custom_title="Pair-aidant de nuit",
        missions="Veiller",
        savoir_etre="Calme",
        classification="Coefficient 411",
        collective_agreement="ccn51",
    )
    login(officer)
    page = client.get(f"/fiches-de-poste/{posting.id}").get_data(as_text=True)
    for text in (
        "Pair-aidant de nuit",
        "Veiller",
        "Calme",
        "Coefficient 411",
        "CCN 51",
        "non exigé",
        "css/print.css",
    ):
        assert text in page


def test_employer_list_shows_only_their_organisation(client, employer_case):
    employer, _ = employer_case
    JobPostingFactory(
        organisation=employer.membership.organisation, custom_title="La nôtre"
    )
    JobPostingFactory(custom_title="Celle d'ailleurs")
    page = client.get("/fiches-de-poste").get_data(as_text=True)
    assert "La nôtre" in page
    assert "Celle d&#39;ailleurs" not in page


def test_case_of_another_organisation_cannot_be_linked(client, employer_case):
    other_case = SupportCaseFactory()
    response = client.post(
        "/fiches-de-poste/nouvelle", data={**COMPLETE, "case_id": str(other_case.id)}
    )
    assert response.status_code == 200  # not in the choices: a field error
    assert db.session.scalar(select(JobPosting)) is None


def test_officer_needs_to_say_for_which_organisation(client, login, officer):
    login(officer)
    assert client.get("/fiches-de-poste/nouvelle").status_code == 404


def test_officers_reach_the_suggestions_from_the_posting_employers_do_not(
    client, login, officer, make_employer
):
    posting = JobPostingFactory()
    suggestions = f"/fiches-de-poste/{posting.id}/suggestions"
    login(officer)
    assert suggestions in client.get(f"/fiches-de-poste/{posting.id}").text
    employer = make_employer(organisation=posting.organisation)
    login(employer)
    assert suggestions not in client.get(f"/fiches-de-poste/{posting.id}").text
