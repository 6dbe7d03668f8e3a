"""Set up a destination LRS from the command line (the admin's Settings > LRS destinations)."""

import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Agency
from courses.models import CoursePage
from tracking.models import IdentifierType, LRSDestination, XAPIVersion
from tracking.services.destinations import destination_create
from tracking.vocabulary import ADL_VERBS, VERB_DISPLAY


class Command(BaseCommand):
    help = (
        "Add an LRS that receives a filtered copy of learning statements. The secret is read "
        "from the environment variable named by --secret-env (default LRS_SECRET), never argv."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="e.g. 'Greater Manchester Police LRS'")
        parser.add_argument(
            "endpoint", help="xAPI base address, e.g. https://lrs.example.org/xapi/"
        )
        parser.add_argument("--key", required=True, help="Basic auth user name (the LRS's key).")
        parser.add_argument("--secret-env", default="LRS_SECRET", help="Variable with the secret.")
        parser.add_argument("--xapi-version", choices=XAPIVersion.values, default="1.0.3")
        parser.add_argument("--identifier", choices=IdentifierType.values, default="account")
        parser.add_argument("--agency", action="append", default=[], help="Agency slug (repeat).")
        parser.add_argument("--course", action="append", default=[], help="Course slug (repeat).")
        parser.add_argument(
            "--verb",
            action="append",
            default=[],
            help=f"Verb name or IRI (repeat): {', '.join(VERB_DISPLAY.values())}.",
        )
        parser.add_argument("--batch-size", type=int, default=100)

    def handle(self, *args, **o):
        secret = os.environ.get(o["secret_env"], "")
        if not secret:
            raise CommandError(f"Set the secret in the {o['secret_env']} environment variable.")
        if LRSDestination.objects.filter(name=o["name"]).exists():
            raise CommandError(f"A destination called “{o['name']}” already exists.")
        agencies = self._lookup(Agency.objects.all(), o["agency"], "agency")
        courses = self._lookup(CoursePage.objects.all(), o["course"], "course")
        verbs = []
        for verb in o["verb"]:
            iri = verb if verb.startswith("http") else ADL_VERBS + verb
            if iri not in VERB_DISPLAY:
                raise CommandError(
                    f"Unknown verb “{verb}”: use one of {', '.join(VERB_DISPLAY.values())}."
                )  # noqa: E501
            verbs.append(iri)
        try:
            destination = destination_create(
                name=o["name"],
                endpoint=o["endpoint"],
                username=o["key"],
                secret=secret,
                xapi_version=o["xapi_version"],
                identifier=o["identifier"],
                verbs=verbs,
                batch_size=o["batch_size"],
                agencies=agencies,
                courses=courses,
            )
        except ValidationError as error:
            problems = "; ".join(
                f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items()
            )  # noqa: E501
            raise CommandError(problems) from None
        self.stdout.write(f"Added LRS destination {destination.pk}: {destination.name}")

    def _lookup(self, queryset, slugs: list[str], what: str) -> list:
        found = {item.slug: item for item in queryset.filter(slug__in=slugs)}
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            raise CommandError(f"No {what} with the slug {', '.join(missing)}.")
        return [found[slug] for slug in slugs]
