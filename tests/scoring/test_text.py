"""Text normalisation: accents, case, feminine and plural forms, synonyms."""

import pytest

from matching.scoring.text import fold, normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Médiatrice Santé Paire", "mediateur sante pair"),
        ("MEDIATRICE SANTE PAIRE", "mediateur sante pair"),
        ("médiatrise santé pair", "mediateur sante pair"),
        ("MSP", "mediateur sante pair"),
        ("addicto", "addictologie"),
        ("SDF", "rue sans abri"),
        ("RdR", "reduction risques"),
        ("pair-aidantes", "pair aidant"),
        ("Cœur", "coeur"),
        ("", ""),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


def test_stop_words_are_dropped_and_parts_joined():
    assert (
        normalise("J'ai vécu à la rue", None, "et au CHRS")
        == "ai vecu rue hebergement chrs"
    )


def test_fold_keeps_letters_only_without_accents():
    assert fold("Ÿ É Ç œ") == "y e c oe"


def test_evoked_domains_need_a_few_words():
    from matching.scoring.text import evoked_domains

    assert evoked_domains(
        normalise("J'ai vécu dix ans à la rue, entre squats et 115")
    ) == {"rue_sans_abrisme"}
    assert evoked_domains(normalise("rue")) == set()
    assert evoked_domains(normalise("suivi au CSAPA et en réduction des risques")) == {
        "addictions"
    }
