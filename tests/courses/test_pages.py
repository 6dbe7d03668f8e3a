"""Page tree rules, the catalogue and its filters, and what migrations create."""

import pytest
from wagtail.models import Page, WorkflowPage
from wagtail.test.utils import WagtailPageTestCase

from courses.models import CourseIndexPage, CoursePage, ModulePage
from pages.models import HomePage, StandardPage
from tests.courses.factories import CoursePageFactory, ModulePageFactory


class TestPageTree(WagtailPageTestCase):
    def test_course_index_lives_only_under_the_home_page(self):
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})

    def test_courses_live_under_the_index_and_hold_modules(self):
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedSubpageTypes(CoursePage, {ModulePage})

    def test_modules_live_under_courses_and_have_no_children(self):
        self.assertAllowedParentPageTypes(ModulePage, {CoursePage})
        self.assertAllowedSubpageTypes(ModulePage, set())

    def test_home_page_may_hold_the_catalogue(self):
        self.assertCanCreateAt(HomePage, CourseIndexPage)
        self.assertCanNotCreateAt(StandardPage, CourseIndexPage)


@pytest.mark.django_db
def test_migrations_create_the_catalogue_at_courses_with_the_review_workflow():
    index = CourseIndexPage.objects.get()
    assert index.url == "/courses/"
    assert index.live
    workflow = WorkflowPage.objects.get(page=index).workflow
    assert workflow.name == "Safeguarding lead review"
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["Partnership admin"]
    assert Page.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_catalogue_filters_by_topic_sector_and_level_in_the_query_string(client):
    CoursePageFactory(title="Police missing", topic="missing-children", audience_sectors=["police"])
    CoursePageFactory(title="Everyone curious", topic="professional-curiosity", level="advanced")
    CoursePageFactory(title="Health missing", topic="missing-children", audience_sectors=["health"])

    def titles(query):
        response = client.get(f"/courses/{query}")
        assert response.status_code == 200
        return sorted(c.title for c in response.context["courses"])

    assert titles("") == ["Everyone curious", "Health missing", "Police missing"]
    assert titles("?topic=missing-children") == ["Health missing", "Police missing"]
    # A course with no audience sectors is for everyone.
    assert titles("?sector=police") == ["Everyone curious", "Police missing"]
    assert titles("?level=advanced") == ["Everyone curious"]
    assert titles("?topic=nonsense") == ["Everyone curious", "Health missing", "Police missing"]


@pytest.mark.django_db
def test_module_page_asks_anonymous_visitors_to_sign_in(client):
    module = ModulePageFactory()
    response = client.get(module.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_course_page_lists_modules_in_tree_order(client, course):
    response = client.get(course.url)
    assert [m.title for m in response.context["modules"]] == ["Module one", "Module two"]
    assert b"Sign in" in response.content


@pytest.mark.django_db
def test_unpublished_or_unknown_modules_are_not_found(client, learner, course):
    client.force_login(learner)
    module = ModulePage.objects.get(slug="module-one")
    assert client.get(module.url).status_code == 200
    assert client.get("/courses/no-such-course/module-one/").status_code == 404
    assert client.get(f"{course.url}no-such-module/").status_code == 404
    module.unpublish()
    assert client.get(f"{course.url}module-one/").status_code == 404


@pytest.mark.django_db
def test_module_page_marks_local_practice_and_lists_its_sources_and_review_date(client):
    import datetime

    from tests.accounts.factories import UserFactory
    from tests.courses.factories import block_id, section

    course = CoursePageFactory()
    local = {
        "type": "local_practice",
        "value": {
            "key": "police-care-plan",
            "area": "Greater Manchester",
            "title": "A plan for every episode",
            "text": "Police submit a care plan each time.",
        },
        "id": block_id(),
    }
    module = ModulePageFactory(
        parent=course,
        body=[section("Local", local)],
        references="[Working Together 2023](https://www.gov.uk/)",
        last_reviewed=datetime.date(2026, 12, 3),
    )
    client.force_login(UserFactory())
    page = client.get(module.url).content.decode()
    assert "Local practice: Greater Manchester" in page
    assert "Police submit a care plan each time." in page
    assert '<a href="https://www.gov.uk/"' in page and "Working Together 2023" in page
    assert '<time datetime="2026-12-03">3 December 2026</time>' in page
