"""Benchmark: how many concurrent learners the production stack serves (issue 14, item 7).

Run with ``.venv/bin/python bench/load.py`` (needs the ``bench`` extra: ``pip install -e
".[bench]"``; ``make bench`` installs it). It makes its own data and runs two phases with
locust, each simulated learner thinking 10 s between steps:

1. **Production stack**: ``config.settings.production`` (with cookies allowed over plain HTTP on
   loopback, the only change), gunicorn, PostgreSQL (a fresh ``bench_load`` database), a Redis
   cache and a real Celery worker on Redis. Learners are added in steps (``BENCH_STEPS``, held
   ``BENCH_HOLD`` seconds each, statistics taken over the second half of each hold); the run
   stops at the first step with a p95 over 300 ms or any error.
2. **Embedded default**: ``make run``'s stack (SQLite, Celery eager, ``runserver``) with 50
   learners for ``BENCH_HOLD`` seconds; it must have no errors.

The journey, in order and then again: sign in; My learning; a module page of the course they
are enrolled in; answer its first knowledge check; start a scenario and make its first choice;
search the directory; download their certificate (a PDF). It prints each step's figures and ends
with ``ratio: <most learners served with p95 <= 300 ms and no errors / 1,000>``.

When locust imports this file (``locust -f bench/load.py``) only the learner class below is used.
"""

import itertools
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from locust import HttpUser, LoadTestShape, SequentialTaskSet, constant, task

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PORT = int(os.environ.get("BENCH_PORT", "8519"))
STEPS = [int(n) for n in os.environ.get("BENCH_STEPS", "100,200,400,600,800,1000,1200").split(",")]
HOLD = int(os.environ.get("BENCH_HOLD", "60"))
EMBEDDED_LEARNERS = int(os.environ.get("BENCH_EMBEDDED_LEARNERS", "50"))
WORKERS = os.environ.get("BENCH_WORKERS", "4")
PASSWORD = "bench-load-password-2026"  # noqa: S105  a throwaway database's accounts
P95_LIMIT_MS = 300
GOAL = 1000
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_URL = "postgres://postgres@127.0.0.1:5432/bench_load"

# ---------------------------------------------------------------------------------------------
# The simulated learner (what locust runs)

CHECK_FORM = re.compile(r'action="(/courses/modules/\d+/checks/[^"/]+/)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CONTINUE = re.compile(r'href="([^"?]+)\?section=\d+"[^>]*>Continue')
SCENARIO_LINK = re.compile(r'href="/scenarios/([a-z0-9-]+)/"')
CHOICE = re.compile(r'name="choice" type="radio" value="([^"]+)"')
NODE = re.compile(r'name="node" value="([^"]+)"')
CERTIFICATE = re.compile(r'href="(/courses/certificates/[A-Z0-9-]+/pdf/)"')
SEARCHES = ["interpreter", "missing", "Roma", "advocacy", "mental health", "housing"]


def _csrf(response) -> str:
    found = CSRF.search(response.text)
    return found.group(1) if found else ""


