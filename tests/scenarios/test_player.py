"""The learner's player: start, choose, feedback, break, resume, back, end, replay, privacy."""

import pytest
from django.urls import reverse

from learning.models import EventKind, LearningEvent
from scenarios.models import Attempt, AttemptStatus
from tests.accounts.factories import UserFactory
from tests.scenarios.factories import definition, scenario_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(client):
    user = UserFactory()
    client.force_login(user)
    return user


def start(client, scenario, **data):
    response = client.post(reverse("scenarios:start", args=[scenario.slug]), data)
    assert response.status_code == 302
    return Attempt.objects.latest("started_at")


def test_list_shows_only_published_scenarios(client):
    scenario_create()
    scenario_create(slug="draft-one", title="Draft one", publish=False)
    page = client.get("/scenarios/").content.decode()
    assert "Jade keeps going missing" in page
    assert "Draft one" not in page


def test_detail_shows_content_note_and_rendered_markdown(client):
    scenario_create()
    page = client.get("/scenarios/jade/").content.decode()
    assert "Content note: Mentions exploitation." in page
    assert "<strong>social worker</strong>" in page


def test_draft_scenario_is_not_playable(client, learner):
    scenario = scenario_create(publish=False)
    assert client.get("/scenarios/jade/").status_code == 404
    assert client.post(reverse("scenarios:start", args=[scenario.slug])).status_code == 404


def test_playing_to_an_ending_records_choices_events_and_end_page(client, learner):
    scenario = scenario_create()
    attempt = start(client, scenario)
    play = reverse("scenarios:play", args=[attempt.registration])
    assert "Jade has not come back." in client.get(play).content.decode()
    assert client.post(play).url == play  # continue from the situation
    assert "What do you do first?" in client.get(play).content.decode()
    response = client.post(play, {"choice": "b"})
    assert response.url == reverse("scenarios:feedback", args=[attempt.registration])
    feedback = client.get(response.url).content.decode()
    assert 'tabindex="-1" data-focus-on-load>Feedback on your choice</h1>' in feedback
    assert "Waiting adds risk." in feedback and "Risky" in feedback
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.COMPLETED
    assert attempt.score == -1
    assert attempt.path == ["arrival", "first-call", "bad-ending"]
    end = client.get(reverse("scenarios:end", args=[attempt.registration])).content.decode()
    assert "Jade is found two days later." in end
    assert "Delay increased the risk." in end
    assert "You chose: Wait until morning" in end
    assert "LP2: Displacement" in end
    kinds = list(
        LearningEvent.objects.filter(registration=attempt.registration).values_list(
            "kind", flat=True
        )
    )
    assert kinds == [
        EventKind.SCENARIO_LAUNCHED,
        EventKind.SCENARIO_CHOICE,
        EventKind.SCENARIO_COMPLETED,
    ]
    choice_event = LearningEvent.objects.get(kind=EventKind.SCENARIO_CHOICE)
    assert choice_event.activity == f"decision:{scenario.pk}:first-call"
    assert choice_event.result["response"] == "b"
    assert choice_event.extra["choices"] == [
        {"key": "a", "label": "Report Jade missing now"},
        {"key": "b", "label": "Wait until morning"},
    ]
    assert choice_event.extra["revision_id"] == attempt.revision_id
    completed = LearningEvent.objects.get(kind=EventKind.SCENARIO_COMPLETED)
    assert completed.result["completion"] is True
    assert completed.result["score"] == {"raw": -1}


def test_missing_choice_shows_an_error_and_changes_nothing(client, learner):
    scenario = scenario_create()
    attempt = start(client, scenario)
    play = reverse("scenarios:play", args=[attempt.registration])
    client.post(play)
    response = client.post(play, {})
    assert response.status_code == 400
    assert "Select what you would do" in response.content.decode()
    response = client.post(play, {"choice": "zzz"})
    assert response.status_code == 400
    attempt.refresh_from_db()
    assert attempt.state["node"] == "first-call"
    assert attempt.choices.count() == 0


