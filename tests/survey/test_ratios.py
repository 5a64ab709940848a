"""Percentages and "1 structure sur 2" ratios: pure functions, no application."""

import pytest

from matching.survey.results import percent, ratio


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (14, 17, 82),  # the diagnostic's 82 %
        (15, 17, 88),
        (17, 106, 16),
        (1, 8, 13),  # 12.5 rounds up, not to the even 12
        (1, 200, 1),  # 0.5 rounds up
        (0, 17, 0),
        (17, 17, 100),
        (3, 0, None),
    ],
)
def test_percent_rounds_halves_up(part, whole, expected):
    assert percent(part, whole) == expected


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (6, 12, (1, 2, False)),  # "1 structure sur 2"
        (4, 12, (1, 3, False)),
        (9, 12, (3, 4, False)),
        (7, 12, (3, 5, True)),  # about 3 in 5
        (1, 12, (1, 12, False)),  # near 0: the exact fraction
        (11, 12, (11, 12, False)),  # near 1: the exact fraction
        (5, 17, (1, 3, True)),  # 0.29: about 1 in 3
    ],
)
def test_ratio_is_a_small_fraction(part, whole, expected):
    result = ratio(part, whole)
    assert (result.numerator, result.denominator, result.approximate) == expected
    assert result.kind == "ratio"


@pytest.mark.parametrize(
    ("part", "whole", "kind"),
    [(0, 12, "none"), (12, 12, "all"), (0, 0, "empty")],
)
def test_ratio_extremes(part, whole, kind):
    assert ratio(part, whole).kind == kind
