"""Directory fixtures: ORUK 3.0 schema validation against the copied schemas (directory/oruk)."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(settings.BASE_DIR) / "directory" / "oruk" / "schema"
PREFIX = "https://openreferraluk.org/specifications/3.0/schema/"
# The ORUK list schemas define only `contents`; the page fields come from the OpenAPI
# description's components.schemas.Page.
PAGE_SCHEMA = {
    "type": "object",
    "required": [
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    ],
    "properties": {
        "total_items": {"type": "integer"},
        "total_pages": {"type": "integer"},
        "page_number": {"type": "integer"},
        "size": {"type": "integer"},
        "first_page": {"type": "boolean"},
        "last_page": {"type": "boolean"},
        "empty": {"type": "boolean"},
        "contents": {"type": "array"},
    },
}


def _retrieve(uri: str) -> Resource:
    return Resource.from_contents(
        json.loads((SCHEMA_DIR / uri.removeprefix(PREFIX)).read_text()),
        default_specification=DRAFT202012,
    )


REGISTRY = Registry(retrieve=_retrieve)


def assert_oruk(data, schema_name: str) -> None:
    """Fail listing every way ``data`` breaks the named ORUK 3.0 schema (formats checked)."""
    schema = json.loads((SCHEMA_DIR / f"{schema_name}.json").read_text())
    validator = Draft202012Validator(schema, registry=REGISTRY, format_checker=FormatChecker())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    if schema_name.endswith("_list"):
        page = Draft202012Validator(PAGE_SCHEMA)
        errors += [f"page {list(e.absolute_path)}: {e.message}" for e in page.iter_errors(data)]
    assert not errors, "\n".join(errors)


@pytest.fixture
def oruk_valid():
    return assert_oruk