def test_take_a_break_saves_and_resume_continues_where_left(client, learner):
    scenario = scenario_create()
    attempt = start(client, scenario)
    play = reverse("scenarios:play", args=[attempt.registration])
    client.post(play)
    brk = reverse("scenarios:break", args=[attempt.registration])
    assert client.post(brk).url == brk
    page = client.get(brk).content.decode()
    assert "Your place is saved" in page and 'href="/directory/"' in page and "116 123" in page
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUSPENDED
    detail = client.get("/scenarios/jade/").content.decode()
    assert "Resume where you left off" in detail
    assert "What do you do first?" in client.get(play).content.decode()
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS
    assert LearningEvent.objects.filter(kind=EventKind.SCENARIO_SUSPENDED).count() == 1
    resumed = LearningEvent.objects.filter(kind=EventKind.SCENARIO_LAUNCHED).last()
    assert resumed.extra["resumed"] is True


def test_back_is_refused_unless_the_scenario_allows_it(client, learner):
    scenario = scenario_create()
    attempt = start(client, scenario)
    play = reverse("scenarios:play", args=[attempt.registration])
    client.post(play)
    back = reverse("scenarios:back", args=[attempt.registration])
    assert client.post(back).status_code == 400
    assert "Back to the previous step" not in client.get(play).content.decode()


def test_back_undoes_a_step_where_allowed(client, learner):
    scenario = scenario_create(allow_back=True)
    attempt = start(client, scenario)
    play = reverse("scenarios:play", args=[attempt.registration])
    client.post(play)
    assert "Back to the previous step" in client.get(play).content.decode()
    client.post(reverse("scenarios:back", args=[attempt.registration]))
    attempt.refresh_from_db()
    assert attempt.state["node"] == "arrival"


def test_replay_starts_a_new_attempt_and_keeps_the_old_one(client, learner):
    scenario = scenario_create()
    first = start(client, scenario)
    play = reverse("scenarios:play", args=[first.registration])
    client.post(play)
    client.post(play, {"choice": "a"})
    second = start(client, scenario)
    assert second.pk != first.pk and second.registration != first.registration
    first.refresh_from_db()
    assert first.status == AttemptStatus.COMPLETED
    assert client.get(play).url == reverse("scenarios:end", args=[first.registration])


def test_module_launch_is_stored_on_the_attempt_and_events(client, learner):
    from tests.courses.factories import CoursePageFactory, ModulePageFactory

    scenario = scenario_create()
    home = ModulePageFactory(parent=CoursePageFactory())
    assert f'value="{home.pk}"' in client.get(f"/scenarios/jade/?module={home.pk}").content.decode()
    attempt = start(client, scenario, module=str(home.pk))
    assert attempt.module_id == home.pk
    assert LearningEvent.objects.get(registration=attempt.registration).module_id == home.pk
    play = reverse("scenarios:play", args=[attempt.registration])
    client.post(play)
    client.post(play, {"choice": "a"})
    end = client.get(reverse("scenarios:end", args=[attempt.registration])).content.decode()
    assert f'href="{home.url}">Return to the module' in end
    assert f'name="module" value="{home.pk}"' in end  # a replay stays linked to the module


def test_attempts_are_private_to_their_learner(client, learner):
    scenario = scenario_create()
    attempt = start(client, scenario)
    client.force_login(UserFactory())
    for name in ("play", "feedback", "end", "break"):
        assert (
            client.get(reverse(f"scenarios:{name}", args=[attempt.registration])).status_code == 404
        )
    assert client.post(reverse("scenarios:play", args=[attempt.registration])).status_code == 404
    assert client.post(reverse("scenarios:break", args=[attempt.registration])).status_code == 404
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS


