"""Exports of the lists: the page's filters apply, employers get their own
organisation's records, candidates' lived experience only on explicit (audited)
request, survey answers anonymous, every export audited, no cell a formula."""

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from matching import vocab
from matching.audit.models import AuditEvent
from matching.extensions import db
from matching.introductions.models import Introduction
from matching.vocab import fold
from tests.factories import (
    FundingLineFactory,
    JobPostingFactory,
    SupportCaseFactory,
    SurveyCampaignFactory,
    SurveyResponseFactory,
)


def table(response, fmt="csv") -> list[list]:
    assert response.status_code == 200, response.status_code
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    if fmt == "csv":
        text = response.data.decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text), delimiter=";"))
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def column(rows, title) -> list:
    index = rows[0].index(title)
    return [row[index] for row in rows[1:]]


def audits(action="data.export") -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == action)
            .order_by(AuditEvent.id)
        )
    )


# ---------------------------------------------------------------- cases, funding


@pytest.fixture
def two_organisations(make_organisation, make_employer, officer):
    a = make_organisation(name="Le Relais", name_search="le relais")
    b = make_organisation(name="La Halte", name_search="la halte")
    case_a = SupportCaseFactory(organisation=a, officer=officer, stage="recrutement")
    case_b = SupportCaseFactory(organisation=b, stage="diagnostic")
    FundingLineFactory(case=case_a, funder="ars_fir", instrument="=1+1")
    FundingLineFactory(case=case_b, funder="fonjep")
    return {
        "a": a,
        "b": b,
        "case_a": case_a,
        "case_b": case_b,
        "employer_a": make_employer(organisation=a),
    }


def test_officer_exports_cases_with_the_list_filters(
    client, login, officer, two_organisations
):
    login(officer)
    rows = table(
        client.get("/exports/accompagnements.csv?vue=tous&stage=recrutement&page=2")
    )
    assert rows[0][:4] == ["Référence", "Structure", "Projet", "Étape"]
    assert column(rows, "Structure") == ["Le Relais"]
    assert column(rows, "Étape") == ["Recrutement"]
    assert len(table(client.get("/exports/accompagnements.csv?vue=tous"))) == 3
    event = audits()[0]
    assert (event.actor_id, event.subject_type, event.details) == (
        officer.id,
        "cases",
        {"format": "csv", "count": 1},
    )


def test_employer_exports_only_their_organisation(client, login, two_organisations):
    login(two_organisations["employer_a"])
    rows = table(client.get("/exports/accompagnements.xlsx?vue=tous"), "xlsx")
    assert column(rows, "Structure") == ["Le Relais"]
    rows = table(client.get("/exports/financements.csv"))
    assert column(rows, "Structure") == ["Le Relais"]
    assert column(rows, "Dispositif") == ["'=1+1"]
    case_b = two_organisations["case_b"]
    assert (
        client.get(f"/exports/accompagnements/{case_b.id}/financements.csv").status_code
        == 404
    )
    assert audits()[0].organisation_id == two_organisations["a"].id


def test_funding_of_one_case(client, login, officer, two_organisations):
    login(officer)
    case_a = two_organisations["case_a"]
    rows = table(
        client.get(f"/exports/accompagnements/{case_a.id}/financements.xlsx"), "xlsx"
    )
    assert column(rows, "Financeur") == [vocab.FUNDERS.label("ars_fir")]
    assert rows[1][5] == 30000  # the amount stays a number
    assert audits()[0].subject_id == case_a.id


# ---------------------------------------------------------------- postings, introductions


def test_postings_filters_and_scope(client, login, two_organisations, officer):
    JobPostingFactory(organisation=two_organisations["a"], custom_title="Poste A")
    JobPostingFactory(
        organisation=two_organisations["a"],
        custom_title="Brouillon A",
        status="brouillon",
    )
    JobPostingFactory(organisation=two_organisations["b"], custom_title="Poste B")
    login(officer)
    rows = table(client.get("/exports/fiches-de-poste.csv?status=publiee"))
    assert sorted(column(rows, "Intitulé utilisé par la structure")) == [
        "Poste A",
        "Poste B",
    ]
    login(two_organisations["employer_a"])
    rows = table(client.get("/exports/fiches-de-poste.csv"))
    assert sorted(column(rows, "Intitulé utilisé par la structure")) == [
        "Brouillon A",
        "Poste A",
    ]


