"""A signed-in module page is served by Wagtail's routing, without repeated lookups, protected."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import set_script_prefix
from wagtail.models import PageViewRestriction, Site

from accounts.roles import Role
from courses.models import ModulePage
from courses.services.learning import enrolment_create
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def module(course, slug="module-one") -> ModulePage:
    return ModulePage.objects.get(slug=slug, path__startswith=course.path)


def settled_queries(client, url) -> list[str]:
    client.get(url)  # the first view records progress and fills the session and caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries]


def test_settled_module_revisit_reads_no_session_groups_permissions_or_restrictions(
    client, learner, course
):
    enrolment_create(user=learner, course=course)
    client.force_login(learner)
    sql = settled_queries(client, f"{module(course).url}?section=3")
    # No page privacy anywhere on the site: no restriction is read either.
    tables = ("django_session", "auth_group", "auth_permission", "wagtailcore_pageviewrestriction")
    assert [q for q in sql if any(f'"{table}"' in q for table in tables)] == []
    # The user, the site, the home page (Wagtail's specific read), the index page's id, type and
    # place (routed through, not read whole), the course's title and link, the module, the
    # enrolment with sections seen, the reflections, the next module.
    assert len(sql) <= 9
    course_read = next(q for q in sql if f"'{course.slug}'" in q)
    assert '"wagtailcore_page"."title"' in course_read
    assert '"courses_coursepage"."summary"' not in course_read


def test_module_page_routes_to_the_right_module_with_its_course(client, learner, course):
    enrolment_create(user=learner, course=course)
    client.force_login(learner)
    response = client.get(module(course, "module-two").url)
    assert response.status_code == 200
    assert response.context["page"].slug == "module-two"
    assert response.context["course"].pk == course.pk
    # The course was read for its title and link only; they are on the page.
    assert f'href="{course.url}">{course.title}</a>' in response.content.decode()


def test_draft_module_and_unknown_paths_are_not_found(client, learner, course):
    draft = module(course, "module-two")
    draft.unpublish()
    client.force_login(learner)
    assert client.get(draft.url if draft.url else f"{course.url}module-two/").status_code == 404
    assert client.get(f"{course.url}no-such-module/").status_code == 404
    assert client.get("/courses/no-such-course/module-one/").status_code == 404


def test_module_page_still_applies_wagtail_view_restrictions(client, learner, course):
    restriction = PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get(name=Role.PARTNERSHIP_ADMIN.value))
    client.force_login(learner)
    response = client.get(module(course).url)
    assert response.status_code == 302
    assert "Module one" not in response.content.decode()


def test_a_restriction_added_after_learners_visited_applies_at_once(client, learner, course):
    client.force_login(learner)
    assert client.get(module(course).url).status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get(name=Role.PARTNERSHIP_ADMIN.value))

    assert client.get(module(course).url).status_code == 302
    restriction.delete()
    assert client.get(module(course).url).status_code == 200


def test_module_page_is_served_by_wagtail_routing_when_there_are_several_sites(
    client, learner, course
):
    root = Site.objects.get(is_default_site=True).root_page
    Site.objects.create(hostname="other.example.org", root_page=root)
    client.force_login(learner)
    response = client.get(module(course).url)
    assert response.status_code == 200
    assert response.context["page"].slug == "module-one"


def test_anonymous_visitor_is_sent_to_sign_in(client, course):
    response = client.get(module(course).url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_userbar_is_only_rendered_for_people_who_can_reach_the_admin(client, learner, course):
    client.force_login(learner)
    assert "wagtail-userbar" not in client.get(module(course).url).content.decode()
    trainer = UserFactory(roles=[Role.TRAINER])
    client.force_login(trainer)
    assert "wagtail-userbar" in client.get(module(course).url).content.decode()


def test_navigation_roles_come_from_the_session_and_follow_a_change_of_user(client, course):
    lead = UserFactory(roles=[Role.AGENCY_LEAD])
    client.force_login(lead)
    assert 'href="/reports/"' in client.get("/courses/").content.decode()
    client.force_login(UserFactory())
    assert 'href="/reports/"' not in client.get("/courses/").content.decode()


def test_revisiting_a_seen_section_reads_once_and_writes_nothing(learner, course):
    from courses.services.learning import section_visit

    enrolment = enrolment_create(user=learner, course=course)
    page = module(course)
    section_visit(user=learner, module=page, position=1)
    section_visit(user=learner, module=page, position=2)
    other = enrolment_create(user=UserFactory(), course=course)  # another learner's views
    section_visit(user=other.user, module=page, position=3)
    with CaptureQueriesContext(connection) as queries:
        visit = section_visit(user=learner, module=page, position=2)
    assert len(queries) == 1
    assert queries[0]["sql"].lstrip().upper().startswith("SELECT")
    assert visit.enrolment.pk == enrolment.pk
    assert visit.position == 2
    assert visit.viewed == {block.id for block in list(page.body)[:2]}


def test_module_page_is_served_when_the_site_lives_under_a_sub_path(client, learner, course):
    enrolment_create(user=learner, course=course)
    client.force_login(learner)

    response = client.get(module(course).url, SCRIPT_NAME="/training")

    assert response.status_code == 200
    assert response.context["page"].slug == "module-one"


def test_block_forms_post_under_the_sub_path_too(client, learner, course):
    enrolment_create(user=learner, course=course)
    client.force_login(learner)
    page = module(course)
    url = f"{page.url}?section=2"
    check_ids = [b.id for b in list(page.body)[1].value["content"]]
    plain = client.get(url).content.decode()

    set_script_prefix("/training/")  # what the WSGI handler does for SCRIPT_NAME=/training
    try:
        html = client.get(url, SCRIPT_NAME="/training").content.decode()
    finally:
        set_script_prefix("/")

    for block_id in check_ids:
        assert f'action="/courses/modules/{page.pk}/checks/{block_id}/"' in plain
        assert f'action="/training/courses/modules/{page.pk}/checks/{block_id}/"' in html
