"""Load the review traceability map from content/traceability.yaml."""

from django.core.management.base import BaseCommand, CommandError

from reports.services.traceability import TraceabilityError, traceability_load


class Command(BaseCommand):
    help = "Load content/traceability.yaml (or --path) into the review traceability matrix."

    def add_arguments(self, parser):
        parser.add_argument("--path", help="Another traceability YAML file.")

    def handle(self, *args, path=None, **options):
        try:
            count = traceability_load(path=path)
        except TraceabilityError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Loaded {count} review references.")
