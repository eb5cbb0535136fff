"""Frozen declarations that plugins return from the `polydesk_register_*` hooks.

They are plain data: the Registry validates them across plugins, the services
read them, and nothing here touches the database or the web.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from polydesk.core.forms import Form, FormField

__all__ = [
    "ROLES",
    "STATE_CATEGORIES",
    "Action",
    "Assignment",
    "Calendar",
    "Department",
    "Escalation",
    "Form",
    "FormField",
    "KnowledgeSpace",
    "MenuLink",
    "Priority",
    "Queue",
    "RequestType",
    "SLAPolicy",
    "SLATarget",
    "State",
    "TicketDraft",
    "Transition",
    "Workflow",
]

#: Roles a person holds in a department, weakest first.
ROLES = ("requester", "agent", "lead", "admin")

#: Every workflow state belongs to one of these; queues, SLA clocks and
#: counters only ever look at the category, never at a plugin's state names.
STATE_CATEGORIES = ("new", "open", "waiting", "resolved", "closed", "cancelled")
ACTIVE_CATEGORIES = ("new", "open", "waiting")


class Priority(enum.IntEnum):
    """P1 is the most urgent. Stored as the integer so queues sort by it."""

    P1 = 1
    P2 = 2
    P3 = 3
    P4 = 4

    @property
    def label(self) -> str:
        return {1: "P1 · critical", 2: "P2 · high", 3: "P3 · medium", 4: "P4 · low"}[self.value]


@dataclass(frozen=True)
class Department:
    """A plugin's unit of service. `slug` is also its URL prefix and table prefix."""

    slug: str
    name: str
    key_prefix: str  # ticket keys read `<key_prefix>-<number>`, e.g. IT-1042
    description: str = ""
    colour: str = "#4a5568"
    icon: str = ""
    portal_text: str = ""
    package: str | None = None  # package holding templates/<slug>/…; None if it has none


@dataclass(frozen=True)
class State:
    key: str
    label: str
    category: str


@dataclass(frozen=True)
class Transition:
    """A move between states.

    `from_states` of `("*",)` means from any non-final state. `roles` lists who
    may take it: department roles (`agent`, `lead`, `admin`) and `requester`,
    meaning the person who raised this ticket. `fields` are asked for on the way
    (a resolution note, say) and land on the ticket's form data. `guards` are
    names passed to `polydesk_transition_guard`, which may veto with a reason.
    """

    key: str
    label: str
    from_states: tuple[str, ...]
    to_state: str
    roles: tuple[str, ...] = ("agent", "lead", "admin")
    fields: tuple[FormField, ...] = ()
    guards: tuple[str, ...] = ()
    public: bool = True  # shown to the requester on their timeline
    #: Polydesk applies this transition itself once the ticket has sat in one of
    #: `from_states` this many days with no activity (IT closes resolved incidents).
    auto_after_days: int | None = None


@dataclass(frozen=True)
class Workflow:
    key: str
    name: str
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    initial_state: str

    def state(self, key: str) -> State:
        for state in self.states:
            if state.key == key:
                return state
        raise KeyError(key)

    def transition(self, key: str) -> Transition:
        for transition in self.transitions:
            if transition.key == key:
                return transition
        raise KeyError(key)


@dataclass(frozen=True)
class Calendar:
    """Working time for SLA clocks.

    `hours` maps ISO weekday (1 = Monday) to `(start, end)` pairs as "HH:MM" in
    the calendar's `timezone`; an end at or before its start is an overnight
    shift ending the next day. An empty `hours` means round the clock (24×7).
    Holidays come from the `holidays` package (`holidays_country`, optionally
    `holidays_subdivision`, e.g. "US" and "NY") plus `custom_holidays` (ISO
    dates). `special_days` gives other hours for given dates (half-days); an
    empty tuple closes that day.
    """

    key: str
    name: str
    timezone: str = "UTC"
    hours: dict[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    holidays_country: str | None = None
    holidays_subdivision: str | None = None
    custom_holidays: tuple[str, ...] = ()  # ISO dates
    special_days: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)

    @property
    def is_24x7(self) -> bool:
        return (
            not self.hours
            and not self.holidays_country
            and not self.custom_holidays
            and not self.special_days
        )


@dataclass(frozen=True)
class SLATarget:
    """Minutes of business time. `calendar` overrides the policy's calendar for
    this priority (IT's P1 runs round the clock, P2–P4 on office hours)."""

    first_response: int | None = None
    resolution: int | None = None
    calendar: Calendar | None = None
    #: A date field of the request form: when filled, resolution is due at the
    #: end of that day in the calendar's time zone (a contract's deadline),
    #: instead of after `resolution` minutes.
    due_field: str | None = None


@dataclass(frozen=True)
class Escalation:
    """What happens when a clock breaches: `notify_lead` emits an event plugins
    and notifications act on; `raise_priority` moves the ticket one step up;
    `reassign_group` hands it to that group."""

    notify_lead: bool = True
    raise_priority: bool = False
    reassign_group: str | None = None


@dataclass(frozen=True)
class SLAPolicy:
    """Targets per priority on a calendar. Clocks pause while the ticket's state
    is in `pause_categories`; a warning fires at `warning_at` of a target."""

    key: str
    name: str
    calendar: Calendar
    targets: dict[int, SLATarget]  # by Priority value
    pause_categories: tuple[str, ...] = ("waiting",)
    warning_at: float = 0.8
    escalation: Escalation = field(default_factory=Escalation)


@dataclass(frozen=True)
class KnowledgeSpace:
    slug: str
    department: str
    name: str
    seed_dir: Path | None = None  # Markdown files imported by `polydesk demo`
    public: bool = True


@dataclass(frozen=True)
class Queue:
    """A saved view an agent sees in the side bar. `filters` accept the keys of
    the ticket list API: state_category, priority, request_type, assignee
    (`me`, `none`, or a username), confidential."""

    key: str
    department: str
    name: str
    filters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RequestType:
    """A kind of request in a department's catalog, with its form.

    `key` is global and dotted by department (`it.incident`). When
    `confidential_team` is set, tickets of this type are visible only to their
    requester and to members of that team in the department.
    """

    key: str
    department: str
    name: str
    workflow: str
    sla_policy: str
    form: Form = field(default_factory=lambda: Form(()))
    description: str = ""
    category: str = ""
    default_priority: Priority = Priority.P3
    confidential_team: str | None = None
    knowledge_space: str | None = None
    #: Internal work (HR's own tasks, IT changes and problems): only the
    #: department's agents see it in the catalog and may file it.
    agents_only: bool = False


@dataclass(frozen=True)
class TicketDraft:
    """What `polydesk_priority` and `polydesk_route_ticket` see before insert."""

    department: str
    request_type: RequestType
    title: str
    description: str
    form_data: dict[str, Any]
    requester: str  # username


@dataclass(frozen=True)
class Assignment:
    """Where a new ticket goes: a group (queue/team name) and optionally a person."""

    group: str | None = None
    assignee: str | None = None  # username


@dataclass(frozen=True)
class MenuLink:
    href: str
    label: str


@dataclass(frozen=True)
class Action:
    href: str
    label: str
    method: str = "post"
