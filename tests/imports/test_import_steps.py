"""The import's steps: upload checks, column mapping, the dry run in steps with its
progress, duplicates, organisations and postings, all or nothing, stored files."""

import io
import os
import stat
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from matching.candidates.models import Candidate
from matching.core.timeutils import utcnow
from matching.extensions import db
from matching.imports import services
from matching.imports.models import ImportJob
from matching.organisations.models import Organisation
from matching.postings.models import JobPosting
from tests.imports.spreadsheets import (
    CANDIDATE_HEADERS,
    candidate_rows,
    to_csv,
    to_xlsx,
)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def small_file(n=20, broken=False, changes=None) -> bytes:
    """``changes``: {(line, header): value}."""
    rows = candidate_rows(n, broken=broken)
    for (line, header), value in (changes or {}).items():
        rows[line - 2][CANDIDATE_HEADERS.index(header)] = value
    return to_csv(CANDIDATE_HEADERS, rows)


JSON = {"Accept": "application/json"}

# ---------------------------------------------------------------- upload


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "vide.csv", "Le fichier est vide."),
        (b"<html><body>x</body></html>", "faux.xlsx", "pas un classeur .xlsx valide"),
        ("Nom;Ville\nLou;Muret".encode("utf-16"), "x.csv", "pas un texte lisible"),
    ],
)
def test_refused_upload_is_shown_next_to_the_field(
    importer, import_folder, data, name, message
):
    response = importer.upload(data, name)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count(ImportJob) == 0
    assert list(import_folder.glob("*")) == []


def test_upload_needs_a_file_and_a_kind(client, importer):
    page = client.post("/imports/nouveau", data={}).get_data(as_text=True)
    assert "Choisissez un fichier." in page
    assert "Choisissez ce que contient le fichier." in page


@pytest.mark.app_config(MAX_CONTENT_LENGTH=2048)
def test_oversized_upload_gets_413(importer):
    response = importer.upload(small_file(60), "gros.csv")
    assert response.status_code == 413
    assert "Fichier trop volumineux" in response.get_data(as_text=True)
    assert count(ImportJob) == 0


def test_file_is_stored_privately_under_a_random_name(importer, import_folder):
    importer.upload(small_file(), "../../static/mes candidats.csv")
    job = importer.last_job()
    path = services.storage_dir() / job.stored_name
    assert path.parent == import_folder
    assert "static" not in job.stored_name
    assert job.stored_name.endswith(".csv")
    assert len(job.stored_name) == 36
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert job.filename == "mes candidats.csv"


def test_files_are_deleted_after_a_day(app, client, importer):
    importer.upload(small_file(), "vieux.csv")
    job = importer.last_job()
    path = services.storage_dir() / job.stored_name
    job.created_at = utcnow() - timedelta(hours=25)
    db.session.commit()
    stray = services.storage_dir() / "orphelin.csv"
    stray.write_text("x")
    os.utime(stray, (0, 0))
    assert client.get("/imports").status_code == 200
    db.session.refresh(job)
    assert (job.status, job.stored_name) == ("expire", None)
    assert not path.exists()
    assert not stray.exists()
    page = client.get(f"/imports/{job.id}").get_data(as_text=True)
    assert "a été supprimé" in page


# ---------------------------------------------------------------- mapping


def test_columns_are_guessed_from_headers(importer):
    importer.upload(small_file(), "c.csv")
    job = importer.last_job()
    assert job.mapping == {
        "display_name": 0,
        "email": 1,
        "phone": 2,
        "commune": 3,
        "mobility_radius_km": 4,
        "available_from": 5,
        "fte_min": 6,
        "fte_max": 7,
        "contract_types": 8,
        "sectors": 9,
        "titles": 10,
        "languages": 11,
        "trainings": 12,
        "domain:rue_sans_abrisme": 13,
        "domains": 14,
        "consent_given_at": 15,
        "background": 16,
    }


