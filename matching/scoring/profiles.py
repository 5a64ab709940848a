"""What the engine reads: plain dataclasses built from rows by a service, and the
candidate pool, the same candidates as columns (NumPy arrays) built once and reused."""

from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np

from matching.scoring.text import evoked_domains

EPOCH = date(1970, 1, 1)


@dataclass(frozen=True, slots=True)
class PostingProfile:
    id: int
    title: str | None
    functions: frozenset[str] = frozenset()
    sector: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    department: str | None = None
    contract_type: str | None = None
    fte: float | None = None
    start_date: date | None = None
    experience_domains: frozenset[str] = frozenset()
    # Normalised texts (matching.scoring.text.normalise), stored on the posting.
    experience_text: str = ""
    missions_text: str = ""


@dataclass(frozen=True, slots=True)
class CandidateProfile:
    id: int
    status: str = "actif"
    latitude: float | None = None
    longitude: float | None = None
    department: str | None = None
    mobility_radius_km: float = 0
    available_from: date | None = None
    fte_min: float | None = None
    fte_max: float | None = None
    contract_types: frozenset[str] = frozenset()  # empty: any contract
    sectors: frozenset[str] = frozenset()
    titles: frozenset[str] = frozenset()
    functions: frozenset[str] = frozenset()
    # experience domain -> sharing level (prive, apres_mise_en_relation, public_employeurs)
    domains: dict[str, str] = field(default_factory=dict)
    # Normalised free text (background, volunteer peer help, trainings): all of it for
    # officers; ``shared_texts`` gives what an employer may read at each stage
    # ("introduced", "anonymous"), when it differs.
    text: str = ""
    shared_texts: dict[str, str] | None = None
    last_proposed_at: datetime | None = None

    def text_for(self, audience: str) -> str:
        if audience == "officer" or self.shared_texts is None:
            return self.text
        return self.shared_texts.get(audience, "")


class Bits:
    """Assigns one bit per slug, in order of appearance (slugs stay plain strings)."""

    def __init__(self):
        self.positions: dict[str, int] = {}

    def mask(self, slugs) -> int:
        value = 0
        for slug in slugs:
            if slug not in self.positions:
                if len(self.positions) >= 63:
                    raise ValueError("more than 63 values in one vocabulary")
                self.positions[slug] = len(self.positions)
            value |= 1 << self.positions[slug]
        return value

    def known_mask(self, slugs) -> int:
        """Like mask, but a slug no candidate has gets no bit (so it matches nothing)."""
        return sum(1 << self.positions[s] for s in slugs if s in self.positions)

    def slugs(self, value: int) -> list[str]:
        return [slug for slug, bit in self.positions.items() if value >> bit & 1]


SHARED_AT = {
    # audience -> sharing levels whose domains may be used
    "officer": ("prive", "apres_mise_en_relation", "public_employeurs"),
    "introduced": ("apres_mise_en_relation", "public_employeurs"),
    "anonymous": ("public_employeurs",),
}


class CandidatePool:
    """All candidates as columns, so each criterion scores everyone in one NumPy pass."""

    def __init__(self, candidates: list[CandidateProfile], neighbours=None):
        self.size = len(candidates)
        self.ids = np.array([c.id for c in candidates], dtype=np.int64)
        self.index = {
            candidate_id: n for n, candidate_id in enumerate(self.ids.tolist())
        }
        self.active = np.array([c.status == "actif" for c in candidates], dtype=bool)
        self.latitude = _floats(c.latitude for c in candidates)
        self.longitude = _floats(c.longitude for c in candidates)
        self.departments = {}
        self.department = np.array(
            [self._department(c.department) for c in candidates], dtype=np.int16
        )
        self.neighbours = neighbours or {}
        self.radius = np.array(
            [c.mobility_radius_km or 0 for c in candidates], np.float64
        )
        self.available = np.array(
            [
                (c.available_from - EPOCH).days if c.available_from else 0
                for c in candidates
            ],
            dtype=np.int32,
        )
        self.fte_min = _floats(
            (c.fte_min if c.fte_min is not None else 0.1) for c in candidates
        )
        self.fte_max = _floats(
            (c.fte_max if c.fte_max is not None else 1.0) for c in candidates
        )
        self.vocabularies = {
            name: Bits()
            for name in ("contracts", "sectors", "titles", "functions", "domains")
        }
        bits = self.vocabularies
        self.contracts = _masks(
            bits["contracts"], (c.contract_types for c in candidates)
        )
        self.sectors = _masks(bits["sectors"], (c.sectors for c in candidates))
        self.titles = _masks(bits["titles"], (c.titles for c in candidates))
        self.functions = _masks(bits["functions"], (c.functions for c in candidates))
        self.domains = {
            audience: _masks(
                bits["domains"],
                (
                    {d for d, level in c.domains.items() if level in levels}
                    for c in candidates
                ),
            )
            for audience, levels in SHARED_AT.items()
        }
        self.texts = {
            audience: [c.text_for(audience) for c in candidates]
            for audience in SHARED_AT
        }
        self.text_words = {
            audience: np.array([len(t.split()) for t in texts], np.float64)
            for audience, texts in self.texts.items()
        }
        # Experience domains the person's own words evoke ("dix ans à la rue").
        self.text_domains = {
            audience: _masks(bits["domains"], (evoked_domains(t) for t in texts))
            for audience, texts in self.texts.items()
        }
        self.last_proposed = np.array(
            [
                c.last_proposed_at.timestamp() if c.last_proposed_at else 0.0
                for c in candidates
            ],
            dtype=np.float64,
        )
        self.candidates = candidates

    def _department(self, code: str | None) -> int:
        if not code:
            return -1
        return self.departments.setdefault(code, len(self.departments))

    def department_code(self, index: int) -> str | None:
        for code, position in self.departments.items():
            if position == index:
                return code
        return None


def _floats(values) -> np.ndarray:
    return np.array(
        [np.nan if v is None else float(v) for v in values], dtype=np.float64
    )


def _masks(bits: Bits, sets) -> np.ndarray:
    return np.array([bits.mask(sorted(s)) for s in sets], dtype=np.uint64)
