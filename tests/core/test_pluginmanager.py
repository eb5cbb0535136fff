"""Building the plugin manager, and calling hooks the Polydesk way.

`create_plugin_manager()` is the one registration path: core defaults from a
tuple, departments from the `polydesk.plugins` entry-point group, and test or
outside plugins through `extra_plugins`.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect

import pluggy
import pytest
from piccolo.conf.apps import AppConfig

from polydesk.core import (
    Assignment,
    ConfigurationError,
    Department,
    MenuLink,
    Priority,
    RequestType,
    TicketDraft,
    hookimpl,
)
from polydesk.core.hookcalls import (
    await_me_maybe,
    first_non_none,
    gather,
    gather_flat,
    subset_caller,
)
from polydesk.core.hookspecs import hookspec
from polydesk.core.pluginmanager import (
    DEFAULT_PLUGINS,
    ENTRY_POINT_GROUP,
    create_plugin_manager,
    department_plugins,
)
from polydesk.core.registry import build_registry

BUNDLED = {
    "it": "polydesk.plugins.it.hooks",
    "hr": "polydesk.plugins.hr.hooks",
    "legal": "polydesk.plugins.legal.hooks",
    "finance": "polydesk.plugins.finance.hooks",
}


def draft(**form_data: object) -> TicketDraft:
    request_type = RequestType(
        key="facilities.repair",
        department="facilities",
        name="Repair",
        workflow="facilities.simple",
        sla_policy="facilities.standard",
        default_priority=Priority.P2,
    )
    return TicketDraft(
        department="facilities",
        request_type=request_type,
        title="The lift is stuck",
        description="Third floor.",
        form_data=dict(form_data),
        requester="anna",
    )


# -- loading ----------------------------------------------------------------------------


def test_entry_points_load_the_bundled_departments_by_entry_point_name():
    pm = create_plugin_manager()
    for name, module in BUNDLED.items():
        plugin = pm.get_plugin(name)
        assert plugin is not None, name
        assert plugin.__name__ == module
    assert set(BUNDLED) <= set(department_plugins(pm))


def test_bundled_departments_are_declared_as_entry_points_like_any_outside_plugin():
    declared = {
        ep.name: ep.value for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    }
    assert {name: declared.get(name) for name in BUNDLED} == BUNDLED


def test_core_defaults_are_registered_under_their_module_names():
    pm = create_plugin_manager(load_entry_points=False)
    for dotted in DEFAULT_PLUGINS:
        assert pm.get_plugin(dotted) is importlib.import_module(dotted)
    # Defaults are not departments.
    assert department_plugins(pm) == []


def test_each_call_builds_a_fresh_manager():
    first = create_plugin_manager(load_entry_points=False)
    second = create_plugin_manager(load_entry_points=False)
    assert first is not second
    first.set_blocked("polydesk.core.defaults.routing")
    assert second.get_plugin("polydesk.core.defaults.routing") is not None


def test_blocked_plugin_stays_out_of_the_registry():
    pm = create_plugin_manager(blocked=["hr"])
    assert pm.get_plugin("hr") is None
    assert pm.is_blocked("hr")
    registry = build_registry(pm)
    assert "hr" not in registry.departments
    assert registry.request_types_of("hr") == []
    assert {"it", "legal", "finance"} <= set(registry.departments)


def test_blocked_plugin_is_not_listed_among_loaded_department_plugins():
    """`department_plugins` feeds the admin plugin list and the enable/disable API.
    pluggy keeps a blocked name in `list_name_plugin()` with `None` as the plugin,
    so a blocked department must be filtered out there."""
    pm = create_plugin_manager(blocked=["hr"])
    assert "hr" not in department_plugins(pm)
    assert {"it", "legal", "finance"} <= set(department_plugins(pm))


def test_blocked_extra_plugin_is_not_registered():
    class Extra:
        @hookimpl
        def polydesk_register_departments(self):
            return [Department(slug="facilities", name="Facilities", key_prefix="FAC")]

    pm = create_plugin_manager(
        load_entry_points=False, blocked=["facilities"], extra_plugins=[(Extra(), "facilities")]
    )
    assert build_registry(pm).departments == {}


def test_required_plugin_missing_stops_startup():
    with pytest.raises(ConfigurationError, match="required plugins are not installed: nope"):
        create_plugin_manager(required=["nope"])


def test_required_plugin_that_is_blocked_stops_startup():
    with pytest.raises(ConfigurationError, match="hr"):
        create_plugin_manager(blocked=["hr"], required=["it", "hr"])


def test_required_plugins_present_start_fine():
    pm = create_plugin_manager(required=list(BUNDLED))
    assert all(pm.get_plugin(name) for name in BUNDLED)


class Misspelled:
    @hookimpl
    def polydesk_register_departmentz(self):
        return [Department(slug="facilities", name="Facilities", key_prefix="FAC")]


def test_misspelled_hookimpl_fails_check_pending():
    with pytest.raises(ConfigurationError, match="polydesk_register_departmentz"):
        create_plugin_manager(load_entry_points=False, extra_plugins=[(Misspelled(), "typo")])


def test_misspelled_hookimpl_error_names_the_plugin_by_its_name():
    """`ConfigurationError.plugin` is a plugin *name* everywhere else (the
    Registry passes entry-point names); from `check_pending` it is currently the
    plugin object, so the message reads `[plugin <...Misspelled object at 0x...>]`."""
    with pytest.raises(ConfigurationError) as info:
        create_plugin_manager(load_entry_points=False, extra_plugins=[(Misspelled(), "typo")])
    assert info.value.plugin == "typo"
    assert str(info.value).startswith("[plugin typo]")


def test_hookimpl_with_an_argument_the_spec_does_not_offer_stops_startup_naming_the_plugin():
    class Greedy:
        @hookimpl
        def polydesk_route_ticket(self, draft, queue):
            return None

    # pluggy refuses it at registration; the message names the plugin.
    with pytest.raises((ConfigurationError, pluggy.PluginValidationError), match="'greedy'"):
        create_plugin_manager(load_entry_points=False, extra_plugins=[(Greedy(), "greedy")])


# -- hooks ------------------------------------------------------------------------------


def test_hook_polydesk_addhooks():
    """A plugin offers a hook of its own; another plugin implements it and is called."""

    class FacilitiesSpecs:
        @hookspec
        def polydesk_facilities_floor_plans(self, building):
            """Floor plans of a building."""

    class Facilities:
        @hookimpl
        def polydesk_addhooks(self, plugin_manager):
            plugin_manager.add_hookspecs(FacilitiesSpecs)

    class Architect:
        @hookimpl
        def polydesk_facilities_floor_plans(self, building):
            return [f"{building}-ground-floor"]

    pm = create_plugin_manager(
        load_entry_points=False,
        extra_plugins=[(Facilities(), "facilities"), (Architect(), "architect")],
    )
    assert pm.hook.polydesk_facilities_floor_plans(building="hq") == [["hq-ground-floor"]]


def test_hook_polydesk_route_ticket():
    pm = create_plugin_manager(load_entry_points=False)
    # Nobody else answers: the core default puts the ticket in the general group.
    assert pm.hook.polydesk_route_ticket(draft=draft()) == Assignment(group="general")

    class Network:
        @hookimpl
        def polydesk_route_ticket(self, draft):
            if draft.form_data.get("category") == "network":
                return Assignment(group="network", assignee="nina")
            return None

    pm = create_plugin_manager(load_entry_points=False, extra_plugins=[(Network(), "network")])
    routed = pm.hook.polydesk_route_ticket(draft=draft(category="network"))
    assert routed == Assignment(group="network", assignee="nina")
    # A plugin answering None leaves the decision to the default.
    assert pm.hook.polydesk_route_ticket(draft=draft(category="chairs")) == Assignment(
        group="general"
    )


def test_the_default_route_loses_even_to_a_plugin_registered_before_it():
    class Early:
        @hookimpl
        def polydesk_route_ticket(self, draft):
            return Assignment(group="early")

    # The default is registered after Early, so pluggy would ask it first; being
    # trylast, it still answers only when nobody else does.
    pm = create_plugin_manager(load_entry_points=False)
    pm.unregister(name="polydesk.core.defaults.routing")
    pm.register(Early(), name="early")
    pm.register(importlib.import_module("polydesk.core.defaults.routing"), name="routing")
    assert pm.hook.polydesk_route_ticket(draft=draft()) == Assignment(group="early")


def test_priority_defaults_to_the_request_type_priority():
    pm = create_plugin_manager(load_entry_points=False)
    assert pm.hook.polydesk_priority(draft=draft()) is Priority.P2


def _check_piccolo_app(dotted: str, plugin: str) -> None:
    module = importlib.import_module(dotted)
    config = module.APP_CONFIG
    assert isinstance(config, AppConfig), dotted
    # One slug everywhere: the Piccolo app is named after the plugin (its department).
    assert config.app_name == plugin, dotted


def test_hook_polydesk_register_piccolo_apps():
    pm = create_plugin_manager()
    answers: dict[str, list[str]] = {}
    for impl in pm.hook.polydesk_register_piccolo_apps.get_hookimpls():
        result = impl.function()
        assert isinstance(result, list), impl.plugin_name
        assert all(isinstance(path, str) for path in result), impl.plugin_name
        answers[impl.plugin_name] = result
    # Only departments own tables; the core's app is not announced through the hook.
    assert set(answers) <= set(BUNDLED)
    for plugin, paths in answers.items():
        for dotted in paths:
            _check_piccolo_app(dotted, plugin)

    # An outside plugin's answer reaches the hook's result as given.
    class Outside:
        @hookimpl
        def polydesk_register_piccolo_apps(self):
            return ["polydesk.core.piccolo_app"]

    pm = create_plugin_manager(extra_plugins=[(Outside(), "outside")])
    results = pm.hook.polydesk_register_piccolo_apps()
    assert ["polydesk.core.piccolo_app"] in results
    # ...and the check above accepts a real Piccolo app.
    _check_piccolo_app("polydesk.core.piccolo_app", "core")


# -- hookcalls: sync pluggy, async Polydesk ---------------------------------------------


async def test_await_me_maybe_resolves_values_coroutines_and_callables():
    async def coroutine_function():
        return "from a coroutine"

    assert await await_me_maybe("plain") == "plain"
    assert await await_me_maybe(None) is None
    assert await await_me_maybe(coroutine_function()) == "from a coroutine"
    assert await await_me_maybe(lambda: "from a callable") == "from a callable"
    # A callable returning an awaitable is called, then awaited.
    assert await await_me_maybe(coroutine_function) == "from a coroutine"


async def test_gather_keeps_call_order_and_drops_none():
    async def later(value):
        return value

    results = [later("a"), None, "b", lambda: None, later(None), lambda: later("c")]
    assert await gather(results) == ["a", "b", "c"]


async def test_gather_flat_joins_lists():
    async def links():
        return [MenuLink("/b", "B")]

    assert await gather_flat([[MenuLink("/a", "A")], None, links()]) == [
        MenuLink("/a", "A"),
        MenuLink("/b", "B"),
    ]


async def test_first_non_none_takes_the_first_answer_in_call_order_even_async():
    async def answer(value):
        return value

    assert await first_non_none([None, answer(None), answer("async"), "sync"]) == "async"
    assert await first_non_none([answer(None), "sync", "later"]) == "sync"
    assert await first_non_none([None, answer(None)]) is None
    assert await first_non_none([]) is None


async def test_first_non_none_closes_the_coroutines_it_does_not_need():
    """Lower-priority async answers after the winner do no work and are closed,
    so no "coroutine ... was never awaited" warning is left behind (the default
    session lookup of `polydesk_actor_from_request` is such an answer)."""
    ran: list[str] = []

    async def default():
        ran.append("default")
        return "anonymous"

    pending = default()
    try:
        assert await first_non_none(["sso-user", pending]) == "sso-user"
        assert inspect.getcoroutinestate(pending) == inspect.CORO_CLOSED
        assert ran == []
    finally:
        pending.close()  # no-op when core closed it; keeps a leak out of other tests if not

    # When nobody before it answers, the default runs and wins.
    assert await first_non_none([None, default()]) == "anonymous"
    assert ran == ["default"]


class MenuA:
    @hookimpl
    def polydesk_menu_links(self):
        return [MenuLink("/a", "A")]


class MenuB:
    @hookimpl
    async def polydesk_menu_links(self):
        return [MenuLink("/b", "B")]


def _menu_pm():
    return create_plugin_manager(
        load_entry_points=False, extra_plugins=[(MenuA(), "a"), (MenuB(), "b")]
    )


async def test_subset_caller_leaves_disabled_plugins_out():
    pm = _menu_pm()
    hook = subset_caller(pm, "polydesk_menu_links", disabled=["b"])
    assert await gather_flat(hook(request=None, actor=None)) == [MenuLink("/a", "A")]
    # The manager itself is untouched: nothing is unregistered.
    assert pm.get_plugin("b") is not None
    everything = await gather_flat(pm.hook.polydesk_menu_links(request=None, actor=None))
    assert set(everything) == {MenuLink("/a", "A"), MenuLink("/b", "B")}


async def test_subset_caller_with_nothing_or_unknown_disabled_calls_everyone():
    pm = _menu_pm()
    for disabled in ([], ["not-installed"]):
        hook = subset_caller(pm, "polydesk_menu_links", disabled=disabled)
        links = await gather_flat(hook(request=None, actor=None))
        assert set(links) == {MenuLink("/a", "A"), MenuLink("/b", "B")}, disabled


async def test_gather_closes_the_other_coroutines_when_one_raises():
    """A failing plugin must not leave another plugin's coroutine never awaited."""
    from polydesk.core.hookcalls import gather

    async def fails():
        raise RuntimeError("boom")

    async def fine():
        return 1

    later = fine()
    with pytest.raises(RuntimeError):
        await gather([fails(), later])
    assert (
        later.cr_frame is None
    )  # closed, not left dangling (filterwarnings=error would fail otherwise)
