"""The Registry: what plugins declare, validated across plugins at startup.

A mistake in a plugin's declarations must stop startup with a
`ConfigurationError` whose `plugin` names the plugin at fault, so the person
installing it knows which one to fix.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace
from typing import Any

import pytest

from polydesk.core import (
    Calendar,
    ConfigurationError,
    Department,
    KnowledgeSpace,
    Queue,
    RequestType,
    SLAPolicy,
    SLATarget,
    State,
    Transition,
    Workflow,
    hookimpl,
)
from polydesk.core.pluginmanager import create_plugin_manager
from polydesk.core.registry import Registry, build_registry

BUNDLED = ("it", "hr", "legal", "finance")


def plugin(**answers: Any) -> SimpleNamespace:
    """A temporary plugin: `plugin(departments=[...])` implements
    `polydesk_register_departments` returning that list."""

    def returning(value: Any) -> Any:
        def impl() -> Any:
            return value

        return hookimpl(impl)

    return SimpleNamespace(
        **{f"polydesk_register_{what}": returning(value) for what, value in answers.items()}
    )


def registry_of(*plugins: tuple[object, str]) -> Registry:
    """The Registry of the given plugins alone (no installed department)."""
    return build_registry(create_plugin_manager(load_entry_points=False, extra_plugins=plugins))


def config_error(*plugins: tuple[object, str]) -> ConfigurationError:
    with pytest.raises(ConfigurationError) as info:
        registry_of(*plugins)
    return info.value


FACILITIES = Department(slug="facilities", name="Facilities", key_prefix="FAC")
OFFICE = Calendar(key="office", name="Office hours")
STANDARD = SLAPolicy(
    key="facilities.standard",
    name="Standard",
    calendar=OFFICE,
    targets={3: SLATarget(first_response=60, resolution=480)},
)
SIMPLE = Workflow(
    key="facilities.simple",
    name="Simple",
    states=(State("new", "New", "new"), State("done", "Done", "resolved")),
    transitions=(Transition("finish", "Finish", ("new",), "done"),),
    initial_state="new",
)
REPAIR = RequestType(
    key="facilities.repair",
    department="facilities",
    name="Repair",
    workflow="facilities.simple",
    sla_policy="facilities.standard",
)
SPACE = KnowledgeSpace(slug="facilities", department="facilities", name="Facilities help")
OPEN = Queue(key="facilities.open", department="facilities", name="Open")


def facilities(**overrides: Any) -> SimpleNamespace:
    """A complete, valid department plugin; `overrides` replace its answers."""
    answers: dict[str, Any] = {
        "departments": [FACILITIES],
        "workflows": [SIMPLE],
        "sla_policies": [STANDARD],
        "request_types": [REPAIR],
        "knowledge_spaces": [SPACE],
        "queues": [OPEN],
    }
    answers.update(overrides)
    return plugin(**answers)


# -- the installed departments ---------------------------------------------------------


def test_installed_plugins_build_a_registry_with_the_four_departments():
    registry = build_registry(create_plugin_manager())
    assert set(BUNDLED) <= set(registry.departments)
    for slug in BUNDLED:
        department = registry.department(slug)
        assert department.slug == slug
        # One slug everywhere: the department is owned by the entry point of the same name.
        assert registry.department_plugin[slug] == slug
        assert registry.departments_of_plugin(slug) == [slug]


def test_installed_request_types_point_at_declared_things():
    registry = build_registry(create_plugin_manager())
    assert registry.request_types, "the bundled departments offer request types"
    for rt in registry.request_types.values():
        assert rt.department in registry.departments
        assert rt.workflow in registry.workflows
        assert rt.sla_policy in registry.sla_policies
        assert rt in registry.request_types_of(rt.department)


def test_an_outside_plugin_cannot_take_a_bundled_slug():
    thief = plugin(departments=[Department(slug="it", name="Not IT", key_prefix="NIT")])
    with pytest.raises(ConfigurationError) as info:
        build_registry(create_plugin_manager(extra_plugins=[(thief, "thief")]))
    assert info.value.plugin == "thief"
    assert "'it'" in str(info.value)


# -- a valid outside department ---------------------------------------------------------


def test_a_complete_department_plugin_is_registered_under_its_plugin_name():
    registry = registry_of((facilities(), "polydesk-facilities"))
    assert registry.departments == {"facilities": FACILITIES}
    assert registry.workflows == {"facilities.simple": SIMPLE}
    assert registry.sla_policies == {"facilities.standard": STANDARD}
    assert registry.request_types == {"facilities.repair": REPAIR}
    assert registry.knowledge_spaces == {"facilities": SPACE}
    assert registry.queues == {"facilities.open": OPEN}
    assert registry.department_plugin == {"facilities": "polydesk-facilities"}
    assert registry.request_types_of("facilities") == [REPAIR]
    assert registry.queues_of("facilities") == [OPEN]
    assert registry.request_types_of("nowhere") == []


def test_no_plugins_means_an_empty_registry():
    registry = registry_of()
    assert registry.departments == {}
    assert registry.request_types == {}


def test_a_hook_answering_none_declares_nothing():
    registry = registry_of((facilities(), "facilities"), (plugin(departments=None), "quiet"))
    assert list(registry.departments) == ["facilities"]


def test_the_registry_cannot_be_reassigned():
    registry = registry_of((facilities(), "facilities"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        registry.departments = {}  # type: ignore[misc]


def test_registration_hooks_are_called_once_per_build():
    calls: list[str] = []

    class Counting:
        @hookimpl
        def polydesk_register_departments(self):
            calls.append("departments")
            return [FACILITIES]

    registry_of((Counting(), "counting"))
    assert calls == ["departments"]


# -- departments ------------------------------------------------------------------------


def test_duplicate_department_slug_names_the_second_plugin():
    first = plugin(departments=[FACILITIES])
    second = plugin(departments=[Department(slug="facilities", name="Other", key_prefix="OTH")])
    error = config_error((first, "first"), (second, "second"))
    assert error.plugin == "second"
    assert "department 'facilities' is already declared by plugin 'first'" in str(error)
    assert str(error).startswith("[plugin second]")


def test_duplicate_ticket_key_prefix_names_the_second_plugin():
    first = plugin(departments=[FACILITIES])
    second = plugin(departments=[Department(slug="fleet", name="Fleet", key_prefix="FAC")])
    error = config_error((first, "first"), (second, "second"))
    assert error.plugin == "second"
    assert "'FAC'" in str(error)


@pytest.mark.parametrize("slug", ["Facilities", "1st", "fac-ilities", "", "x" * 32, "f.m"])
def test_bad_department_slug_is_refused(slug):
    bad = plugin(departments=[Department(slug=slug, name="Bad", key_prefix="BAD")])
    error = config_error((bad, "bad"))
    assert error.plugin == "bad"
    assert "not a valid slug" in str(error)


@pytest.mark.parametrize("prefix", ["fac", "F-1", "1FAC", "", "ABCDEFGHIJK"])
def test_bad_ticket_key_prefix_is_refused(prefix):
    bad = plugin(departments=[Department(slug="bad", name="Bad", key_prefix=prefix)])
    error = config_error((bad, "bad"))
    assert error.plugin == "bad"
    assert "ticket key prefix" in str(error)


@pytest.mark.parametrize("slug", ["facilities", "f", "it2", "field_service"])
def test_good_department_slugs_are_accepted(slug):
    good = plugin(departments=[Department(slug=slug, name="Good", key_prefix="GOOD1")])
    assert list(registry_of((good, "good")).departments) == [slug]


@pytest.mark.parametrize(
    "hook", ["departments", "workflows", "sla_policies", "request_types", "queues"]
)
def test_a_hook_returning_a_single_object_instead_of_a_list_names_the_plugin(hook):
    single = {
        "departments": FACILITIES,
        "workflows": SIMPLE,
        "sla_policies": STANDARD,
        "request_types": REPAIR,
        "queues": OPEN,
    }[hook]
    error = config_error((facilities(**{hook: single}), "sloppy"))
    assert error.plugin == "sloppy"
    assert f"polydesk_register_{hook} must return a list" in str(error)


def test_a_hook_returning_a_string_is_not_a_list():
    error = config_error((plugin(departments="facilities"), "stringly"))
    assert error.plugin == "stringly"


# -- request types ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"workflow": "facilities.nope"}, "unknown workflow 'facilities.nope'"),
        ({"sla_policy": "facilities.nope"}, "unknown SLA policy 'facilities.nope'"),
        ({"department": "nope"}, "unknown department 'nope'"),
    ],
)
def test_request_type_naming_something_unknown_names_the_plugin(change, message):
    broken = dataclasses.replace(REPAIR, **change)
    error = config_error((facilities(request_types=[broken]), "facilities"))
    assert error.plugin == "facilities"
    assert "facilities.repair" in str(error)
    assert message in str(error)


def test_request_type_of_another_plugin_is_blamed_on_that_plugin():
    stray = dataclasses.replace(REPAIR, key="fleet.car", workflow="fleet.missing")
    error = config_error((facilities(), "facilities"), (plugin(request_types=[stray]), "fleet"))
    assert error.plugin == "fleet"


def test_duplicate_request_type_key_names_the_second_plugin():
    copy = dataclasses.replace(REPAIR, name="Repair again")
    error = config_error((facilities(), "facilities"), (plugin(request_types=[copy]), "copycat"))
    assert error.plugin == "copycat"
    assert "request type 'facilities.repair'" in str(error)


# -- workflows ------------------------------------------------------------------------


def _workflow_error(workflow: Workflow) -> ConfigurationError:
    request_type = dataclasses.replace(REPAIR, workflow=workflow.key)
    return config_error(
        (facilities(workflows=[workflow], request_types=[request_type]), "facilities")
    )


def test_workflow_state_with_unknown_category_is_refused():
    wf = dataclasses.replace(
        SIMPLE, states=(State("new", "New", "new"), State("done", "Done", "finished"))
    )
    error = _workflow_error(wf)
    assert error.plugin == "facilities"
    assert "unknown category 'finished'" in str(error)


def test_workflow_initial_state_must_be_a_state():
    error = _workflow_error(dataclasses.replace(SIMPLE, initial_state="draft"))
    assert error.plugin == "facilities"
    assert "initial state 'draft' is not a state" in str(error)


def test_workflow_transition_to_an_unknown_state_is_refused():
    wf = dataclasses.replace(
        SIMPLE, transitions=(Transition("finish", "Finish", ("new",), "archived"),)
    )
    error = _workflow_error(wf)
    assert error.plugin == "facilities"
    assert "transition 'finish'" in str(error)
    assert "archived" in str(error)


def test_workflow_transition_from_an_unknown_state_is_refused():
    wf = dataclasses.replace(
        SIMPLE, transitions=(Transition("finish", "Finish", ("new", "triage"), "done"),)
    )
    error = _workflow_error(wf)
    assert error.plugin == "facilities"
    assert "triage" in str(error)


def test_workflow_transition_from_any_state_is_allowed():
    wf = dataclasses.replace(SIMPLE, transitions=(Transition("finish", "Finish", ("*",), "done"),))
    registry = registry_of((facilities(workflows=[wf]), "facilities"))
    assert registry.workflows["facilities.simple"].transition("finish").from_states == ("*",)


def test_workflow_repeating_a_state_or_transition_is_refused():
    twice = dataclasses.replace(SIMPLE, states=(*SIMPLE.states, State("new", "Again", "open")))
    assert "repeats a state" in str(_workflow_error(twice))
    again = dataclasses.replace(SIMPLE, transitions=SIMPLE.transitions * 2)
    assert "repeats a transition key" in str(_workflow_error(again))


def test_duplicate_workflow_key_names_the_second_plugin():
    error = config_error((facilities(), "facilities"), (plugin(workflows=[SIMPLE]), "copycat"))
    assert error.plugin == "copycat"
    assert "workflow 'facilities.simple'" in str(error)


def test_duplicate_sla_policy_key_names_the_second_plugin():
    error = config_error((facilities(), "facilities"), (plugin(sla_policies=[STANDARD]), "copycat"))
    assert error.plugin == "copycat"
    assert "SLA policy 'facilities.standard'" in str(error)


# -- knowledge spaces and queues --------------------------------------------------------


def test_knowledge_space_of_an_unknown_department_names_the_plugin():
    stray = dataclasses.replace(SPACE, department="nope")
    error = config_error((facilities(knowledge_spaces=[stray]), "facilities"))
    assert error.plugin == "facilities"
    assert "unknown department 'nope'" in str(error)


def test_queue_of_an_unknown_department_names_the_plugin():
    stray = dataclasses.replace(OPEN, department="nope")
    error = config_error((facilities(queues=[stray]), "facilities"))
    assert error.plugin == "facilities"
    assert "Queue 'facilities.open' names unknown department 'nope'" in str(error)


def test_duplicate_queue_key_names_the_second_plugin():
    error = config_error((facilities(), "facilities"), (plugin(queues=[OPEN]), "copycat"))
    assert error.plugin == "copycat"
