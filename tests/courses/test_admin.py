"""Authoring in the Wagtail admin: trainers create and submit for review; previews render."""

from wagtail.models import WorkflowState
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, streamfield

from accounts.roles import Role
from courses.models import CoursePage, ModulePage, RequiredLearning
from tests.accounts.factories import UserFactory
from tests.courses.factories import CoursePageFactory, ModulePageFactory, course_index


def course_form(**overrides) -> dict:
    data = {
        "title": "Professional curiosity",
        "slug": "professional-curiosity",
        "summary": "Asking, checking and challenging.",
        "description": "Some *Markdown*.",
        "topic": "professional-curiosity",
        "level": "foundation",
        "audience_sectors": ["police", "health"],
        "learning_outcomes": "Ask\nCheck",
        "learning_points": ["LP2"],
        "recommendations": ["R1"],
        "estimated_minutes": "60",
        "cpd_minutes": "60",
        "refresher_months": "24",
        "pass_mark": "80",
        "require_scenarios": "on",
    }
    return {**data, **overrides}  # lists post as repeated fields (checkboxes)


class TestAuthoring(WagtailPageTestCase):
    def setUp(self):
        self.trainer = UserFactory(roles=[Role.TRAINER])
        self.client.force_login(self.trainer)
        self.index = course_index()

    def test_a_trainer_submits_a_new_course_to_safeguarding_lead_review(self):
        url = f"/admin/pages/add/courses/coursepage/{self.index.pk}/"
        response = self.client.post(url, {**course_form(), "action-submit": "Submit"})
        self.assertEqual(response.status_code, 302, response.content[:3000])
        course = CoursePage.objects.get(slug="professional-curiosity")
        self.assertFalse(course.live)  # only the review step publishes
        state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(course.pk))
        self.assertEqual(state.workflow.name, "Safeguarding lead review")
        self.assertEqual(course.audience_sectors, ["police", "health"])

    def test_the_course_form_rejects_an_unknown_sector_and_a_pass_mark_over_100(self):
        url = f"/admin/pages/add/courses/coursepage/{self.index.pk}/"
        data = course_form(audience_sectors=["pirates"], pass_mark="120")
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        errors = response.context["form"].errors
        self.assertIn("audience_sectors", errors)
        self.assertIn("pass_mark", errors)
        self.assertFalse(CoursePage.objects.exists())

    def test_a_trainer_builds_a_module_of_sections_in_the_admin(self):
        course = CoursePageFactory()
        body = streamfield(
            [
                (
                    "section",
                    {"heading": "Why it matters", "content": streamfield([("markdown", "Hi")])},
                )
            ]
        )
        data = nested_form_data(
            {"title": "First module", "slug": "first", "estimated_minutes": "10", "body": body}
        )
        response = self.client.post(f"/admin/pages/add/courses/modulepage/{course.pk}/", data)
        self.assertEqual(response.status_code, 302, response.content[:3000])
        module = ModulePage.objects.get(slug="first")
        self.assertEqual(module.body[0].value["heading"], "Why it matters")

    def test_every_course_page_type_can_be_previewed(self):
        admin = UserFactory(roles=[Role.PARTNERSHIP_ADMIN])
        admin.is_superuser = True
        admin.save()
        self.client.force_login(admin)
        course = CoursePageFactory()
        module = ModulePageFactory(parent=course)
        body = streamfield(
            [("section", {"heading": "Q", "content": streamfield([("markdown", "x")])})]
        )
        module_data = nested_form_data(
            {"title": "M", "slug": "m", "estimated_minutes": "5", "body": body}
        )
        self.assertPageIsPreviewable(self.index, user=admin)
        self.assertPageIsPreviewable(course, post_data=course_form(slug=course.slug), user=admin)
        self.assertPageIsPreviewable(module, post_data=module_data, user=admin)

    def test_partnership_admins_manage_required_learning_in_the_admin(self):
        course = CoursePageFactory()
        admin = UserFactory(roles=[Role.PARTNERSHIP_ADMIN])
        self.client.force_login(admin)
        data = {"course": course.pk, "sectors": ["police"], "due_within_months": "3"}
        response = self.client.post("/admin/snippets/courses/requiredlearning/add/", data)
        self.assertEqual(response.status_code, 302, response.content[:2000])
        self.assertEqual(RequiredLearning.objects.get().sectors, ["police"])
        self.client.force_login(self.trainer)
        response = self.client.get("/admin/snippets/courses/requiredlearning/add/")
        self.assertIn(response.status_code, (302, 403))

    def test_a_module_with_directory_links_opens_in_the_editor(self):
        from tests.directory.factories import ServiceFactory

        service = ServiceFactory()
        item = {"type": "item", "value": str(service.pk), "id": "i1"}
        links = {"type": "services", "value": {"heading": "Help", "services": [item]}, "id": "b1"}
        body = [{"type": "section", "value": {"heading": "S", "content": [links]}, "id": "s1"}]
        module = ModulePageFactory(body=body)
        response = self.client.get(f"/admin/pages/{module.pk}/edit/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, str(service.pk))
