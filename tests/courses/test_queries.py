"""The module page's query count does not grow with the number of blocks or modules."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.services.learning import check_answer, enrolment_create, reflection_save
from tests.courses.factories import (
    CoursePageFactory,
    ModulePageFactory,
    check,
    markdown,
    reflection,
    section,
)

pytestmark = pytest.mark.django_db


def services() -> dict:
    ids = [str(uuid.uuid4()) for _ in range(3)]  # unknown services: skipped, still looked up
    items = [{"type": "item", "value": i, "id": str(uuid.uuid4())} for i in ids]
    value = {"heading": "Help", "services": items}
    return {"type": "services", "value": value, "id": str(uuid.uuid4())}


def build(user, *, modules: int, sections: int, blocks: int):
    """A course of ``modules`` modules; the first has ``sections`` sections of ``blocks`` kinds."""
    course = CoursePageFactory()
    body = []
    for n in range(sections):
        content = []
        for _ in range(blocks):
            content += [markdown(), check(question=f"Q{n}"), reflection(), services()]
        body.append(section(f"Section {n}", *content))
    first = ModulePageFactory(parent=course, body=body)
    for _ in range(modules - 1):
        ModulePageFactory(parent=course)
    enrolment_create(user=user, course=course)
    # Give the learner state on every block of the first section: answers and reflections.
    for child in first.body[0].value["content"]:
        if child.block_type == "check":
            check_answer(user=user, module=first, block_id=child.id, chosen=[0])
        elif child.block_type == "reflection":
            reflection_save(user=user, module=first, block_id=child.id, text="Thoughts")
    return first


def count(client, url) -> int:
    client.get(url)  # first view records progress; measure a settled revisit
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_module_page_queries_do_not_grow_with_blocks_or_modules(
    client, learner, django_assert_max_num_queries
):
    client.force_login(learner)
    small = build(learner, modules=2, sections=2, blocks=1)
    baseline = count(client, f"{small.url}?section=1")
    large = build(learner, modules=12, sections=15, blocks=6)
    client.get(f"{large.url}?section=1")
    with django_assert_max_num_queries(baseline):
        response = client.get(f"{large.url}?section=1")
    assert response.content.count(b"Thoughts") == 6
    assert baseline < 40
