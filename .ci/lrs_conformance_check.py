"""Compare ADL conformance suite logs with the disputes documented in docs/lrs.md.

Usage: lrs_conformance_check.py --disputes docs/lrs.md 1.0.3=path/to/log 2.0.0=path/to/log

Each log is the suite's JSON run log (`-z`: failures only). A failed test is allowed only when
the "Conformance suite disputes" table in docs/lrs.md has a row with its version and text
contained in its title. Exit 0 when every failure is a documented dispute, 1 otherwise; a
documented dispute that no longer fails is reported (not an error) so the table can shrink.
"""

import argparse
import json
import re
import sys
from pathlib import Path

HEADING = "## Conformance suite disputes"


def disputes_from(markdown: str) -> list[tuple[str, str]]:
    """(version, title text) for each row of the disputes table."""
    if HEADING not in markdown:
        raise SystemExit(f"no '{HEADING}' section in the disputes file")
    section = markdown.split(HEADING, 1)[1]
    section = re.split(r"^## ", section, flags=re.MULTILINE)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not re.fullmatch(r"\d\.\d\.\d", cells[0]):
            continue
        rows.append((cells[0], cells[1].strip("`").replace("\\|", "|")))
    return rows


def failures_from(log: dict) -> list[str]:
    """Titles of the failed leaf tests, each prefixed with its suite's titles."""
    found = []

    def walk(node: dict, trail: list[str]) -> None:
        if not node:
            return
        title = node.get("title") or node.get("name") or ""
        children = [child for child in node.get("tests") or [] if child]
        if children:
            for child in children:
                walk(child, [*trail, title])
        elif node.get("status") == "failed":
            name = " > ".join(part for part in [*trail, title] if part)
            # A run that fails before its first test (a refused version header, say) has
            # only the root: name it by its error so it can never match a dispute by accident.
            error = str(node.get("error") or "").splitlines()[:1]
            found.append(name or f"(the whole run) {error[0] if error else 'failed'}")

    walk(log.get("log") or {}, [])
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--disputes", type=Path, required=True)
    parser.add_argument("logs", nargs="+", help="VERSION=PATH of a suite run log")
    args = parser.parse_args()
    disputes = disputes_from(args.disputes.read_text())
    unexpected = 0
    for item in args.logs:
        version, _, path = item.partition("=")
        log = json.loads(Path(path).read_text())
        summary = log.get("summary", {})
        failures = failures_from(log)
        allowed = [text for v, text in disputes if v == version]
        print(
            f"{version}: {summary.get('passed', '?')} passed, {summary.get('failed', '?')} "
            f"failed ({len(allowed)} documented disputes)"
        )
        used = set()
        for failure in failures:
            match = next(
                (text for text in allowed if text in failure and "(the whole run)" not in failure),
                None,
            )
            if match is None:
                unexpected += 1
                print(f"  UNEXPECTED FAILURE: {failure}")
            else:
                used.add(match)
                print(f"  dispute: {failure}")
        for text in allowed:
            if text not in used:
                print(f"  (documented dispute now passing: {text})")
        if summary.get("failed") and not failures:
            unexpected += 1
            print("  the log counts failures but names none")
    if unexpected:
        print(f"{unexpected} failure(s) beyond the documented disputes (docs/lrs.md)")
        return 1
    print("conformance: only documented disputes fail")
    return 0


if __name__ == "__main__":
    sys.exit(main())
