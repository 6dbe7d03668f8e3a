"""The project uses only the public APIs of Django, Wagtail, modelcluster and treebeard.

A leading underscore marks a name its library may change in any release. The test reads every
Python file of the project (not its tests or virtual environment) and fails on an import of such a
name from those libraries, or on an attribute whose name is a private name the libraries' own
source uses and the project does not define itself (e.g. ``page._cached_parent_obj``).
"""

import ast
import importlib.util
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIBRARIES = ("django", "wagtail", "modelcluster", "treebeard")
SKIPPED_DIRS = {".venv", "node_modules", "tests", "static", ".git"}

# Underscored names the libraries document as public API.
DOCUMENTED = {
    "_meta",  # Django's "Model _meta API" reference
    "_default_manager",  # Django's "Managers" topic: Model._default_manager
    "_base_manager",  # Django's "Managers" topic: Model._base_manager
    "_db",  # Django's custom manager examples save with ``using=self._db``
}

# Known uses owned by another piece of work; each entry names its owner. Remove when fixed.
ALLOWED: set[tuple[str, str]] = set()

_DEFINED = re.compile(r"(?:\.|^\s*def\s+|^\s*class\s+|^\s*)(_[A-Za-z]\w*)", re.M)


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def project_files() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts[:-1])
    )


@cache
def library_private_names() -> frozenset[str]:
    """Every underscored name the libraries' source defines or reads as an attribute."""
    names = set()
    for library in LIBRARIES:
        package = Path(importlib.util.find_spec(library).origin).parent
        for path in package.rglob("*.py"):
            names.update(_DEFINED.findall(path.read_text(encoding="utf-8", errors="replace")))
    return frozenset(name for name in names if _private(name))


def project_defined_names(trees: dict[Path, ast.AST]) -> set[str]:
    """Underscored names the project defines: functions, classes, assignments to self or cls."""
    names = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.ctx, ast.Store)
                and isinstance(node.value, ast.Name)
                and node.value.id in ("self", "cls")
            ):
                names.add(node.attr)
    return {name for name in names if _private(name)}


def _from_library(module: str | None) -> bool:
    return bool(module) and module.split(".")[0] in LIBRARIES


def private_uses(path: Path, tree: ast.AST, *, library_names, own_names) -> list[str]:
    """Each use of a library's private name in one file, as ``file:line name``."""
    found = []
    for node in sorted(ast.walk(tree), key=lambda node: getattr(node, "lineno", 0)):
        names = []
        if isinstance(node, ast.Import):
            names = [
                part
                for alias in node.names
                if _from_library(alias.name)
                for part in alias.name.split(".")
            ]
        elif isinstance(node, ast.ImportFrom) and _from_library(node.module):
            names = node.module.split(".") + [alias.name for alias in node.names]
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in library_names
            and node.attr not in own_names
        ):
            names = [node.attr]
        for name in names:
            if _private(name) and name not in DOCUMENTED:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
    return found


def test_the_project_imports_no_private_name_from_django_wagtail_modelcluster_or_treebeard():
    trees = {
        path: ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in project_files()
    }
    library_names, own_names = library_private_names(), project_defined_names(trees)

    uses = [
        use
        for path, tree in trees.items()
        for use in private_uses(path, tree, library_names=library_names, own_names=own_names)
        if (use.split(":")[0], use.split()[-1]) not in ALLOWED
    ]

    assert uses == []


def test_the_check_finds_private_imports_and_attributes():
    source = (
        "from django.db.models.query import _something\n"
        "import wagtail._private\n"
        "from treebeard.mp_tree import MP_Node\n"
        "page._cached_parent_obj = parent\n"
        "request._wagtail_route_for_request = route\n"
        "own._helper()\n"
        "model._meta.get_field('x')\n"
        "version = django.__version__\n"
        "def _helper(): ...\n"
    )
    path = ROOT / "example.py"

    uses = private_uses(
        path,
        ast.parse(source),
        library_names=library_private_names(),
        own_names=project_defined_names({path: ast.parse(source)}),
    )

    assert [use.split()[-1] for use in uses] == [
        "_something",
        "_private",
        "_cached_parent_obj",
        "_wagtail_route_for_request",
    ]