class Journey(SequentialTaskSet):
    """One learner's session, step by step; a failed step is an error in the figures."""

    def on_start(self):
        self.module_url = None

    @task
    def sign_in(self):
        if self.user.signed_in:
            return
        page = self.client.get("/accounts/login/", name="sign in (form)")
        response = self.client.post(
            "/accounts/login/",
            {"login": self.user.email, "password": PASSWORD, "csrfmiddlewaretoken": _csrf(page)},
            headers={"Referer": f"{self.user.host}/accounts/login/"},
            name="sign in",
        )
        self.user.signed_in = response.ok and "/accounts/login/" not in response.url

    @task
    def my_learning(self):
        response = self.client.get("/courses/my/", name="my learning")
        found = CONTINUE.search(response.text)
        self.module_url = found.group(1) if found else None
        found = CERTIFICATE.search(response.text)
        self.certificate_url = found.group(1) if found else None

    @task
    def module_page(self):
        self.section = 1
        self.check_action = None
        if self.module_url is None:
            return
        self._read(self.client.get(self.module_url, name="module page"))

    @task(2)
    def next_section(self):
        if self.module_url is None or self.check_action:
            return
        self.section += 1
        url = f"{self.module_url}?section={self.section}"
        self._read(self.client.get(url, name="module section"))

    def _read(self, response):
        found = CHECK_FORM.search(response.text)
        if found:
            self.check_action = found
            self.token = _csrf(response)
            self.check_page = response.url.replace(self.user.host, "")

    @task
    def answer_check(self):
        if not getattr(self, "check_action", None):
            return
        self.client.post(
            self.check_action.group(1),
            {"option": "0", "csrfmiddlewaretoken": self.token},
            headers={"Referer": f"{self.user.host}{self.check_page}"},
            name="answer a check",
        )

    @task
    def scenario(self):
        listing = self.client.get("/scenarios/", name="scenarios")
        slugs = SCENARIO_LINK.findall(listing.text)
        if not slugs:
            return
        slug = random.choice(slugs)  # noqa: S311  load pattern, not security
        detail = self.client.get(f"/scenarios/{slug}/", name="scenario")
        play = self.client.post(
            f"/scenarios/{slug}/start/",
            {"csrfmiddlewaretoken": _csrf(detail)},
            headers={"Referer": f"{self.user.host}/scenarios/{slug}/"},
            name="scenario start",
        )
        for _ in range(3):  # past the opening situation(s) to the first decision
            node = NODE.search(play.text)
            if node is None:
                return
            data = {"csrfmiddlewaretoken": _csrf(play), "node": node.group(1)}
            choices = CHOICE.findall(play.text)
            if choices:
                data["choice"] = choices[0]
            play = self.client.post(
                play.url.replace(self.user.host, ""),
                data,
                headers={"Referer": play.url},
                name="scenario choice",
            )
            if choices:
                return

    @task
    def directory(self):
        term = random.choice(SEARCHES)  # noqa: S311
        self.client.get("/directory/", params={"q": term}, name="directory search")

    @task
    def certificate(self):
        if self.certificate_url:
            self.client.get(self.certificate_url, name="certificate")


class Learner(HttpUser):
    wait_time = constant(10)
    tasks = [Journey]
    numbers = itertools.count()

    def on_start(self):
        self.signed_in = False
        self.email = f"learner-{next(Learner.numbers)}@bench.example.org"


# Learners arrive at 3 a second (a force of 1,000 signing in over about 5 minutes; one address
# may sign in 600 a minute). Signing in
# hashes the password (PBKDF2, Django's default work factor, about 0.3 s of CPU here), so a 2-core
# machine signs in at most about 6 people a second; a faster ramp measures the queue of sign-ins,
# not the learners being served.
SPAWN_RATE = float(os.environ.get("BENCH_SPAWN_RATE", "3"))


class Steps(LoadTestShape):
    """Add learners step by step (never restarting), holding each step ``BENCH_HOLD`` s.

    Statistics are reset half-way through each hold and written at its end (one JSON line per
    step to ``BENCH_RESULTS``); the run stops after a step with an error or a p95 over the limit.
    """

    def __init__(self):
        super().__init__()
        self.steps = [int(n) for n in os.environ.get("BENCH_RUN_STEPS", "50").split(",")]
        self.index = 0
        self.phase_started = 0.0
        self.reset_done = False
        self.results = Path(os.environ.get("BENCH_RESULTS", os.devnull))

    def tick(self):
        if self.index >= len(self.steps):
            return None
        users = self.steps[self.index]
        now = self.get_run_time()
        if self.phase_started == 0.0 and self.runner.user_count >= users:
            self.phase_started = now
        if self.phase_started:
            held = now - self.phase_started
            if held >= HOLD / 2 and not self.reset_done:
                self.runner.stats.reset_all()
                self.reset_done = True
            if held >= HOLD:
                total = self.runner.stats.total
                figures = {
                    "users": users,
                    "requests": total.num_requests,
                    "errors": total.num_failures,
                    "rps": total.num_requests / max(held - HOLD / 2, 1),
                    "p95": total.get_response_time_percentile(0.95) or 0,
                    "by_name": {
                        name: entry.get_response_time_percentile(0.95) or 0
                        for (name, _), entry in self.runner.stats.entries.items()
                    },
                }
                with self.results.open("a") as out:
                    out.write(json.dumps(figures) + "\n")
                if figures["errors"] or figures["p95"] > P95_LIMIT_MS:
                    return None
                self.index += 1
                self.phase_started = 0.0
                self.reset_done = False
                if self.index >= len(self.steps):
                    return None
                users = self.steps[self.index]
        return users, SPAWN_RATE


# ---------------------------------------------------------------------------------------------
# The run (only when executed as a script)

