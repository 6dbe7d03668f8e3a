"""Fixtures shared with other test folders."""

from tests.tracking.conftest import (  # noqa: F401, E402
    destination_factory,  # noqa: F401 (a fixture)
    police_officer,
    tracked_course,
)
