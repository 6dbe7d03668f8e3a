"""manage.py erase_person EMAIL --reason "...": erase a person from the command line."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import person_erase


class Command(BaseCommand):
    help = "Erase a person and everything the platform holds about them (cannot be undone)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--reason", required=True, help="Kept in the erasure log.")

    def handle(self, *args, email, reason, **options):
        try:
            user = User.objects.get(email__iexact=email.strip())
        except User.DoesNotExist:
            raise CommandError(f"Nobody has the email address {email!r}.") from None
        record = person_erase(user=user, by=None, reason=reason)
        self.stdout.write(f"Person {record.person_id} erased: {record.counts}")
