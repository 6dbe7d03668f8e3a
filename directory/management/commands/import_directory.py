"""manage.py import_directory FILE_OR_URL [FILE_OR_URL ...] [--dry-run]"""

from django.core.management.base import BaseCommand, CommandError

from directory.services import SourceError, directory_import, source_read


class Command(BaseCommand):
    help = (
        "Import ORUK 3.0 services (JSON list, paginated ORUK endpoint URL or CSV), the "
        "taxonomy file, or a folder of them. Bad rows are reported by row and field and skipped "
        "whole; re-importing the same data changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="+", metavar="FILE_OR_URL")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )

    def handle(self, *args, sources, dry_run, **options):
        batches = []
        for location in sources:
            try:
                batches.extend(source_read(location=location))
            except SourceError as error:
                raise CommandError(str(error)) from error
        report = directory_import(batches=batches, dry_run=dry_run)
        verb = "Would create" if dry_run else "Created"
        self.stdout.write(
            f"{verb} {len(report.created)}, "
            f"{'would update' if dry_run else 'updated'} {len(report.updated)}, "
            f"unchanged {len(report.unchanged)}, rejected {report.rejected_rows} "
            f"(taxonomy terms loaded: {report.terms})"
        )
        for error in report.rejected:
            self.stderr.write(f"Rejected {error}")
        if report.rejected:
            raise CommandError(
                f"{report.rejected_rows} row(s) rejected; the rest were imported"
                if not dry_run
                else f"{report.rejected_rows} row(s) would be rejected"
            )
