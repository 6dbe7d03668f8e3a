"""manage.py import_directory FILE_OR_URL [FILE_OR_URL ...] [--dry-run] [--encoding latin-1]"""

import sys

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from directory.services import SourceError, directory_import, source_read


class Command(BaseCommand):
    help = (
        "Import ORUK 3.0 records (services, organizations, service_at_locations, taxonomies, "
        "terms; a list, a paginated page, a single object, a paginated endpoint URL or CSV), "
        "or a folder of them. Each record is saved on its own: bad records are reported by "
        "record and field and the rest imported; re-importing the same data changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="+", metavar="FILE_OR_URL")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )
        parser.add_argument(
            "--encoding", help="The files' text encoding when not UTF-8, e.g. latin-1."
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, sources, dry_run, encoding, no_progress, **options):
        batches, unreadable = [], []
        for location in sources:
            try:
                batches.extend(source_read(location=location, encoding=encoding))
            except SourceError as error:
                unreadable.append(str(error))
                self.stderr.write(f"Skipped {error}")
        total = sum(len(batch.records) for batch in batches)
        with Progress(
            TextColumn("Importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            disable=no_progress or total < 2,
            console=Console(file=sys.stderr),
            transient=True,
        ) as bar:
            task = bar.add_task("import", total=total)
            report = directory_import(
                batches=batches, dry_run=dry_run, progress=lambda n: bar.advance(task, n)
            )
        verb = "Would create" if dry_run else "Created"
        self.stdout.write(
            f"{verb} {len(report.created)}, "
            f"{'would update' if dry_run else 'updated'} {len(report.updated)}, "
            f"unchanged {len(report.unchanged)}, rejected {report.rejected_rows} "
            f"(taxonomy terms: {report.terms}, organizations: {report.organizations}, "
            f"warnings: {len(report.warnings)})"
        )
        for warning in report.warnings:
            self.stderr.write(f"Warning {warning}")
        for error in report.rejected:
            self.stderr.write(f"Rejected {error}")
        # Exit non-zero (a message, no traceback) so scripts notice; the good records are in.
        if report.rejected or unreadable:
            problems = [f"{report.rejected_rows} record(s) rejected"] if report.rejected else []
            problems += unreadable
            raise CommandError(
                "; ".join(problems)
                + ("; nothing was written (dry run)" if dry_run else "; the rest were imported")
            )
