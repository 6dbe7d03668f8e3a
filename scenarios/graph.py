"""The admin's scenario map: Graphviz DOT source from the engine, rendered to SVG by ``dot``.

Problems are marked with words in the node label ("UNREACHABLE", "DEAD END", "n errors") as
well as colour and a dashed outline, so the map never relies on colour alone (WCAG 1.4.1).
"""

from __future__ import annotations

import re
import shutil
import subprocess

from scenarios import engine

SHAPES = {"situation": "box", "decision": "diamond", "ending": "doubleoctagon"}
DOT_TIMEOUT_SECONDS = 10


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def scenario_dot(scenario: engine.Scenario, report: engine.Report) -> str:
    """DOT source: one node per scenario node, one edge per route (dashed when conditional)."""
    errors = report.by_node()
    lines = [
        "digraph scenario {",
        '  graph [rankdir=TB, fontname="Arial", bgcolor="white"];',
        '  node [fontname="Arial", fontsize=11, style="filled", fillcolor="#ffffff"];',
        '  edge [fontname="Arial", fontsize=9];',
    ]
    for node in scenario.nodes:
        label = [node.key, f"({node.type})"]
        summary = node.question or node.outcome or node.text
        if summary:
            label.append(_short(summary))
        attrs = {"shape": SHAPES[node.type], "color": "#0b0c0c", "penwidth": "1"}
        if node.key == scenario.start:
            label.insert(0, "START")
            attrs["penwidth"] = "3"
        flags = []
        if node.key in report.unreachable:
            flags.append("UNREACHABLE")
        if node.key in report.dead_ends:
            flags.append("DEAD END")
        other = [
            i
            for i in errors.get(node.key, [])
            if i.severity == "error" and i.code not in ("unreachable", "no_ending")
        ]
        if other:
            flags.append(f"{len(other)} OTHER ERROR{'S' if len(other) > 1 else ''}")
        if flags:
            label.append(" · ".join(flags))
            attrs.update(color="#d4351c", fillcolor="#f6d7d2", style="filled,dashed", penwidth="2")
        elif node.type == "ending":
            attrs["fillcolor"] = "#cce2d8"
        attrs["label"] = "\n".join(label)
        rendered = ", ".join(f"{k}={_quote(v)}" for k, v in attrs.items())
        lines.append(f"  {_quote(node.key)} [{rendered}];")
    missing = set()
    for node in scenario.nodes:
        for label, target, condition in node.routes():
            if not target:
                continue
            if target not in scenario.by_key:
                missing.add(target)
            edge = {"label": label if node.type == "decision" else ""}
            if condition is not None:
                edge["label"] = f"{edge['label']} if {condition.describe()}".strip()
                edge["style"] = "dashed"
            rendered = ", ".join(f"{k}={_quote(v)}" for k, v in edge.items())
            lines.append(f"  {_quote(node.key)} -> {_quote(target)} [{rendered}];")
    for target in sorted(missing):
        lines.append(
            f'  {_quote(target)} [shape=note, color="#d4351c", style="dashed", '
            f"label={_quote(target + chr(10) + 'MISSING NODE')}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def dot_svg(source: str) -> str | None:
    """Render DOT to an inline SVG element; None when Graphviz is missing or fails."""
    dot = shutil.which("dot")
    if dot is None:
        return None
    try:
        result = subprocess.run(  # noqa: S603 (fixed binary, source passed on stdin)
            [dot, "-Tsvg"],
            input=source.encode(),
            capture_output=True,
            timeout=DOT_TIMEOUT_SECONDS,
            check=True,
        )
    except (subprocess.SubprocessError, OSError):
        return None
    svg = result.stdout.decode()
    # Drop the XML prolog, doctype and comments so the element can be inlined in HTML, and the
    # fixed size so it scales to the page by its viewBox. The text outline beside it carries
    # the same information, so assistive technology gets one image with a name.
    svg = re.sub(r"^.*?(?=<svg)", "", svg, flags=re.DOTALL)
    return re.sub(
        r'<svg width="[^"]*" height="[^"]*"',
        '<svg width="100%" role="img" aria-label="Map of the scenario (the outline lists the '
        'same nodes and routes as text)"',
        svg,
        count=1,
    )
