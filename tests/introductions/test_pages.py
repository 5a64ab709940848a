"""The pipeline in the browser: officer, candidate and employer pages."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from matching.audit.models import AuditEvent
from matching.extensions import db
from matching.introductions import services
from matching.introductions.models import Introduction, Milestone, Placement
from matching.reminders.models import EmailMessage
from tests.factories import JobPostingFactory


def test_officer_sees_ranked_candidates_with_reasons_and_proposes(
    client, login, officer, posting_of, street_candidate, make_candidate
):
    posting, _ = posting_of
    far = make_candidate(latitude=43.29, longitude=5.37, department="13")  # Marseille
    login(officer)
    page = client.get(f"/fiches-de-poste/{posting.id}/suggestions").get_data(
        as_text=True
    )
    assert page.index(street_candidate.display_name) < page.index(far.display_name)
    assert "Expérience de vie" in page
    assert "Expérience de la rue : expérience recherchée et partagée" in page
    assert "Difficile" in page  # the far candidate's blocker is said
    response = client.post(
        f"/fiches-de-poste/{posting.id}/suggestions/{street_candidate.id}/proposer",
        data={"note": "Rencontré au forum"},
    )
    assert response.status_code == 302
    intro = db.session.scalar(select(Introduction))
    assert intro.status == "proposee_candidat"
    assert intro.snapshot["breakdown"]["experience"]["code"] == "domains_matched"
    assert intro.score > 50
    page = client.get(f"/fiches-de-poste/{posting.id}/suggestions").get_data(
        as_text=True
    )
    assert "Déjà en relation pour ce poste" in page


def test_proposing_to_a_person_without_account_says_the_officer_must_tell_them(
    client, login, officer, posting_of, make_candidate
):
    posting, _ = posting_of
    walk_in = make_candidate(user=None, email="rencontre@example.org")
    login(officer)
    response = client.post(
        f"/fiches-de-poste/{posting.id}/suggestions/{walk_in.id}/proposer",
        data={},
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "La proposition est envoyée à la personne" not in page
    assert "la personne n&#39;a pas de compte : elle n&#39;a rien reçu" in page
    assert db.session.scalar(select(EmailMessage)) is None
    intro = db.session.scalar(select(Introduction))
    assert intro.status == "proposee_candidat"


def test_filters_and_paging_of_suggestions(
    client, login, officer, posting_of, make_candidate
):
    posting, _ = posting_of
    for n in range(25):
        make_candidate(display_name=f"Personne Numéro {n:02d}")
    login(officer)
    first = client.get(f"/fiches-de-poste/{posting.id}/suggestions").get_data(
        as_text=True
    )
    assert "Page 1 sur 2" in first
    second = client.get(f"/fiches-de-poste/{posting.id}/suggestions?page=2").get_data(
        as_text=True
    )
    assert len(re.findall(r"Personne Numéro \d\d</a>", first)) == 20
    assert len(re.findall(r"Personne Numéro \d\d</a>", second)) == 5
    page = client.get(
        f"/fiches-de-poste/{posting.id}/suggestions?department=34"
    ).get_data(as_text=True)
    assert "Personne Numéro" not in page


def test_candidate_accepts_and_the_employer_then_sees_contact_and_shared_domain(
    app, client, login, officer, posting_of, street_candidate
):
    posting, employer = posting_of
    intro = services.propose(posting, street_candidate, officer, None)
    db.session.commit()

    employer_client = app.test_client()
    with employer_client.session_transaction() as session:
        session["_user_id"] = employer.get_id()
    assert employer_client.get(f"/employeur/candidatures/{intro.id}").status_code == 404
    assert street_candidate.display_name not in employer_client.get(
        "/employeur/candidatures"
    ).get_data(as_text=True)

    login(street_candidate.user)
    page = client.get(f"/candidat/mises-en-relation/{intro.id}").get_data(as_text=True)
    assert "Ce que l'employeur verra si vous dites oui" in page
    assert "06 12 34 56 78" in page  # the candidate sees what will be passed on
    response = client.post(
        f"/candidat/mises-en-relation/{intro.id}/reponse", data={"answer": "oui"}
    )
    assert response.status_code == 302

    page = employer_client.get(f"/employeur/candidatures/{intro.id}").get_data(
        as_text=True
    )
    assert street_candidate.email in page
    assert "06 12 34 56 78" in page
    assert "Vie à la rue" in page
    assert "Addictions" not in page  # shared privately: never with an employer
    audit = db.session.scalar(
        select(AuditEvent).where(AuditEvent.actor_id == employer.id)
    )
    assert audit.action == "candidate.view_employer"


def test_candidate_refuses_with_a_reason_seen_by_officers_only(
    client, login, officer, posting_of, street_candidate
):
    posting, _ = posting_of
    intro = services.propose(posting, street_candidate, officer, None)
    db.session.commit()
    login(street_candidate.user)
    client.post(
        f"/candidat/mises-en-relation/{intro.id}/reponse",
        data={"answer": "non", "reason": "Horaires de nuit impossibles"},
    )
    db.session.refresh(intro)
    assert intro.status == "refusee_candidat"
    assert intro.refusal_reason == "Horaires de nuit impossibles"


def test_answer_without_choice_is_a_field_error(
    client, login, officer, posting_of, street_candidate
):
    posting, _ = posting_of
    intro = services.propose(posting, street_candidate, officer, None)
    db.session.commit()
    login(street_candidate.user)
    response = client.post(f"/candidat/mises-en-relation/{intro.id}/reponse", data={})
    assert response.status_code == 422
    assert "Choisissez oui ou non." in response.get_data(as_text=True)


def test_another_candidate_cannot_answer(
    client, login, officer, posting_of, street_candidate, make_candidate
):
    posting, _ = posting_of
    intro = services.propose(posting, street_candidate, officer, None)
    db.session.commit()
    login(make_candidate().user)
    response = client.post(
        f"/candidat/mises-en-relation/{intro.id}/reponse", data={"answer": "oui"}
    )
    assert response.status_code == 404
    db.session.refresh(intro)
    assert intro.status == "proposee_candidat"


def test_employer_records_interview_and_hire_then_follows_milestones(
    client, login, officer, posting_of, street_candidate
):
    posting, employer = posting_of
    intro = services.propose(posting, street_candidate, officer, None)
    services.accept(intro, street_candidate.user)
    db.session.commit()
    login(employer)
    client.post(
        f"/mises-en-relation/{intro.id}/entretien", data={"interview_on": "2027-01-05"}
    )
    db.session.refresh(intro)
    assert intro.status == "entretien"
    response = client.post(
        f"/mises-en-relation/{intro.id}/embauche",
        data={
            "start_date": "2027-02-01",
            "contract_type": "cdd",
            "fte": "0,8",
            "end_date": "2028-01-31",
            "referent_id": str(employer.id),
        },
    )
    placement = db.session.scalar(select(Placement))
    assert response.headers["Location"] == f"/embauches/{placement.id}"
    assert placement.referent_id == employer.id
    page = client.get(f"/embauches/{placement.id}").get_data(as_text=True)
    assert "Mois 3 : bilan tripartite" in page
    # the two reminders before the end say which is which, and the end is shown
    assert "Échéance du contrat" not in page
    assert "Fin du contrat dans 60 jours (le 31 janvier 2028)" in page
    assert "Fin du contrat dans 30 jours (le 31 janvier 2028)" in page
    assert '<dd class="col-sm-8">31 janvier 2028</dd>' in page
    milestone = db.session.scalar(
        select(Milestone).where(Milestone.kind == "j0_accueil")
    )
    client.post(f"/embauches/{placement.id}/jalons/{milestone.id}")
    db.session.refresh(milestone)
    assert milestone.done_at is not None
    db.session.refresh(posting)
    assert posting.status == "pourvue"


@pytest.mark.parametrize(
    ("interview_on", "message"),
    [
        ("", "Indiquez la date de l&#39;entretien."),
        ("1999-05-01", "L&#39;entretien ne peut pas avoir eu lieu avant le"),
    ],
)
def test_interview_needs_a_date_after_the_candidature_was_passed_on(
    client, login, officer, posting_of, street_candidate, interview_on, message
):
    posting, employer = posting_of
    intro = services.propose(posting, street_candidate, officer, None)
    services.accept(intro, street_candidate.user)
    db.session.commit()
    login(employer)
    response = client.post(
        f"/mises-en-relation/{intro.id}/entretien", data={"interview_on": interview_on}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = page.index('id="interview_on-erreur"')  # said next to the field
    assert message in page[error : error + 300]
    assert "L&#39;entretien est enregistré." not in page
    db.session.refresh(intro)
    assert (intro.status, intro.interview_on) == ("transmise_employeur", None)


def test_a_filled_posting_no_longer_asks_another_candidate_to_answer(
    client, login, officer, posting_of, street_candidate, make_candidate
):
    posting, employer = posting_of
    other = make_candidate()
    waiting = services.propose(posting, other, officer, None)
    intro = services.propose(posting, street_candidate, officer, None)
    services.accept(intro, street_candidate.user)
    db.session.commit()
    login(employer)
    client.post(
        f"/mises-en-relation/{intro.id}/embauche",
        data={"start_date": "2027-02-01", "contract_type": "cdi", "fte": "1"},
    )
    login(other.user)
    response = client.get(f"/candidat/mises-en-relation/{waiting.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Retirée" in page
    assert 'name="answer"' not in page
    response = client.post(
        f"/candidat/mises-en-relation/{waiting.id}/reponse", data={"answer": "oui"}
    )
    db.session.refresh(waiting)
    assert waiting.status == "retiree"


def test_hire_form_refuses_a_fixed_term_without_end(
    client, login, officer, posting_of, street_candidate
):
    posting, employer = posting_of
    intro = services.propose(posting, street_candidate, officer, None)
    services.accept(intro, street_candidate.user)
    db.session.commit()
    login(employer)
    response = client.post(
        f"/mises-en-relation/{intro.id}/embauche",
        data={"start_date": "2027-02-01", "contract_type": "cdd", "fte": "0,8"},
    )
    assert response.status_code == 200
    assert "Indiquez la fin d&#39;un contrat à durée déterminée." in response.get_data(
        as_text=True
    )
    assert db.session.scalar(select(Placement)) is None


@pytest.mark.parametrize(
    ("dates", "field", "message"),
    [
        (
            {"end_date": "2027-07-31", "trial_end_date": "2027-09-30"},
            "trial_end_date",
            "La période d&#39;essai doit finir avant la fin du contrat.",
        ),
        (
            {"end_date": "2027-07-31", "funding_end_date": "2027-01-15"},
            "funding_end_date",
            "La fin du financement doit venir après le début.",
        ),
    ],
)
def test_hire_form_refuses_end_dates_out_of_order(
    client, login, officer, posting_of, street_candidate, dates, field, message
):
    posting, employer = posting_of
    intro = services.propose(posting, street_candidate, officer, None)
    services.accept(intro, street_candidate.user)
    db.session.commit()
    login(employer)
    response = client.post(
        f"/mises-en-relation/{intro.id}/embauche",
        data={"start_date": "2027-02-01", "contract_type": "cdd", "fte": "1", **dates},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    error = page.index(f'id="{field}-erreur"')  # said next to the field
    assert message in page[error : error + 300]
    assert db.session.scalar(select(Placement)) is None
    db.session.refresh(intro)
    assert intro.status == "transmise_employeur"


def test_employer_of_another_organisation_sees_nothing(
    client, login, officer, posting_of, street_candidate, make_employer
):
    posting, _ = posting_of
    intro = services.propose(posting, street_candidate, officer, None)
    services.accept(intro, street_candidate.user)
    db.session.commit()
    login(make_employer())
    assert client.get(f"/employeur/candidatures/{intro.id}").status_code == 404
    assert client.get(f"/mises-en-relation/{intro.id}/embauche").status_code == 404
    assert street_candidate.display_name not in client.get(
        "/employeur/candidatures"
    ).get_data(as_text=True)


def test_officer_suggests_postings_for_a_candidate(
    client, login, officer, posting_of, street_candidate
):
    posting, _ = posting_of
    JobPostingFactory(
        title="interprete",
        experience_domains=["exil_migration"],
        custom_title="Interprète pair",
    )
    login(officer)
    page = client.get(
        f"/equipe/candidats/{street_candidate.id}/offres-suggerees"
    ).get_data(as_text=True)
    assert page.index(posting.organisation.name) < page.index("Interprète pair")


def test_interest_on_an_offer_appears_in_the_pipeline(
    client, login, officer, posting_of, street_candidate
):
    posting, _ = posting_of
    login(street_candidate.user)
    client.post(
        f"/offres/{posting.id}/interet", data={"message": "Je connais ce quartier"}
    )
    intro = db.session.scalar(select(Introduction))
    assert (intro.origin, intro.status) == ("interet", "acceptee_candidat")
    login(officer)
    page = client.get("/mises-en-relation?origin=interet").get_data(as_text=True)
    assert street_candidate.display_name in page
    client.post(f"/mises-en-relation/{intro.id}/transmettre")
    db.session.refresh(intro)
    assert intro.status == "transmise_employeur"


def test_officer_records_a_spoken_answer(
    client, login, officer, posting_of, make_candidate
):
    posting, _ = posting_of
    walk_in = make_candidate(user=None, email="rencontre@example.org")
    intro = services.propose(posting, walk_in, officer, None)
    db.session.commit()
    login(officer)
    client.post(f"/mises-en-relation/{intro.id}/accord", data={"note": "Au téléphone"})
    db.session.refresh(intro)
    assert intro.status == "transmise_employeur"


def test_officer_records_the_interview_for_the_employer(
    client, login, officer, posting_of, make_candidate
):
    posting, _ = posting_of
    walk_in = make_candidate(user=None, email="rencontre@example.org")
    intro = services.propose(posting, walk_in, officer, None)
    services.accept(intro, officer)
    db.session.commit()
    login(officer)
    page = client.get(f"/mises-en-relation/{intro.id}").get_data(as_text=True)
    assert f'action="/mises-en-relation/{intro.id}/entretien"' in page
    response = client.post(f"/mises-en-relation/{intro.id}/entretien", data={})
    assert response.status_code == 422  # the officer's page, the error by the date
    page = response.get_data(as_text=True)
    error = page.index('id="interview_on-erreur"')
    assert "Indiquez la date de l&#39;entretien." in page[error : error + 300]
    response = client.post(
        f"/mises-en-relation/{intro.id}/entretien", data={"interview_on": "2027-01-05"}
    )
    assert response.headers["Location"] == f"/mises-en-relation/{intro.id}"
    db.session.refresh(intro)
    assert (intro.status, str(intro.interview_on)) == ("entretien", "2027-01-05")


def test_posting_page_lists_its_introductions_to_whom_may_see_them(
    app, client, login, officer, posting_of, street_candidate, make_candidate
):
    posting, employer = posting_of
    waiting = make_candidate(display_name="Personne En Attente")
    services.propose(posting, waiting, officer, None)
    intro = services.propose(posting, street_candidate, officer, None)
    services.accept(intro, street_candidate.user)
    db.session.commit()
    login(officer)
    page = client.get(f"/fiches-de-poste/{posting.id}").get_data(as_text=True)
    assert "Personne En Attente" in page
    assert street_candidate.display_name in page
    login(employer)
    page = client.get(f"/fiches-de-poste/{posting.id}").get_data(as_text=True)
    assert (
        "Personne En Attente" not in page
    )  # not agreed yet: the employer must not know
    assert street_candidate.display_name in page


def test_suggestions_say_one_distance_and_what_can_take_the_post_means(
    client, login, officer, posting_of, make_candidate
):
    posting, _ = posting_of  # in Toulouse, 0,8 ETP
    # About 10.4 km north of Toulouse, for a person moving up to 10 km.
    near = make_candidate(latitude=43.698, longitude=1.4442, mobility_radius_km=10)
    late = make_candidate(
        available_from=posting.start_date + timedelta(days=61),
        fte_min=Decimal("0.5"),
        fte_max=Decimal("0.5"),
    )
    login(officer)
    page = client.get(f"/fiches-de-poste/{posting.id}/suggestions").get_data(
        as_text=True
    )
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "au-delà de ses 10 km" in text
    kms = re.findall(r"(\d+) km", text.split(near.display_name, 1)[1])
    assert kms[0] == kms[1] == "11", kms[:2]
    # Two months late, 0,5 for 0,8: within the stated limits, so among those who can.
    assert late.display_name in text
    assert "disponibles au plus 120 jours après la date de début" in text
    assert "à 0,3 ETP près" in text


def test_candidate_home_shows_each_proposal_waiting_for_an_answer_first(
    client, login, officer, posting_of, street_candidate
):
    posting, _ = posting_of
    other = JobPostingFactory(organisation=posting.organisation, custom_title="Pair")
    intro = services.propose(posting, street_candidate, officer, None)
    answered = services.propose(other, street_candidate, officer, None)
    services.refuse(answered, street_candidate.user)
    db.session.commit()
    login(street_candidate.user)
    page = client.get("/candidat").get_data(as_text=True)
    assert page.count("Une offre vous est proposée") == 1
    assert posting.organisation.name in page
    assert f'href="/candidat/mises-en-relation/{intro.id}">Répondre' in page
    assert page.index("Une offre vous est proposée") < page.index("Bienvenue")


def test_candidate_reads_statuses_in_their_own_words_and_what_the_employer_now_sees(
    client, login, officer, posting_of, street_candidate
):
    posting, _ = posting_of
    intro = services.propose(posting, street_candidate, officer, None)
    db.session.commit()
    login(street_candidate.user)
    listing = client.get("/candidat/mises-en-relation").get_data(as_text=True)
    assert "Proposée : à vous de répondre" in listing
    assert "Proposée au candidat" not in listing
    client.post(
        f"/candidat/mises-en-relation/{intro.id}/reponse",
        data={"answer": "oui", "reason": "Je préfère être appelée le matin"},
    )
    page = client.get(f"/candidat/mises-en-relation/{intro.id}").get_data(as_text=True)
    assert "Transmise à l&#39;employeur" in page
    assert "Vous avez accepté" in page  # the history, in their words too
    assert "par le candidat" not in page
    assert "au candidat" not in page
    assert "Ce que l'employeur voit maintenant" in page
    assert "si vous dites oui" not in page
    note = intro.events[1].note
    assert (intro.events[1].to_status, note) == (
        "acceptee_candidat",
        "Je préfère être appelée le matin",
    )
    assert "Je préfère être appelée le matin" not in page  # notes: for the team


def test_after_a_no_the_candidate_reads_that_the_employer_sees_nothing(
    client, login, officer, posting_of, street_candidate
):
    posting, _ = posting_of
    intro = services.propose(posting, street_candidate, officer, None)
    services.refuse(intro, street_candidate.user)
    db.session.commit()
    login(street_candidate.user)
    page = client.get(f"/candidat/mises-en-relation/{intro.id}").get_data(as_text=True)
    assert "Vous avez dit non" in page
    assert "employeur ne voit rien de vous pour cette offre." in page
    assert "06 12 34 56 78" not in page


def test_a_suggestion_kept_aside_is_not_shown_to_the_person(
    client, login, officer, posting_of, street_candidate
):
    posting, _employer = posting_of
    kept = services.shortlist(posting, street_candidate, officer, None)
    db.session.commit()
    login(street_candidate.user)
    page = client.get("/candidat/mises-en-relation").get_data(as_text=True)
    assert f"/candidat/mises-en-relation/{kept.id}" not in page
    assert posting.organisation.name not in page
    response = client.get(f"/candidat/mises-en-relation/{kept.id}")
    assert response.status_code == 404
