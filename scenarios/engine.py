"""The branching-scenario engine: plain Python, no Django and no database.

A scenario is a graph of situation, decision and ending nodes. ``validate(scenario)`` reports
problems node by node; ``step(state, choice)`` moves an attempt on. The definition format is
the dict form of content/FORMAT.md (``scenario_from_dict``), so YAML files, the admin's
StreamField and tests all build the same objects.

Routing: a choice (or a situation) goes to the first branch whose condition holds, else to its
``next`` (the fallback). Conditions are evaluated *after* the choice is applied: its score change
counts and the choice itself counts as taken. For reachability every target is treated as
possible, whatever its condition, so validation never depends on a learner's luck.

Endings can say what they praise and what they say the learner missed (``praises`` and
``misses``, as "<decision key>.<choice key>"). ``validate`` then plays every path through the
scenario, with conditions evaluated exactly, and reports any path on which an ending praises a
choice the learner did not make, or says they missed one they made. Ending ``notes`` add a
paragraph to the debrief when their condition holds, so a debrief speaks to the learner's path.
"""

from __future__ import annotations

import hashlib
from collections import deque
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

NODE_TYPES = ("situation", "decision", "ending")
RATINGS = ("recommended", "acceptable", "risky")
MIN_CHOICES, MAX_CHOICES = 2, 6
# Path checking plays every path; past this many the scenario is too big to prove, an error.
PATH_LIMIT = 50_000


class DefinitionError(ValueError):
    """The definition is not shaped like content/FORMAT.md; the message says where."""


class StepError(ValueError):
    """The choice is not possible from the current state."""


def refs(value: str | None) -> tuple[str, ...]:
    """The choice references in a condition field: "a.b" or several, comma-separated."""
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


@dataclass(frozen=True)
class Condition:
    min_score: int | None = None
    chose: str | None = None  # "<decision key>.<choice key>", several comma-separated: all
    not_chose: str | None = None  # the same form: none of them

    def holds(self, *, score: int, chosen: frozenset[str]) -> bool:
        if self.min_score is not None and score < self.min_score:
            return False
        if any(ref not in chosen for ref in refs(self.chose)):
            return False
        return not any(ref in chosen for ref in refs(self.not_chose))

    def describe(self) -> str:
        parts = []
        if self.min_score is not None:
            parts.append(f"score ≥ {self.min_score}")
        if self.chose:
            parts.append(f"chose {', '.join(refs(self.chose))}")
        if self.not_chose:
            parts.append(f"did not choose {', '.join(refs(self.not_chose))}")
        return " and ".join(parts) or "always"

    def references(self) -> tuple[str, ...]:
        return refs(self.chose) + refs(self.not_chose)


@dataclass(frozen=True)
class Note:
    """A debrief paragraph shown only when its condition holds at the ending."""

    condition: Condition
    text: str


@dataclass(frozen=True)
class Branch:
    condition: Condition
    next: str


@dataclass(frozen=True)
class Choice:
    key: str
    label: str
    next: str
    feedback: str = ""
    score: int = 0
    rating: str = "acceptable"
    learning_points: tuple[str, ...] = ()
    branches: tuple[Branch, ...] = ()


@dataclass(frozen=True)
class Media:
    kind: str  # "image" or "video"
    source: str = ""  # image file or id, or video URL
    alt: str = ""
    title: str = ""
    transcript: str = ""
    image_id: int | None = None  # a Wagtail image, when loaded from the database


@dataclass(frozen=True)
class Node:
    key: str
    type: str
    # situation
    speaker: str = ""
    text: str = ""
    media: Media | None = None
    next: str = ""
    branches: tuple[Branch, ...] = ()
    # decision
    question: str = ""
    choices: tuple[Choice, ...] = ()
    shuffle: bool = False  # show the choices in an order of their own for each attempt
    # ending
    outcome: str = ""
    debrief: str = ""
    learning_points: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    praises: tuple[str, ...] = ()  # choices the debrief praises: taken on every path here
    misses: tuple[str, ...] = ()  # choices the debrief says were missed: never taken here
    notes: tuple[Note, ...] = ()

    def choice(self, key: str) -> Choice | None:
        return next((c for c in self.choices if c.key == key), None)

    def routes(self) -> list[tuple[str, str, Condition | None]]:
        """Every (label, target, condition) leaving this node; condition None is a fallback."""
        if self.type == "situation":
            out = [("continue", self.next, None)]
            out += [("continue", b.next, b.condition) for b in self.branches]
            return out
        out = []
        for c in self.choices:
            out.append((c.key, c.next, None))
            out += [(c.key, b.next, b.condition) for b in c.branches]
        return out

    def targets(self) -> set[str]:
        return {target for _, target, _ in self.routes() if target}


