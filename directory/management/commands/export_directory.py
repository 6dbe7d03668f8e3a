"""manage.py export_directory --format json|csv [--output FILE]"""

from pathlib import Path

from django.core.management.base import BaseCommand

from directory.services import directory_export_csv, directory_export_json


class Command(BaseCommand):
    help = (
        "Export every published service as an ORUK 3.0 JSON list or CSV "
        "(confidential addresses left out)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--output", help="Write to this file instead of standard output.")

    def handle(self, *args, format, output, **options):
        text = directory_export_json() if format == "json" else directory_export_csv()
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {output}")
        else:
            self.stdout.write(text, ending="")
