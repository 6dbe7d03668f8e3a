"""Create an LRS client and print its key and secret (for scripts and the demo data)."""

from django.core.management.base import BaseCommand, CommandError

from tracking.lrs.clients import lrs_client_create


class Command(BaseCommand):
    help = "Create an LRS client with Basic credentials and print its key and secret."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Who will use the client, e.g. 'Police LMS'.")
        parser.add_argument(
            "--read-all",
            action="store_true",
            help="Allow reading every statement, not only its own.",
        )
        parser.add_argument("--no-write", action="store_true", help="Read-only client.")
        parser.add_argument(
            "--no-documents",
            action="store_true",
            help="No access to state, profiles, activities and agents.",
        )

    def handle(
        self, *args, name: str, read_all: bool, no_write: bool, no_documents: bool, **options
    ):
        if not name.strip():
            raise CommandError("Give the client a name.")
        client, secret = lrs_client_create(
            name=name.strip(),
            can_write_statements=not no_write,
            can_read_all=read_all,
            can_use_documents=not no_documents,
        )
        self.stdout.write(f"key: {client.key}\nsecret: {secret}\n")