@dataclass(frozen=True)
class Scenario:
    start: str
    nodes: tuple[Node, ...]
    allow_back: bool = False

    @cached_property
    def by_key(self) -> dict[str, Node]:
        return {n.key: n for n in self.nodes}

    def node(self, key: str) -> Node:
        return self.by_key[key]


@dataclass(frozen=True)
class Issue:
    node: str  # "" for the scenario as a whole
    code: str
    message: str
    severity: str = "error"


@dataclass
class Report:
    issues: list[Issue] = field(default_factory=list)
    unreachable: set[str] = field(default_factory=set)
    dead_ends: set[str] = field(default_factory=set)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def by_node(self) -> dict[str, list[Issue]]:
        grouped: dict[str, list[Issue]] = {}
        for issue in self.issues:
            grouped.setdefault(issue.node, []).append(issue)
        return grouped

    def add(self, node: str, code: str, message: str, severity: str = "error") -> None:
        self.issues.append(Issue(node, code, message, severity))


def _closure(start: set[str], edges: dict[str, set[str]]) -> set[str]:
    seen, queue = set(start), deque(start)
    while queue:
        for target in edges.get(queue.popleft(), ()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def _check_ref(report: Report, scenario: Scenario, node: Node, ref: str, what: str) -> None:
    decision_key, _, choice_key = ref.partition(".")
    target = scenario.by_key.get(decision_key)
    if target is None or target.type != "decision":
        report.add(
            node.key,
            "condition_missing_node",
            f"{what} names “{ref}”, but there is no decision “{decision_key}”.",
        )
    elif target.choice(choice_key) is None:
        report.add(
            node.key,
            "condition_missing_choice",
            f"{what} names “{ref}”, but decision “{decision_key}” has no choice “{choice_key}”.",
        )


def _check_condition(report: Report, scenario: Scenario, node: Node, cond: Condition) -> None:
    for ref in cond.references():
        _check_ref(report, scenario, node, ref, "A condition")


def _check_node(report: Report, scenario: Scenario, node: Node) -> None:
    if node.type == "decision":
        count = len(node.choices)
        if count < MIN_CHOICES:
            report.add(
                node.key,
                "too_few_choices",
                f"A decision needs at least {MIN_CHOICES} choices; this has {count}.",
            )
        if count > MAX_CHOICES:
            report.add(
                node.key,
                "too_many_choices",
                f"A decision can have at most {MAX_CHOICES} choices; this has {count}.",
            )
        keys = [c.key for c in node.choices]
        for dup in sorted({k for k in keys if keys.count(k) > 1}):
            report.add(node.key, "duplicate_choice", f"Two choices share the key “{dup}”.")
    if node.type == "ending" and not node.debrief.strip():
        report.add(node.key, "ending_without_debrief", "An ending needs a debrief.")
    for ref in node.praises:
        _check_ref(report, scenario, node, ref, "“praises”")
    for ref in node.misses:
        _check_ref(report, scenario, node, ref, "“misses”")
    for note in node.notes:
        _check_condition(report, scenario, node, note.condition)
    for label, target, cond in node.routes():
        where = "It" if node.type == "situation" else f"Choice “{label}”"
        if not target:
            report.add(node.key, "missing_target", f"{where} does not say which node comes next.")
        elif target not in scenario.by_key:
            report.add(
                node.key, "missing_target", f"{where} goes to “{target}”, which does not exist."
            )
        if cond is not None:
            _check_condition(report, scenario, node, cond)
    media = node.media
    if media is not None and media.kind == "image" and not media.alt.strip():
        report.add(node.key, "media_without_alt", "The image has no alt text.", "warning")
    if media is not None and media.kind == "video" and not media.transcript.strip():
        report.add(node.key, "media_without_transcript", "The video has no transcript.", "warning")


def validate(scenario: Scenario) -> Report:
    """Report every problem, node by node: errors block publishing, warnings do not."""
    report = Report()
    keys = [n.key for n in scenario.nodes]
    for dup in sorted({k for k in keys if keys.count(k) > 1}):
        report.add(dup, "duplicate_key", f"More than one node has the key “{dup}”.")
    if scenario.start not in scenario.by_key:
        report.add("", "missing_start", f"The start node “{scenario.start}” does not exist.")
    for node in scenario.nodes:
        _check_node(report, scenario, node)

    edges = {n.key: n.targets() & scenario.by_key.keys() for n in scenario.nodes}
    reachable = _closure({scenario.start} & scenario.by_key.keys(), edges)
    reverse: dict[str, set[str]] = {}
    for source, targets in edges.items():
        for target in targets:
            reverse.setdefault(target, set()).add(source)
    can_finish = _closure({n.key for n in scenario.nodes if n.type == "ending"}, reverse)
    for node in scenario.nodes:
        if node.key not in reachable and scenario.start in scenario.by_key:
            report.unreachable.add(node.key)
            report.add(node.key, "unreachable", "No path from the start leads here.")
        if node.key not in can_finish:
            report.dead_ends.add(node.key)
            report.add(node.key, "no_ending", "No ending can be reached from here (a dead end).")
    if report.ok and any(n.praises or n.misses for n in scenario.nodes):
        _check_paths(report, scenario)
    return report


@dataclass(frozen=True)
class Path:
    """One complete play: the choices in order ("<decision>.<choice>"), the ending and score."""

    choices: tuple[str, ...]
    ending: str
    score: int


class PathLimitError(ValueError):
    """The scenario has more paths (or longer ones) than can be checked one by one."""


def paths(scenario: Scenario, *, limit: int = PATH_LIMIT) -> list[Path]:
    """Every complete path from the start, routing by the real conditions; raises
    PathLimitError past ``limit`` paths or on a path longer than the limit allows (a loop)."""
    found: list[Path] = []
    max_steps = 4 * len(scenario.nodes) + 10
    stack = [start(scenario)]
    while stack:
        state = stack.pop()
        if state.finished:
            taken = tuple(f"{s.node}.{s.choice}" for s in state.history if s.choice is not None)
            found.append(Path(taken, state.node, state.score))
            if len(found) > limit:
                raise PathLimitError(f"More than {limit} paths: too many to check one by one.")
            continue
        if len(state.history) > max_steps:
            raise PathLimitError(f"A path is longer than {max_steps} steps (a loop?).")
        node = state.current
        options = [None] if node.type == "situation" else [c.key for c in node.choices]
        for option in reversed(options):
            stack.append(step(state, option).state)
    return found


def _check_paths(report: Report, scenario: Scenario) -> None:
    try:
        every = paths(scenario)
    except (PathLimitError, StepError) as error:
        report.add("", "paths_unchecked", f"Endings cannot be checked on every path: {error}")
        return
    reported: set[tuple[str, str, str]] = set()
    for path in every:
        ending = scenario.node(path.ending)
        taken = set(path.choices)
        route = " → ".join(path.choices) or "no choices"
        for ref in ending.praises:
            if ref not in taken and (ending.key, "praise", ref) not in reported:
                reported.add((ending.key, "praise", ref))
                report.add(
                    ending.key,
                    "praises_untaken",
                    f"This ending praises “{ref}”, but the path {route} reaches it without it.",
                )
        for ref in ending.misses:
            if ref in taken and (ending.key, "miss", ref) not in reported:
                reported.add((ending.key, "miss", ref))
                report.add(
                    ending.key,
                    "misses_taken",
                    f"This ending says “{ref}” was missed, but the path {route} chose it.",
                )
    reached = {path.ending for path in every}
    for node in scenario.nodes:
        if node.type == "ending" and node.key not in reached:
            report.add(
                node.key,
                "ending_never_reached",
                "No path reaches this ending once conditions are applied.",
                "warning",
            )


@dataclass(frozen=True)
class Step:
    node: str
    choice: str | None
    score_before: int


@dataclass(frozen=True)
class State:
    scenario: Scenario
    node: str
    score: int = 0
    history: tuple[Step, ...] = ()

    @property
    def current(self) -> Node:
        return self.scenario.node(self.node)

    @property
    def finished(self) -> bool:
        return self.current.type == "ending"

    @property
    def chosen(self) -> frozenset[str]:
        return frozenset(f"{s.node}.{s.choice}" for s in self.history if s.choice is not None)

    @property
    def path(self) -> list[str]:
        return [s.node for s in self.history] + [self.node]

    def to_dict(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "score": self.score,
            "history": [[s.node, s.choice, s.score_before] for s in self.history],
        }

    @classmethod
    def from_dict(cls, scenario: Scenario, data: dict[str, Any]) -> State:
        history = tuple(Step(n, c, int(b)) for n, c, b in data.get("history", []))
        state = cls(scenario, data["node"], int(data.get("score", 0)), history)
        if state.node not in scenario.by_key:
            raise StepError(f"The saved node “{state.node}” is not in this scenario.")
        return state


@dataclass(frozen=True)
class StepResult:
    node: Node
    feedback: str
    state: State
    choice: Choice | None = None


def start(scenario: Scenario) -> State:
    """The state at the start node."""
    if scenario.start not in scenario.by_key:
        raise StepError(f"The start node “{scenario.start}” does not exist.")
    return State(scenario, scenario.start)


def _route(fallback: str, branches: tuple[Branch, ...], score: int, chosen: frozenset[str]) -> str:
    for branch in branches:
        if branch.condition.holds(score=score, chosen=chosen):
            return branch.next
    return fallback


def step(state: State, choice: str | None) -> StepResult:
    """Take a choice (None to continue from a situation): the next node, feedback, new state."""
    node = state.current
    scenario = state.scenario
    if node.type == "ending":
        raise StepError("The scenario has ended.")
    if node.type == "situation":
        if choice is not None:
            raise StepError("A situation has no choices; continue instead.")
        target = _route(node.next, node.branches, state.score, state.chosen)
        picked, feedback, score = None, "", state.score
    else:
        picked = node.choice(choice or "")
        if picked is None:
            raise StepError(f"“{choice}” is not a choice at “{node.key}”.")
        score = state.score + picked.score
        chosen = state.chosen | {f"{node.key}.{picked.key}"}
        target = _route(picked.next, picked.branches, score, chosen)
        feedback = picked.feedback
    if target not in scenario.by_key:
        raise StepError(f"“{node.key}” leads to “{target}”, which does not exist.")
    new_state = State(
        scenario, target, score, (*state.history, Step(node.key, choice, state.score))
    )
    return StepResult(scenario.node(target), feedback, new_state, picked)


def ending_notes(state: State) -> list[str]:
    """The notes of the ending reached whose conditions hold on this path, in order."""
    node = state.current
    return [
        note.text
        for note in node.notes
        if note.condition.holds(score=state.score, chosen=state.chosen)
    ]


def choice_order(node: Node, *, seed: str) -> tuple[Choice, ...]:
    """The choices in the order to show them: as written, or shuffled by ``seed`` (stable for
    one seed, so a learner's page does not reorder on reload) when the decision says so."""
    if not node.shuffle:
        return node.choices

    def rank(choice: Choice) -> str:
        return hashlib.sha256(f"{seed}/{node.key}/{choice.key}".encode()).hexdigest()

    return tuple(sorted(node.choices, key=rank))


def back(state: State) -> State:
    """Undo the last step (the caller checks ``allow_back``)."""
    if not state.history:
        raise StepError("There is nothing to go back to.")
    last = state.history[-1]
    return State(state.scenario, last.node, last.score_before, state.history[:-1])


def _text(data: dict, name: str, where: str, *, required: bool = False) -> str:
    value = data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise DefinitionError(f"{where}: “{name}” must be text.")
    value = str(value)
    if required and not value.strip():
        raise DefinitionError(f"{where}: “{name}” is required.")
    return value


def _int(data: dict, name: str, where: str, default: int = 0) -> int:
    value = data.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise DefinitionError(f"{where}: “{name}” must be a whole number.")
    return value


def _bool(data: dict, name: str, where: str) -> bool:
    value = data.get(name, False)
    if not isinstance(value, bool):
        raise DefinitionError(f"{where}: “{name}” must be true or false.")
    return value


def _str_list(data: dict, name: str, where: str) -> tuple[str, ...]:
    value = data.get(name) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DefinitionError(f"{where}: “{name}” must be a list of text.")
    return tuple(value)


def _refs(data: dict, name: str, where: str) -> str | None:
    """A condition's choice references: text, or a list of text (kept comma-separated)."""
    if name not in data:
        return None
    value = data[name]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = ", ".join(value)
    value = _text(data, name, where, required=True) if not isinstance(value, str) else value
    if not refs(value):
        raise DefinitionError(f"{where}: “{name}” is required.")
    return ", ".join(refs(value))


def _condition(item: Any, here: str) -> Condition:
    cond = item.get("if") if isinstance(item, dict) else None
    if not isinstance(cond, dict) or not cond or set(cond) - {"min_score", "chose", "not_chose"}:
        raise DefinitionError(f"{here}: “if” must have min_score, chose and/or not_chose.")
    min_score = _int(cond, "min_score", here, None) if "min_score" in cond else None
    return Condition(min_score, _refs(cond, "chose", here), _refs(cond, "not_chose", here))


def _branches(data: dict, where: str) -> tuple[Branch, ...]:
    raw = data.get("branches") or []
    if not isinstance(raw, list):
        raise DefinitionError(f"{where}: “branches” must be a list.")
    out = []
    for i, item in enumerate(raw, 1):
        here = f"{where}, branch {i}"
        condition = _condition(item, here)
        out.append(Branch(condition, _text(item, "next", here, required=True)))
    return tuple(out)


def _notes(data: dict, where: str) -> tuple[Note, ...]:
    raw = data.get("notes") or []
    if not isinstance(raw, list):
        raise DefinitionError(f"{where}: “notes” must be a list.")
    return tuple(
        Note(_condition(item, f"{where}, note {i}"), _text(item, "text", where, required=True))
        for i, item in enumerate(raw, 1)
    )


def _media(data: dict, where: str) -> Media | None:
    raw = data.get("media")
    if raw is None:
        return None
    if not isinstance(raw, dict) or raw.get("kind") not in ("image", "video"):
        raise DefinitionError(f"{where}: “media” needs kind image or video.")
    here = f"{where}, media"
    source = _text(raw, "file" if raw["kind"] == "image" else "url", here, required=True)
    return Media(
        raw["kind"],
        source,
        _text(raw, "alt", here),
        _text(raw, "title", here),
        _text(raw, "transcript", here),
        raw["image_id"] if isinstance(raw.get("image_id"), int) else None,
    )


def _choice(data: Any, where: str) -> Choice:
    if not isinstance(data, dict):
        raise DefinitionError(f"{where}: a choice must be a mapping.")
    rating = data.get("rating", "acceptable")
    if rating not in RATINGS:
        raise DefinitionError(f"{where}: “rating” must be one of {', '.join(RATINGS)}.")
    return Choice(
        key=_text(data, "key", where, required=True),
        label=_text(data, "label", where, required=True),
        next=_text(data, "next", where),
        feedback=_text(data, "feedback", where),
        score=_int(data, "score", where),
        rating=rating,
        learning_points=_str_list(data, "learning_points", where),
        branches=_branches(data, where),
    )


def _node(data: Any, index: int) -> Node:
    if not isinstance(data, dict):
        raise DefinitionError(f"Node {index}: must be a mapping.")
    where = f"Node {index} ({data.get('key', 'no key')})"
    key = _text(data, "key", where, required=True)
    kind = data.get("type")
    if kind not in NODE_TYPES:
        raise DefinitionError(f"{where}: “type” must be one of {', '.join(NODE_TYPES)}.")
    if kind == "situation":
        return Node(
            key,
            kind,
            speaker=_text(data, "speaker", where),
            text=_text(data, "text", where, required=True),
            media=_media(data, where),
            next=_text(data, "next", where),
            branches=_branches(data, where),
        )
    if kind == "decision":
        raw = data.get("choices") or []
        if not isinstance(raw, list):
            raise DefinitionError(f"{where}: “choices” must be a list.")
        return Node(
            key,
            kind,
            question=_text(data, "question", where, required=True),
            choices=tuple(_choice(c, f"{where}, choice {i}") for i, c in enumerate(raw, 1)),
            shuffle=_bool(data, "shuffle", where),
        )
    return Node(
        key,
        kind,
        outcome=_text(data, "outcome", where, required=True),
        debrief=_text(data, "debrief", where),
        learning_points=_str_list(data, "learning_points", where),
        services=_str_list(data, "services", where),
        praises=_str_list(data, "praises", where),
        misses=_str_list(data, "misses", where),
        notes=_notes(data, where),
    )


def scenario_from_dict(data: Any) -> Scenario:
    """Build a Scenario from the content/FORMAT.md dict; raises DefinitionError on bad shape."""
    if not isinstance(data, dict):
        raise DefinitionError("The scenario must be a mapping of fields.")
    nodes = data.get("nodes")
    if not isinstance(nodes, list) or not nodes:
        raise DefinitionError("“nodes” must be a non-empty list.")
    allow_back = data.get("allow_back", False)
    if not isinstance(allow_back, bool):
        raise DefinitionError("“allow_back” must be true or false.")
    return Scenario(
        start=_text(data, "start", "The scenario", required=True),
        nodes=tuple(_node(n, i) for i, n in enumerate(nodes, 1)),
        allow_back=allow_back,
    )
