"""Demo training events from the practice review's recommendations (idempotent by slug).

Sessions are placed a few weeks ahead of today, so the programme is never empty in a demo.
``load_demo`` runs this after the seed curriculum; trainers are the demo accounts with the
Trainer role, if any.
"""

from datetime import datetime, time, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from courses.models import CoursePage
from events.models import EventIndexPage, EventPage, EventSession, SessionMode

EVENTS = [
    {
        "slug": "multi-agency-reflective-supervision",
        "title": "Multi-agency reflective supervision",
        "summary": (
            "Practise the partnership's multi-agency supervision and mapping model on a "
            "complex case, with colleagues from every agency."
        ),
        "description": (
            "The review found that a shared reflective supervision model could have supported "
            "an even better trauma-informed response for Alpha, and the staff around her. "
            "This workshop pilots that model (Recommendation 3): you bring a case, we map it "
            "together across agencies and reflect on risk alongside care planning."
        ),
        "learning_outcomes": (
            "Use the multi-agency supervision and mapping model on a live case\n"
            "Balance risk management with holistic, trauma-informed care planning\n"
            "Agree actions and challenge across agencies with the escalation policy"
        ),
        "level": "advanced",
        "audience_sectors": [],
        "learning_points": ["LP4", "LP1"],
        "recommendations": ["R3", "R10"],
        "requires_approval": True,
        "cpd_minutes": 180,
        "sessions": [
            (21, time(9, 30), 180, SessionMode.IN_PERSON, 16, 4),
            (35, time(13, 30), 180, SessionMode.ONLINE, 20, None),
        ],
    },
    {
        "slug": "missing-children-practice-across-agencies",
        "title": "Children missing from home and care: practice across agencies",
        "summary": (
            "Care plans for every missing episode, return interviews for children placed out "
            "of area, and what each agency records and shares."
        ),
        "description": (
            "Built on the review's first learning point and Recommendations 4, 9 and 11: the "
            "missing policy in foster and residential placements, commissioning return "
            "interviews when a child is placed far from home, and recording what children "
            "tell us so that it informs their care plan."
        ),
        "learning_outcomes": (
            "Follow the missing policy for every episode, including a police care plan\n"
            "Arrange a return interview for a child placed out of area\n"
            "Record and share what a child says so it changes their plan"
        ),
        "level": "intermediate",
        "audience_sectors": [],
        "learning_points": ["LP1"],
        "recommendations": ["R4", "R9", "R11"],
        "requires_approval": False,
        "cpd_minutes": 150,
        "prerequisite_topic": "missing-children",
        "sessions": [
            (10, time(10, 0), 150, SessionMode.IN_PERSON, 24, 6),
            (28, time(10, 0), 150, SessionMode.ONLINE, 30, None),
        ],
    },
    {
        "slug": "roma-cultural-competence",
        "title": "Roma cultural competence, with the Roma community",
        "summary": (
            "Roma heritage, identity and family life, taught with a Roma community "
            "organisation: what it means for assessment, placements and Family Time."
        ),
        "description": (
            "Alpha told professionals she had to adapt to a culture that was alien to her. "
            "This session, delivered with community workers, answers Recommendations 6 and 7: "
            "understanding push and pull factors, using the same interpreter and specialist "
            "service across agencies, and where to get specialist advice."
        ),
        "learning_outcomes": (
            "Describe Roma family patterns and what matters to Roma children in care\n"
            "Reflect cultural identity in assessments and plans, not only record it\n"
            "Find specialist advice and interpreters through the service directory"
        ),
        "level": "foundation",
        "audience_sectors": [],
        "learning_points": ["LP3", "LP2"],
        "recommendations": ["R6", "R7"],
        "requires_approval": False,
        "cpd_minutes": 120,
        "delivered_with": "Oldham Youth and Community Trust: Roma, Gypsy and Traveller outreach",
        "sessions": [
            (14, time(13, 0), 120, SessionMode.IN_PERSON, 20, 5),
            (42, time(13, 0), 120, SessionMode.IN_PERSON, 20, 5),
        ],
    },
]
VENUE = "Oldham Civic Centre, West Street, Oldham OL1 1UT (step-free; hearing loop in Room 3)"
JOINING_LINK = "https://meet.example.org/oscp-training"


class Command(BaseCommand):
    help = "Load demo training events from the practice review's recommendations (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        index = EventIndexPage.objects.first()
        if index is None:
            self.stderr.write("load_events: no events page (run migrate first).")
            return
        trainers = list(User.objects.filter(groups__name=Role.TRAINER.value)[:2])
        today = timezone.localdate()
        created = 0
        for spec in EVENTS:
            if EventPage.objects.filter(slug=spec["slug"]).exists():
                continue
            page = EventPage(
                title=spec["title"],
                slug=spec["slug"],
                summary=spec["summary"],
                description=spec["description"],
                learning_outcomes=spec["learning_outcomes"],
                level=spec["level"],
                audience_sectors=spec["audience_sectors"],
                learning_points=spec["learning_points"],
                recommendations=spec["recommendations"],
                requires_approval=spec["requires_approval"],
                cpd_minutes=spec["cpd_minutes"],
                delivered_with=spec.get("delivered_with", ""),
            )
            index.add_child(instance=page)
            topic = spec.get("prerequisite_topic")
            course = CoursePage.objects.live().filter(topic=topic).first() if topic else None
            if course is not None:
                page.prerequisites.add(course)
            for days, start, minutes, mode, capacity, quota in spec["sessions"]:
                starts = timezone.make_aware(datetime.combine(today + timedelta(days), start))
                session = EventSession(
                    page=page,
                    starts_at=starts,
                    ends_at=starts + timedelta(minutes=minutes),
                    mode=mode,
                    venue=VENUE if mode == SessionMode.IN_PERSON else "",
                    joining_link=JOINING_LINK if mode == SessionMode.ONLINE else "",
                    capacity=capacity,
                    agency_quota=quota,
                )
                session.full_clean(exclude=["page"])
                page.sessions.add(session)
                session.trainers.set(trainers)
            page.save_revision().publish()
            created += 1
        self.stdout.write(f"load_events: {created} event(s) created.")