SETUP = """
import os
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from accounts.models import Agency, User
from courses.models import Certificate, Completion, CoursePage, Enrolment, ModulePage

count = int(os.environ["BENCH_SETUP_LEARNERS"])
agencies = list(Agency.objects.order_by("pk"))
courses = [
    c for c in CoursePage.objects.live().order_by("pk")
    if ModulePage.objects.child_of(c).live().exists()
]
password = make_password(os.environ["DEMO_PASSWORD"])
users = User.objects.bulk_create([
    User(email=f"learner-{n}@bench.example.org", first_name="Learner", last_name=str(n),
         agency=agencies[n % len(agencies)], password=password)
    for n in range(count)
])
EmailAddress.objects.bulk_create([
    EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
])
now = timezone.now()
first_module = ModulePage.objects.child_of(courses[0]).live().first()
Enrolment.objects.bulk_create([
    Enrolment(user=u, course=courses[0], last_module=first_module) for u in users
])
done = Enrolment.objects.bulk_create([
    Enrolment(user=u, course=courses[1], status="completed", completed_at=now) for u in users
])
completions = Completion.objects.bulk_create([
    Completion(user=e.user, course=courses[1], enrolment=e, completed_at=now) for e in done
])
Certificate.objects.bulk_create([
    Certificate(completion=c, learner_name=c.user.get_full_name(), course_title=courses[1].title,
                cpd_minutes=60) for c in completions
])
print("learners", len(users), "enrolled in", courses[0].title)
"""

# What the Celery worker does when a certificate is issued (courses.certificate_pdf_prepare):
# the certificates above were bulk-made, so their PDFs are rendered into the cache here, in
# two processes (one slice each).
PRERENDER = """
import os
from courses.models import Certificate
from courses.services.certificates import certificate_pdf_prepare

part, parts = map(int, os.environ["BENCH_SLICE"].split("/"))
ids = Certificate.objects.filter(completion__user__email__endswith="@bench.example.org")
for pk in ids.order_by("pk").values_list("pk", flat=True)[part::parts]:
    certificate_pdf_prepare(certificate_id=pk)
"""

BENCH_SETTINGS = """
from config.settings.production import *  # noqa
# Plain HTTP on loopback: the client must be able to send the cookies back. Nothing else changes.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
# A throwaway benchmark database: load_demo's accounts are wanted here (production refuses them).
DEMO_DATA_ALLOWED = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
"""


def run(cmd, env, **kwargs):
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, **kwargs)  # noqa: S603


def psql(sql: str) -> None:
    run(["psql", "-q", PG_ADMIN, "-c", sql], env=os.environ, stdout=subprocess.DEVNULL)


