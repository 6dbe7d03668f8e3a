"""manage.py load_content: load everything under content/ (idempotent)."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Load content/directory, content/scenarios/*.yaml, content/courses/*/ and "
        "content/traceability.yaml in that order (courses link to scenarios and services), "
        "then bring the report rollups up to date. Re-running updates in place."
    )

    def add_arguments(self, parser):
        parser.add_argument("--content", type=Path, default=Path(settings.BASE_DIR) / "content")

    def handle(self, *args, content, **options):
        commands = get_commands()
        self._directory(content, commands)
        self._scenarios(content, commands)
        folders = sorted(p for p in (content / "courses").glob("*/") if (p / "course.md").is_file())
        if folders:
            call_command("import_course", *map(str, folders), stdout=self.stdout)
        else:
            self.stdout.write("No courses found in content/courses/.")
        if (content / "traceability.yaml").is_file() and "load_traceability" in commands:
            call_command(
                "load_traceability",
                "--path",
                str(content / "traceability.yaml"),
                stdout=self.stdout,
            )
        if "rollup_rebuild" in commands:
            call_command("rollup_rebuild", stdout=self.stdout)

    def _directory(self, content: Path, commands) -> None:
        folder = content / "directory"
        if "import_directory" not in commands:
            self.stdout.write("Skipping the directory: the import_directory command is missing.")
        elif folder.is_dir():
            call_command("import_directory", str(folder), stdout=self.stdout)

    def _scenarios(self, content: Path, commands) -> None:
        files = sorted((content / "scenarios").glob("*.yaml"))
        if "import_scenario" not in commands:
            self.stdout.write("Skipping scenarios: the import_scenario command is missing.")
        elif files:
            call_command("import_scenario", *map(str, files), stdout=self.stdout)
