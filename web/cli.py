"""The `polydesk` command line.

Messages and help pages are translated (admin catalog) into the language of the
terminal's locale (`LC_ALL`, else `LC_MESSAGES`, else `LANG`, as gettext reads them)
when Polydesk has it, else `POLYDESK_DEFAULT_LOCALE`, else English: see `cli_locale`.
Help texts are English msgids given as `help=N_("…")` / `short_help=N_("…")` to
commands, options and arguments (Babel does not extract docstrings); `Command` and
`Group` translate them, and click's own words ("Usage:", "Options:", "[default: …]"),
when the help page is formatted. Click's parse errors ("No such option", "Missing
argument") stay English, and so do the `i18n` developer commands.
"""

from __future__ import annotations

import asyncio
import getpass
import os
from collections.abc import Callable, Coroutine, Mapping, Sequence
from pathlib import Path
from typing import Any
from unicodedata import east_asian_width

import click

from polydesk.core import i18n
from polydesk.core.errors import PolydeskError, ValidationFailed
from polydesk.core.i18n import N_
from polydesk.core.i18n import gettext as _
from polydesk.core.settings import Settings


def _run(coro: Coroutine[Any, Any, Any]) -> Any:
    try:
        return asyncio.run(coro)
    except ValidationFailed as exc:
        details = "; ".join(f"{field}: {message}" for field, message in exc.fields.items())
        raise click.ClickException(f"{exc} {details}") from exc
    except PolydeskError as exc:
        raise click.ClickException(str(exc)) from exc


def _runtime():
    from polydesk.core.runtime import Runtime

    return Runtime.create(Settings.from_env())


