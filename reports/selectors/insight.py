"""Scenario insight: what practitioners chose at each decision, by practice rating and sector.

Small numbers are suppressed here, in the selector, so that every screen and export shows the
same protected figures. A cell counts distinct learners, not attempts (one person replaying a
scenario five times is still one person), and a cell that fewer than 5 learners contribute to,
zeros included, shows "fewer than 5" (SUPPRESSED): a zero beside "fewer than 5" in an agency
where one person played would otherwise tell a lead exactly what that person chose.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from accounts.models import Sector
from reports.selectors.scope import ReportFilters, report_agency_ids
from scenarios.models import ChoiceRecord, Scenario

SUPPRESSION_THRESHOLD = 5
SUPPRESSED = "fewer than 5"
RATING_ORDER = {"recommended": 0, "acceptable": 1, "risky": 2}


def suppress(count: int) -> int | str:
    """The count to publish: 0 or at least 5 as it is, 1 to 4 as "fewer than 5"."""
    return SUPPRESSED if 0 < count < SUPPRESSION_THRESHOLD else count


def suppress_cell(learners: int) -> int | str:
    """A cell's published count of distinct learners: at least 5 as it is, else "fewer than 5"."""
    return learners if learners >= SUPPRESSION_THRESHOLD else SUPPRESSED


@dataclass
class ChoiceLine:
    key: str
    label: str
    rating: str
    counts: dict[str, int | str] = field(default_factory=dict)  # sector -> published learners


@dataclass
class Decision:
    scenario_id: int
    scenario_title: str
    node_key: str
    question: str
    choices: list[ChoiceLine] = field(default_factory=list)


def scenario_insight(*, viewer, filters: ReportFilters) -> tuple[list[tuple[str, str]], list]:
    """(sectors shown, decisions with each choice's published learner count per sector).

    Counts the distinct learners whose choices stood (not withdrawn by going back), excluding
    previews, scoped to the viewer's agencies; four queries whatever the number of learners.
    The date range is deliberately ignored: comparing two overlapping ranges (7 against 8)
    would reveal one person's choice that suppression hides, so insight always covers all time.
    """
    agency_ids = report_agency_ids(viewer=viewer, agency_id=filters.agency_id)
    records = ChoiceRecord.objects.filter(
        withdrawn=False,
        attempt__is_preview=False,
        attempt__learner__agency_id__in=agency_ids,
    )
    raw = (
        records.values(
            "attempt__scenario_id", "node_key", "choice_key", "attempt__learner__agency__sector"
        )
        .annotate(n=Count("attempt__learner_id", distinct=True))
        .order_by()
    )
    # (scenario, node, choice) -> sector -> distinct learners
    counts: dict[tuple, dict[str, int]] = defaultdict(dict)
    for item in raw:
        key = (item["attempt__scenario_id"], item["node_key"], item["choice_key"])
        counts[key][item["attempt__learner__agency__sector"]] = item["n"]
    # Ratings of choices that an earlier revision of a scenario had and the current one lacks.
    old_ratings = {
        (item["attempt__scenario_id"], item["node_key"], item["choice_key"]): item["rating"]
        for item in records.values("attempt__scenario_id", "node_key", "choice_key", "rating")
        .distinct()
        .order_by()
    }
    sectors_seen = {s for by_sector in counts.values() for s in by_sector}
    sectors = [(value, label) for value, label in Sector.choices if value in sectors_seen]
    scenario_ids = {key[0] for key in counts}
    decisions = []
    for scenario in Scenario.objects.filter(pk__in=scenario_ids).order_by("title"):
        for block in scenario.nodes:
            if block.block_type != "decision":
                continue
            value = block.value
            decision = Decision(scenario.pk, scenario.title, value["key"], value["question"])
            for choice in value["choices"]:
                decision.choices.append(
                    ChoiceLine(choice["key"], choice["label"], choice["rating"])
                )
            known = {c.key for c in decision.choices}
            for (s_id, node, choice_key), rating in old_ratings.items():
                if s_id == scenario.pk and node == decision.node_key and choice_key not in known:
                    decision.choices.append(ChoiceLine(choice_key, f"({choice_key})", rating))
                    known.add(choice_key)
            seen = False
            for line in decision.choices:
                found = counts.get((scenario.pk, decision.node_key, line.key), {})
                seen = seen or bool(found)
                line.counts = {sector: suppress_cell(found.get(sector, 0)) for sector, _ in sectors}
            decision.choices.sort(key=lambda c: RATING_ORDER.get(c.rating, 9))
            if seen:
                decisions.append(decision)
    return sectors, decisions
