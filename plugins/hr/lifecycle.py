"""The child tasks of a joiner or a leaver, planned from their form (pure, no I/O).

Each task names the request type of the department that should do it (IT's
`it.hardware`, Finance's `finance.payroll_setup`, …, by key: HR never imports
another plugin) with valid form data for it, and what HR files as an `hr.task`
when that department cannot take it. HR's own steps have no other department.

Titles, descriptions and the form values HR fills in are stored as plain text
that everybody reads alike, so they are written in the organisation's language:
the planners take `write` (`Desk.write`, which renders a `Message` in
`POLYDESK_DEFAULT_LOCALE`); without it they write English.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from polydesk.core import Message
from polydesk.plugins.hr.request_types import LOCATIONS, OFFBOARDING_FORM, ONBOARDING_FORM

#: Renders a message as stored text (`Desk.write`); `str` writes English.
Write = Callable[[Message], str]

MAX_TITLE = 200
#: Equipment IT prepares (the office access card is HR's badge).
IT_EQUIPMENT = ("laptop", "monitor", "docking_station", "headset", "mobile_phone")
EQUIPMENT_NAMES = dict(ONBOARDING_FORM.field("equipment").choices)
EMPLOYMENT_NAMES = dict(ONBOARDING_FORM.field("employment_type").choices)
LEAVING_REASONS = dict(OFFBOARDING_FORM.field("reason").choices)
MAILBOX_CHOICES = dict(OFFBOARDING_FORM.field("mailbox").choices)
PLACES = dict(LOCATIONS)


@dataclass(frozen=True)
class Task:
    """One child task. `request_type` is another department's type, or None
    when the task is HR's own; `kind` is the `hr.task` choice HR files."""

    kind: str
    title: str
    details: str
    person: str
    due_date: str | None
    request_type: str | None = None
    department_name: str = ""
    form_data: dict[str, Any] = field(default_factory=dict)

    @property
    def department(self) -> str | None:
        return self.request_type.split(".")[0] if self.request_type else None

    def hr_form(self) -> dict[str, Any]:
        """The `hr.task` form data of this task."""
        data = {"task": self.kind, "person": self.person[:200], "details": self.details}
        return {**data, "due_date": self.due_date} if self.due_date else data


class _Names(Message):
    """Choice labels as one list, the way the language writes one ("laptop and
    headset", "laptop i zestaw słuchawkowy", "笔记本电脑和耳机"), in lower case;
    `capital` starts it with a capital letter (for a title). Only for text written
    with `write`: it is not meant to be stored as a message (`to_data`)."""

    __slots__ = ("capital", "names")

    def __init__(self, names: Sequence[str], *, capital: bool = False) -> None:
        super().__init__("")
        self.names = tuple(names)
        self.capital = capital

    def render(self) -> str:
        words = [Message(name).render().lower() for name in self.names]
        text = words[0] if words else ""
        for position, word in enumerate(words[1:], start=2):
            if position < len(words):
                # Translators: one more item of a list ("laptop, monitor").
                joined = Message("%(list)s, %(item)s", list=text, item=word)
            else:
                # Translators: the last item of a list ("laptop, monitor and headset").
                joined = Message("%(list)s and %(item)s", list=text, item=word)
            text = joined.render()
        return text[:1].upper() + text[1:] if self.capital else text


def _label(choices: dict[str, str], key: str) -> Message | str:
    """A choice's label, translated when written; an unknown key as it is."""
    return Message(choices[key]) if key in choices else key


def _lower(label: Message | str) -> _Names | str:
    return _Names([label.msgid]) if isinstance(label, Message) else label.lower()


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _task(kind: str, title: str, details: str, person: str, due: str | None, **other: Any) -> Task:
    return Task(kind, _cut(title, MAX_TITLE), details, person, due, **other)


# -- joiners ------------------------------------------------------------------------------


def onboarding_tasks(form: dict[str, Any], write: Write = str) -> list[Task]:
    """Equipment and accounts (IT), payroll (Finance), contract, badge, induction (HR)."""
    name, start = form["new_hire_name"], form["start_date"]
    intro = Message(
        "%(name)s starts on %(start)s as %(role)s (%(employment)s), "
        "reporting to %(manager)s, in %(place)s.",
        name=name,
        start=start,
        role=form["job_title"],
        employment=_label(EMPLOYMENT_NAMES, form["employment_type"]),
        manager=form["manager"],
        place=_label(PLACES, form["location"]),
    )
    tasks = [*_it_joiner_tasks(form, intro, write), *_finance_joiner_tasks(form, intro, write)]
    if form["employment_type"] == "contractor":
        contract = Message("B2B contract for %(name)s", name=name)
    else:
        contract = Message("Employment contract for %(name)s", name=name)
    tasks.append(
        _task(
            "contract",
            write(contract),
            write(Message("%(intro)s Signed before day one.", intro=intro)),
            name,
            start,
        )
    )
    if form["location"] != "remote" or "access_card" in (form.get("equipment") or []):
        badge = Message("Office badge for %(name)s", name=name)
        tasks.append(_task("badge", write(badge), write(intro), name, start))
    tasks.append(
        _task(
            "induction",
            write(Message("Induction for %(name)s on %(start)s", name=name, start=start)),
            write(
                Message(
                    "%(intro)s Welcome, health and safety, policies, a buddy for the first weeks.",
                    intro=intro,
                )
            ),
            name,
            start,
        )
    )
    return tasks


