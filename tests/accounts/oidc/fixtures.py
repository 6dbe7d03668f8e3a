"""A real OpenID provider for tests: panva's oidc-provider (npm) run by node on loopback.

``npm install`` runs once into a cache folder keyed on package.json (OIDC_PROVIDER_CACHE
overrides where), so only the first run needs the npm registry. ``oidc_provider`` starts one
provider per test session; ``start_oidc_provider(**env)`` starts a misbehaving one for a test
(see provider.mjs for the switches).
"""

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from allauth.socialaccount.models import SocialApp

from accounts.models import AgencyIdentityProvider
from tests.accounts.factories import AgencyDomainFactory, AgencyFactory

HERE = Path(__file__).parent
CLIENT_ID, CLIENT_SECRET = "safeguarding", "loopback-test-secret"
PROVIDER_ID = "northshire"
DOMAIN = "north.example.org"
START_TIMEOUT = 60


@dataclass
class RunningProvider:
    url: str
    process: subprocess.Popen


@pytest.fixture(scope="session")
def oidc_provider_dir() -> Path:
    """A folder with provider.mjs and oidc-provider installed (npm install on first use)."""
    package = (HERE / "package.json").read_bytes()
    default = (
        Path(tempfile.gettempdir()) / f"oidc-provider-{hashlib.sha256(package).hexdigest()[:12]}"
    )
    folder = Path(os.environ.get("OIDC_PROVIDER_CACHE", default))
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(HERE / "package.json", folder / "package.json")
    shutil.copy(HERE / "provider.mjs", folder / "provider.mjs")
    if not (folder / "node_modules" / "oidc-provider").is_dir():
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"],  # noqa: S607
            cwd=folder,
            check=True,
            timeout=300,
        )
    return folder


def _start(folder: Path, redirect_uris: list[str], env: dict[str, str]) -> RunningProvider:
    environment = {
        **os.environ,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URIS": ",".join(redirect_uris),
        **env,
    }
    process = subprocess.Popen(
        ["node", "provider.mjs"],  # noqa: S607
        cwd=folder,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    # The first line on stdout is "listening <port>"; node prints it once connections are taken.
    line = process.stdout.readline()
    if not line.startswith("listening "):
        process.kill()
        process.wait()
        process.stdout.close()
        raise RuntimeError(f"the OpenID provider did not start: {line!r}")
    return RunningProvider(url=f"http://127.0.0.1:{line.split()[1]}", process=process)


def _stop(provider: RunningProvider) -> None:
    provider.process.terminate()
    try:
        provider.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        provider.process.kill()
        provider.process.wait()
    provider.process.stdout.close()


def callback_uris(base: str = "http://testserver") -> list[str]:
    return [f"{base}/accounts/oidc/{PROVIDER_ID}/login/callback/"]


@pytest.fixture(scope="session")
def oidc_provider(oidc_provider_dir) -> Iterator[RunningProvider]:
    """A well-behaved provider shared by the session's tests."""
    provider = _start(oidc_provider_dir, callback_uris(), {})
    yield provider
    _stop(provider)


@pytest.fixture
def start_oidc_provider(oidc_provider_dir) -> Iterator[Callable[..., RunningProvider]]:
    """Start a provider with the given switches (and redirect URIs) for one test."""
    started: list[RunningProvider] = []

    def start(redirect_uris: list[str] | None = None, **env: str) -> RunningProvider:
        provider = _start(oidc_provider_dir, redirect_uris or callback_uris(), env)
        started.append(provider)
        return provider

    yield start
    for provider in started:
        _stop(provider)


def agency_sign_in(*, server_url: str, settings: dict | None = None) -> AgencyIdentityProvider:
    """Northshire Police owning north.example.org, signing in through the provider at the URL."""
    agency = AgencyFactory(name="Northshire Police", slug="northshire-police")
    AgencyDomainFactory(agency=agency, domain=DOMAIN)
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id=PROVIDER_ID,
        name="Northshire Police account",
        client_id=CLIENT_ID,
        secret=CLIENT_SECRET,
        settings={"server_url": server_url, **(settings or {})},
    )
    return AgencyIdentityProvider.objects.create(agency=agency, social_app=app)
