"""Nothing is lost under concurrent use: eight clients write at once to a live server.

Each thread is a learner answering knowledge checks and playing a scenario through the real
pages, while also posting statement batches and state documents to the LRS as a partner system
would. Every request must succeed (no 5xx, in particular no "database is locked" on SQLite), and
every write the server accepted must be in the database afterwards. The test runs on whichever
database the suite runs on: SQLite in ``make test``, PostgreSQL in CI's second run.
"""

import base64
import json
import re
import threading
import uuid
from collections import Counter

import httpx
import pytest
from django.test import Client

from courses.models import CheckAnswer
from courses.services.learning import enrolment_create
from scenarios.models import ChoiceRecord
from tests.accounts.factories import UserFactory
from tests.courses.factories import CoursePageFactory, ModulePageFactory, check, section
from tests.scenarios.factories import scenario_create
from tracking.lrs.clients import lrs_client_create
from tracking.lrs.models import Document, Statement
from tracking.services.destinations import destination_create

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
ROUNDS = 5
BATCH = 10
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def platform(live_server):
    course = CoursePageFactory(title="Missing children")
    module = ModulePageFactory(
        parent=course,
        title="Return interviews",
        body=[
            section("Question", check(question="Who does the interview?", correct=(1,))),
            # Never answered, so the course stays open and every answer above is accepted.
            section("Later", check(question="When is it due?")),
        ],
    )
    block_id = module.body[0].value["content"][0].id
    scenario = scenario_create()
    client, secret = lrs_client_create(name="Partner system", can_use_documents=True)
    # A partner LRS that is down: every learning event's forwarding fails after commit,
    # which must never turn the learner's saved answer into an error page.
    destination_create(name="Down", endpoint="http://127.0.0.1:9/xapi/", username="u", secret="s")
    learners = []
    for n in range(THREADS):
        user = UserFactory(email=f"learner{n}@police.example.org")
        enrolment_create(user=user, course=course)
        browser = Client()
        browser.force_login(user)
        learners.append((user, browser.cookies["sessionid"].value))
    token = base64.b64encode(f"{client.key}:{secret}".encode()).decode()
    return {
        "url": live_server.url,
        "module": module,
        "module_url": module.url,  # read here: a client thread has no business with the database
        "block_id": block_id,
        "scenario": scenario,
        "learners": learners,
        "lrs_headers": {"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"},
    }


def _statements(n: int, email: str) -> list[dict]:
    return [
        {
            "id": str(uuid.uuid4()),
            "actor": {"mbox": f"mailto:{email}", "objectType": "Agent"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
            "object": {"id": f"https://partner.example.org/activities/{n}/{i}"},
        }
        for i in range(BATCH)
    ]


def _learner(platform, number: int, record: dict) -> None:
    """One learner's session: LRS writes, answers and a scenario, ROUNDS times over."""
    user, session = platform["learners"][number]
    url = platform["url"]
    module = platform["module"]
    web = httpx.Client(base_url=url, cookies={"sessionid": session}, timeout=60)
    lrs = httpx.Client(base_url=url, headers=platform["lrs_headers"], timeout=60)

    def log(kind: str, response: httpx.Response) -> httpx.Response:
        record["statuses"].append((kind, response.status_code))
        return response

    def form_token(path: str) -> str:
        page = log("page", web.get(path))
        found = CSRF_INPUT.search(page.text)
        return found.group(1) if found else ""  # a failed page: the POST is refused, and logged

    with web, lrs:
        for round_ in range(ROUNDS):
            batch = _statements(number * ROUNDS + round_, user.email)
            response = log("statements", lrs.post("/xapi/statements", json=batch))
            if response.status_code == 200:
                record["statements"].update(response.json())

            state_id = f"bookmark-{number}-{round_}"
            params = {
                "activityId": "https://partner.example.org/activities/course",
                "agent": json.dumps({"mbox": f"mailto:{user.email}"}),
                "stateId": state_id,
            }
            response = log(
                "state", lrs.put("/xapi/activities/state", params=params, json={"page": round_})
            )
            if response.status_code == 204:
                record["states"].add(state_id)

            token = form_token(platform["module_url"])
            response = log(
                "answer",
                web.post(
                    f"/courses/modules/{module.pk}/checks/{platform['block_id']}/",
                    data={"csrfmiddlewaretoken": token, "option": str(round_ % 2)},
                ),
            )
            if response.status_code == 302:
                record["answers"] += 1

            slug = platform["scenario"].slug
            token = form_token(f"/scenarios/{slug}/")
            started = log(
                "start", web.post(f"/scenarios/{slug}/start/", data={"csrfmiddlewaretoken": token})
            )
            play = started.headers.get("location", "")
            token = form_token(play)
            log("continue", web.post(play, data={"csrfmiddlewaretoken": token, "node": "arrival"}))
            token = form_token(play)
            chose = log(
                "choose",
                web.post(
                    play,
                    data={"csrfmiddlewaretoken": token, "node": "first-call", "choice": "a"},
                ),
            )
            if chose.status_code == 302 and chose.headers["location"].endswith("/feedback/"):
                record["choices"] += 1


def test_eight_clients_writing_at_once_lose_nothing(platform):
    records = [
        {"statuses": [], "statements": set(), "states": set(), "answers": 0, "choices": 0}
        for _ in range(THREADS)
    ]
    errors = []

    def run(number):
        try:
            _learner(platform, number, records[number])
        except Exception as error:  # noqa: BLE001  reported below with the thread's number
            errors.append((number, repr(error)))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)

    assert not errors
    statuses = Counter(status for record in records for _, status in record["statuses"])
    failures = Counter(
        kind for record in records for kind, status in record["statuses"] if status >= 500
    )
    assert not failures, f"server errors by request kind: {dict(failures)}"
    assert statuses[200] + statuses[204] + statuses[302] == sum(statuses.values())

    accepted = set().union(*(record["statements"] for record in records))
    assert len(accepted) == THREADS * ROUNDS * BATCH
    stored = {
        str(i)
        for i in Statement.objects.filter(statement_id__in=accepted).values_list(
            "statement_id", flat=True
        )
    }
    assert stored == accepted

    states = set().union(*(record["states"] for record in records))
    assert len(states) == THREADS * ROUNDS
    assert (
        set(Document.objects.filter(document_id__in=states).values_list("document_id", flat=True))
        == states
    )

    assert sum(record["answers"] for record in records) == THREADS * ROUNDS
    assert CheckAnswer.objects.filter(module=platform["module"]).count() == THREADS * ROUNDS
    assert sum(record["choices"] for record in records) == THREADS * ROUNDS
    assert ChoiceRecord.objects.filter(choice_key="a").count() == THREADS * ROUNDS
