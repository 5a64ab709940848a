"""flask import-json: the whole file or nothing, with a French error per record."""

import json

import pytest
import time_machine
from sqlalchemy import func, select

from matching.candidates.models import Candidate, ConsentRecord
from matching.extensions import db
from matching.organisations.models import Organisation
from matching.postings.models import JobPosting
from tests.scoring.eval_loader import EVAL_SET

VALID = {
    "format": "passerelle-import/1",
    "organisations": [
        {
            "ref": "o1",
            "name": "Maison Relais Garonne",
            "sector": "Logement accompagné",
            "commune": "Muret",
            "structure_type": "pension_de_famille",
        }
    ],
    "postings": [
        {
            "ref": "p1",
            "organisation": "o1",
            "title": "Travailleur·euse pair",
            "functions": ["aller_vers"],
            "sector": "logement_accompagne",
            "commune": "Muret",
            "contract_type": "CDI",
            "fte": "0,8",
            "missions": "Accueillir les habitants.",
            "experience_domains": ["rue_sans_abrisme"],
            "status": "publiee",
        }
    ],
    "candidates": [
        {
            "ref": "c1",
            "display_name": "Lou P.",
            "commune": "Toulouse",
            "mobility_radius_km": 30,
            "domains": {"rue_sans_abrisme": "public_employeurs", "addictions": "prive"},
            "background": "Dix ans à la rue.",
            "consent": {
                "given_at": "2026-10-02",
                "method": "entretien",
                "version": "2026-11",
            },
        }
    ],
}


def write(tmp_path, data) -> str:
    path = tmp_path / "import.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_valid_file_is_loaded_with_labels_or_slugs(runner, tmp_path, officer):
    result = runner.invoke(
        args=["import-json", write(tmp_path, VALID), "--by", officer.email]
    )
    assert result.exit_code == 0, result.output
    assert "1 structure(s) créée(s)" in result.output
    organisation = db.session.scalar(select(Organisation))
    assert organisation.sector == "logement_accompagne"
    posting = db.session.scalar(select(JobPosting))
    assert (posting.status, posting.contract_type, str(posting.fte)) == (
        "publiee",
        "cdi",
        "0.80",
    )
    assert posting.match_missions == "accueillir habitant"
    candidate = db.session.scalar(select(Candidate))
    assert {d.domain: d.sharing for d in candidate.domains} == {
        "rue_sans_abrisme": "public_employeurs",
        "addictions": "prive",
    }
    consent = db.session.scalar(select(ConsentRecord))
    assert (consent.method, consent.version, consent.recorded_by_id) == (
        "oral",
        "2026-11",
        officer.id,
    )
    assert set(consent.purposes) == {"equipe", "mise_en_relation", "profil_anonyme"}
    assert candidate.match_background == "dix ans rue"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["postings"][0].update(fte="3"),
            "postings[0] (p1) – fte : Un nombre entre 0.1 et 1.0.",
        ),
        (
            lambda d: d["postings"][0].update(title="directeur"),
            "postings[0] (p1) – title : Valeur inconnue : « directeur ».",
        ),
        (
            lambda d: d["postings"][0].update(organisation="o9"),
            "structure inconnue : « o9 »",
        ),
        (
            lambda d: d["postings"][0].update(missions=""),
            "postings[0] (p1) – missions : Décrivez les missions.",
        ),
        (
            lambda d: d["candidates"][0].update(commune="Gotham"),
            "candidates[0] (c1) – commune : Commune introuvable",
        ),
        (lambda d: d["candidates"][0].pop("consent"), "sans l'accord de la personne"),
        (
            lambda d: d["candidates"][0].update(fte_min=0.9, fte_max=0.5),
            "fte_max : Le temps de travail maximum",
        ),
        (
            lambda d: d["candidates"][0]["domains"].update(gloire="prive"),
            "Domaine ou partage inconnu",
        ),
        (
            lambda d: d["candidates"].append({"ref": "c1", "display_name": "Bis"}),
            "Référence en double",
        ),
    ],
)
def test_one_bad_record_refuses_the_whole_file(runner, tmp_path, change, message):
    data = json.loads(json.dumps(VALID))
    change(data)
    result = runner.invoke(args=["import-json", write(tmp_path, data)])
    assert result.exit_code == 1
    assert "rien n'a été enregistré" in result.output
    assert message in result.output
    for model in (Organisation, JobPosting, Candidate):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0


def test_unreadable_file(runner, tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{pas du json", encoding="utf-8")
    result = runner.invoke(args=["import-json", str(path)])
    assert result.exit_code != 0
    assert "Fichier illisible" in result.output


def test_known_organisation_is_reused(runner, tmp_path, make_organisation):
    make_organisation(name="Maison Relais Garonne", name_search="maison relais garonne")
    result = runner.invoke(args=["import-json", write(tmp_path, VALID)])
    assert "1 déjà connue(s)" in result.output
    assert db.session.scalar(select(func.count(Organisation.id))) == 1


def test_evaluation_set_through_the_database_and_suggest(runner):
    """The same ranking quality when the set goes through import-json and suggest."""
    data = json.loads(EVAL_SET.read_text(encoding="utf-8"))
    assert runner.invoke(args=["import-json", str(EVAL_SET)]).exit_code == 0
    postings = {row["ref"]: n for n, row in enumerate(data["postings"], 1)}
    candidates = {n: row["ref"] for n, row in enumerate(data["candidates"], 1)}
    precisions = []
    with time_machine.travel("2026-12-01 10:00 +0100", tick=False):
        for ref, relevant in data["relevant"].items():
            result = runner.invoke(
                args=["suggest", str(postings[ref]), "--top", "5", "--json"]
            )
            ranked = json.loads(result.output)["candidates"]
            top = [candidates[row["candidate_id"]] for row in ranked]
            precisions.append(len(set(top) & set(relevant)) / min(5, len(relevant)))
    assert sum(precisions) / len(precisions) >= 0.85
    first = ranked[0]
    assert set(first["breakdown"]) == {
        "experience",
        "role",
        "sector",
        "availability",
        "location",
        "contract",
        "text",
    }
    assert first["breakdown"]["location"]["reason"]


def test_suggest_unknown_posting(runner):
    result = runner.invoke(args=["suggest", "999"])
    assert result.exit_code != 0
    assert "Aucune offre" in result.output
