"""Text normalisation for matching, computed once when a record is saved.

casefold → accents folded (NFKD, combining marks dropped; œ → oe, æ → ae: rapidfuzz's
own preprocessing keeps accents) → punctuation to spaces → feminine and plural endings
reduced → synonyms and abbreviations expanded (MSP ↔ médiateur santé pair, addicto ↔
addictologie, SDF ↔ rue, RdR ↔ réduction des risques…) → stop words removed.
"""

import re
import unicodedata
from functools import lru_cache

_PUNCTUATION = re.compile(r"[^a-z0-9]+")

STOP_WORDS = frozenset(
    """
    a au aux avec ce ces cet cette d dans de des du elle en est et etre il ils je j l
    la le les leur leurs lui ma mais me mes mon ne nous on ou par pas pour qu que qui
    sa se ses son sur ta te tes ton tu un une vos votre vous y ete ont sont avoir fait
    faire tres plus aussi comme tout tous toute toutes cela ca
    """.split()
)

# Whole-word rewrites applied after folding: abbreviations first, then variants.
SYNONYMS = {
    "msp": "mediateur sante pair",
    "mediatrice": "mediateur",
    "mediatrise": "mediateur",
    "mediatrices": "mediateur",
    "mediateurs": "mediateur",
    "paire": "pair",
    "paires": "pair",
    "pairs": "pair",
    "travailleuse": "travailleur",
    "travailleuses": "travailleur",
    "travailleurs": "travailleur",
    "aidante": "aidant",
    "aidantes": "aidant",
    "aidants": "aidant",
    "pairaidance": "pair aidance",
    "pairaidant": "pair aidant",
    "addicto": "addictologie",
    "addictions": "addiction",
    "toxicomanie": "addiction drogue",
    "drogues": "drogue",
    "csapa": "addictologie csapa",
    "caarud": "reduction risques caarud",
    "rdr": "reduction risques",
    "sdf": "rue sans abri",
    "abri": "rue abri",
    "abrisme": "rue abri",
    "errance": "rue errance",
    "maraude": "rue maraude",
    "maraudes": "rue maraude",
    "psy": "psychiatrie",
    "psychiatrique": "psychiatrie",
    "psychique": "psychiatrie psychique",
    "psychiques": "psychiatrie psychique",
    "tds": "travail sexe",
    "prostitution": "travail sexe prostitution",
    "exilee": "exil",
    "exile": "exil",
    "exiles": "exil",
    "migrant": "exil migrant",
    "migrante": "exil migrant",
    "migrants": "exil migrant",
    "refugie": "exil refugie",
    "refugiee": "exil refugie",
    "etp": "education therapeutique",
    "chrs": "hebergement chrs",
    "gem": "entraide gem",
    "benevole": "benevolat",
    "benevoles": "benevolat",
    "risque": "risques",
}


def fold(text: str) -> str:
    """Casefold and drop accents (œ → oe, æ → ae)."""
    text = (
        text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    )
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _reduce(word: str) -> str:
    if word in SYNONYMS:
        return SYNONYMS[word]
    # Light plural reduction: "parcours", "gens" and short words keep their s.
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "ours")):
        singular = word[:-1]
        return SYNONYMS.get(singular, singular)
    return word


def normalise(*texts: str | None) -> str:
    """One matching string from several free texts (empty parts are skipped)."""
    joined = " ".join(t for t in texts if t)
    words = _PUNCTUATION.sub(" ", fold(joined)).split()
    out: list[str] = []
    for word in words:
        for part in _reduce(word).split():
            if part not in STOP_WORDS:
                out.append(part)
    return " ".join(out)


# Words and pairs of normalised words that evoke an experience domain in someone's
# own text. Deliberately specific: "rétablissement" alone says nothing of a domain.
DOMAIN_WORDS = {
    "rue_sans_abrisme": {"rue", "abri", "squat", "squats", "errance", "maraude", "115"},
    "addictions": {
        "addiction",
        "addictologie",
        "drogue",
        "alcool",
        "heroine",
        "cocaine",
        "substitution",
        "csapa",
        "caarud",
        ("reduction", "risques"),
    },
    "troubles_psychiques": {
        "psychiatrie",
        "psychique",
        "hp",
        "bipolaire",
        "schizophrenie",
    },
    "exil_migration": {"exil", "migrant", "refugie", "asile", "exile"},
    "travail_du_sexe_prostitution": {("travail", "sexe"), "prostitution"},
    "handicap": {
        "handicap",
        "fauteuil",
        "sourd",
        "aveugle",
        "malvoyant",
        "malentendant",
    },
    "maladie_chronique": {
        ("maladie", "chronique"),
        "vih",
        "diabete",
        "greffe",
        "dialyse",
        "hepatite",
        "cancer",
        "sclerose",
    },
    "incarceration_justice": {"prison", "incarceration", "detention", "detenu"},
    "protection_enfance": {
        "ase",
        ("aide", "sociale", "enfance"),
        ("protection", "enfance"),
    },
    "violences": {"violence", "violences", "violente"},
}


_SINGLE_CUES: dict[str, set[str]] = {}
_MULTI_CUES: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _domain, _cues in DOMAIN_WORDS.items():
    for _cue in _cues:
        if isinstance(_cue, str):
            _SINGLE_CUES.setdefault(_cue, set()).add(_domain)
        else:
            _MULTI_CUES.setdefault(_cue[0], []).append((_cue, _domain))


@lru_cache(maxsize=100_000)
def evoked_domains(normalised: str, min_words: int = 4) -> frozenset[str]:
    """Experience domains a normalised text plainly speaks of.

    A text of a word or two ("rue") is not a testimony: it evokes nothing.
    """
    words = normalised.split()
    if len(words) < min_words:
        return frozenset()
    found: set[str] = set()
    for position, word in enumerate(words):
        domains = _SINGLE_CUES.get(word)
        if domains:
            found |= domains
        for cue, domain in _MULTI_CUES.get(word, ()):
            if tuple(words[position : position + len(cue)]) == cue:
                found.add(domain)
    return frozenset(found)
