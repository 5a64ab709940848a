"""The communes of Occitanie and the departments of France, shipped as CSV data.

Loaded once per process (about 4,500 rows). See ``matching/data/SOURCES.md`` for the
source and licence, and ``scripts/build_communes.py`` to regenerate the files.
"""

import csv
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from matching.vocab import fold

DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True, slots=True)
class Commune:
    insee: str
    name: str
    postcodes: tuple[str, ...]
    department: str
    latitude: float
    longitude: float

    @property
    def label(self) -> str:
        """ "Toulouse (31000)": what a person types and reads."""
        return (
            f"{self.name} ({self.postcodes[0] if self.postcodes else self.department})"
        )


@dataclass(frozen=True, slots=True)
class Department:
    code: str
    name: str
    region: str
    latitude: float
    longitude: float
    neighbours: tuple[str, ...]


@cache
def communes() -> dict[str, Commune]:
    with (DATA / "communes_occitanie.csv").open(encoding="utf-8") as handle:
        return {
            row["insee"]: Commune(
                row["insee"],
                row["name"],
                tuple(row["postcodes"].split()),
                row["department"],
                float(row["latitude"]),
                float(row["longitude"]),
            )
            for row in csv.DictReader(handle)
        }


@cache
def departments() -> dict[str, Department]:
    with (DATA / "departments.csv").open(encoding="utf-8") as handle:
        return {
            row["code"]: Department(
                row["code"],
                row["name"],
                row["region"],
                float(row["latitude"]),
                float(row["longitude"]),
                tuple(row["neighbours"].split()),
            )
            for row in csv.DictReader(handle)
        }


# Prefectures and the largest towns come first in suggestions ("tou" -> Toulouse).
MAIN_TOWNS = frozenset(
    [
        "31555",
        "34172",
        "30189",
        "66136",
        "34032",
        "82121",
        "11262",
        "81004",
        "11069",
        "34301",
        "81065",
        "65440",
        "12202",
        "46042",
        "32013",
        "09122",
        "48095",
        "31149",
        "31557",
        "31069",
        "31395",
        "30007",
        "34145",
        "34003",
        "31483",
        "30258",
        "12145",
        "12300",
        "11203",
        "65286",
        "09225",
        "46102",
        "82112",
    ]
)


@cache
def _folded_index() -> list[tuple[str, Commune]]:
    return sorted(
        ((_key(c.name), c) for c in communes().values()),
        key=lambda p: (p[1].insee not in MAIN_TOWNS, p[0]),
    )


def get_commune(insee: str | None) -> Commune | None:
    return communes().get(insee or "")


def _key(text: str) -> str:
    """Fold accents and case; hyphens and apostrophes count as spaces."""
    words = re.sub(r"[-'’]", " ", fold(text)).split()
    words = [{"st": "saint", "ste": "sainte"}.get(word, word) for word in words]
    return " ".join(words)


def search_communes(query: str, limit: int = 10) -> list[Commune]:
    """Communes whose name or postcode starts with the query (accents ignored)."""
    wanted = _key(query)
    if not wanted:
        return []
    if wanted.isdigit():
        found = [
            c
            for c in communes().values()
            if any(p.startswith(wanted) for p in c.postcodes)
        ]
        return sorted(found, key=lambda c: (c.postcodes[0], c.name))[:limit]
    exact, prefix, inside = [], [], []
    for name, commune in _folded_index():
        if name == wanted:
            exact.append(commune)
        elif name.startswith(wanted):
            prefix.append(commune)
        elif f" {wanted}" in name:
            inside.append(commune)
    return (exact + prefix + inside)[:limit]


def resolve_commune(text: str) -> tuple[Commune | None, list[Commune]]:
    """Turn what a person typed into one commune, or the candidates if ambiguous.

    Accepts an INSEE code, "Toulouse", "toulouse", "Toulouse (31000)" or "31000".
    """
    text = (text or "").strip()
    if not text:
        return None, []
    if text in communes():
        return communes()[text], []
    postcode = None
    if text.endswith(")") and "(" in text:
        text, _, rest = text.rpartition("(")
        postcode = rest.rstrip(")").strip()
        text = text.strip()
    matches = [c for c in search_communes(text, limit=50) if _key(c.name) == _key(text)]
    if not matches and text.isdigit():
        matches = search_communes(text, limit=50)
        postcode, matches = text, [c for c in matches if text in c.postcodes]
    if postcode:
        narrowed = [
            c for c in matches if postcode in c.postcodes or postcode == c.department
        ]
        matches = narrowed or matches
    if len(matches) == 1:
        return matches[0], []
    return None, matches


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = (
        math.sin(dphi / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(a))
