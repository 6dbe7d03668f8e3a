"""manage.py content_readability: Flesch reading ease of every module under content/courses/."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from courses.services.course_format import CourseFormatError, course_folder_parse
from courses.services.readability import module_readability


class Command(BaseCommand):
    help = "Print words and Flesch reading ease per module; fail if any is below --minimum."

    def add_arguments(self, parser):
        parser.add_argument("--content", type=Path, default=Path(settings.BASE_DIR) / "content")
        parser.add_argument("--minimum", type=float, default=50.0)

    def handle(self, *args, content, minimum, **options):
        below = []
        self.stdout.write(f"{'module':<75} {'words':>6} {'ease':>6}")
        for folder in sorted((content / "courses").glob("*/")):
            if not (folder / "course.md").is_file():
                continue
            try:
                course = course_folder_parse(folder)
            except CourseFormatError as error:
                raise CommandError(str(error)) from error
            for module in course.modules:
                figures = module_readability(module=module)
                name = f"{course.meta['slug']}/{figures.slug}"
                self.stdout.write(f"{name:<75} {figures.words:>6} {figures.reading_ease:>6}")
                if figures.reading_ease < minimum:
                    below.append(name)
        if below:
            raise CommandError(f"Reading ease below {minimum:g}: {', '.join(below)}")
