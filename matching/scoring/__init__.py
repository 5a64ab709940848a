"""The matching engine: pure Python and NumPy, no Flask, no SQLAlchemy.

Services build ``PostingProfile`` and a ``CandidatePool`` from the database; ``rank``
returns the best candidates with a breakdown per criterion and its reason.
"""

from matching.scoring.criteria import Reason
from matching.scoring.profiles import CandidatePool, CandidateProfile, PostingProfile
from matching.scoring.ranker import Match, Ranking, rank
from matching.scoring.text import normalise
from matching.scoring.weights import CRITERIA, DEFAULT_WEIGHTS, clean_weights

__all__ = [
    "CRITERIA",
    "DEFAULT_WEIGHTS",
    "CandidatePool",
    "CandidateProfile",
    "Match",
    "PostingProfile",
    "Ranking",
    "Reason",
    "clean_weights",
    "normalise",
    "rank",
]
