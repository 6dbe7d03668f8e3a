"""Load content/traceability.yaml (see content/FORMAT.md) into ReviewReference and ReviewLink."""

from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from reports.models import LinkKind, ReferenceKind, ReviewLink, ReviewReference

DEFAULT_PATH = Path(settings.BASE_DIR) / "content" / "traceability.yaml"
CODES = [f"LP{n}" for n in range(1, 5)] + [f"R{n}" for n in range(1, 12)]
# Field names accepted for each link kind (the file's wording may vary slightly).
FIELDS = {
    LinkKind.COURSE: ("courses",),
    LinkKind.MODULE: ("modules",),
    LinkKind.DECISION: ("scenario_decisions", "decisions"),
    LinkKind.FEATURE: ("features", "platform_features"),
}


class TraceabilityError(ValueError):
    """The traceability file is missing or malformed; the message says where."""


def _entries(data) -> dict[str, dict]:
    """{code: entry} from either a list of entries (under ``items``) or a mapping by code."""
    if isinstance(data, dict) and "items" in data:
        return _entries(data["items"])
    if isinstance(data, dict):
        return {str(code).strip(): entry or {} for code, entry in data.items()}
    if isinstance(data, list):
        entries = {}
        for number, entry in enumerate(data, start=1):
            if not isinstance(entry, dict):
                raise TraceabilityError(f"Entry {number} is not a mapping.")
            code = entry.get("ref") or entry.get("id") or entry.get("code")
            if not code:
                raise TraceabilityError(f"Entry {number} has no ref.")
            entries[str(code).strip()] = entry
        return entries
    raise TraceabilityError("The file must hold a mapping or a list of references.")


def _targets(entry: dict, names: tuple[str, ...], code: str) -> list[str]:
    targets: list[str] = []
    for name in names:
        value = entry.get(name) or []
        if not isinstance(value, list):
            raise TraceabilityError(f"{code}: {name} must be a list.")
        for item in value:
            text = item.get("name") or item.get("id") if isinstance(item, dict) else item
            if text:
                targets.append(str(text).strip())
    return targets


@transaction.atomic
def traceability_load(*, path: Path | None = None) -> int:
    """Replace the traceability map from the YAML file; idempotent; returns references loaded.

    Raises TraceabilityError (nothing changed) for a missing file, bad YAML or unknown codes.
    """
    path = Path(path or DEFAULT_PATH)
    if not path.exists():
        raise TraceabilityError(f"{path} does not exist yet.")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise TraceabilityError(f"{path} is not valid YAML: {error}") from error
    entries = _entries(data or {})
    unknown = sorted(set(entries) - set(CODES))
    if unknown:
        raise TraceabilityError(f"Unknown review references: {', '.join(unknown)}.")
    ReviewLink.objects.all().delete()
    ReviewReference.objects.exclude(code__in=list(entries)).delete()
    for code, entry in entries.items():
        if not isinstance(entry, dict):
            raise TraceabilityError(f"{code}: expected a mapping.")
        reference, _ = ReviewReference.objects.update_or_create(
            code=code,
            defaults={
                "kind": ReferenceKind.LEARNING_POINT
                if code.startswith("LP")
                else ReferenceKind.RECOMMENDATION,
                "title": str(entry.get("title") or entry.get("short_title") or "")[:300],
                "position": CODES.index(code),
            },
        )
        links = {
            (kind, target)
            for kind, names in FIELDS.items()
            for target in _targets(entry, names, code)
        }
        ReviewLink.objects.bulk_create(
            [ReviewLink(reference=reference, kind=kind, target=t) for kind, t in sorted(links)]
        )
    return len(entries)
