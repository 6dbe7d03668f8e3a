"""Load demonstration agencies, teams, job roles and one account per role; idempotent.

Then loads the seed curriculum with ``load_content`` when that command is installed. Refuses to
run where ``DEMO_DATA_ALLOWED`` is off (production settings): its accounts have a known password.
"""

import base64
import os
import secrets

from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Agency, AgencyDomain, JobRole, MembershipStatus, Sector, Team, User
from accounts.roles import PRIVILEGED_GROUPS, Role

DEFAULT_PASSWORD = "safeguarding-demo-2026"  # noqa: S105  printed for the demo; never production

# name, slug, sector, headcount, requires approval, email domain, teams
AGENCIES = [
    (
        "Greater Manchester Police",
        "gmp",
        Sector.POLICE,
        620,
        True,
        "police.example.org",
        ["Oldham district response", "Missing from home team", "Public protection unit"],
    ),
    (
        "Oldham Children's Social Care",
        "oldham-csc",
        Sector.CHILDRENS_SOCIAL_CARE,
        410,
        False,
        "oldham.example.org",
        ["Multi-agency safeguarding hub", "Children in care", "Leaving care", "Edge of care"],
    ),
    (
        "Northern Care Alliance NHS",
        "nca-nhs",
        Sector.HEALTH,
        350,
        True,
        "nhs.example.org",
        ["School nursing", "Health visiting", "Emergency department", "Safeguarding team"],
    ),
    (
        "Oldham schools",
        "oldham-schools",
        Sector.EDUCATION,
        2400,
        False,
        "schools.example.org",
        ["Primary schools", "Secondary schools", "Special schools"],
    ),
    (
        "Pennine Residential Care",
        "pennine-residential",
        Sector.RESIDENTIAL_CARE,
        85,
        True,
        "pennine-care.example.org",
        ["Moorside house", "Valley view house"],
    ),
    (
        "Oldham Youth and Community Trust",
        "oldham-youth",
        Sector.VOLUNTARY,
        60,
        False,
        "youth.example.org",
        ["Detached youth work", "Roma, Gypsy and Traveller outreach"],
    ),
]

# name, slug, sectors (empty: any)
JOB_ROLES = [
    ("Social worker", "social-worker", [Sector.CHILDRENS_SOCIAL_CARE]),
    ("Police officer", "police-officer", [Sector.POLICE]),
    ("Teacher", "teacher", [Sector.EDUCATION]),
    ("Designated safeguarding lead", "designated-safeguarding-lead", []),
    ("Residential care worker", "residential-care-worker", [Sector.RESIDENTIAL_CARE]),
    ("School nurse", "school-nurse", [Sector.HEALTH]),
    ("Health visitor", "health-visitor", [Sector.HEALTH]),
    (
        "Independent reviewing officer",
        "independent-reviewing-officer",
        [Sector.CHILDRENS_SOCIAL_CARE],
    ),
    ("Team manager", "team-manager", []),
    ("Youth worker", "youth-worker", [Sector.VOLUNTARY]),
    ("Other", "other", []),
]

# email, given name, family name, role, agency slug, team, job role slug
ACCOUNTS = [
    (
        "learner@oldham.example.org",
        "Lara",
        "Learner",
        Role.LEARNER,
        "oldham-csc",
        "Children in care",
        "social-worker",
    ),
    (
        "trainer@oldham.example.org",
        "Tom",
        "Trainer",
        Role.TRAINER,
        "oldham-csc",
        "Multi-agency safeguarding hub",
        "team-manager",
    ),
    (
        "lead@police.example.org",
        "Alex",
        "Lead",
        Role.AGENCY_LEAD,
        "gmp",
        "Missing from home team",
        "police-officer",
    ),
    (
        "admin@oldham.example.org",
        "Priya",
        "Admin",
        Role.PARTNERSHIP_ADMIN,
        "oldham-csc",
        "Multi-agency safeguarding hub",
        "designated-safeguarding-lead",
    ),
]


class Command(BaseCommand):
    help = "Load demo agencies, teams, job roles and one account per role (safe to re-run)."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "load_demo: refused, these settings do not allow demo data "
                "(DEMO_DATA_ALLOWED is off under config.settings.production)"
            )
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        with transaction.atomic():
            agencies = self._agencies()
            roles = self._job_roles()
            accounts = [self._account(row, agencies, roles, password) for row in ACCOUNTS]
        if "load_content" in get_commands():
            self.stdout.write("Loading the seed curriculum (load_content)...")
            call_command("load_content", stdout=self.stdout, stderr=self.stderr)
        # After the curriculum: an event's prerequisite is a seed course.
        call_command("load_events", stdout=self.stdout, stderr=self.stderr)
        # Last, so the accounts table is what a person sees above the server's first lines.
        self._print(accounts, password)

    def _agencies(self) -> dict[str, Agency]:
        agencies = {}
        for name, slug, sector, headcount, approval, domain, teams in AGENCIES:
            agency, _ = Agency.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "sector": sector,
                    "headcount": headcount,
                    "requires_approval": approval,
                    "local_authority_area": "Oldham",
                    "is_active": True,
                },
            )
            AgencyDomain.objects.update_or_create(domain=domain, defaults={"agency": agency})
            for team in teams:
                Team.objects.get_or_create(agency=agency, name=team)
            agencies[slug] = agency
        return agencies

    def _job_roles(self) -> dict[str, JobRole]:
        roles = {}
        for name, slug, sectors in JOB_ROLES:
            roles[slug], _ = JobRole.objects.update_or_create(
                slug=slug, defaults={"name": name, "sectors": [str(s) for s in sectors]}
            )
        return roles

    def _account(self, row, agencies, roles, password) -> tuple[str, str, str, str]:
        email, first, last, role, agency_slug, team_name, job_role = row
        agency = agencies[agency_slug]
        user, _ = User.objects.update_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "agency": agency,
                "team": Team.objects.get(agency=agency, name=team_name),
                "job_role": roles[job_role],
                "membership_status": MembershipStatus.APPROVED,
                "is_active": True,
            },
        )
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=role.value))
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        key = self._totp_key(user) if role.value in PRIVILEGED_GROUPS else ""
        return email, role.label, agency.name, key

    @staticmethod
    def _totp_key(user: User) -> str:
        """The account's authenticator-app key, made once: privileged roles need a second factor."""
        adapter = get_mfa_adapter()
        existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if existing:
            return adapter.decrypt(existing.data["secret"])
        key = base64.b32encode(secrets.token_bytes(20)).decode("ascii")
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": adapter.encrypt(key)}
        )
        return key

    def _print(self, accounts, password) -> None:
        width = max(len(email) for email, _, _, _ in accounts)
        self.stdout.write(self.style.SUCCESS("Demo accounts (sign in at /accounts/login/):"))
        self.stdout.write(
            f"  {'Email'.ljust(width)}  {'Role'.ljust(17)}  {'Agency'.ljust(30)}  Authenticator key"
        )
        for email, role, agency, key in accounts:
            self.stdout.write(
                f"  {email.ljust(width)}  {role.ljust(17)}  {agency.ljust(30)}  {key or '-'}"
            )
        source = "from DEMO_PASSWORD" if os.environ.get("DEMO_PASSWORD") else "default"
        self.stdout.write(f"  Password for every account ({source}): {password}")
        self.stdout.write(
            "  Privileged roles sign in with a code: add the key to an authenticator app "
            "(docs/security.md)."
        )
