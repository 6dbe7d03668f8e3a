"""The practice review's learning points (LP1-LP4) and recommendations (R1-R11), which
courses, scenarios and events cite; kept here, below them all, so none imports another for it."""

REVIEW_REFERENCES = [f"LP{n}" for n in range(1, 5)] + [f"R{n}" for n in range(1, 12)]
# What each reference means, for the tickboxes trainers tick (content/FORMAT.md numbering).
REVIEW_LABELS = {
    "LP1": "LP1: Multi-agency working on risk, including missing from care",
    "LP2": "LP2: Displacement and separation from family and community",
    "LP3": "LP3: Cultural competence across the workforce",
    "LP4": "LP4: Working together, including multi-agency reflective supervision",
    **{f"R{n}": f"R{n}: Recommendation {n} of the practice review" for n in range(1, 12)},
}
