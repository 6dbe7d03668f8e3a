"""A partner agency's LRS for tests: this platform's own /xapi/ in a separate gunicorn process
with its own SQLite database and LRS client, so what it stored can be counted independently."""

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    """A port nothing listens on now, so parallel test runs on one machine do not collide."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PartnerLRS:
    def __init__(self, *, folder: Path, port: int):
        self.db_path = folder / "partner-lrs.sqlite3"
        self.port = port
        self.url = f"http://127.0.0.1:{port}/xapi/"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"sqlite:///{self.db_path}",
        }
        self.env.pop("CELERY_BROKER_URL", None)
        self.process = None
        self.key = self.secret = ""

    def setup(self) -> None:
        """Migrate its database and create its LRS client (key and secret)."""
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v", "0"], env=self.env, check=True, cwd=ROOT)  # noqa: S603
        out = subprocess.run(  # noqa: S603
            [*manage, "create_lrs_client", "Platform forwarding", "--read-all"],
            env=self.env, check=True, cwd=ROOT, capture_output=True, text=True,
        ).stdout  # fmt: skip
        fields = dict(line.split(": ", 1) for line in out.strip().splitlines())
        self.key, self.secret = fields["key"], fields["secret"]

    def start(self, *, deadline: float = 120.0) -> None:
        """Serve, and wait until a worker answers /xapi/about.

        An accepted connection is not enough: gunicorn's master listens before its worker has
        imported Django, which on a loaded machine takes seconds, and a delivery sent in that
        gap times out instead of arriving.
        """
        self.process = subprocess.Popen(  # noqa: S603
            [str(GUNICORN), "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "1", "--threads", "4", "--log-level", "warning"],
            env=self.env, cwd=ROOT,
        )  # fmt: skip
        give_up = time.monotonic() + deadline
        while time.monotonic() < give_up:
            if self.process.poll() is not None:
                raise RuntimeError(f"the partner LRS exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}about", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the partner LRS did not answer within {deadline:.0f} s")

    def stop(self) -> None:
        """Stop serving, and wait until the port refuses connections (the destination is
        down); a graceful stop that overruns is finished with SIGKILL."""
        if self.process:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
            self.process = None
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
            except OSError:
                return
            time.sleep(0.1)

    def statement_ids(self) -> list[str]:
        """Every statement id it has stored, repeats included (there should be none)."""
        with sqlite3.connect(self.db_path) as db:
            rows = db.execute("SELECT statement_id FROM tracking_statement").fetchall()
        # Django stores UUIDs in SQLite as 32 hex digits.
        return [str(uuid.UUID(row[0])) for row in rows]
