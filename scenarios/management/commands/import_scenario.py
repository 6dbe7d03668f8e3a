"""Import scenarios from YAML files (content/FORMAT.md); idempotent by slug."""

from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from config.safe_yaml import yaml_load
from scenarios.services import ScenarioImportError, scenario_import


class Command(BaseCommand):
    help = "Create or update scenarios from YAML files; if any file is broken, nothing changes."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument(
            "--draft", action="store_true", help="Save as a draft revision without publishing."
        )
        parser.add_argument(
            "--media-root",
            type=Path,
            default=Path(settings.BASE_DIR) / "content" / "media",
            help="Where image files named in the YAML are found.",
        )

    @transaction.atomic
    def handle(self, *args, files, draft, media_root, **options):
        # One transaction for all files: if any file is broken, none of them is imported.
        for path in files:
            try:
                data = yaml_load(path.read_bytes())
            except OSError as error:
                raise CommandError(f"{path}: cannot read the file ({error.strerror}).") from error
            except yaml.YAMLError as error:
                raise CommandError(f"{path}: not valid YAML: {error}") from error
            try:
                scenario, outcome = scenario_import(
                    data=data, media_root=media_root, publish=not draft
                )
            except ScenarioImportError as error:
                raise CommandError(f"{path}: {error}") from error
            self.stdout.write(f"{path}: {outcome} scenario “{scenario.slug}” (id {scenario.pk})")
