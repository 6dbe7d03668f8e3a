"""Export a scenario's latest draft as YAML in the content/FORMAT.md format."""

from django.core.management.base import BaseCommand, CommandError

from scenarios.models import Scenario
from scenarios.selectors import scenario_yaml


class Command(BaseCommand):
    help = "Print a scenario as YAML (the latest draft, which is the live version if unchanged)."

    def add_arguments(self, parser):
        parser.add_argument("slug")

    def handle(self, *args, slug, **options):
        scenario = Scenario.objects.filter(slug=slug).first()
        if scenario is None:
            raise CommandError(f"No scenario has the slug “{slug}”.")
        self.stdout.write(
            scenario_yaml(scenario=scenario.get_latest_revision_as_object()), ending=""
        )