def test_mapping_needs_required_fields_and_distinct_columns(client, importer):
    importer.upload(small_file(), "c.csv")
    job = importer.last_job()
    page = client.get(f"/imports/{job.id}/colonnes").get_data(as_text=True)
    assert '<option selected value="3">Ville</option>' in page
    page = importer.map_columns(job, display_name="", email=3).get_data(as_text=True)
    assert "Choisissez la colonne qui contient ce champ." in page
    assert "Cette colonne est déjà choisie pour « E-mail »." in page
    db.session.refresh(job)
    assert job.status == "depose"


def test_an_optional_column_may_be_left_out(importer):
    importer.upload(small_file(3), "c.csv")
    job = importer.last_job()
    importer.map_columns(job, commune="")
    importer.check(job)
    db.session.refresh(job)
    assert (job.status, job.error_count) == ("verifie", 0)


# ---------------------------------------------------------------- dry run in steps


def test_dry_run_in_steps_reports_progress(importer, client, monkeypatch):
    monkeypatch.setattr(services, "STEP_ROWS", 8)
    importer.upload(small_file(20, broken=True), "c.csv")
    job = importer.last_job()
    importer.map_columns(job)
    first = importer.check(job, **JSON).get_json()
    assert (first["done"], first["total"], first["percent"]) == (8, 20, 40)
    assert first["finished"] is False
    assert first["label"] == "8 lignes sur 20"
    assert client.get(f"/imports/{job.id}/etat").get_json()["percent"] == 40
    second = client.post(f"/imports/{job.id}/verifier", headers=JSON).get_json()
    third = client.post(f"/imports/{job.id}/verifier", headers=JSON).get_json()
    assert (second["done"], third["done"], third["finished"]) == (16, 20, True)
    assert third["next"] == f"/imports/{job.id}"
    db.session.refresh(job)
    assert (job.status, job.error_count) == ("verifie", 1)  # line 12 of the 20
    assert services.error_lines(job) == [
        "ligne 12, colonne « Ville » : Commune introuvable : « Gotham »."
    ]


def test_error_list_downloads(client, importer):
    job = importer.through_check(small_file(20, broken=True), "c.csv")
    response = client.get(f"/imports/{job.id}/erreurs.csv")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.data.decode("utf-8-sig").splitlines() == [
        "Ligne;Colonne;Problème",
        "12;Ville;Commune introuvable : « Gotham ».",
    ]


def test_json_commit_returns_where_to_go(client, importer):
    job = importer.through_check(small_file(5), "c.csv")
    state = importer.commit(job, **JSON).get_json()
    assert (state["finished"], state["imported"], state["percent"]) == (True, True, 100)
    assert count(Candidate) == 5


def test_import_reports_progress_to_a_file(app, importer, officer, monkeypatch):
    job = importer.through_check(small_file(6), "c.csv")
    monkeypatch.setattr(services, "PROGRESS_EVERY", 2)
    seen = []
    original = services._report_progress

    def spy(job, done):
        original(job, done)
        seen.append(services.progress(job)["percent"])

    monkeypatch.setattr(services, "_report_progress", spy)
    services.import_job(job, officer)
    assert seen == [33, 66, 100]
    db.session.rollback()


# ---------------------------------------------------------------- duplicates


def test_duplicates_of_existing_people_and_within_the_file(
    client, importer, make_candidate
):
    make_candidate(user=None, display_name="Déjà Là", email="personne0001@exemple.org")
    data = small_file(6, changes={(7, "Courriel"): "personne0002@exemple.org"})
    job = importer.through_check(data, "c.csv")
    assert (job.error_count, job.duplicate_count) == (0, 2)
    page = client.get(f"/imports/{job.id}").get_data(as_text=True)
    assert "ressemble à" in page
    assert "Déjà Là" in page
    assert "même enregistrement que la ligne 4 du fichier" in page
    importer.commit(job, duplicates="ignorer")
    assert count(Candidate) == 1 + 4
    db.session.refresh(job)
    assert job.summary == {"created": 4, "updated": 0, "skipped": 2}


def test_duplicates_can_be_imported_anyway(importer, make_candidate):
    make_candidate(user=None, display_name="Déjà Là", email="personne0001@exemple.org")
    job = importer.through_check(small_file(3), "c.csv")
    importer.commit(job, duplicates="importer")
    assert count(Candidate) == 1 + 3


