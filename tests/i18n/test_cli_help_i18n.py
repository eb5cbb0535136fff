"""`polydesk … --help` in the terminal's language: descriptions, the command lists'
short help, option and argument help and click's own words ("Usage:", "Options:",
"[default: …]"), in Simplified Chinese, Traditional Chinese and Polish; English
under C and English locales. The expected texts are looked up in the catalogs
(the ones the CLI uses), so the tests follow the translators' wording."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from unicodedata import east_asian_width

import click
import pytest
from click.testing import CliRunner, Result

from polydesk.core import i18n
from polydesk.web.cli import cli

#: The terminal's locale, and the catalog it should pick.
TERMINALS = {"zh_CN.UTF-8": "zh_Hans", "zh_TW.UTF-8": "zh_Hant", "pl_PL.UTF-8": "pl"}


def t(locale: str, message: str, **variables: str) -> str:
    """`message` as the catalogs translate it into `locale`; a missing translation
    would leave the help English, so it fails the test here."""
    with i18n.use_locale(locale):
        text = i18n.gettext(message, **variables)
    assert locale == "en" or text != message % variables, f"{message!r} has no {locale} translation"
    return text


def squash(text: str) -> str:
    """Without whitespace: click wraps lines, and Chinese has no spaces to wrap at."""
    return re.sub(r"\s+", "", text)


def columns(line: str) -> int:
    return sum(2 if east_asian_width(c) in "WF" else 1 for c in line)


def run_help(lang: str, *args: str, **env: str) -> str:
    # Only LANG speaks: whatever locale the test process runs in is cleared.
    environ: dict[str, str | None] = {
        "LC_ALL": None,
        "LC_MESSAGES": None,
        "POLYDESK_DEFAULT_LOCALE": None,
        "COLUMNS": "80",
        "LANG": lang,
        **env,
    }
    result: Result = CliRunner().invoke(cli, [*args, "--help"], env=environ, prog_name="polydesk")
    assert result.exit_code == 0, result.output
    return result.stdout


def commands(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command and group under `group` but the English developer commands."""
    for name, command in group.commands.items():
        if name == "i18n":
            continue
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))


