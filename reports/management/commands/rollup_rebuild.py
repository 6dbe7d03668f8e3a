"""Recompute the report rollups from the courses app's records (safe to run at any time)."""

from django.core.management.base import BaseCommand

from reports.services.rollup import rollup_rebuild


class Command(BaseCommand):
    help = "Recompute the report rollup tables from enrolments, completions and module progress."

    def handle(self, *args, **options):
        courses, modules = rollup_rebuild()
        self.stdout.write(f"Rebuilt {courses} learner-course and {modules} learner-module rows.")
