"""Browser tests: Debian's Chromium, driven by Playwright, against a real server.

The server is `polydesk serve` in a subprocess on 127.0.0.1, on its own SQLite
file seeded with the demo organisation (`polydesk demo --no-serve`), so the
browser sees exactly what a user of `polydesk demo` sees. Each test saves a
screenshot of its final page under `test-artifacts/`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
POLYDESK = str(Path(sys.executable).with_name("polydesk"))
DEMO_PASSWORD = "demo-password"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            return  # in CI a missing browser must fail loudly, not skip
        skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")
        for item in items:
            if "tests/browser" in str(item.path):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A seeded Polydesk serving on 127.0.0.1; yields its base URL."""
    data_dir = tmp_path_factory.mktemp("browser-data")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PICCOLO_CONF")}
    env.update(POLYDESK_DATA_DIR=str(data_dir), POLYDESK_DB_POOL="1")
    seeded = subprocess.run(
        [POLYDESK, "demo", "--no-serve"], env=env, capture_output=True, text=True, timeout=300
    )
    assert seeded.returncode == 0, seeded.stderr
    port = _free_port()
    log = open(data_dir / "server.log", "w")  # noqa: SIM115 - closed at teardown
    server = subprocess.Popen(
        [POLYDESK, "serve", "--no-migrate", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/-/health").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.2)
    else:
        server.terminate()
        pytest.fail("the live server did not start: " + (data_dir / "server.log").read_text())
    yield base
    server.terminate()
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:  # a loaded machine: do not leave it running
        server.kill()
        server.wait()
    log.close()


@pytest.fixture
def screenshot(page, request: pytest.FixtureRequest):
    """Call at the end of a test to keep a picture of its final page."""

    def take(name: str | None = None) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name or request.node.name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def offsite_requests(page, live_server: str) -> list[str]:
    """Every request the page makes that does not go to the live server (should stay empty)."""
    seen: list[str] = []
    page.on(
        "request",
        lambda r: (
            None
            if r.url.startswith(live_server) or r.url.startswith("data:")
            else seen.append(r.url)
        ),
    )
    return seen


def log_in(page, live_server: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{live_server}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


@pytest.fixture
def login(page, live_server: str):
    """login("alice") logs that demo person in on this page."""
    return lambda username, password=DEMO_PASSWORD: log_in(page, live_server, username, password)


def pytest_sessionfinish(session: pytest.Session) -> None:
    shutil.rmtree(ARTIFACTS / ".tmp", ignore_errors=True)
