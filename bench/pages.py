"""Benchmark: a realistic module page through gunicorn, against a Django view with no database.

Run with ``.venv/bin/python bench/pages.py`` (``make bench`` runs every script). By default it
runs as production does: ``config.settings.production``, a fresh PostgreSQL database
``bench_pages`` on ``BENCH_PG`` (postgres://postgres@127.0.0.1:5432), the cache and sessions on
Redis (``BENCH_REDIS``, redis://127.0.0.1:6379/12, flushed first) and collected static files.
``--sqlite`` (or ``BENCH_SQLITE=1``) uses an SQLite file in a temporary folder instead.

It imports a generated course of six modules whose first module has eight sections of Markdown,
review callouts, key facts, accordions, knowledge checks and reflection prompts, signs a learner
in, answers the checks, then serves the site with gunicorn on 127.0.0.1:8517 (``BENCH_PORT``)
and loads three URLs with wrk (Debian package ``wrk``; ``make system-deps`` installs it), as a
browser behind the TLS proxy would (``X-Forwarded-Proto: https``):

- the module page, signed in: routing, session, the learner's progress and answers, StreamField
  rendering and the GOV.UK templates;
- the reference: a Django view through the same middleware that renders the site's base template
  with static text and touches no database (no session cookie is sent);
- the signed-in accessibility statement: a plain Wagtail page, the floor for any signed-in page.

It alternates short rounds of the three (``BENCH_ROUNDS``, ``BENCH_DURATION``), prints the median
requests per second and p95 latency of each, both pages' ratios to the reference, and ends with
``ratio: <module rps / reference rps>``. Issue 17's targets on PostgreSQL: at least 0.3 for both.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PORT = int(os.environ.get("BENCH_PORT", "8517"))
DURATION = os.environ.get("BENCH_DURATION", "5s")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))  # 3 rounds moved the ratio by ±0.03
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "8")
WORKERS = os.environ.get("BENCH_WORKERS", "3")  # as docs/operations.md runs production
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/12")
DB = "bench_pages"
HTTPS = "X-Forwarded-Proto: https"  # what the TLS proxy adds (SECURE_PROXY_SSL_HEADER)

# Settings and URLs for the run: production's, plus the no-database reference view.
BENCHCONF = """
from config.settings.production import *  # noqa

ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "benchurls"
STATIC_ROOT = BENCH_STATIC_ROOT
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
"""

BENCHURLS = """
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

SOURCE = (
    '{% extends "base.html" %}{% block title %}Reference{% endblock %}'
    '{% block content %}<h1 class="govuk-heading-xl">Reference</h1>'
    '<p class="govuk-body">Static text rendered through the site layout.</p>{% endblock %}'
)
TEMPLATE = engines["django"].from_string(SOURCE)


def no_database(request):
    return HttpResponse(TEMPLATE.render({}, request))


urlpatterns = [path("bench/no-database/", no_database), path("", include("config.urls"))]
"""

WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.2f p95_ms=%.2f requests=%d errors=%d\\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(95) / 1000,
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
"""


