"""Weights of the criteria, in one place. Admins may override them (stored settings);
the ranker normalises whatever it is given, so they need not add up to 100."""

CRITERIA = (
    "experience",
    "role",
    "sector",
    "availability",
    "location",
    "contract",
    "text",
)

DEFAULT_WEIGHTS: dict[str, float] = {
    "experience": 30,  # lived experience sought vs shared, and the two free texts
    "role": 15,  # job title and functions wanted
    "sector": 10,
    "availability": 15,  # date and working time
    "location": 15,  # distance against the candidate's mobility radius
    "contract": 5,
    "text": 10,  # missions and savoir-être against the candidate's own words
}

# Beyond these limits a candidate plainly cannot take the job: they rank below every
# feasible candidate, whatever their other scores.
# The suggestions page states them, so "can take the job" means what it says.
MAX_DAYS_LATE = 120
MAX_FTE_GAP = 0.3
# Outside the radius, the location score falls to zero at radius + max(radius, 10 km).
MIN_SLACK_KM = 10.0


def clean_weights(weights: dict | None) -> dict[str, float]:
    """Known criteria only, each between 0 and 100; missing ones take the default."""
    merged = dict(DEFAULT_WEIGHTS)
    for name, value in (weights or {}).items():
        if name in merged:
            merged[name] = min(100.0, max(0.0, float(value)))
    if not any(merged.values()):
        return dict(DEFAULT_WEIGHTS)
    return merged
