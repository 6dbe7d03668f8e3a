"""The project's apps import one another in layers, never in a cycle, never "upwards".

Every import counts, including those inside functions (a cycle hidden in a function is still a
cycle). Layers, lowest first (an app may import only from apps in lower layers):

    config
    accounts
    pages, learning, directory
    scenarios
    courses
    tracking, reports, events

Management commands are left out: they are entry points run from the command line (e.g.
``load_demo`` seeds every app), never imported by an app, so they cannot close a cycle.

Learning events flow upwards without imports: the apps above subscribe to them in
``settings.LEARNING_EVENT_SUBSCRIBERS`` (see docs/architecture.md).
"""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = [
    {"config"},
    {"accounts"},
    {"pages", "learning", "directory"},
    {"scenarios"},
    {"courses"},
    {"tracking", "reports", "events"},
]
LAYER = {app: n for n, apps in enumerate(LAYERS) for app in apps}


def imports_between_apps() -> dict[tuple[str, str], list[str]]:
    """(importing app, imported app) -> where, for every import of one app by another."""
    found = defaultdict(list)
    for app in LAYER:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or "management" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    target = module.split(".")[0]
                    if target in LAYER and target != app:
                        found[(app, target)].append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def cycles(edges) -> list[list[str]]:
    """Every cycle in the directed graph, each as the list of apps on it."""
    graph = defaultdict(set)
    for source, target in edges:
        graph[source].add(target)
    found = []

    def walk(start, node, path):
        for target in sorted(graph[node]):
            if target == start:
                found.append([*path, start])
            elif target not in path and target > start:
                walk(start, target, [*path, target])

    for start in sorted(graph):
        walk(start, start, [start])
    return found


def test_every_project_app_has_a_layer():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")} | {"config"}
    assert apps == set(LAYER)


def test_apps_import_no_cycle():
    assert cycles(imports_between_apps()) == []


def test_apps_import_only_from_lower_layers():
    upwards = {
        f"{source} -> {target}": where
        for (source, target), where in imports_between_apps().items()
        if LAYER[target] >= LAYER[source]
    }
    assert upwards == {}


def test_the_cycle_finder_finds_cycles_hidden_anywhere():
    assert cycles({("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")}) == [["a", "b", "c", "a"]]
    assert cycles({("a", "b"), ("b", "c")}) == []