def course_folder(folder: Path) -> Path:
    """Write a generated course in the content/FORMAT.md format."""
    folder.mkdir(parents=True)
    (folder / "course.md").write_text(
        textwrap.dedent("""\
        ---
        title: Benchmark course
        slug: bench-course
        summary: A realistic course for the benchmark.
        topic: missing-children
        level: foundation
        require_scenarios: false
        ---
        A course used only by the benchmark.
        """)
    )
    paragraph = (
        "When a child goes missing it is a sign that something may be wrong. **Push** and "
        "**pull** factors matter; ask what is happening in the child's life, record it, and "
        "share it with the people who need to know. "
    ) * 3
    for number in range(1, 7):
        sections = []
        for s in range(1, 9 if number == 1 else 4):
            sections.append(
                textwrap.dedent(f"""\
                ## Section {s}

                {paragraph}

                - one point to remember
                - another point to remember

                ```from-review
                text: Plans were not always updated after each episode.
                reference: LP2
                ```

                ```key-fact
                title: 72 hours
                text: Offer a return home interview within 72 hours.
                ```

                {paragraph}

                ```accordion
                items:
                  - heading: Push factors
                    text: Conflict, bullying, feeling unheard.
                  - heading: Pull factors
                    text: Family, friends, adults who exploit.
                ```

                ```check
                question: Question {s} of module {number}?
                kind: single
                options:
                  - text: The right answer
                    correct: true
                    feedback: Right, because of the guidance.
                  - text: A wrong answer
                    correct: false
                    feedback: Not quite; think about the timescale.
                  - text: Another wrong answer
                    correct: false
                    feedback: No; this is too late.
                explanation: The statutory guidance sets the timescale.
                ```

                ```reflection
                prompt: What would you do differently next time?
                hint: Think about your last case.
                ```
                """)
            )
        (folder / f"{number:02d}-module-{number}.md").write_text(
            f"---\ntitle: Module {number}\nslug: module-{number}\n---\n" + "\n".join(sections)
        )
    return folder