def command_at(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


def msgids(command: click.Command) -> list[str]:
    """The command's help and its parameters' help, as written in the code."""
    with i18n.use_locale("en"):
        found = [command.help or ""]
        found += [
            p.help or "" for p in command.params if isinstance(p, click.Option | click.Argument)
        ]
    return [m for m in found if m]


@pytest.mark.parametrize(("lang", "locale"), TERMINALS.items())
def test_top_level_help_in_the_terminals_language(lang, locale):
    shown = run_help(lang)
    # Chinese writes a full-width colon, with no space after it.
    assert re.match(rf"{re.escape(t(locale, 'Usage:'))} ?polydesk \[OPTIONS\] COMMAND", shown)
    description = t(locale, msgids(cli)[0]).split("\n\n")
    assert all(squash(paragraph) in squash(shown) for paragraph in description)
    for word in (
        "Options:",
        "Commands:",
        "Show this message and exit.",
        "Show the version and exit.",
    ):
        assert t(locale, word) in shown
    # The command list: each command's short help, translated.
    assert re.search(
        rf"^  user +{re.escape(t(locale, 'Manage people and their API tokens.'))}$", shown, re.M
    )
    assert re.search(
        rf"^  migrate +{re.escape(t(locale, 'Apply the database migrations.'))}$", shown, re.M
    )
    assert "Usage:" not in shown and "Show this message" not in shown
    # --help ran before the command's own locale was set; it leaves none behind.
    assert i18n.current_locale() == "en"


@pytest.mark.parametrize(("lang", "locale"), TERMINALS.items())
def test_subgroup_help_lists_its_commands_translated(lang, locale):
    shown = run_help(lang, "user")
    assert t(locale, "Manage people and their API tokens.") in shown
    assert t(locale, "Commands:") in shown
    for name, help in [
        ("create", "Create a person who can log in."),
        ("token", "Create an API token for USERNAME and print it (shown once)."),
        ("unlock", "Let USERNAME log in again after too many failed logins."),
    ]:
        row = next(line for line in shown.splitlines() if line.startswith(f"  {name} "))
        # Click shortens a long one with "...".
        short = row.split(maxsplit=1)[1].removesuffix("...")
        assert len(short) > 10 and t(locale, help).startswith(short), row


@pytest.mark.parametrize(("lang", "locale"), TERMINALS.items())
def test_command_help_with_arguments_options_and_defaults(lang, locale):
    shown = run_help(lang, "user", "create")
    assert t(locale, "Positional arguments:") in shown
    username = t(locale, "The person's username.")
    assert re.search(rf"^  USERNAME +{re.escape(username)}$", shown, re.M)
    assert t(locale, "Options:") in shown
    role = t(
        locale, "Department role, e.g. it:agent (repeatable). Roles: requester, agent, lead, admin."
    )
    assert squash(role) in squash(shown)
    assert squash(t(locale, "Show this message and exit.")) in squash(shown)
    assert "Department role" not in shown and "Options:" not in shown

    served = run_help(lang, "serve")
    listen = t(locale, "Address to listen on.")
    default = t(locale, "default: %(value)s", value="127.0.0.1")
    assert re.search(
        rf"^  --host TEXT +{re.escape(listen)}  \[{re.escape(default)}\]$", served, re.M
    )


@pytest.mark.parametrize(("lang", "locale"), TERMINALS.items())
def test_every_command_and_option_help_is_translated(lang, locale):
    # Walks the real command tree: a command or option whose help is a docstring
    # or an unmarked string (not in the catalog) fails here.
    paths = list(commands(cli))
    assert ("user", "create") in paths and ("backup",) in paths
    for path in paths:
        shown = squash(run_help(lang, *path))
        for msgid in msgids(command_at(path)):
            assert squash(t(locale, msgid)) in shown, (path, msgid)


def test_chinese_help_fits_the_terminal():
    # Click measures lines in characters; a Chinese character takes two columns.
    for lang in ("zh_CN.UTF-8", "zh_TW.UTF-8"):
        for path in [(), ("user", "create"), ("restore",), ("serve",)]:
            shown = run_help(lang, *path)
            wide = [line for line in shown.splitlines() if columns(line) > 80]
            assert not wide, (lang, path, wide)
        # Latin words stay whole: lines break between Chinese characters or at spaces.
        assert "POLYDESK_NEW_PASSWORD" in run_help(lang, "user", "create")


@pytest.mark.parametrize("lang", ["C", "C.UTF-8", "en_US.UTF-8", "POSIX"])
def test_english_under_c_and_english_locales(lang):
    shown = run_help(lang, "user", "create")
    assert shown.startswith("Usage: polydesk user create [OPTIONS] USERNAME")
    assert "Create a person who can log in." in shown
    assert "Positional arguments:" in shown and "Options:" in shown
    assert "Show this message and exit." in shown
    assert re.search(
        r"^  --host TEXT +Address to listen on\.  \[default: 127\.0\.0\.1\]$",
        run_help(lang, "serve"),
        re.M,
    )


def test_the_organisations_language_when_the_terminal_has_none():
    shown = run_help("C.UTF-8", "plugins", POLYDESK_DEFAULT_LOCALE="pl")
    assert t("pl", "List, enable and disable department plugins.") in shown
    assert shown.startswith(t("pl", "Usage:"))
    # An English terminal keeps English, whatever the organisation speaks.
    assert run_help("en_GB.UTF-8", "plugins", POLYDESK_DEFAULT_LOCALE="pl").startswith("Usage:")


@pytest.mark.slow
def test_the_installed_command_speaks_polish(tmp_path: Path):
    # As a person runs it: the console script, LANG from the shell.
    skip = ("LC_ALL", "LC_MESSAGES", "LANG", "POLYDESK_DEFAULT_LOCALE", "DATABASE_URL")
    environ = {k: v for k, v in os.environ.items() if k not in skip}
    environ.update(LANG="pl_PL.UTF-8", POLYDESK_DATA_DIR=str(tmp_path))
    polydesk = str(Path(sys.executable).with_name("polydesk"))
    done = subprocess.run(
        [polydesk, "user", "token", "--help"],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Użycie: polydesk user token [OPTIONS] USERNAME")
    assert t("pl", "What the token is for.") in done.stdout
    assert t("pl", "default: %(value)s", value="script") in done.stdout