def cli_locale(environ: Mapping[str, str]) -> str:
    """The language of the CLI's messages.

    The person at the terminal first: the first set of `LC_ALL`, `LC_MESSAGES`,
    `LANG` (POSIX order, as gettext does), when it names a language we have
    ("pl_PL.UTF-8", "zh_TW.UTF-8"); `C`/`POSIX` or an unknown language falls back
    to the organisation's `POLYDESK_DEFAULT_LOCALE`, then English. Servers and
    containers mostly run with `C.UTF-8`, so their output follows the
    organisation's setting; an English locale keeps English."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            tag = value.partition(".")[0].partition("@")[0]
            found = None if tag in ("C", "POSIX") else i18n.normalize(tag)
            if found:
                return found
            break
    return i18n.normalize(environ.get("POLYDESK_DEFAULT_LOCALE")) or i18n.SOURCE_LOCALE


def _t(text: str | None) -> str | None:
    """A help msgid in the current language (empty stays empty: gettext("") is the
    catalog's header)."""
    return _(text) if text else text


#: Click's own words in help pages (its `gettext` calls read the process-wide
#: "messages" domain, which Polydesk leaves alone): translated here at formatting
#: time, by `_HelpFormatter` and `_option_row`. Headings carry their colon, so
#: Chinese can write a full-width one.
CLICK_WORDS = (
    N_("Usage:"),
    N_("Options:"),
    N_("Commands:"),
    N_("Positional arguments:"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
)


#: Stands for the second column of a wide (Chinese) character while click wraps
#: text, which it measures in characters; removed once the lines are written.
_WIDE = "\x00"


def _widen(text: str) -> str:
    return "".join(c + _WIDE if east_asian_width(c) in "WF" else c for c in text)


class _HelpFormatter(click.HelpFormatter):
    """Click's formatter with its "Usage:" prefix and section headings translated,
    wrapping lines by terminal columns rather than characters."""

    def _narrowed(self, write: Callable[..., None], *args: Any, **kwargs: Any) -> None:
        start = len(self.buffer)
        write(*args, **kwargs)
        self.buffer[start:] = [part.replace(_WIDE, "") for part in self.buffer[start:]]

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = _("Usage:")
            prefix += "" if prefix.endswith("：") else " "
        self._narrowed(super().write_usage, prog, args, _widen(prefix))

    def write_text(self, text: str) -> None:
        self._narrowed(super().write_text, _widen(text))

    def write_dl(self, rows: Sequence[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        rows = [(_widen(term), _widen(text)) for term, text in rows]
        self._narrowed(super().write_dl, rows, *args, **kwargs)

    def write_heading(self, heading: str) -> None:
        label = _t(f"{heading}:")  # one of CLICK_WORDS
        self.write(f"{'':>{self.current_indent}}{label}\n")


class _Context(click.Context):
    formatter_class = _HelpFormatter


def _option_row(option: click.Option, ctx: click.Context) -> tuple[str, str] | None:
    """`click.Option.get_help_record` with the help and click's bracketed words
    ("default: …", "required") translated; covers click's --help and --version."""
    record = option.get_help_record(ctx)
    if record is None:
        return None
    extra = option.get_help_extra(ctx)
    items = []
    if "envvars" in extra:
        items.append(_("env var: %(names)s", names=", ".join(extra["envvars"])))
    if "default" in extra:
        items.append(_("default: %(value)s", value=extra["default"]))
    if "range" in extra:
        items.append(extra["range"])
    if "required" in extra:
        items.append(_("required"))
    text = _t(option.help) or ""
    if items:
        text = f"{text}  [{'; '.join(items)}]" if text else f"[{'; '.join(items)}]"
    return record[0], text


class Command(click.Command):
    """Help in the terminal's language (`cli_locale`). `help`, `short_help` and the
    parameters' `help` hold English msgids marked with `N_` (docstrings are not
    extracted); they are translated when the help page is formatted. That happens
    while parsing (`--help` is eager), before the group's callback sets the locale
    for the command itself, so `get_help` sets it too."""

    context_class = _Context

    @property
    def help(self) -> str | None:
        return _t(self._help)

    @help.setter
    def help(self, value: str | None) -> None:
        self._help = value

    @property
    def short_help(self) -> str | None:
        return _t(self._short_help)

    @short_help.setter
    def short_help(self, value: str | None) -> None:
        self._short_help = value

    def get_help(self, ctx: click.Context) -> str:
        with i18n.use_locale(cli_locale(os.environ)):
            return super().get_help(ctx)

    def get_short_help_str(self, limit: int = 45) -> str:
        text = super().get_short_help_str(limit)
        # Click ends the first sentence at ". "; Chinese ends it with "。".
        head, stop, _rest = text.partition("。")
        return head + stop if stop else text

    def format_arguments(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        arguments = [p for p in self.get_params(ctx) if isinstance(p, click.Argument)]
        if any(argument.help for argument in arguments):
            with formatter.section("Positional arguments"):
                formatter.write_dl([(a.make_metavar(ctx), _t(a.help) or "") for a in arguments])

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [
            row
            for param in self.get_params(ctx)
            if isinstance(param, click.Option) and (row := _option_row(param, ctx))
        ]
        if rows:
            with formatter.section("Options"):
                formatter.write_dl(rows)


# After click.Group in the MRO: its format_options adds the commands after ours.
class Group(click.Group, Command):
    """A `polydesk` group: its help, its commands' and its subgroups' translated."""

    command_class = Command
    group_class = type  # subgroups are `Group`s


@click.group(
    cls=Group,
    help=N_(
        "Polydesk: a plugin-based service desk for IT, HR, Legal, Finance and more.\n\n"
        "Configuration comes from the environment: DATABASE_URL (PostgreSQL; SQLite in "
        "POLYDESK_DATA_DIR otherwise), POLYDESK_DISABLE_PLUGINS, POLYDESK_SECRET_KEY."
    ),
)
@click.version_option(package_name="polydesk")
@click.pass_context
def cli(ctx: click.Context) -> None:
    # For this invocation only (reset when the command ends: tests run several).
    ctx.with_resource(i18n.use_locale(cli_locale(os.environ)))


@cli.command(
    help=N_("Apply the core's and every installed plugin's database migrations."),
    short_help=N_("Apply the database migrations."),
)
def migrate() -> None:
    from polydesk.core.migrations import migrate as run_migrate

    _run(run_migrate(_runtime()))
    click.echo(_("Database is up to date."))


def _listen_smtp(value: str | None, *, fallback: bool = False) -> tuple[str, int] | None:
    """Have the app run its SMTP listener on HOST:PORT (through POLYDESK_SMTP_LISTEN,
    which every worker reads). With `fallback`, a busy port is swapped for a free one."""
    import socket

    from polydesk.core.mail.smtp_listener import parse_listen

    value = value or os.environ.get("POLYDESK_SMTP_LISTEN")
    if not value:
        return None
    try:
        host, port = parse_listen(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--smtp") from exc
    if fallback:
        with socket.socket() as probe:
            try:
                probe.bind((host, port))
            except OSError:
                probe.bind((host, 0))
                port = probe.getsockname()[1]
    os.environ["POLYDESK_SMTP_LISTEN"] = f"{host}:{port}"
    return host, port


def _serve(host: str, port: int, workers: int, reload: bool) -> None:
    import uvicorn

    click.echo(
        _(
            "Polydesk is serving on %(url)s  (API docs: %(docs)s)",
            url=f"http://{host}:{port}/",
            docs="/schema/swagger",
        )
    )
    uvicorn.run(
        "polydesk.web.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        log_level="info",
    )


_host_opt = click.option(
    "--host", default="127.0.0.1", show_default=True, help=N_("Address to listen on.")
)
_port_opt = click.option(
    "--port", default=8000, show_default=True, type=int, help=N_("Port to listen on.")
)


@cli.command(help=N_("Serve the portal, agent workspace and API."))
@_host_opt
@_port_opt
@click.option("--workers", default=1, show_default=True, type=int, help=N_("Worker processes."))
@click.option("--reload", is_flag=True, help=N_("Restart on code changes (development)."))
@click.option("--no-migrate", is_flag=True, help=N_("Do not apply migrations first."))
@click.option(
    "--smtp",
    metavar="HOST:PORT",
    help=N_("Also receive mail here (the SMTP listener; or set POLYDESK_SMTP_LISTEN)."),
)
def serve(
    host: str, port: int, workers: int, reload: bool, no_migrate: bool, smtp: str | None
) -> None:
    if not no_migrate:
        from polydesk.core.migrations import migrate as run_migrate

        _run(run_migrate(_runtime(), quiet=True))
    listening = _listen_smtp(smtp)
    if listening:
        click.echo(
            _("Receiving mail over SMTP on %(address)s", address=f"{listening[0]}:{listening[1]}")
        )
    _serve(host, port, workers, reload)


@cli.command(
    help=N_(
        "Migrate, seed a demo organisation (people and tickets in every department), "
        "print the logins and serve."
    ),
    short_help=N_("Try Polydesk with a demo organisation."),
)
@_host_opt
@_port_opt
@click.option("--no-serve", is_flag=True, help=N_("Seed the demo data and exit."))
@click.option(
    "--smtp",
    default="127.0.0.1:2525",
    show_default=True,
    metavar="HOST:PORT",
    help=N_("The SMTP listener for the demo mailboxes (a free port if this one is taken)."),
)
def demo(host: str, port: int, no_serve: bool, smtp: str) -> None:
    from polydesk.core.demo import DEMO_PASSWORD, seed_demo
    from polydesk.core.migrations import migrate as run_migrate

    runtime = _runtime()

    async def prepare():
        await run_migrate(runtime, quiet=True)
        return await seed_demo(runtime)

    logins = _run(prepare())
    settings = runtime.settings
    where = "PostgreSQL" if settings.is_postgres else str(settings.sqlite_path)
    click.echo(_("Demo data is in %(where)s.", where=where))
    click.echo(_("Log in as any of these, password '%(password)s':", password=DEMO_PASSWORD))
    for login in logins:
        click.echo(f"  {login.username:<16} {login.description}")
    if not no_serve:
        if not settings.smtp_host:
            from polydesk.web.mail_sink import start_demo_sink

            os.environ.setdefault("POLYDESK_BASE_URL", f"http://{host}:{port}")
            _sink_host, sink_port, folder = start_demo_sink(settings.data_dir)
            click.echo(
                _(
                    "Outgoing mail is caught by an SMTP sink on %(address)s and saved as .eml "
                    "files in %(folder)s (set POLYDESK_SMTP_HOST to send for real).",
                    address=f"127.0.0.1:{sink_port}",
                    folder=folder,
                )
            )
        from polydesk.core.mail.mailboxes import DEMO_MAIL_DOMAIN

        smtp_host, smtp_port = _listen_smtp(smtp, fallback=True) or ("", 0)
        example = f"{next(iter(runtime.registry.departments), 'desk')}@{DEMO_MAIL_DOMAIN}"
        click.echo(
            _(
                "Mail %(example)s (or any department's address at %(domain)s) via "
                "%(address)s creates a ticket.",
                example=example,
                domain=DEMO_MAIL_DOMAIN,
                address=f"{smtp_host}:{smtp_port}",
            )
        )
        _serve(host, port, 1, False)


@cli.group(help=N_("List, enable and disable department plugins."))
def plugins() -> None:
    pass


@plugins.command(
    "list", help=N_("Show every installed plugin, its version and whether it is enabled.")
)
def plugins_list() -> None:
    from polydesk.core.plugin_state.services import list_plugins

    runtime = _runtime()
    statuses = _run(list_plugins(runtime.pm, runtime.departments_by_plugin()))
    if not statuses:
        click.echo(_("No department plugins are installed."))
    for status in statuses.values():
        state = _("enabled") if status.enabled else _("disabled")
        click.echo(
            f"{status.name:<12} {state:<8} {status.version:<10} {', '.join(status.departments)}"
        )


def _set_enabled(name: str, enabled: bool) -> None:
    from polydesk.core.audit.services import CLI
    from polydesk.core.plugin_state.services import set_plugin_enabled

    runtime = _runtime()
    _run(set_plugin_enabled(runtime.pm, name, enabled, author=CLI))
    if enabled:
        click.echo(_("%(name)s is now enabled (running workers follow within seconds).", name=name))
    else:
        click.echo(
            _("%(name)s is now disabled (running workers follow within seconds).", name=name)
        )


_plugin_arg = click.argument("name", help=N_("The plugin, as `polydesk plugins list` names it."))


@plugins.command("enable", help=N_("Enable plugin NAME in every running worker."))
@_plugin_arg
def plugins_enable(name: str) -> None:
    _set_enabled(name, True)


@plugins.command(
    "disable",
    help=N_("Disable plugin NAME: its portal and request types hide; no data is deleted."),
)
@_plugin_arg
def plugins_disable(name: str) -> None:
    _set_enabled(name, False)


@cli.group(help=N_("Manage people and their API tokens."))
def user() -> None:
    pass


_username_arg = click.argument("username", help=N_("The person's username."))


@user.command("create", help=N_("Create a person who can log in."))
@_username_arg
@click.option("--name", "display_name", help=N_("Display name (defaults to the username)."))
@click.option("--email", default="", help=N_("Email address."))
@click.option("--admin", is_flag=True, help=N_("Make a global administrator."))
@click.option(
    "--role",
    "roles",
    multiple=True,
    metavar="DEPT:ROLE",
    help=N_("Department role, e.g. it:agent (repeatable). Roles: requester, agent, lead, admin."),
)
@click.option(
    "--team",
    "teams",
    multiple=True,
    metavar="DEPT:TEAM",
    help=N_("Team membership, e.g. hr:case_team."),
)
@click.option("--manager", help=N_("Username of the person's manager (approves their requests)."))
@click.option(
    "--password",
    envvar="POLYDESK_NEW_PASSWORD",
    help=N_("Password (prompted for when not given; or set POLYDESK_NEW_PASSWORD)."),
)
def user_create(
    username: str,
    display_name: str | None,
    email: str,
    admin: bool,
    roles: tuple[str, ...],
    teams: tuple[str, ...],
    manager: str | None,
    password: str | None,
) -> None:
    from polydesk.core.audit.services import CLI
    from polydesk.core.people.services import (
        add_to_team,
        create_person,
        person_id,
        set_manager,
        set_role,
    )

    runtime = _runtime()
    parsed_roles = [_pair(r, "--role") for r in roles]
    parsed_teams = [_pair(t, "--team") for t in teams]
    for department, _value in parsed_roles + parsed_teams:
        if department not in runtime.registry.departments:
            raise click.BadParameter(_("unknown department %(name)s", name=repr(department)))
    if password is None:
        password = getpass.getpass(_("Password: ")) if os.isatty(0) else None
        if not password:
            raise click.UsageError(_("Give --password or set POLYDESK_NEW_PASSWORD."))

    async def create() -> None:
        # Resolve the manager first: a bad --manager must leave no half-made person.
        manager_id = await person_id(manager) if manager else None
        person = await create_person(
            username,
            display_name or username,
            email=email,
            password=password,
            is_admin=admin,
            author=CLI,
            details={
                "roles": dict(parsed_roles),
                "teams": [f"{d}:{t}" for d, t in parsed_teams],
                "manager": manager,
            },
        )
        for department, role in parsed_roles:
            await set_role(person, department, role)
        for department, team in parsed_teams:
            await add_to_team(person, department, team)
        if manager_id is not None:
            await set_manager(person, manager_id)

    _run(create())
    click.echo(_("Created %(username)s.", username=username))


@user.command("token", help=N_("Create an API token for USERNAME and print it (shown once)."))
@_username_arg
@click.option("--name", default="script", show_default=True, help=N_("What the token is for."))
def user_token(username: str, name: str) -> None:
    from polydesk.core.audit.services import CLI
    from polydesk.core.people.services import issue_api_token, person_id

    async def create() -> str:
        return (await issue_api_token(await person_id(username), name, author=CLI)).token

    _runtime()
    click.echo(_run(create()))


@user.command("unlock", help=N_("Let USERNAME log in again after too many failed logins."))
@_username_arg
def user_unlock(username: str) -> None:
    from polydesk.core.audit.services import CLI
    from polydesk.core.people.throttle import unlock

    runtime = _runtime()
    if _run(unlock(username, CLI, runtime.clock())):
        click.echo(_("%(username)s is unlocked.", username=username))
    else:
        click.echo(_("%(username)s was not locked.", username=username))


@cli.command(
    help=N_(
        "Copy the SQLite database to FILE, consistently, while the server runs.\n\n"
        "On PostgreSQL use pg_dump instead (the command is printed)."
    ),
    short_help=N_("Back up the SQLite database while the server runs."),
)
@click.argument(
    "file",
    type=click.Path(dir_okay=False, path_type=Path),
    help=N_("The backup file to write."),
)
def backup(file: Path) -> None:
    from polydesk.core.backup import BackupError, backup_sqlite, postgres_advice

    settings = Settings.from_env()
    if settings.is_postgres:
        raise click.ClickException(postgres_advice())
    try:
        summary = backup_sqlite(settings.sqlite_path, file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        _(
            "Backed up %(tickets)s tickets and %(people)s people to %(file)s.",
            tickets=summary.tickets,
            people=summary.people,
            file=file,
        )
    )


@cli.command(
    help=N_(
        "Replace the SQLite database with the backup FILE, then migrate it forwards.\n\n"
        "FILE must be a Polydesk database (it is checked first; a bad file changes "
        "nothing). The current database is kept beside it as *.before-restore. "
        "On PostgreSQL use pg_restore instead (the command is printed)."
    ),
    short_help=N_("Restore the SQLite database from a backup."),
)
@click.argument(
    "file",
    type=click.Path(dir_okay=False, path_type=Path),
    help=N_("The backup file to restore from."),
)
@click.option(
    "--yes", is_flag=True, help=N_("Replace the existing database (stop the server first).")
)
def restore(file: Path, yes: bool) -> None:
    from polydesk.core.backup import BackupError, postgres_advice, restore_sqlite
    from polydesk.core.migrations import migrate as run_migrate

    settings = Settings.from_env()
    if settings.is_postgres:
        raise click.ClickException(postgres_advice())
    try:
        summary = restore_sqlite(file, settings.sqlite_path, confirmed=yes)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    _run(run_migrate(_runtime(), quiet=True))
    click.echo(
        _(
            "Restored %(tickets)s tickets and %(people)s people from %(file)s into %(path)s; "
            "migrations are up to date.",
            tickets=summary.tickets,
            people=summary.people,
            file=file,
            path=settings.sqlite_path,
        )
    )


@cli.command("audit", help=N_("Show the audit log of admin actions, newest first."))
@click.option("--action", default="", help=N_("Only this action, e.g. plugin.disabled."))
@click.option("--person", default="", help=N_("Only by this username (or cli, system)."))
@click.option("--limit", default=50, show_default=True, type=int, help=N_("How many events."))
def audit(action: str, person: str, limit: int) -> None:
    import json

    from polydesk.core.audit.services import list_events

    _runtime()
    page = _run(list_events(action=action, person=person, limit=max(1, limit)))
    for e in page.events:
        changes = json.dumps(e.changes, sort_keys=True) if e.changes else ""
        click.echo(
            f"{e.at:%Y-%m-%d %H:%M:%S} {e.actor_name:<16} {e.action:<24} {e.target} {changes}".rstrip()
        )


def _pair(value: str, option: str) -> tuple[str, str]:
    left, sep, right = value.partition(":")
    if not sep or not left or not right:
        raise click.BadParameter(
            _("expected DEPT:VALUE, got %(value)s", value=repr(value)), param_hint=option
        )
    return left, right


def _add_i18n() -> None:
    from polydesk.web.i18n_catalogs import i18n_group

    cli.add_command(i18n_group)


_add_i18n()