def test_introductions_employer_sees_only_what_was_passed_on(
    client, login, officer, two_organisations, make_candidate
):
    posting = JobPostingFactory(organisation=two_organisations["a"])
    passed = make_candidate(display_name="Lou Transmise")
    hidden = make_candidate(display_name="Sam Suggérée")
    db.session.add_all(
        [
            Introduction(
                posting=posting,
                candidate=passed,
                status="transmise_employeur",
                score=72.4,
            ),
            Introduction(posting=posting, candidate=hidden, status="suggeree"),
        ]
    )
    db.session.commit()
    login(two_organisations["employer_a"])
    rows = table(client.get("/exports/mises-en-relation.csv"))
    assert column(rows, "Personne") == ["Lou Transmise"]
    assert "Score" not in rows[0]
    login(officer)
    rows = table(client.get("/exports/mises-en-relation.csv?status=suggeree"))
    assert column(rows, "Personne") == ["Sam Suggérée"]
    rows = table(client.get("/exports/mises-en-relation.csv"))
    assert sorted(column(rows, "Score")) == ["", "72"]


# ---------------------------------------------------------------- organisations


def test_organisations_export_reimports_as_duplicates(
    app, client, login, officer, make_organisation, tmp_path
):
    app.config["IMPORT_FOLDER"] = str(tmp_path)
    evil = '=HYPERLINK("http://evil.test")'
    make_organisation(name=evil, name_search=fold(evil))
    make_organisation(name="Le Relais du Canal", name_search="le relais du canal")
    login(officer)
    response = client.get("/exports/structures.xlsx?q=relais")
    rows = table(response, "xlsx")
    assert column(rows, "Nom de la structure") == ["Le Relais du Canal"]
    everything = client.get("/exports/structures.csv")
    names = column(table(everything), "Nom de la structure")
    assert '\'=HYPERLINK("http://evil.test")' in names
    upload = client.post(
        "/imports/nouveau",
        data={
            "kind": "organisations",
            "upload": (io.BytesIO(everything.data), "s.csv"),
        },
        content_type="multipart/form-data",
    )
    job_id = int(upload.headers["Location"].split("/")[2])
    from matching.imports.models import ImportJob

    job = db.session.get(ImportJob, job_id)
    client.post(
        f"/imports/{job.id}/colonnes",
        data={f"col_{name}": str(index) for name, index in job.mapping.items()},
    )
    client.post(f"/imports/{job.id}/verifier", data={"debut": "1"})
    db.session.refresh(job)
    assert (job.error_count, job.duplicate_count) == (0, 2)


# ---------------------------------------------------------------- candidates


@pytest.fixture
def people(make_candidate):
    return [
        make_candidate(
            display_name="Alex Privé",
            consent=["equipe"],
            domains={"addictions": "prive"},
            background_text="Dix ans de consommation.",
        ),
        make_candidate(
            display_name="=Bob",
            user=None,
            email="bob@example.org",
            phone="+33 6 12 34 56 78",
        ),
    ]


def test_candidates_default_export_leaves_lived_experience_out(
    client, login, officer, people
):
    login(officer)
    rows = table(client.get("/exports/candidats.csv?sensibles=1"))
    assert not [title for title in rows[0] if title.startswith("Expérience")]
    assert "Parcours (texte de la personne)" not in rows[0]
    flat = " ".join(cell for row in rows for cell in row)
    assert "Dix ans" not in flat
    assert "Addictions" not in flat
    by_name = dict(zip(column(rows, "Nom"), column(rows, "Téléphone"), strict=True))
    assert by_name == {"'=Bob": "'+33 6 12 34 56 78", "Alex Privé": ""}
    (event,) = audits("candidate.export")
    assert (event.subject_type, event.details["fields"], event.details["count"]) == (
        "candidate_list",
        ["contact"],
        2,
    )