def setup_data(workdir: Path) -> dict:
    """Runs inside the bench settings: import the course, sign a learner in, answer the checks."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from courses.models import ModulePage
    from courses.selectors.structure import module_check_blocks
    from courses.services.course_files import course_import
    from courses.services.learning import check_answer, enrolment_create, reflection_save

    report = course_import(folder=course_folder(workdir / "course"))
    user = get_user_model().objects.create_user(
        "bench@example.org", "bench-password-123", first_name="Bench", last_name="Learner"
    )
    enrolment_create(user=user, course=report.course)
    module = ModulePage.objects.child_of(report.course).order_by("path").first()
    for block in module_check_blocks(module=module):
        check_answer(user=user, module=module, block_id=block.id, chosen=[1])
    for section in module.body:
        for block in section.value["content"]:
            if block.block_type == "reflection":
                reflection_save(user=user, module=module, block_id=block.id, text="I would ask.")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    url = f"{module.url}?section=2"
    assert client.get(url, secure=True).status_code == 200
    # What a signed-in browser sends after its first page: the session and the CSRF cookie
    # (without the latter every page would mint a new CSRF secret and set the cookie again).
    names = (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
    return {
        "url": url,
        "cookie": "; ".join(f"{name}={client.cookies[name].value}" for name in names),
    }


def wrk(url: str, lua: Path, headers: list[str]) -> dict:
    """Load the URL with wrk and return its rps and p95."""
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "-s", str(lua), "--timeout", "10s"]
    for header in headers:
        args += ["-H", header]
    output = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    match = re.search(r"RESULT rps=([\d.]+) p95_ms=([\d.]+) requests=(\d+) errors=(\d+)", output)
    if not match:
        raise SystemExit(f"wrk gave no result:\n{output}")
    rps, p95, requests, errors = match.groups()
    return {
        "rps": float(rps),
        "p95_ms": float(p95),
        "requests": int(requests),
        "errors": int(errors),
    }


def _median(results: list[dict]) -> dict:
    """Median rps and p95 over the rounds; requests and errors summed."""
    middle = len(results) // 2
    return {
        "rps": sorted(r["rps"] for r in results)[middle],
        "p95_ms": sorted(r["p95_ms"] for r in results)[middle],
        "requests": sum(r["requests"] for r in results),
        "errors": sum(r["errors"] for r in results),
    }


def wait_for(url: str, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    request = urllib.request.Request(url, headers=dict([HTTPS.split(": ")]))  # noqa: S310
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 (local)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds}s")


def database_url(workdir: Path, *, sqlite: bool) -> str:
    """A fresh database for the run: an SQLite file, or ``bench_pages`` re-created on BENCH_PG."""
    if sqlite:
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DB}")
    return f"{PG}/{DB}"


def main(*, sqlite: bool) -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: `make system-deps` installs it (Debian package wrk)")
    workdir = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    static_root = workdir / "static"
    (workdir / "benchconf.py").write_text(f"BENCH_STATIC_ROOT = {str(static_root)!r}\n{BENCHCONF}")
    (workdir / "benchurls.py").write_text(BENCHURLS)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchconf",
        "PYTHONPATH": f"{workdir}:{ROOT}",
        "DATABASE_URL": database_url(workdir, sqlite=sqlite),
        "CACHE_URL": REDIS,
        "SECRET_KEY": "bench-only-key-" + "x" * 40,
        "SITE_URL": "https://127.0.0.1",
        "DEBUG": "false",
        "MEDIA_ROOT": str(workdir / "media"),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("CELERY_BROKER_URL", None)
    server = None
    try:
        print("Migrating a fresh database, collecting static files, building the course ...")
        subprocess.run(["redis-cli", "-u", REDIS, "flushdb"], check=True, capture_output=True)
        for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
            subprocess.run([PYTHON, "manage.py", *command, "-v0"], cwd=ROOT, env=env, check=True)
        setup = subprocess.run(
            [PYTHON, __file__, "--setup", str(workdir)],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        data = json.loads(setup.stdout.strip().splitlines()[-1])
        server = subprocess.Popen(
            [GUNICORN, "config.wsgi:application", "-b", f"127.0.0.1:{PORT}", "-w", WORKERS,
             "--log-level", "warning"],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        base = f"http://127.0.0.1:{PORT}"
        wait_for(f"{base}/bench/no-database/")
        url = f"{base}{data['url']}"
        cookie = [f"Cookie: {data['cookie']}", HTTPS]
        check = urllib.request.Request(url, headers=dict(h.split(": ", 1) for h in cookie))  # noqa: S310
        with urllib.request.urlopen(check, timeout=30) as response:  # noqa: S310 (local URL)
            body = response.read().decode()
        if response.status != 200 or "Section 2" not in body or "Not quite" not in body:
            raise SystemExit(f"The module page did not render as expected ({response.status}).")
        print(f"module page: {len(body)} bytes of HTML", flush=True)
        if os.environ.get("BENCH_PAUSE"):
            print(f"Paused: {url} with Cookie: {data['cookie']}", flush=True)
            time.sleep(float(os.environ["BENCH_PAUSE"]))
        lua = workdir / "report.lua"
        lua.write_text(WRK_SCRIPT)
        wrk(url, lua, cookie)  # warm up both workers
        # Alternate short rounds and take medians: the machine may be shared, and a burst of
        # someone else's load should not land on one side of the comparison only.
        rounds = {"module": [], "reference": [], "floor": []}
        for _ in range(ROUNDS):
            rounds["module"].append(wrk(url, lua, cookie))
            rounds["reference"].append(wrk(f"{base}/bench/no-database/", lua, [HTTPS]))
            rounds["floor"].append(wrk(f"{base}/accessibility/", lua, cookie))
        module, reference, floor = (_median(rounds[k]) for k in ("module", "reference", "floor"))
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    print(
        f"database: {'SQLite' if sqlite else 'PostgreSQL'}; cache and sessions: Redis; "
        f"gunicorn workers: {WORKERS}; wrk: 2 threads, {CONNECTIONS} connections; "
        f"{ROUNDS} alternating rounds of {DURATION} each; medians"
    )
    for name, result in (
        ("module page (signed in)", module),
        ("no-database view", reference),
        ("plain page (signed in)", floor),
    ):
        print(
            f"{name:26} {result['rps']:9.1f} req/s   p95 {result['p95_ms']:7.1f} ms   "
            f"{result['requests']} requests, {result['errors']} errors"
        )
    print(f"plain signed-in page / no-database view: {floor['rps'] / reference['rps']:.3f}")
    if module["errors"] or reference["errors"] or floor["errors"]:
        raise SystemExit("Some requests failed; the figures are not valid.")
    print(f"ratio: {module['rps'] / reference['rps']:.3f}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--setup":
        print(json.dumps(setup_data(Path(sys.argv[2]))))
    else:
        main(sqlite="--sqlite" in sys.argv[1:] or os.environ.get("BENCH_SQLITE") == "1")
