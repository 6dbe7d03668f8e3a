"""Writes for the directory: imports, exports, problem reports and review reminders."""

from directory.services.exporting import CSV_COLUMNS, directory_export_csv, directory_export_json
from directory.services.importing import ImportReport, RowError, directory_import, oruk_validator
from directory.services.reviews import (
    problem_report_create,
    problem_report_reopen,
    problem_report_resolve,
    review_reminders_send,
)
from directory.services.sources import SourceError, source_read

__all__ = [
    "CSV_COLUMNS",
    "ImportReport",
    "RowError",
    "SourceError",
    "directory_export_csv",
    "directory_export_json",
    "directory_import",
    "oruk_validator",
    "problem_report_create",
    "problem_report_reopen",
    "problem_report_resolve",
    "review_reminders_send",
    "source_read",
]
