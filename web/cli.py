"""The `polydesk` command line.

Messages meant for people are translated (admin catalog) into the language of the
terminal's locale (`LC_ALL`, else `LC_MESSAGES`, else `LANG`, as gettext reads them)
when Polydesk has it, else `POLYDESK_DEFAULT_LOCALE`, else English: see `cli_locale`.
Help texts stay English; so do the `i18n` developer commands.
"""

from __future__ import annotations

import asyncio
import getpass
import os
from collections.abc import Coroutine, Mapping
from pathlib import Path
from typing import Any

import click

from polydesk.core import i18n
from polydesk.core.errors import PolydeskError, ValidationFailed
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


@click.group()
@click.version_option(package_name="polydesk")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Polydesk: a plugin-based service desk for IT, HR, Legal, Finance and more.

    Configuration comes from the environment: DATABASE_URL (PostgreSQL; SQLite
    in POLYDESK_DATA_DIR otherwise), POLYDESK_DISABLE_PLUGINS, POLYDESK_SECRET_KEY.
    """
    # For this invocation only (reset when the command ends: tests run several).
    ctx.with_resource(i18n.use_locale(cli_locale(os.environ)))


@cli.command()
def migrate() -> None:
    """Apply the core's and every installed plugin's database migrations."""
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


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=int, help="Worker processes.")
@click.option("--reload", is_flag=True, help="Restart on code changes (development).")
@click.option("--no-migrate", is_flag=True, help="Do not apply migrations first.")
@click.option(
    "--smtp",
    metavar="HOST:PORT",
    help="Also receive mail here (the SMTP listener; or set POLYDESK_SMTP_LISTEN).",
)
def serve(
    host: str, port: int, workers: int, reload: bool, no_migrate: bool, smtp: str | None
) -> None:
    """Serve the portal, agent workspace and API."""
    if not no_migrate:
        from polydesk.core.migrations import migrate as run_migrate

        _run(run_migrate(_runtime(), quiet=True))
    listening = _listen_smtp(smtp)
    if listening:
        click.echo(
            _("Receiving mail over SMTP on %(address)s", address=f"{listening[0]}:{listening[1]}")
        )
    _serve(host, port, workers, reload)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--no-serve", is_flag=True, help="Seed the demo data and exit.")
@click.option(
    "--smtp",
    default="127.0.0.1:2525",
    show_default=True,
    metavar="HOST:PORT",
    help="The SMTP listener for the demo mailboxes (a free port if this one is taken).",
)
def demo(host: str, port: int, no_serve: bool, smtp: str) -> None:
    """Migrate, seed a demo organisation (people and tickets in every department),
    print the logins and serve."""
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


@cli.group()
def plugins() -> None:
    """List, enable and disable department plugins."""


@plugins.command("list")
def plugins_list() -> None:
    """Show every installed plugin, its version and whether it is enabled."""
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


@plugins.command("enable")
@click.argument("name")
def plugins_enable(name: str) -> None:
    """Enable plugin NAME in every running worker."""
    _set_enabled(name, True)


@plugins.command("disable")
@click.argument("name")
def plugins_disable(name: str) -> None:
    """Disable plugin NAME: its portal and request types hide; no data is deleted."""
    _set_enabled(name, False)


@cli.group()
def user() -> None:
    """Manage people and their API tokens."""


@user.command("create")
@click.argument("username")
@click.option("--name", "display_name", help="Display name (defaults to the username).")
@click.option("--email", default="", help="Email address.")
@click.option("--admin", is_flag=True, help="Make a global administrator.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    metavar="DEPT:ROLE",
    help="Department role, e.g. it:agent (repeatable). Roles: requester, agent, lead, admin.",
)
@click.option(
    "--team",
    "teams",
    multiple=True,
    metavar="DEPT:TEAM",
    help="Team membership, e.g. hr:case_team.",
)
@click.option("--manager", help="Username of the person's manager (approves their requests).")
@click.option(
    "--password",
    envvar="POLYDESK_NEW_PASSWORD",
    help="Password (prompted for when not given; or set POLYDESK_NEW_PASSWORD).",
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
    """Create a person who can log in."""
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


@user.command("token")
@click.argument("username")
@click.option("--name", default="script", show_default=True, help="What the token is for.")
def user_token(username: str, name: str) -> None:
    """Create an API token for USERNAME and print it (shown once)."""
    from polydesk.core.audit.services import CLI
    from polydesk.core.people.services import issue_api_token, person_id

    async def create() -> str:
        return (await issue_api_token(await person_id(username), name, author=CLI)).token

    _runtime()
    click.echo(_run(create()))


@user.command("unlock")
@click.argument("username")
def user_unlock(username: str) -> None:
    """Let USERNAME log in again after too many failed logins."""
    from polydesk.core.audit.services import CLI
    from polydesk.core.people.throttle import unlock

    runtime = _runtime()
    if _run(unlock(username, CLI, runtime.clock())):
        click.echo(_("%(username)s is unlocked.", username=username))
    else:
        click.echo(_("%(username)s was not locked.", username=username))


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup(file: Path) -> None:
    """Copy the SQLite database to FILE, consistently, while the server runs.

    On PostgreSQL use pg_dump instead (the command is printed)."""
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


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the existing database (stop the server first).")
def restore(file: Path, yes: bool) -> None:
    """Replace the SQLite database with the backup FILE, then migrate it forwards.

    FILE must be a Polydesk database (it is checked first; a bad file changes
    nothing). The current database is kept beside it as *.before-restore.
    On PostgreSQL use pg_restore instead (the command is printed)."""
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


@cli.command("audit")
@click.option("--action", default="", help="Only this action, e.g. plugin.disabled.")
@click.option("--person", default="", help="Only by this username (or cli, system).")
@click.option("--limit", default=50, show_default=True, type=int, help="How many events.")
def audit(action: str, person: str, limit: int) -> None:
    """Show the audit log of admin actions, newest first."""
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