def _it_joiner_tasks(form: dict[str, Any], intro: Message, write: Write) -> list[Task]:
    name, start = form["new_hire_name"], form["start_date"]
    equipment = [item for item in form.get("equipment") or [] if item in IT_EQUIPMENT]
    systems = (form.get("system_access") or "").strip()
    tasks = []
    if equipment:
        labels = [EQUIPMENT_NAMES[item] for item in equipment]
        items = _Names(labels)
        if form["location"] == "remote":
            where: Message | str = Message("the home address HR sends you")
        else:
            where = _label(PLACES, form["location"])
        location = Message("%(place)s, ready on %(start)s", place=where, start=start)
        tasks.append(
            _task(
                "equipment",
                write(
                    Message("%(items)s for %(name)s", items=_Names(labels, capital=True), name=name)
                ),
                write(
                    Message(
                        "%(intro)s Ready on the first day: %(items)s.", intro=intro, items=items
                    )
                ),
                name,
                start,
                request_type="it.hardware",
                department_name="IT",
                form_data={
                    "item": equipment[0],
                    "reason": "additional",
                    "delivery_location": _cut(write(location), 300),
                    "business_justification": write(
                        Message("%(intro)s Equipment: %(items)s.", intro=intro, items=items)
                    ),
                    "needed_by": start,
                },
            )
        )
    detail = Message(
        "Company login and email for %(name)s. %(systems)s", name=name, systems=systems
    )
    needed = systems or Message("the standard set for the role")
    tasks.append(
        _task(
            "accounts",
            write(Message("Accounts for %(name)s", name=name)),
            write(
                Message(
                    "%(intro)s Company login and email from the first day. Systems: %(systems)s.",
                    intro=intro,
                    systems=systems or "-",
                )
            ),
            name,
            start,
            request_type="it.access",
            department_name="IT",
            form_data={
                "system": "other",
                "system_detail": _cut(write(detail).strip(), 300),
                "access_level": "write",
                "business_justification": write(
                    Message("%(intro)s Systems needed: %(systems)s.", intro=intro, systems=needed)
                ),
            },
        )
    )
    return tasks


def _finance_joiner_tasks(form: dict[str, Any], intro: Message, write: Write) -> list[Task]:
    if form["employment_type"] == "contractor":
        return []  # contractors invoice the company; they are not on the payroll
    name = form["new_hire_name"]
    keys = ("new_hire_name", "start_date", "job_title", "employment_type")
    return [
        _task(
            "payroll_setup",
            write(Message("Payroll set-up for %(name)s", name=name)),
            write(Message("%(intro)s On the payroll before the first pay day.", intro=intro)),
            name,
            form["start_date"],
            request_type="finance.payroll_setup",
            department_name="Finance",
            form_data={key: form[key] for key in keys if form.get(key)},
        )
    ]


# -- leavers --------------------------------------------------------------------------------


def offboarding_tasks(form: dict[str, Any], write: Write = str) -> list[Task]:
    """Access removal on the last day (IT), final pay, exit interview, badge (HR)."""
    who, last = form["employee"], form["last_day"]
    intro = Message(
        "%(name)s leaves; last working day %(last)s (%(reason)s).",
        name=who,
        last=last,
        reason=_lower(_label(LEAVING_REASONS, form["reason"])),
    )
    removal = {
        "employee": who,
        "last_day": last,
        "removal": form["access_removal"],
        "mailbox": form["mailbox"],
    }
    if form.get("equipment_return"):
        removal["equipment_return"] = form["equipment_return"]
    about = {
        "intro": intro,
        "last": last,
        "mailbox": _lower(_label(MAILBOX_CHOICES, form["mailbox"])),
        "equipment": form.get("equipment_return") or "-",
    }
    if form["access_removal"] == "immediately":
        title = Message(
            "Remove %(name)s's access immediately (last day %(last)s)", name=who, last=last
        )
        details = Message(
            "%(intro)s Remove every access immediately, on %(last)s at the latest; "
            "mailbox: %(mailbox)s. Equipment to collect: %(equipment)s.",
            **about,
        )
    else:
        title = Message(
            "Remove %(name)s's access at the end of the day (last day %(last)s)",
            name=who,
            last=last,
        )
        details = Message(
            "%(intro)s Remove every access at the end of the day, on %(last)s at the latest; "
            "mailbox: %(mailbox)s. Equipment to collect: %(equipment)s.",
            **about,
        )
    tasks = [
        _task(
            "access_removal",
            write(title),
            write(details),
            who,
            last,
            request_type="it.access_removal",
            department_name="IT",
            form_data=removal,
        ),
        _task(
            "final_pay",
            write(Message("Final pay and leaver's documents for %(name)s", name=who)),
            write(
                Message(
                    "%(intro)s Final salary with unused leave, and the employment certificate "
                    "(świadectwo pracy) handed over on the last day.",
                    intro=intro,
                )
            ),
            who,
            last,
        ),
        _task(
            "badge_return",
            write(Message("Collect %(name)s's office badge", name=who)),
            write(intro),
            who,
            last,
        ),
    ]
    if form["reason"] != "dismissal":
        exit_interview = Message("Exit interview with %(name)s", name=who)
        tasks.append(_task("exit_interview", write(exit_interview), write(intro), who, last))
    return tasks