def test_anonymous_visitors_must_sign_in_to_play(client):
    scenario = scenario_create()
    response = client.post(reverse("scenarios:start", args=[scenario.slug]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_player_pages_carry_a_strict_csp_without_inline_styles(client, learner):
    scenario = scenario_create()
    attempt = start(client, scenario)
    response = client.get(reverse("scenarios:play", args=[attempt.registration]))
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "style=" not in response.content.decode()


def test_situation_video_is_a_link_with_its_transcript(client, learner):
    from tests.scenarios.factories import definition

    nodes = definition()["nodes"]
    nodes[0]["media"] = {
        "kind": "video",
        "url": "https://example.org/call.mp4",
        "title": "The phone call",
        "transcript": "Jade: **I'm fine.**",
    }
    scenario = scenario_create(nodes=nodes)
    attempt = start(client, scenario)
    page = client.get(reverse("scenarios:play", args=[attempt.registration])).content.decode()
    assert 'href="https://example.org/call.mp4">The phone call (opens the video)</a>' in page
    assert "Jade: <strong>I&#x27;m fine.</strong>" in page or "<strong>I'm fine.</strong>" in page


def test_a_stale_form_from_an_earlier_step_changes_nothing(client, learner):
    scenario = scenario_create()
    attempt = start(client, scenario)
    play = reverse("scenarios:play", args=[attempt.registration])
    client.post(play, {"node": "arrival"})
    response = client.post(play, {"node": "arrival"})  # the same form submitted again
    assert response.url == play
    attempt.refresh_from_db()
    assert attempt.state["node"] == "first-call" and attempt.path == ["arrival", "first-call"]
    page = client.get(play).content.decode()
    assert "You had already moved on from that step" in page


def test_a_launch_naming_a_page_that_is_not_a_live_module_records_no_module(client, learner):
    from wagtail.models import Page

    scenario = scenario_create()
    home = Page.objects.get(depth=2)
    attempt = start(client, scenario, module=str(home.pk))
    assert attempt.module_id is None


def test_end_page_shows_only_the_debrief_notes_for_the_learners_own_path(client, learner):
    data = definition()
    data["nodes"][3]["notes"] = [
        {"if": {"chose": "first-call.b"}, "text": "You waited until morning."},
        {"if": {"chose": "first-call.a"}, "text": "You reported at once."},
    ]
    scenario = scenario_create(nodes=data["nodes"])
    attempt = start(client, scenario)
    play = reverse("scenarios:play", args=[attempt.registration])
    client.post(play)
    client.post(play, {"choice": "b"})
    end = client.get(reverse("scenarios:end", args=[attempt.registration])).content.decode()
    assert "You waited until morning." in end
    assert "You reported at once." not in end


def test_shuffled_decision_shows_each_learner_an_order_of_their_own(client, learner):
    data = definition()
    decision = data["nodes"][1]
    decision["shuffle"] = True
    for key in "cdef":
        decision["choices"].append({**decision["choices"][0], "key": key, "label": f"Option {key}"})
    scenario = scenario_create(nodes=data["nodes"])
    orders = set()
    for _ in range(6):
        attempt = start(client, scenario)
        play = reverse("scenarios:play", args=[attempt.registration])
        client.post(play)
        page = client.get(play).content.decode()
        again = client.get(play).content.decode()
        positions = {key: page.index(f'value="{key}"') for key in "abcdef"}
        assert positions == {key: again.index(f'value="{key}"') for key in "abcdef"}
        orders.add(tuple(sorted(positions, key=positions.get)))
    assert len(orders) > 1


def test_a_revision_is_built_for_the_player_once_not_on_every_step(client, learner, monkeypatch):
    from scenarios import selectors

    built = []
    real = selectors.scenario_engine

    def counting(*, scenario):
        built.append(scenario.pk)
        return real(scenario=scenario)

    monkeypatch.setattr(selectors, "scenario_engine", counting)
    scenario = scenario_create()
    attempt = start(client, scenario)
    built.clear()
    play = reverse("scenarios:play", args=[attempt.registration])
    client.get(play)
    client.post(play)  # continue: the view and the service both read the played scenario
    assert "What do you do first?" in client.get(play).content.decode()
    assert client.post(play, {"choice": "b"}).status_code == 302
    assert built == [scenario.pk]


def test_an_overwritten_draft_revision_is_built_again(client, learner):
    """Wagtail may overwrite the latest draft revision (renewing its created_at): a preview
    attempt on it then plays the new content, as it did before the played scenario was kept."""
    from datetime import timedelta

    from scenarios.selectors import attempt_played

    scenario = scenario_create()
    attempt = start(client, scenario)
    played, _ = attempt_played(attempt=attempt)
    assert played.title == "Jade keeps going missing"
    revision = attempt.revision
    revision.content = {**revision.content, "title": "Jade, renamed"}
    revision.created_at += timedelta(seconds=5)
    revision.save()
    attempt.refresh_from_db()
    played, _ = attempt_played(attempt=attempt)
    assert played.title == "Jade, renamed"
