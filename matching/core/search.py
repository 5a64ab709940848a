"""Fuzzy, accent-insensitive ranking of stored search keys (rapidfuzz, in batch)."""

from rapidfuzz import fuzz, process

from matching.vocab import fold


def fuzzy_ids(
    query: str, keys: dict[int, str], cutoff: float = 70, limit=None
) -> list[int]:
    """Ids whose folded key matches the query, best first.

    ``keys`` maps an id to its stored folded text (computed when the record was saved).
    A typo or a missing accent still matches: "relai canal" finds "Le Relais du Canal".
    """
    wanted = fold(query)
    if not wanted:
        return []
    matches = process.extract(
        wanted,
        keys,
        scorer=fuzz.partial_token_set_ratio if len(wanted) > 3 else fuzz.partial_ratio,
        processor=None,
        score_cutoff=cutoff,
        limit=limit,
    )
    return [key for _, _, key in sorted(matches, key=lambda m: (-m[1], m[2]))]
