"""The officer's candidate list: filters in SQL, then fuzzy ranking with rapidfuzz.

It stays fast with tens of thousands of profiles: the filters narrow the rows in
SQL; the typed text is matched against two stored, folded columns (``name_search``
with rapidfuzz, ``search_text`` with LIKE on word stems), reading only ids and
names; only the page shown is loaded. A request costs the same few queries whatever
the number of rows.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from rapidfuzz import fuzz, process
from sqlalchemy import String, and_, cast, exists, func, or_, select

from matching import access
from matching.candidates.models import Candidate, CandidateDomain
from matching.candidates.services import phone_key
from matching.extensions import db
from matching.vocab import fold

NAME_CUTOFF = 80
TEXT_SCORE, STEM_SCORE = 75, 70
MAX_TOKENS = 6
MIN_FUZZY = 3


@dataclass
class CandidateFilters:
    q: str = ""
    status: str | None = None
    sector: str | None = None
    title: str | None = None
    domain: str | None = None
    available_before: date | None = None
    department: str | None = None
    commune_insee: str | None = None

    @property
    def sensitive(self) -> list[str]:
        """Filters that can reveal lived experience (their use is audited)."""
        return [name for name in ("q", "domain") if getattr(self, name)]


@dataclass
class ResultPage:
    """The page of results, shaped like Flask-SQLAlchemy's Pagination."""

    items: list
    total: int
    page: int
    per_page: int
    scores: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def next_num(self) -> int:
        return self.page + 1


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _json_list_contains(column, slug: str):
    """Portable "JSON list holds this slug" (SQLite and PostgreSQL store the text)."""
    return cast(column, String).like(f'%"{_escape_like(slug)}"%', escape="\\")


def filtered_query(user, filters: CandidateFilters):
    query = access.candidates_scope(user)
    if filters.status:
        query = query.where(Candidate.status == filters.status)
    if filters.sector:
        query = query.where(_json_list_contains(Candidate.sectors, filters.sector))
    if filters.title:
        query = query.where(_json_list_contains(Candidate.titles, filters.title))
    if filters.domain:
        query = query.where(
            exists().where(
                CandidateDomain.candidate_id == Candidate.id,
                CandidateDomain.domain == filters.domain,
            )
        )
    if filters.available_before:
        query = query.where(
            or_(
                Candidate.available_from.is_(None),
                Candidate.available_from <= filters.available_before,
            )
        )
    if filters.department:
        query = query.where(Candidate.department == filters.department)
    if filters.commune_insee:
        query = query.where(Candidate.commune_insee == filters.commune_insee)
    return query


def tokens_of(text: str) -> list[str]:
    words = [w for w in re.split(r"[^0-9a-z@.+]+", fold(text)) if len(w) >= 2]
    return list(dict.fromkeys(words))[:MAX_TOKENS]


def stem(word: str) -> str:
    """Drop the last letters of long words: "toulouze" finds "toulouse"."""
    return word if len(word) <= 4 else word[: max(4, len(word) - 2)]


@dataclass(frozen=True)
class Directory:
    """What the search reads of every profile not anonymised: folded name, commune
    and folded text, by candidate id."""

    names: dict[int, str]
    communes: dict[int, str | None]
    texts: dict[int, str]


# Per process: database URL -> (count and latest update, directory).
_names_cache: dict[str, tuple[tuple, Directory]] = {}


def directory() -> Directory:
    """Read once per process, and again only when a profile was added, saved or
    anonymised (profiles are never deleted: erasure anonymises them). Two maxima
    on indexed columns tell, without reading the table."""
    marks = tuple(
        db.session.execute(
            select(
                select(func.max(Candidate.id)).scalar_subquery(),
                select(func.max(Candidate.updated_at)).scalar_subquery(),
            )
        ).one()
    )
    key = current_app.config["SQLALCHEMY_DATABASE_URI"]
    cached = _names_cache.get(key)
    if cached is not None and cached[0] == marks:
        return cached[1]
    rows = db.session.execute(
        select(
            Candidate.id,
            Candidate.name_search,
            Candidate.commune_insee,
            Candidate.search_text,
        ).where(Candidate.anonymised_at.is_(None))
    ).all()
    found = Directory(
        names={row.id: row.name_search or "" for row in rows},
        communes={row.id: row.commune_insee for row in rows},
        texts={row.id: row.search_text or "" for row in rows},
    )
    _names_cache[key] = (marks, found)
    return found


def names_in_commune(commune_insee: str) -> dict[int, str]:
    found = directory()
    return {
        i: name for i, name in found.names.items() if found.communes[i] == commune_insee
    }


