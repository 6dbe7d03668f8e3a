"""Fixtures shared with other test folders."""

from tests.tracking.conftest import destination_factory  # noqa: F401 (a fixture)
