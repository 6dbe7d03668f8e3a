"""Course page factories and raw StreamField builders for module bodies."""

import uuid

import factory
import wagtail_factories

from courses.models import CourseIndexPage, CoursePage, Enrolment, ModulePage
from tests.accounts.factories import UserFactory


def block_id() -> str:
    return str(uuid.uuid4())


def markdown(text: str = "Some **text**.") -> dict:
    return {"type": "markdown", "value": text, "id": block_id()}


def check(question="Pick the right one", kind="single", correct=(0,), count=3, explanation=""):
    options = [
        {"text": f"Option {n}", "correct": n in correct, "feedback": f"Feedback for option {n}"}
        for n in range(count)
    ]
    value = {"question": question, "kind": kind, "options": options, "explanation": explanation}
    return {"type": "check", "value": value, "id": block_id()}


def reflection(prompt="What would you do differently?") -> dict:
    return {"type": "reflection", "value": {"prompt": prompt, "hint": ""}, "id": block_id()}


def section(heading="A section", *content) -> dict:
    return {
        "type": "section",
        "value": {"heading": heading, "content": list(content) or [markdown()]},
        "id": block_id(),
    }


def course_index() -> CourseIndexPage:
    """The catalogue page created by the courses data migration."""
    return CourseIndexPage.objects.get()


class CoursePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Course {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    summary = "A course about safeguarding."
    topic = "missing-children"
    level = "foundation"
    audience_sectors = factory.LazyFunction(list)
    pass_mark = 80
    refresher_months = 24
    require_scenarios = False
    parent = factory.LazyFunction(course_index)


class ModulePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ModulePage

    title = factory.Sequence(lambda n: f"Module {n}")
    slug = factory.Sequence(lambda n: f"module-{n}")
    parent = factory.SubFactory(CoursePageFactory)
    body = factory.LazyFunction(lambda: [section("Introduction"), section("Next steps")])


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CoursePageFactory)
