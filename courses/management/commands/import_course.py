"""manage.py import_course content/courses/<slug>/ [...]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.services.course_files import course_import
from courses.services.course_format import CourseFormatError


class Command(BaseCommand):
    help = (
        "Create or update courses from folders in the content/FORMAT.md format. Idempotent; "
        "a broken file is reported by file and line and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("folders", nargs="+", type=Path)
        parser.add_argument(
            "--media-root", type=Path, default=None, help="Where image files are found."
        )

    def handle(self, *args, folders, media_root, **options):
        for folder in folders:
            try:
                report = course_import(folder=folder, media_root=media_root)
            except CourseFormatError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(
                f"{folder}: course “{report.course.slug}”: created {len(report.created)}, "
                f"updated {len(report.updated)}, unchanged {len(report.unchanged)}"
                + (f", unpublished {', '.join(report.unpublished)}" if report.unpublished else "")
            )
