"""manage.py revoke_certificate <code> --reason "..." """

from django.core.management.base import BaseCommand, CommandError

from courses.selectors.records import certificate_verify
from courses.services.learning import completion_revoke


class Command(BaseCommand):
    help = "Revoke the completion behind a certificate; its public check then says revoked."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--reason", required=True, help="Why, for the learning record.")

    def handle(self, *args, code, reason, **options):
        result = certificate_verify(code=code)
        if result["status"] == "unknown":
            raise CommandError(f"No certificate has the code {code!r}.")
        completion = completion_revoke(completion=result["certificate"].completion, reason=reason)
        self.stdout.write(f"Revoked {result['code']}: {completion.course.title}, {completion.user}")