def test_close_name_in_the_same_commune_is_a_duplicate(importer, make_candidate):
    make_candidate(user=None, display_name="Lou A n°0000", commune="Toulouse")
    job = importer.through_check(small_file(2), "c.csv")
    assert [d["line"] for d in job.report["duplicates"]] == [2]


# ---------------------------------------------------------------- all or nothing


def test_an_error_at_import_time_saves_nothing(importer, make_organisation):
    make_organisation(name="Le Relais", name_search="le relais")
    doomed = make_organisation(name="La Halte", name_search="la halte")
    data = to_csv(
        ["Structure", "Intitulé", "Secteur", "État"],
        [
            ["le relais", "Travailleur·euse pair", "ahi_hebergement", "brouillon"],
            [
                "LE RELAIS",
                "mediateur_sante_pair",
                "Addictologie et réduction des risques",
                "",
            ],
            ["La Halte", "Médiateur·rice pair", "justice", "Brouillon"],
        ],
    )
    job = importer.through_check(data, "postes.csv", kind="postings")
    assert job.error_count == 0
    db.session.delete(doomed)  # meanwhile, someone deletes an organisation
    db.session.commit()
    response = importer.commit(job)
    assert count(JobPosting) == 0
    db.session.refresh(job)
    assert (job.status, job.error_count) == ("verifie", 1)
    assert services.error_lines(job) == [
        "ligne 4, colonne « Structure » : Structure inconnue : « La Halte »."
    ]
    assert "Rien n&#39;a été enregistré" in importer.client.get(
        response.headers["Location"]
    ).get_data(as_text=True)


# ---------------------------------------------------------------- other kinds


def test_organisations_by_label_or_slug_and_update_of_known_ones(
    importer, make_organisation
):
    make_organisation(name="Maison Relais Garonne", name_search="maison relais garonne")
    data = to_csv(
        [
            "Nom",
            "SECTEUR",
            "type de structure",
            "Commune",
            "Effectif",
            "Statut juridique",
        ],
        [
            [
                "maison relais garonne",
                "logement accompagné",
                "Pension de famille",
                "Muret",
                "11-50",
                "association",
            ],
            ["CSAPA Rive", "addictologie_rdr", "csapa", "31555", "", ""],
            ["Sans secteur", "", "chrs", "Toulouse", "", "Coopérative de rêve"],
        ],
    )
    job = importer.through_check(data, "structures.csv", kind="organisations")
    assert services.error_lines(job) == [
        "ligne 4, colonne « SECTEUR » : Ce champ est obligatoire.",
        "ligne 4, colonne « Statut juridique » : Valeur inconnue : « Coopérative de rêve ».",
    ]
    data = data.replace(b"Sans secteur;;chrs", b"Sans secteur;Justice;chrs").replace(
        "Coopérative de rêve".encode(), b"cooperative"
    )
    job = importer.through_check(data, "structures.csv", kind="organisations")
    assert (job.error_count, job.duplicate_count) == (0, 1)
    importer.commit(job, duplicates="importer")
    db.session.refresh(job)
    assert job.summary == {"created": 2, "updated": 1, "skipped": 0}
    relais = db.session.scalar(
        select(Organisation).where(Organisation.name_search == "maison relais garonne")
    )
    assert (relais.sector, relais.structure_type, relais.commune) == (
        "logement_accompagne",
        "pension_de_famille",
        "Muret",
    )