def wait_for(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310  loopback
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


def prepare(env: dict, learners: int, folder: Path) -> None:
    run([str(BIN / "python"), "manage.py", "migrate", "--no-input", "-v", "0"], env=env)
    with (folder / "load_demo.log").open("a") as log:
        run(
            [str(BIN / "python"), "manage.py", "load_demo", "-v", "0"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    setup_env = {**env, "BENCH_SETUP_LEARNERS": str(learners)}
    run([str(BIN / "python"), "manage.py", "shell", "-c", SETUP], env=setup_env)
    renders = [
        subprocess.Popen(  # noqa: S603
            [str(BIN / "python"), "manage.py", "shell", "-c", PRERENDER],
            env={**env, "BENCH_SLICE": f"{part}/2"},
            cwd=ROOT,
            stdout=(folder / f"prerender-{part}.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        for part in range(2)
    ]
    if any(render.wait() for render in renders):
        raise SystemExit("rendering the certificates failed")


def locust_run(host: str, steps: list[int], results: Path) -> list[dict]:
    """Run the learners through ``steps`` in one locust process; one dict per step held."""
    cmd = [
        str(BIN / "locust"),
        "-f",
        str(Path(__file__).resolve()),
        "--headless",
        "--host",
        host,
        "--only-summary",
        "--stop-timeout",
        "5",
        "--loglevel",
        "ERROR",
    ]
    env = {
        **os.environ,
        "BENCH_RUN_STEPS": ",".join(map(str, steps)),
        "BENCH_RESULTS": str(results),
    }
    subprocess.run(cmd, env=env, cwd=ROOT, check=False, stdout=subprocess.DEVNULL)  # noqa: S603
    if not results.exists():
        return []
    return [json.loads(line) for line in results.read_text().splitlines()]


def show(figures: dict) -> None:
    slowest = sorted(figures["by_name"].items(), key=lambda kv: -kv[1])[:3]
    print(
        f"{figures['users']:>9} {figures['rps']:>7.1f} {figures['p95']:>7.0f}"
        f" {figures['errors']:>7}"
        f"  {', '.join(f'{n} {v:.0f}' for n, v in slowest)}",
        flush=True,
    )


def start(cmd, env, log: Path) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        cmd,
        env=env,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def production_phase(folder: Path) -> int:
    (folder / "benchload_settings.py").write_text(BENCH_SETTINGS)
    psql("DROP DATABASE IF EXISTS bench_load")
    psql("CREATE DATABASE bench_load")
    base = {
        **os.environ,
        "PYTHONPATH": f"{folder}:{ROOT}",
        "DATABASE_URL": PG_URL,
        "CACHE_URL": "redis://127.0.0.1:6379/9",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/8",
        "CELERY_RESULT_BACKEND": "redis://127.0.0.1:6379/8",
        "SECRET_KEY": "bench-load-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "SITE_URL": "https://learning.example.org",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "MEDIA_ROOT": str(folder / "media"),
        "DEMO_PASSWORD": PASSWORD,
    }
    subprocess.run(["redis-cli", "-n", "8", "flushdb"], check=False, stdout=subprocess.DEVNULL)
    subprocess.run(["redis-cli", "-n", "9", "flushdb"], check=False, stdout=subprocess.DEVNULL)
    prepare({**base, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}, max(STEPS), folder)
    served = {**base, "DJANGO_SETTINGS_MODULE": "benchload_settings"}
    run([str(BIN / "python"), "manage.py", "collectstatic", "--no-input", "-v", "0"], env=served)
    worker = start(
        [str(BIN / "celery"), "-A", "config", "worker", "--concurrency=1", "--loglevel=warning"],
        served,
        folder / "worker.log",
    )
    web = start(
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            WORKERS,
            "--worker-class",
            "gthread",
            "--threads",
            "4",
        ],
        served,
        folder / "gunicorn.log",
    )
    best = 0
    try:
        wait_for(f"http://127.0.0.1:{PORT}/health/")
        print(f"{'learners':>9} {'req/s':>7} {'p95 ms':>7} {'errors':>7}  slowest steps (p95 ms)")
        for figures in locust_run(f"http://127.0.0.1:{PORT}", STEPS, folder / "production.jsonl"):
            show(figures)
            if figures["errors"] or figures["p95"] > P95_LIMIT_MS or not figures["requests"]:
                break
            best = figures["users"]
    finally:
        stop(web)
        stop(worker)
    return best


def embedded_phase(folder: Path) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{folder / 'embedded.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media-embedded"),
        "DEMO_PASSWORD": PASSWORD,
    }
    env.pop("CELERY_BROKER_URL", None)
    prepare(env, EMBEDDED_LEARNERS, folder)
    server = start(
        [str(BIN / "python"), "manage.py", "runserver", f"127.0.0.1:{PORT + 1}", "--noreload"],
        env,
        folder / "runserver.log",
    )
    try:
        wait_for(f"http://127.0.0.1:{PORT + 1}/health/")
        results = locust_run(
            f"http://127.0.0.1:{PORT + 1}", [EMBEDDED_LEARNERS], folder / "embedded.jsonl"
        )
        if not results:
            raise SystemExit(f"locust gave no figures for the embedded default: see {folder}")
        return results[0]
    finally:
        stop(server)


def main() -> None:
    if not (BIN / "locust").exists():
        raise SystemExit('locust is missing: .venv/bin/pip install -e ".[bench]"')
    if not (ROOT / "static" / "build" / "app.css").exists():
        raise SystemExit("the stylesheet is not built: run `make assets` (or `make bench`)")
    folder = Path(tempfile.mkdtemp(prefix="bench-load-"))
    try:
        print(f"load average before: {os.getloadavg()[0]:.2f}; think time 10 s; hold {HOLD} s")
        only = os.environ.get("BENCH_ONLY", "")  # "production" or "embedded" while debugging
        best = 0
        if only != "embedded":
            print("== production stack (PostgreSQL, Redis cache, gunicorn, Celery worker)")
            best = production_phase(folder)
        print(f"most learners served with p95 <= {P95_LIMIT_MS} ms and no errors: {best}")
        print(
            f"== embedded default (SQLite, Celery eager, runserver), {EMBEDDED_LEARNERS} learners"
        )
        embedded = embedded_phase(folder)
        print(
            f"{EMBEDDED_LEARNERS} learners: {embedded['rps']:.1f} req/s,"
            f" p95 {embedded['p95']:.0f} ms,"
            f" {embedded['errors']} errors in {embedded['requests']} requests"
        )
        if embedded["errors"]:
            print("the embedded default must have no errors: see runserver.log in", folder)
            sys.exit(1)
        print(f"ratio: {best / GOAL:.3f}")
    finally:
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
