"""What the engine reads: plain dataclasses built from rows by a service, and the
candidate pool, the same candidates as columns (NumPy arrays) built once and reused."""

import copy
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
    """All candidates as columns, so each criterion scores everyone in one NumPy pass.

    ``replace`` updates the rows of candidates who changed (and appends new ones)
    without rebuilding the whole pool.
    """

    ARRAYS = (
        "ids", "active", "latitude", "longitude", "department", "radius", "available",
        "fte_min", "fte_max", "contracts", "sectors", "titles", "functions",
        "last_proposed",
    )  # fmt: skip

    def __init__(self, candidates: list[CandidateProfile], neighbours=None):
        self.neighbours = neighbours or {}
        self.departments: dict[str, int] = {}
        self.vocabularies = {
            name: Bits()
            for name in ("contracts", "sectors", "titles", "functions", "domains")
        }
        columns = self._columns(candidates)
        for name in self.ARRAYS:
            setattr(self, name, columns[name])
        self.domains = columns["domains"]
        self.texts = columns["texts"]
        self.text_words = columns["text_words"]
        self.text_domains = columns["text_domains"]
        self.candidates = list(candidates)
        self._reindex()

    def _reindex(self) -> None:
        self.size = len(self.ids)
        self.index = {
            candidate_id: n for n, candidate_id in enumerate(self.ids.tolist())
        }

    def _columns(self, candidates: list[CandidateProfile]) -> dict:
        bits = self.vocabularies
        texts = {
            audience: [c.text_for(audience) for c in candidates]
            for audience in SHARED_AT
        }
        return {
            "ids": np.array([c.id for c in candidates], dtype=np.int64),
            "active": np.array([c.status == "actif" for c in candidates], dtype=bool),
            "latitude": _floats(c.latitude for c in candidates),
            "longitude": _floats(c.longitude for c in candidates),
            "department": np.array(
                [self._department(c.department) for c in candidates], dtype=np.int16
            ),
            "radius": np.array(
                [c.mobility_radius_km or 0 for c in candidates], np.float64
            ),
            "available": np.array(
                [
                    (c.available_from - EPOCH).days if c.available_from else 0
                    for c in candidates
                ],
                dtype=np.int32,
            ),
            "fte_min": _floats(
                (c.fte_min if c.fte_min is not None else 0.1) for c in candidates
            ),
            "fte_max": _floats(
                (c.fte_max if c.fte_max is not None else 1.0) for c in candidates
            ),
            "contracts": _masks(
                bits["contracts"], (c.contract_types for c in candidates)
            ),
            "sectors": _masks(bits["sectors"], (c.sectors for c in candidates)),
            "titles": _masks(bits["titles"], (c.titles for c in candidates)),
            "functions": _masks(bits["functions"], (c.functions for c in candidates)),
            "domains": {
                audience: _masks(
                    bits["domains"],
                    (
                        {d for d, level in c.domains.items() if level in levels}
                        for c in candidates
                    ),
                )
                for audience, levels in SHARED_AT.items()
            },
            "texts": texts,
            "text_words": {
                audience: np.array([len(t.split()) for t in values], np.float64)
                for audience, values in texts.items()
            },
            # Experience domains the person's own words evoke ("dix ans à la rue").
            "text_domains": {
                audience: _masks(bits["domains"], (evoked_domains(t) for t in values))
                for audience, values in texts.items()
            },
            "last_proposed": np.array(
                [
                    c.last_proposed_at.timestamp() if c.last_proposed_at else 0.0
                    for c in candidates
                ],
                dtype=np.float64,
            ),
        }

    def replace(self, candidates: list[CandidateProfile]) -> None:
        """Write changed candidates over their rows; append the new ones."""
        if not candidates:
            return
        columns = self._columns(candidates)
        known = [n for n, c in enumerate(candidates) if c.id in self.index]
        rows = [self.index[candidates[n].id] for n in known]
        fresh = [n for n, c in enumerate(candidates) if c.id not in self.index]
        for name in self.ARRAYS:
            array = getattr(self, name)
            array[rows] = columns[name][known]
            setattr(self, name, np.concatenate([array, columns[name][fresh]]))
        for group in ("domains", "text_words", "text_domains"):
            for audience, array in getattr(self, group).items():
                array[rows] = columns[group][audience][known]
                getattr(self, group)[audience] = np.concatenate(
                    [array, columns[group][audience][fresh]]
                )
        for audience, values in self.texts.items():
            for n, row in zip(known, rows, strict=True):
                values[row] = columns["texts"][audience][n]
            values.extend(columns["texts"][audience][n] for n in fresh)
        for n, row in zip(known, rows, strict=True):
            self.candidates[row] = candidates[n]
        self.candidates.extend(candidates[n] for n in fresh)
        self._reindex()

    def copy(self) -> "CandidatePool":
        """An independent copy (rankings running on the old one are not disturbed)."""
        clone = copy.copy(self)
        for name in self.ARRAYS:
            setattr(clone, name, getattr(self, name).copy())
        for group in ("domains", "text_words", "text_domains"):
            setattr(
                clone, group, {k: v.copy() for k, v in getattr(self, group).items()}
            )
        clone.texts = {k: list(v) for k, v in self.texts.items()}
        clone.candidates = list(self.candidates)
        clone.index = dict(self.index)
        return clone

    def remove(self, candidate_ids) -> None:
        """Take candidates out of suggestions (erased): they stay as inactive rows."""
        rows = [self.index[i] for i in candidate_ids if i in self.index]
        self.active[rows] = False

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