def test_postings_published_or_told_what_is_missing(importer, make_organisation):
    make_organisation(name="Le Relais", name_search="le relais")
    headers = [
        "Structure",
        "Intitulé",
        "Fonctions",
        "Secteur",
        "Commune",
        "Contrat",
        "ETP",
        "Missions",
        "Expériences de vie recherchées",
        "État",
    ]
    row = [
        "Le Relais",
        "Travailleur·euse pair",
        "Aller-vers; accompagnement_individuel",
        "Accueil, hébergement, insertion (AHI)",
        "Toulouse",
        "CDI",
        "0,8",
        "Aller vers.",
        "Vie à la rue, sans-abrisme",
        "Publiée",
    ]
    data = to_csv(headers, [row, [*row[:7], "", *row[8:]]])
    job = importer.through_check(data, "postes.csv", kind="postings")
    assert services.error_lines(job) == [
        "ligne 3, colonne « Missions » : Décrivez les missions."
    ]
    job = importer.through_check(to_csv(headers, [row]), "postes.csv", kind="postings")
    importer.commit(job)
    posting = db.session.scalar(select(JobPosting))
    assert (posting.status, str(posting.fte), posting.experience_domains) == (
        "publiee",
        "0.80",
        ["rue_sans_abrisme"],
    )
    assert posting.functions == ["aller_vers", "accompagnement_individuel"]
    assert posting.published_at is not None


# ---------------------------------------------------------------- access


def test_another_officer_cannot_open_the_import(client, importer, login, make_user):
    importer.upload(small_file(), "c.csv")
    job = importer.last_job()
    login(make_user(role="officer"))
    assert client.get(f"/imports/{job.id}").status_code == 404
    assert client.post(f"/imports/{job.id}/importer").status_code == 404


def test_deleting_an_import_deletes_its_file(client, importer):
    importer.upload(small_file(), "c.csv")
    job = importer.last_job()
    path = services.storage_dir() / job.stored_name
    response = client.post(f"/imports/{job.id}/supprimer")
    assert response.headers["Location"] == "/imports"
    assert count(ImportJob) == 0
    assert not path.exists()


def test_listing_imports_creates_no_folder(client, importer, import_folder):
    assert client.get("/imports").status_code == 200
    assert not import_folder.exists()


def test_a_shared_phone_alone_does_not_make_a_duplicate(importer, make_candidate):
    switchboard = "05 61 00 00 00"
    make_candidate(user=None, display_name="Nadia Kaci", phone=switchboard)
    make_candidate(user=None, display_name="Paul Martin", phone="06 99 99 99 99")
    data = small_file(
        5,
        changes={
            (2, "Nom et prénom"): "Jean Dupont",
            (2, "Tél"): switchboard,
            (3, "Nom et prénom"): "Samira Benali",
            (3, "Tél"): "+33 5 61 00 00 00",
            (4, "Nom et prénom"): "Dupont Jean",
            (4, "Tél"): switchboard,
            (5, "Nom et prénom"): "Martin Paul",
            (5, "Tél"): "0699999999",
            (6, "Nom et prénom"): "Léa Roux",
            (6, "Tél"): "06 99 99 99 99",
        },
    )
    job = importer.through_check(data, "c.csv")
    duplicates = {d["line"]: d for d in job.report["duplicates"]}
    # The same phone and a close name: the same person, in the file or already known.
    assert duplicates[4]["lines"] == [2]
    assert [label for _id, label in duplicates[5]["existing"]] == [
        "Paul Martin – Toulouse"
    ]
    # Three other people calling from one switchboard or one family phone.
    assert sorted(duplicates) == [4, 5]
    importer.commit(job, duplicates="ignorer")
    assert count(Candidate) == 2 + 3


def test_a_formula_is_refused_and_never_imported_as_text(importer, client):
    workbook = load_workbook(io.BytesIO(to_xlsx(CANDIDATE_HEADERS, candidate_rows(3))))
    sheet = workbook.active
    name = CANDIDATE_HEADERS.index("Nom et prénom") + 1
    sheet.cell(2, name).value = '=HYPERLINK("http://x","Cliquez ici")'
    sheet.cell(3, name).value = '=CONCATENATE("Lou"," ","Roux")'
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = importer.through_check(buffer.getvalue(), "c.xlsx")
    assert job.error_count == 2
    errors = services.error_lines(job)
    assert all("Cette cellule contient une formule" in line for line in errors)
    assert not any("obligatoire" in line for line in errors)
    assert "ligne 2, colonne « Nom et prénom »" in errors[0]
    importer.commit(job)
    assert count(Candidate) == 0
