"""Every hook Polydesk offers plugins, grouped by when it is called.

Each docstring is the reference documentation of its hook: when it is called and
how often, whether one answer wins (`firstresult`), whether implementations may
be async, and what to return. `tests/core/test_hookspecs.py` checks that every
hook keeps those sections and has a `test_hook_<name>` somewhere in the suite.

Call hooks with keyword arguments only; implementations take the subset of
arguments they need. Signatures only ever grow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from polydesk.core.desk import Desk
    from polydesk.core.events import Event
    from polydesk.core.permissions import Actor
    from polydesk.core.specs import (
        Assignment,
        Department,
        KnowledgeSpace,
        MenuLink,
        Priority,
        Queue,
        RequestType,
        SLAPolicy,
        TicketDraft,
        Workflow,
    )
    from polydesk.core.tickets.schemas import TicketView

PROJECT = "polydesk"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# ---------------------------------------------------------------------------
# Startup: registration, once per process, into the frozen Registry
# ---------------------------------------------------------------------------


@hookspec(historic=True)
def polydesk_addhooks(plugin_manager: pluggy.PluginManager) -> None:
    """Add hookspecs that your plugin offers to other plugins.

    When: historic; called for each plugin as it registers, including ones
    registered later. Not firstresult. Synchronous only.
    Returns: nothing; call `plugin_manager.add_hookspecs(my_hookspecs_module)`.
    Example::

        @hookimpl
        def polydesk_addhooks(plugin_manager):
            plugin_manager.add_hookspecs(hookspecs)
    """


@hookspec
def polydesk_register_departments() -> list[Department]:
    """Declare the departments your plugin serves.

    When: once per process while the Registry is built; every loaded plugin is
    asked, enabled or not. Not firstresult. Synchronous only.
    Returns: a list of `Department`; slugs must be unique across plugins.
    Example::

        @hookimpl
        def polydesk_register_departments():
            return [Department(slug="facilities", name="Facilities", key_prefix="FAC")]
    """


@hookspec
def polydesk_register_request_types() -> list[RequestType]:
    """Offer request types (catalog entries with their forms).

    When: once per process while the Registry is built. Not firstresult.
    Synchronous only.
    Returns: a list of `RequestType` whose `department` is one of your slugs and
    whose `workflow` and `sla_policy` name registered keys.
    Example::

        @hookimpl
        def polydesk_register_request_types():
            return [RequestType(key="facilities.repair", department="facilities", ...)]
    """


@hookspec
def polydesk_register_workflows() -> list[Workflow]:
    """Declare workflows: states with categories and the transitions between them.

    When: once per process while the Registry is built. Not firstresult.
    Synchronous only.
    Returns: a list of `Workflow`; keys are global, so prefix them with your slug.
    Example::

        @hookimpl
        def polydesk_register_workflows():
            return [REPAIR_WORKFLOW]
    """


@hookspec
def polydesk_register_sla_policies() -> list[SLAPolicy]:
    """Declare SLA policies, each with its business calendar.

    When: once per process while the Registry is built. Not firstresult.
    Synchronous only.
    Returns: a list of `SLAPolicy`; keys are global, prefix them with your slug.
    Example::

        @hookimpl
        def polydesk_register_sla_policies():
            return [SLAPolicy(key="facilities.standard", name="Standard", calendar=OFFICE, targets={...})]
    """


@hookspec
def polydesk_register_knowledge_spaces() -> list[KnowledgeSpace]:
    """Declare knowledge spaces; seed articles are Markdown files in `seed_dir`.

    When: once per process while the Registry is built. Not firstresult.
    Synchronous only.
    Returns: a list of `KnowledgeSpace`.
    Example::

        @hookimpl
        def polydesk_register_knowledge_spaces():
            return [KnowledgeSpace(slug="facilities", department="facilities", name="Facilities help")]
    """


@hookspec
def polydesk_register_queues() -> list[Queue]:
    """Declare the default queues agents of your department see.

    When: once per process while the Registry is built. Not firstresult.
    Synchronous only.
    Returns: a list of `Queue` (filters over the ticket list).
    Example::

        @hookimpl
        def polydesk_register_queues():
            return [Queue(key="facilities.open", department="facilities", name="Open",
                          filters={"state_category": ["new", "open"]})]
    """


@hookspec
def polydesk_register_piccolo_apps() -> list[str]:
    """Name the Piccolo apps that hold your tables and migrations.

    When: once, when `polydesk.core.piccolo_conf` builds `APP_REGISTRY` (web
    app, CLI and `polydesk migrate`). Not firstresult. Synchronous only.
    Returns: dotted paths of `piccolo_app` modules, as strings so that no table
    module is imported while the configuration loads.
    Example::

        @hookimpl
        def polydesk_register_piccolo_apps():
            return ["polydesk_facilities.piccolo_app"]
    """


@hookspec
def polydesk_register_routes() -> list[Any]:
    """Add web routes of your own, mounted under `/<your slug>/`.

    When: once per process while the web app is built. Not firstresult.
    Synchronous only. Routes of a disabled department stay mounted and answer
    404 through a guard.
    Returns: a list of Litestar `Router`s whose path starts with `/<slug>`.
    Example::

        @hookimpl
        def polydesk_register_routes():
            return [Router(path="/facilities", route_handlers=[floor_plan])]
    """


# ---------------------------------------------------------------------------
# Per request: called on the enabled plugins only
# ---------------------------------------------------------------------------


@hookspec
def polydesk_actor_from_request(request: Any) -> Actor | None:
    """Say who is making this HTTP request.

    When: once per HTTP request, before the handler. Not firstresult: core
    awaits every answer and takes the first that is not None, so
    implementations may be `async def` or return an awaitable.
    Returns: an `Actor`, or None when you do not recognise the caller.
    Example::

        @hookimpl
        def polydesk_actor_from_request(request):
            return actor_for_sso_header(request.headers.get("x-remote-user"))
    """


@hookspec
def polydesk_check_permission(actor: Actor | None, action: str, resource: Any) -> bool | None:
    """Allow or deny an action on a resource.

    When: on each permission check (`polydesk.core.permissions.can`). Not
    firstresult: any False denies, otherwise any True allows, otherwise deny.
    Synchronous only (it runs inside list filtering).
    Returns: True, False, or None for "no opinion".
    Example::

        @hookimpl
        def polydesk_check_permission(actor, action, resource):
            if action == "ticket.view" and resource.department == "facilities":
                return None
    """


@hookspec
def polydesk_validate_request(
    request_type: RequestType, form_data: dict, actor: Actor | None
) -> dict[str, str] | None:
    """Apply rules across fields that a form schema cannot express.

    When: on each ticket creation after the form validated, before insert.
    Not firstresult: the errors of every plugin are merged. Implementations may
    be async.
    Returns: a dict of field key to message, or None when all is well.
    Example::

        @hookimpl
        def polydesk_validate_request(request_type, form_data):
            if request_type.key == "hr.leave" and form_data["end"] < form_data["start"]:
                return {"end": "The leave must end after it starts."}
    """


@hookspec
def polydesk_validate_settings(plugin: str, settings: dict) -> dict[str, str] | None:
    """Check the settings an admin wants to save for a plugin.

    When: each time an admin saves plugin settings (API or CLI), before they are
    stored. Not firstresult: the errors of every plugin are merged; answer only
    when `plugin` is your own name. Synchronous only.
    Returns: a dict of setting key to message, or None when they are fine.
    Example::

        @hookimpl
        def polydesk_validate_settings(plugin, settings):
            if plugin == "finance" and settings.get("cfo_above", 0) <= 0:
                return {"cfo_above": "Give a positive amount."}
    """


@hookspec(firstresult=True)
def polydesk_priority(draft: TicketDraft) -> Priority | None:
    """Decide the priority of a new ticket (IT's impact × urgency matrix).

    When: on each ticket creation, before insert. firstresult: the first
    non-None answer wins; the core's default (trylast) returns the request
    type's default priority. Synchronous only.
    Returns: a `Priority`, or None to leave it to others.
    Example::

        @hookimpl
        def polydesk_priority(draft):
            if draft.request_type.key == "it.incident":
                return matrix(draft.form_data["impact"], draft.form_data["urgency"])
    """


@hookspec(firstresult=True)
def polydesk_route_ticket(draft: TicketDraft) -> Assignment | None:
    """Choose the group (and optionally the person) a new ticket goes to.

    When: on each ticket creation, before insert. firstresult: the first
    non-None answer wins; the core's default (trylast) puts the ticket in its
    department's general group. Synchronous only.
    Returns: an `Assignment`, or None.
    Example::

        @hookimpl
        def polydesk_route_ticket(draft):
            if draft.form_data.get("category") == "network":
                return Assignment(group="network")
    """


@hookspec
def polydesk_transition_guard(
    ticket: TicketView, transition: Any, guard: str, actor: Actor | None
) -> str | None:
    """Veto a workflow transition that names a guard.

    When: for each guard name on a transition being applied, inside the
    transaction that applies it. Not firstresult: every answer is collected and
    any reason vetoes. Implementations may be async (they may query tickets).
    Returns: a reason (str) to refuse, or None to let it pass. Answer None for
    guard names you do not own.
    Example::

        @hookimpl
        async def polydesk_transition_guard(ticket, guard):
            if guard == "children_done" and await open_children(ticket.id):
                return "Child tasks are still open."
    """


@hookspec
def polydesk_menu_links(request: Any, actor: Actor | None) -> list[MenuLink]:
    """Add links to the navigation menu.

    When: on each full-page render. Not firstresult: all lists are joined.
    Implementations may be async.
    Returns: a list of `MenuLink`.
    Example::

        @hookimpl
        def polydesk_menu_links(actor):
            return [MenuLink(href="/facilities/floors", label="Floor plans")]
    """


# ---------------------------------------------------------------------------
# Domain events: after commit, through the outbox
# ---------------------------------------------------------------------------


@hookspec
def polydesk_on_event(event: Event, desk: Desk) -> None:
    """React to something that happened (ticket created, transitioned, …).

    When: once per event per delivery, by the outbox worker after the change
    committed; never inside the request that caused it. Not firstresult.
    Implementations may be async. A raise marks the delivery failed and it is
    retried with back-off, so make reactions idempotent. What you do through
    `desk` (a `polydesk.core.desk.Desk`, acting as the system) commits with the
    delivery, or not at all.
    Returns: nothing.
    Example::

        @hookimpl
        async def polydesk_on_event(event, desk):
            if isinstance(event, TicketCreated) and event.request_type == "hr.onboarding":
                await desk.create_ticket(request_type="it.hardware", title="Laptop",
                                         parent=event.ticket_id, form_data={...})
    """