def test_sensitive_fields_only_when_asked_and_audited_per_person(
    client, login, officer, people
):
    login(officer)
    rows = table(
        client.post("/exports/candidats.xlsx", data={"sensibles": "1"}), "xlsx"
    )
    alex = rows[column(rows, "Nom").index("Alex Privé") + 1]
    bob = rows[column(rows, "Nom").index("'=Bob") + 1]
    addictions = rows[0].index("Expérience : Addictions")
    background = rows[0].index("Parcours (texte de la personne)")
    assert alex[addictions] == "Privé : seulement l'équipe Passerelle"
    assert alex[background] == "Dix ans de consommation."
    assert (bob[addictions], bob[background]) == (None, None)
    assert alex[rows[0].index("Mode de l'accord")] == "En ligne"
    events = audits("candidate.export")
    per_person = [e for e in events if e.subject_type == "candidate"]
    assert sorted(e.subject_id for e in per_person) == sorted(p.id for p in people)
    assert per_person[0].details == {
        "format": "xlsx",
        "fields": ["contact", "domains", "background_text", "peer_help_text"],
        "via": "list",
    }
    assert "Dix ans" not in str([e.details for e in events])
    trail = client.get(f"/equipe/candidats/{people[0].id}/journal").get_data(
        as_text=True
    )
    assert "a téléchargé les données" in trail


def test_candidates_export_follows_the_search(client, login, officer, people):
    login(officer)
    rows = table(client.get("/exports/candidats.csv?q=alex"))
    assert column(rows, "Nom") == ["Alex Privé"]


# ---------------------------------------------------------------- survey answers


def test_survey_answers_need_enough_responses(client, login, officer):
    campaign = SurveyCampaignFactory()
    SurveyResponseFactory.create_batch(2, campaign=campaign)
    login(officer)
    response = client.get(f"/exports/diagnostic/{campaign.id}/reponses.csv")
    assert (
        response.headers["Location"] == f"/diagnostic/campagnes/{campaign.id}/resultats"
    )
    assert audits() == []


def test_survey_answers_are_anonymous_and_texts_on_request(
    client, login, officer, make_organisation
):
    campaign = SurveyCampaignFactory()
    secret = "Notre équipe de la Maison Bleue y croit."
    for _n in range(3):
        SurveyResponseFactory(
            campaign=campaign,
            organisation=make_organisation(name="Maison Bleue"),
            contributions_text=secret,
        )
    SurveyResponseFactory(campaign=campaign, sector="justice")
    login(officer)
    rows = table(client.get(f"/exports/diagnostic/{campaign.id}/reponses.csv?textes=1"))
    flat = " ".join(cell for row in rows for cell in row)
    assert "Maison Bleue" not in flat
    assert len(rows) == 5
    social = "Social (accueil, hébergement, insertion)"
    # The one "justice" answer would point at its organisation: its field is blank.
    assert sorted(column(rows, "Champ d'activité")) == ["", social, social, social]
    rows = table(
        client.post(
            f"/exports/diagnostic/{campaign.id}/reponses.xlsx", data={"textes": "1"}
        ),
        "xlsx",
    )
    assert (
        column(rows, "Ce que le travail pair apporte (texte libre)").count(secret) == 3
    )
    assert [e.details.get("fields") for e in audits()] == [[], ["contributions_text"]]


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/exports/candidats.csv")
    assert response.headers["Location"].startswith("/connexion?next=")


@pytest.mark.parametrize(
    ("label", "method"),
    [("En ligne", "en_ligne"), ("À l'oral, noté par l'équipe", "oral")],
)
def test_the_exported_consent_method_reads_back(app, label, method):
    from matching.imports.records import check_candidate

    record = check_candidate(
        {
            "display_name": "Alex",
            "email": "alex@example.org",
            "consent": {"given_at": "02/10/2026", "method": label},
        }
    )
    assert "consent" not in record.errors
    assert record.values["consent"]["method"] == method
