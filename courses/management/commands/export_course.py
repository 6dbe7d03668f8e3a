"""manage.py export_course <slug> [--output content/courses/<slug>/]"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from courses.models import CoursePage
from courses.services.course_files import course_export


class Command(BaseCommand):
    help = "Write a course as Markdown files with YAML front matter (the import_course format)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument(
            "--output", type=Path, default=None, help="Folder (default content/courses/<slug>/)."
        )

    def handle(self, *args, slug, output, **options):
        course = CoursePage.objects.filter(slug=slug).first()
        if course is None:
            raise CommandError(f"No course has the slug {slug!r}.")
        folder = output or Path(settings.BASE_DIR) / "content" / "courses" / slug
        for path in course_export(course=course, folder=folder):
            self.stdout.write(f"Wrote {path}")
