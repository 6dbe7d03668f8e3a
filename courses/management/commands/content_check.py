"""manage.py content_check: editorial checks on the seed curriculum (see docs/content.md)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from courses.services.content_check import content_check
from courses.services.course_format import CourseFormatError


class Command(BaseCommand):
    help = (
        "Check content/: reading ease, answer-length bias, word runs copied from the review "
        "outside quotation marks, LP and R mapped to teaching sections, sources and review "
        "dates, local practice marked, durations. Fails listing every finding."
    )

    def add_arguments(self, parser):
        content = Path(settings.BASE_DIR) / "content"
        parser.add_argument("--content", type=Path, default=content)
        review = content / "review" / "practice-review-executive-summary.txt"
        parser.add_argument("--review", type=Path, default=review)
        parser.add_argument("--local", type=Path, default=Path(settings.CONTENT_LOCAL_FILE))
        parser.add_argument("--minimum-ease", type=float, default=50.0)

    def handle(self, *args, content, review, local, minimum_ease, **options):
        try:
            report = content_check(
                content=content, review=review, local=local, minimum_ease=minimum_ease
            )
        except CourseFormatError as error:
            raise CommandError(str(error)) from error
        for name, value in report.figures.items():
            self.stdout.write(f"{name}: {value}")
        for finding in report.findings:
            self.stdout.write(f"[{finding.check}] {finding.where}: {finding.message}")
        if not report.ok:
            raise CommandError(f"{len(report.findings)} finding(s); see above.")
        self.stdout.write(self.style.SUCCESS("Content check passed."))
