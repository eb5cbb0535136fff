"""The `polydesk` command, run as a user runs it: a subprocess on its own SQLite file."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import click
import httpx
import pytest

from polydesk.web.cli import cli

POLYDESK = str(Path(sys.executable).with_name("polydesk"))


def run(
    data_dir: Path, *args: str, input: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    skip = (
        "DATABASE_URL",
        "PICCOLO_CONF",
        "LC_ALL",
        "LC_MESSAGES",
        "LANG",
        "POLYDESK_DEFAULT_LOCALE",
    )
    environ = {k: v for k, v in os.environ.items() if k not in skip}
    # The CLI speaks the terminal's language; these tests read its English.
    environ.update(POLYDESK_DATA_DIR=str(data_dir), LANG="C.UTF-8", **env)
    return subprocess.run(
        [POLYDESK, *args], capture_output=True, text=True, env=environ, input=input, timeout=120
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def _command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [prefix]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            paths += _command_paths(command, (*prefix, name))
        else:
            paths.append((*prefix, name))
    return paths


def test_every_command_has_help(data_dir):
    # Walks the real command tree, so a new command cannot ship without help.
    commands = _command_paths(cli)
    assert ("backup",) in commands and ("user", "create") in commands
    for command in commands:
        result = run(data_dir, *command, "--help")
        assert result.returncode == 0, (command, result.stderr)
        assert "Usage: polydesk" in result.stdout


def test_migrate_users_and_plugins(data_dir):
    assert run(data_dir, "migrate").returncode == 0
    assert (data_dir / "polydesk.sqlite3").exists()
    listed = run(data_dir, "plugins", "list").stdout
    assert re.search(r"^it\s+enabled", listed, re.M) and re.search(
        r"^finance\s+enabled", listed, re.M
    )

    disabled = run(data_dir, "plugins", "disable", "legal")
    assert disabled.returncode == 0 and "disabled" in disabled.stdout
    assert re.search(r"^legal\s+disabled", run(data_dir, "plugins", "list").stdout, re.M)
    assert run(data_dir, "plugins", "enable", "legal").returncode == 0
    assert re.search(r"^legal\s+enabled", run(data_dir, "plugins", "list").stdout, re.M)
    unknown = run(data_dir, "plugins", "disable", "nope")
    assert unknown.returncode != 0 and "No plugin named 'nope'" in unknown.stderr

    created = run(
        data_dir,
        "user",
        "create",
        "grace",
        "--name",
        "Grace",
        "--role",
        "it:agent",
        "--team",
        "hr:case_team",
        POLYDESK_NEW_PASSWORD="long-enough-password",
    )
    assert created.returncode == 0, created.stderr
    again = run(data_dir, "user", "create", "grace", POLYDESK_NEW_PASSWORD="long-enough-password")
    assert again.returncode != 0 and "taken" in again.stderr
    short = run(data_dir, "user", "create", "henry", POLYDESK_NEW_PASSWORD="short")
    assert short.returncode != 0 and "at least" in short.stderr
    bad_role = run(
        data_dir,
        "user",
        "create",
        "ivy",
        "--role",
        "it",
        POLYDESK_NEW_PASSWORD="long-enough-password",
    )
    assert bad_role.returncode != 0 and "DEPT:VALUE" in bad_role.stderr
    managed = run(
        data_dir,
        "user",
        "create",
        "hugo",
        "--manager",
        "grace",
        POLYDESK_NEW_PASSWORD="long-enough-password",
    )
    assert managed.returncode == 0, managed.stderr
    no_boss = run(
        data_dir,
        "user",
        "create",
        "iris",
        "--manager",
        "nobody",
        POLYDESK_NEW_PASSWORD="long-enough-password",
    )
    assert no_boss.returncode != 0 and "nobody" in no_boss.stderr
    retried = run(data_dir, "user", "create", "iris", POLYDESK_NEW_PASSWORD="long-enough-password")
    assert retried.returncode == 0, retried.stderr  # the failed attempt left no half-made person
    token = run(data_dir, "user", "token", "grace")
    assert token.returncode == 0 and token.stdout.strip().startswith("pd_")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_demo_serves_the_api_with_all_four_departments(data_dir):
    port = _free_port()
    environ = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PICCOLO_CONF")}
    environ["POLYDESK_DATA_DIR"] = str(data_dir)
    server = subprocess.Popen(
        [POLYDESK, "demo", "--port", str(port)],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/-/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        else:
            pytest.fail("polydesk demo did not start serving")
        with httpx.Client(base_url=base) as client:
            assert "How can we help?" in client.get("/").text
            client.get("/login")
            csrf = client.cookies["polydesk_csrf"]
            login = client.post(
                "/api/v1/session",
                json={"username": "admin", "password": "demo-password"},
                headers={"x-csrftoken": csrf},
            )
            assert login.status_code == 200, login.text
            departments = {d["slug"] for d in client.get("/api/v1/departments").json()}
            assert departments == {"it", "hr", "legal", "finance"}
            tickets = client.get("/api/v1/tickets", params={"limit": 200}).json()["items"]
            assert {t["department"] for t in tickets} == {"it", "hr", "legal", "finance"}
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "it.agent" in output and "demo-password" in output