def rank(user, filters: CandidateFilters) -> tuple[dict[int, float], dict[int, str]]:
    """Candidate id -> score (0–100) for the typed text, within the filters, and the
    folded names of every candidate within the filters (to break ties)."""
    query = filtered_query(user, filters)
    wanted = fold(filters.q)[:100]
    words = tokens_of(wanted)
    scores: dict[int, float] = {}
    every_profile = access.is_officer(user) and filters == CandidateFilters(q=filters.q)
    if every_profile:
        known = directory()
        names = known.names
    else:
        names = dict(
            db.session.execute(
                query.with_only_columns(Candidate.id, Candidate.name_search)
            ).all()
        )
    if len(wanted) < MIN_FUZZY:
        # One or two letters: fuzzy scores mean nothing, match name starts.
        return {
            i: TEXT_SCORE
            for i, name in names.items()
            if name.startswith(wanted) or f" {wanted}" in name
        }, names
    for _name, score, candidate_id in process.extract(
        wanted, names, scorer=fuzz.WRatio, score_cutoff=NAME_CUTOFF, limit=None
    ):
        scores[candidate_id] = score
    if not words:
        return scores, names
    if every_profile:
        # The same stems and words as the SQL below, on the texts already read.
        found = known.texts.items()
        for word in words:
            part = stem(word)
            found = [(i, text) for i, text in found if part in text]
        for candidate_id, text in found:
            whole = all(word in text for word in words)
            score = TEXT_SCORE if whole else STEM_SCORE
            scores[candidate_id] = max(scores.get(candidate_id, 0), score)
        return scores, names

    def contains(word):
        return Candidate.search_text.like(f"%{_escape_like(word)}%", escape="\\")

    # A word's stem is its beginning: one pass finds the stems, and tells which
    # rows also hold every whole word.
    every_word = and_(*(contains(w) for w in words))
    for candidate_id, whole in db.session.execute(
        query.with_only_columns(Candidate.id, every_word).where(
            *(contains(stem(w)) for w in words)
        )
    ):
        score = TEXT_SCORE if whole else STEM_SCORE
        scores[candidate_id] = max(scores.get(candidate_id, 0), score)
    return scores, names


def search_candidates(user, filters: CandidateFilters, page: int, per_page: int):
    """One page of the officer's list, best matches first when text was typed."""
    page = max(1, page)
    if not filters.q:
        query = filtered_query(user, filters).order_by(
            Candidate.name_search, Candidate.id
        )
        return db.paginate(query, page=page, per_page=per_page, error_out=False)
    scores, names = rank(user, filters)
    ordered = sorted(scores, key=lambda i: (-scores[i], names.get(i, ""), i))
    start = (page - 1) * per_page
    page_ids = ordered[start : start + per_page]
    rows = {
        c.id: c
        for c in db.session.scalars(select(Candidate).where(Candidate.id.in_(page_ids)))
    }
    return ResultPage(
        items=[rows[i] for i in page_ids if i in rows],
        total=len(ordered),
        page=page,
        per_page=per_page,
        scores={i: round(scores[i]) for i in page_ids},
    )


# Two folded names at least this close (rapidfuzz token_sort_ratio) may be one person.
CLOSE_NAME_SCORE = 85


def names_are_close(one: str | None, other: str | None) -> bool:
    """Folded or not, "Dupont Marie" and "Marie Dupond" are close; two first names
    sharing a family phone are not."""
    if not one or not other:
        return False
    return fuzz.token_sort_ratio(fold(one), fold(other)) >= CLOSE_NAME_SCORE


def find_duplicates(
    display_name: str | None,
    email: str | None = None,
    phone: str | None = None,
    commune_insee: str | None = None,
    exclude_id: int | None = None,
    limit: int = 5,
    phone_needs_close_name: bool = False,
) -> list[Candidate]:
    """Profiles that look like this person: same e-mail or phone, or a close name in
    the same commune. Anonymised profiles are ignored.

    With ``phone_needs_close_name`` (an import, which skips what it finds), a shared
    phone counts only with a close name: a switchboard or a family phone is shared
    by several people."""
    live = [Candidate.anonymised_at.is_(None)]
    if exclude_id is not None:
        live.append(Candidate.id != exclude_id)
    same = []
    if email:
        same.append(func.lower(Candidate.email) == email.strip().lower())
    key = phone_key(phone)
    if key and not phone_needs_close_name:
        same.append(Candidate.phone_key == key)
    ids = []
    if same:
        ids += db.session.scalars(
            select(Candidate.id).where(*live, or_(*same)).limit(limit)
        ).all()
    if key and phone_needs_close_name:
        sharing = db.session.execute(
            select(Candidate.id, Candidate.display_name)
            .where(*live, Candidate.phone_key == key)
            .order_by(Candidate.id)
        ).all()
        ids += [
            found
            for found, name in sharing
            if found not in ids and names_are_close(display_name, name)
        ]
    if display_name and commune_insee:
        names = names_in_commune(commune_insee)
        names.pop(exclude_id, None)
        close = process.extract(
            fold(display_name),
            names,
            scorer=fuzz.token_sort_ratio,
            score_cutoff=CLOSE_NAME_SCORE,
            limit=limit,
        )
        ids += [key for _name, _score, key in close if key not in ids]
    if not ids:
        return []
    found = db.session.scalars(select(Candidate).where(Candidate.id.in_(ids))).all()
    return sorted(found, key=lambda c: ids.index(c.id))[:limit]
