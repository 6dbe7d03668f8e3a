"""Load demonstration agencies, teams, job roles and one account per role; idempotent.

Then loads the seed curriculum with ``load_content`` when that command is installed. Refuses to
run where ``DEMO_DATA_ALLOWED`` is off (production settings): its accounts have a known password.
"""

import base64
import os
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import Agency, AgencyDomain, JobRole, MembershipStatus, Sector, Team, User
from accounts.roles import PRIVILEGED_GROUPS, Role
from courses.models import (
    Completion,
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    ModuleProgress,
    RequiredLearning,
)
from events.models import (
    Attendance,
    Booking,
    BookingStatus,
    EventPage,
    EventRequirement,
    EventSession,
    SessionMode,
)
from reports.services.rollup import rollup_rebuild

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

# Given and family names for demonstration staff (fictional).
DEMO_NAMES = [
    ("Amira", "Hussain"),
    ("Ben", "Clarke"),
    ("Chloe", "Wright"),
    ("Dev", "Patel"),
    ("Ellen", "Murphy"),
    ("Farid", "Khan"),
    ("Grace", "Okafor"),
    ("Harry", "Lees"),
    ("Isla", "Bennett"),
    ("Jamal", "Ahmed"),
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
        with transaction.atomic():
            staff = self._practice(agencies, roles)
        if staff:
            self.stdout.write(f"Demo staff and their training records: {staff} people.")
        # Last, so the accounts table is what a person sees above the server's first lines.
        self._print(accounts, password)

    def _practice(self, agencies, roles) -> int:
        """Required-learning rules and staff at several agencies who have completed, started,
        not started or let lapse their required courses, so that every report has figures.

        Staff have no usable password. Idempotent: people are keyed on their email address and
        get training records only once; the report rollups are rebuilt from the records.
        """
        courses = list(CoursePage.objects.live().order_by("title")[:2])
        if not courses:
            return 0
        year_ago = timezone.now() - timedelta(days=365)
        for course, sectors, months in (
            (courses[0], [], 3),
            (courses[-1], [Sector.POLICE, Sector.CHILDRENS_SOCIAL_CARE], 6),
        ):
            # Dated a year back, so people who joined long ago are already overdue.
            RequiredLearning.objects.get_or_create(
                course=course,
                defaults={"sectors": sectors, "due_within_months": months, "created_at": year_ago},
            )
        count = 0
        for slug, size in (("gmp", 10), ("oldham-csc", 8), ("nca-nhs", 6), ("oldham-schools", 6)):
            agency = agencies[slug]
            teams = list(agency.teams.order_by("name"))
            domain = agency.domains.first().domain
            for n in range(size):
                count += self._staff_member(agency, teams[n % len(teams)], domain, n, courses)
        for n in range(2):  # waiting for the police lead's approval (the home page says so)
            User.objects.get_or_create(
                email=f"new.starter{n + 1}@{agencies['gmp'].domains.first().domain}",
                defaults={
                    "first_name": "New",
                    "last_name": f"Starter {n + 1}",
                    "agency": agencies["gmp"],
                    "membership_status": MembershipStatus.PENDING,
                },
            )
        self._required_event(agencies["oldham-schools"], year_ago)
        rollup_rebuild()
        return count

    @staticmethod
    def _required_event(agency, created_at) -> None:
        """Education staff must attend one of the two multi-agency workshops every 36 months
        (within 6 months of joining); half of the school's demo staff attended reflective
        supervision in a session four months ago, so the report shows met and overdue alike.
        Once: skipped when a rule exists."""
        events = {
            page.slug: page
            for page in EventPage.objects.filter(
                slug__in=[
                    "multi-agency-reflective-supervision",
                    "missing-children-practice-across-agencies",
                ]
            )
        }
        if not events or EventRequirement.objects.exists():
            return
        rule = EventRequirement(
            sectors=[Sector.EDUCATION],
            due_within_months=6,
            renew_every_months=36,
            created_at=created_at,
        )
        rule.save()
        rule.events.set(list(events.values()))
        rule.save()  # a ParentalManyToManyField is written when its owner is saved
        supervision = events.get("multi-agency-reflective-supervision")
        if supervision is None:
            return
        # A past session's register as the trainer left it (demo records; no statements).
        start = timezone.now() - timedelta(days=120)
        past = EventSession.objects.create(
            page=supervision,
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            mode=SessionMode.IN_PERSON,
            venue="Oldham Civic Centre, West Street, OL1 1UT",
            capacity=20,
        )
        staff = agency.members.filter(membership_status=MembershipStatus.APPROVED).order_by("pk")
        for n, member in enumerate(staff):
            Booking.objects.create(
                session=past,
                user=member,
                agency=agency,
                status=BookingStatus.BOOKED,
                attendance=Attendance.ATTENDED if n % 2 == 0 else Attendance.DID_NOT_ATTEND,
            )

    @staticmethod
    def _staff_member(agency, team, domain, n, courses) -> int:
        """One member of staff; by position: completed (0-2), started (3-4), lapsed (5), never
        started though they joined long ago (the rest: overdue)."""
        first, last = DEMO_NAMES[n % len(DEMO_NAMES)]
        now = timezone.now()
        joined = now - timedelta(days=30 if n == 4 else 300 + 7 * n)
        user, created = User.objects.get_or_create(
            email=f"{first}.{last}.{agency.slug}@{domain}".lower(),
            defaults={
                "first_name": first,
                "last_name": last,
                "agency": agency,
                "team": team,
                "membership_status": MembershipStatus.APPROVED,
                "date_joined": joined,
            },
        )
        if not created or Enrolment.objects.filter(user=user).exists():
            return 1
        user.set_unusable_password()
        user.save(update_fields=["password"])
        course = courses[0]
        modules = list(course.get_children().live().specific())
        if n >= 6 or not modules:
            return 1
        started = joined + timedelta(days=10)
        done = n <= 2 or n == 5
        enrolment = Enrolment.objects.create(
            user=user,
            course=course,
            enrolled_at=started,
            status=EnrolmentStatus.COMPLETED if done else EnrolmentStatus.IN_PROGRESS,
            completed_at=started + timedelta(days=5) if done else None,
            last_module=modules[0],
        )
        for module in modules if done else modules[:1]:
            ModuleProgress.objects.create(
                enrolment=enrolment,
                module=module,
                started_at=started,
                completed_at=started + timedelta(days=5) if done else None,
            )
        if done:
            # The lapsed one (5) completed long ago on a 3-month refresher: now refresher due.
            completed_at = started + timedelta(days=5)
            Completion.objects.create(
                user=user,
                course=course,
                enrolment=enrolment,
                completed_at=completed_at,
                expires_at=completed_at + timedelta(days=90 if n == 5 else 730),
                score=100,
            )
        return 1

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
