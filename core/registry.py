"""The Registry: a frozen snapshot of what every plugin declared.

Built once per process from the `polydesk_register_*` hooks of every loaded
plugin, enabled or not (so a disabled department's tickets still render for
admins). Whether a department is enabled is runtime data, held by
`polydesk.core.plugin_state`; the Registry only says which plugin owns what.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pluggy

from polydesk.core.errors import ConfigurationError
from polydesk.core.specs import (
    STATE_CATEGORIES,
    Calendar,
    Department,
    KnowledgeSpace,
    Queue,
    RequestType,
    SLAPolicy,
    Workflow,
)

_SLUG = re.compile(r"^[a-z][a-z0-9_]{0,30}$")
_PREFIX = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")


@dataclass(frozen=True)
class Registry:
    departments: dict[str, Department]
    request_types: dict[str, RequestType]
    workflows: dict[str, Workflow]
    sla_policies: dict[str, SLAPolicy]
    knowledge_spaces: dict[str, KnowledgeSpace]
    queues: dict[str, Queue]
    #: which plugin declared each department (plugin name = entry-point name)
    department_plugin: dict[str, str] = field(default_factory=dict)
    #: every calendar a policy or target uses, by key
    calendars: dict[str, Calendar] = field(default_factory=dict)

    def department(self, slug: str) -> Department:
        return self.departments[slug]

    def request_types_of(self, department: str) -> list[RequestType]:
        return [rt for rt in self.request_types.values() if rt.department == department]

    def queues_of(self, department: str) -> list[Queue]:
        return [q for q in self.queues.values() if q.department == department]

    def departments_of_plugin(self, plugin: str) -> list[str]:
        return [slug for slug, owner in self.department_plugin.items() if owner == plugin]


def _collect(pm: pluggy.PluginManager, hook_name: str) -> list[tuple[str, Any]]:
    """Call a registration hook impl by impl, so every item names its plugin."""
    items: list[tuple[str, Any]] = []
    for impl in getattr(pm.hook, hook_name).get_hookimpls():
        try:
            result = impl.function()
        except Exception as exc:  # a broken plugin stops startup, with its name
            raise ConfigurationError(
                f"{hook_name} raised {exc!r}", plugin=impl.plugin_name
            ) from exc
        if result is None:
            continue
        if not isinstance(result, list | tuple):
            raise ConfigurationError(f"{hook_name} must return a list", plugin=impl.plugin_name)
        items.extend((impl.plugin_name, item) for item in result)
    return items


def _unique(items: Iterable[tuple[str, Any]], attr: str, what: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    owners: dict[str, str] = {}
    for plugin, item in items:
        key = getattr(item, attr)
        if key in found:
            raise ConfigurationError(
                f"{what} {key!r} is already declared by plugin {owners[key]!r}", plugin=plugin
            )
        found[key] = item
        owners[key] = plugin
    return found


def build_registry(pm: pluggy.PluginManager) -> Registry:
    """Call every registration hook once and validate the result across plugins."""
    dept_items = _collect(pm, "polydesk_register_departments")
    for plugin, dept in dept_items:
        if not _SLUG.match(dept.slug):
            raise ConfigurationError(f"department slug {dept.slug!r} is not a valid slug", plugin)
        if not _PREFIX.match(dept.key_prefix):
            raise ConfigurationError(
                f"ticket key prefix {dept.key_prefix!r} must be capital letters and digits", plugin
            )
    departments = _unique(dept_items, "slug", "department")
    _unique(((p, d) for p, d in dept_items), "key_prefix", "ticket key prefix")
    department_plugin = {dept.slug: plugin for plugin, dept in dept_items}

    workflow_items = _collect(pm, "polydesk_register_workflows")
    workflows = _unique(workflow_items, "key", "workflow")
    for plugin, wf in workflow_items:
        _check_workflow(wf, plugin)

    sla_items = _collect(pm, "polydesk_register_sla_policies")
    sla_policies = _unique(sla_items, "key", "SLA policy")
    calendars: dict[str, Calendar] = {}
    for plugin, policy in sla_items:
        specs = [policy.calendar, *(t.calendar for t in policy.targets.values() if t.calendar)]
        for spec in specs:
            if calendars.setdefault(spec.key, spec) != spec:
                raise ConfigurationError(
                    f"calendar {spec.key!r} is declared twice with different settings", plugin
                )

    rt_items = _collect(pm, "polydesk_register_request_types")
    request_types = _unique(rt_items, "key", "request type")
    for plugin, rt in rt_items:
        if rt.department not in departments:
            raise ConfigurationError(
                f"request type {rt.key!r} names unknown department {rt.department!r}", plugin
            )
        if rt.workflow not in workflows:
            raise ConfigurationError(
                f"request type {rt.key!r} names unknown workflow {rt.workflow!r}", plugin
            )
        if rt.sla_policy not in sla_policies:
            raise ConfigurationError(
                f"request type {rt.key!r} names unknown SLA policy {rt.sla_policy!r}", plugin
            )

    space_items = _collect(pm, "polydesk_register_knowledge_spaces")
    spaces = _unique(space_items, "slug", "knowledge space")
    queue_items = _collect(pm, "polydesk_register_queues")
    queues = _unique(queue_items, "key", "queue")
    for plugin, item in [*space_items, *queue_items]:
        if item.department not in departments:
            raise ConfigurationError(
                f"{type(item).__name__} {getattr(item, 'slug', getattr(item, 'key', ''))!r} "
                f"names unknown department {item.department!r}",
                plugin,
            )

    return Registry(
        departments=departments,
        request_types=request_types,
        workflows=workflows,
        sla_policies=sla_policies,
        knowledge_spaces=spaces,
        queues=queues,
        department_plugin=department_plugin,
        calendars=calendars,
    )


def _check_workflow(wf: Workflow, plugin: str) -> None:
    state_keys = [s.key for s in wf.states]
    if len(state_keys) != len(set(state_keys)):
        raise ConfigurationError(f"workflow {wf.key!r} repeats a state", plugin)
    for state in wf.states:
        if state.category not in STATE_CATEGORIES:
            raise ConfigurationError(
                f"workflow {wf.key!r}: state {state.key!r} has unknown category {state.category!r}",
                plugin,
            )
    if wf.initial_state not in state_keys:
        raise ConfigurationError(
            f"workflow {wf.key!r}: initial state {wf.initial_state!r} is not a state", plugin
        )
    transition_keys = [t.key for t in wf.transitions]
    if len(transition_keys) != len(set(transition_keys)):
        raise ConfigurationError(f"workflow {wf.key!r} repeats a transition key", plugin)
    for t in wf.transitions:
        if t.auto_after_days is not None and (
            t.auto_after_days <= 0 or "*" in t.from_states or t.fields
        ):
            raise ConfigurationError(
                f"workflow {wf.key!r}: automatic transition {t.key!r} needs named from-states, "
                "a positive number of days and no required fields",
                plugin,
            )
        unknown = [s for s in (*t.from_states, t.to_state) if s != "*" and s not in state_keys]
        if unknown:
            raise ConfigurationError(
                f"workflow {wf.key!r}: transition {t.key!r} names unknown states {unknown}", plugin
            )
