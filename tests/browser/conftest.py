"""Browser test harness: Playwright driving Debian's Chromium against Django's live server.

How to write a journey (one file per app: ``tests/browser/test_<app>_journey.py``)::

    def test_learner_finds_a_course(live_url, signed_in_page, assert_accessible):
        page = signed_in_page(UserFactory())          # a signed-in Playwright page
        page.goto(f"{live_url}/courses/")
        assert_accessible(page)                       # axe-core, WCAG 2.2 AA tags
        page.get_by_role("link", name="Children missing from home").click()
        assert_accessible(page)

Fixtures and helpers:

- ``live_url``: the live server's base URL (no trailing slash). Every test here has a
  transactional database restored from a snapshot of the migrated database (serialized
  rollback), so data made by migrations (home page, role groups) is there every time, and is
  put back when each test module ends, for the tests that run after it.
- ``page``: pytest-playwright's page in a fresh context; Chromium is ``/usr/bin/chromium``.
  Its base URL is the live server, so ``page.goto("/accounts/login/")`` works too.
- ``signed_in_page(user)``: signs ``user`` in (session cookie, no form) and returns the page.
- ``assert_accessible(page)``: runs axe-core on the current page and fails listing every
  violation of the wcag2a, wcag2aa, wcag21a, wcag21aa and wcag22aa tags. Call it on every page
  the journey visits. ``exclude={"rule-id": [".css-selector"]}`` lets one rule pass on elements
  inside markup the project does not own (Wagtail's), and nothing else. Skips with a message
  when ``make assets`` has not built axe.
- ``outbox``: the emails Django sent during the test; ``link_in_email(message, "/accounts/")``
  returns the first URL in a message whose path starts with the given prefix.

Every test in this folder is marked ``browser`` automatically (CI's PostgreSQL run skips them
with ``-m "not browser"``). Run only these with ``.venv/bin/pytest tests/browser``; add
``--headed --slowmo 300`` to watch.
"""

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still work.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
AXE_SCRIPT = Path(settings.BASE_DIR) / "static" / "vendor" / "axe" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
URL_PATTERN = re.compile(r"https?://[^\s<>\"']+")


def pytest_collection_modifyitems(config, items):
    """Mark this folder's tests ``browser``."""
    browser_dir = Path(__file__).parent
    for item in items:
        if browser_dir in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _migrated_snapshot(django_db_setup, django_db_blocker) -> str:
    """The migrated database as Django serialized it when it created the test database.

    Requesting ``django_db_serialized_rollback`` (below) makes Django take that snapshot. Django
    would also restore it before each test, but that fails once a transactional test elsewhere
    has flushed the database and re-created content types under new ids, and it is silently
    skipped once Playwright has given the test thread a new connection object. So this takes
    the snapshot over and ``_migration_data`` restores it itself.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    snapshot = getattr(connection, "_test_serialized_contents", None)
    if snapshot is None:
        with django_db_blocker.unblock():
            snapshot = connection.creation.serialize_db_to_string()
    else:
        del connection._test_serialized_contents
    # Content types first: saving other rows may look them up, and must find these ids.
    objects = json.loads(snapshot)
    objects.sort(key=lambda row: row["model"] != "contenttypes.contenttype")
    return json.dumps(objects)


def _restore(snapshot: str) -> None:
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    ContentType.objects.clear_cache()  # it may hold ids from before the flush
    connections[DEFAULT_DB_ALIAS].creation.deserialize_db_from_string(snapshot)
    cache.clear()  # Wagtail caches site root paths


@pytest.fixture(autouse=True)
def _migration_data(django_db_serialized_rollback, _migrated_snapshot):
    """Every browser test starts from the migrated database (home page, role groups)."""
    _restore(_migrated_snapshot)


@pytest.fixture(scope="module", autouse=True)
def _migration_data_after(_migrated_snapshot, django_db_blocker):
    """Leave the migrated database behind: each test ends with Django emptying it, and tests
    elsewhere that run later expect the data migrations made."""
    yield
    with django_db_blocker.unblock():
        _restore(_migrated_snapshot)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium, never a downloaded browser."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: `make test` installs the chromium package")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """Playwright's base URL is the live server, so ``page.goto("/courses/")`` works."""
    # Also replaces pytest-playwright's fallback fixture, which pytest 9 warns about.
    return live_server.url


@pytest.fixture
def live_url(live_server) -> str:
    """The live server's base URL (no trailing slash)."""
    return live_server.url.rstrip("/")


@pytest.fixture
def signed_in_page(page, live_url, client) -> Callable:
    """Return a function that signs a user in through a session cookie and returns the page."""

    def sign_in(user):
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_url, "httpOnly": True}]
        )
        return page

    return sign_in


SETTLE_ANIMATIONS = """() => Promise.race([
    Promise.all(document.getAnimations()
        .filter(a => a.effect && a.effect.getTiming().iterations !== Infinity)
        .map(a => a.finished.catch(() => null))),
    new Promise(resolve => setTimeout(resolve, 2000)),
])"""


@pytest.fixture
def assert_accessible() -> Callable:
    """Return a function that fails on any axe-core WCAG 2.2 AA violation on the current page."""
    if not AXE_SCRIPT.exists():
        pytest.skip(f"{AXE_SCRIPT} is missing: run `make assets` to build it")
    source = AXE_SCRIPT.read_text()

    def check(page, exclude: dict[str, list[str]] | None = None) -> None:
        """``exclude`` maps a rule id to CSS selectors of elements it may fail on (markup the
        project does not own, each documented where it is passed)."""
        # evaluate() runs outside the page's CSP, so the strict policy stays on during the test.
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(source)
        # Colours read mid-transition (a message fading in) make contrast results flaky, so
        # let finite CSS animations and transitions finish first (2 seconds at most).
        page.evaluate(SETTLE_ANIMATIONS)
        result = page.evaluate(
            "tags => window.axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        violations = []
        for violation in result["violations"]:
            selectors = (exclude or {}).get(violation["id"], [])
            violation["nodes"] = [
                node
                for node in violation["nodes"]
                if not any(
                    page.evaluate(
                        "([t, s]) => !!document.querySelector(t)?.closest(s)",
                        [node["target"][0], selector],
                    )
                    for selector in selectors
                )
            ]
            if violation["nodes"]:
                violations.append(violation)
        if violations:
            lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
            for violation in violations:
                lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
                lines.append(f"  {violation['helpUrl']}")
                for node in violation["nodes"][:5]:
                    lines.append(f"    at {' '.join(node['target'])}: {node['html'][:160]}")
            pytest.fail("\n".join(lines), pytrace=False)

    return check


@pytest.fixture
def outbox(mailoutbox):
    """The emails sent during this test (locmem backend), oldest first."""
    return mailoutbox


def link_in_email(message, path_prefix: str) -> str:
    """The first absolute URL in the email whose path starts with ``path_prefix``."""
    for url in URL_PATTERN.findall(message.body):
        path = re.sub(r"^https?://[^/]+", "", url)
        if path.startswith(path_prefix):
            return url
    raise AssertionError(f"No link starting {path_prefix!r} in email:\n{message.body}")
