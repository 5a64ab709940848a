"""Turn the evaluation set (the import-json format) into engine profiles, without a
database: the same normalisation the services apply when records are saved."""

import json
from datetime import date
from pathlib import Path

from matching.communes.data import departments, resolve_commune
from matching.scoring import CandidatePool, CandidateProfile, PostingProfile
from matching.scoring.text import normalise

EVAL_SET = Path(__file__).parent / "data" / "eval_set.json"


def _date(value):
    return date.fromisoformat(value) if value else None


def load():
    data = json.loads(EVAL_SET.read_text(encoding="utf-8"))
    refs, profiles = {}, []
    for number, row in enumerate(data["candidates"], 1):
        commune, _ = resolve_commune(row["commune"])
        refs[number] = row["ref"]
        profiles.append(
            CandidateProfile(
                id=number,
                status=row["status"],
                latitude=commune.latitude,
                longitude=commune.longitude,
                department=commune.department,
                mobility_radius_km=row["mobility_radius_km"],
                available_from=_date(row.get("available_from")),
                fte_min=row.get("fte_min"),
                fte_max=row.get("fte_max"),
                contract_types=frozenset(row["contract_types"]),
                sectors=frozenset(row["sectors"]),
                titles=frozenset(row["titles"]),
                functions=frozenset(row["functions"]),
                domains=dict(row["domains"]),
                text=normalise(
                    row.get("background"),
                    row.get("peer_help_experience"),
                    *(t["name"] for t in row.get("trainings", [])),
                ),
            )
        )
    neighbours = {code: d.neighbours for code, d in departments().items()}
    pool = CandidatePool(profiles, neighbours)
    postings = {}
    for number, row in enumerate(data["postings"], 1):
        commune, _ = resolve_commune(row["commune"])
        postings[row["ref"]] = PostingProfile(
            id=number,
            title=row["title"],
            functions=frozenset(row["functions"]),
            sector=row["sector"],
            latitude=commune.latitude,
            longitude=commune.longitude,
            department=commune.department,
            contract_type=row["contract_type"],
            fte=row["fte"],
            start_date=_date(row["start_date"]),
            experience_domains=frozenset(row["experience_domains"]),
            experience_text=normalise(
                row.get("experience_text"), row.get("custom_title")
            ),
            missions_text=normalise(row.get("missions"), row.get("savoir_etre")),
        )
    return data, pool, postings, refs
