"""The child tasks of a joiner or a leaver, planned from their form (pure, no I/O).

Each task names the request type of the department that should do it (IT's
`it.hardware`, Finance's `finance.payroll_setup`, …, by key: HR never imports
another plugin) with valid form data for it, and what HR files as an `hr.task`
when that department cannot take it. HR's own steps have no other department.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from polydesk.plugins.hr.request_types import LOCATIONS, OFFBOARDING_FORM, ONBOARDING_FORM

MAX_TITLE = 200
#: Equipment IT prepares (the office access card is HR's badge).
IT_EQUIPMENT = ("laptop", "monitor", "docking_station", "headset", "mobile_phone")
EQUIPMENT_NAMES = dict(ONBOARDING_FORM.field("equipment").choices)
EMPLOYMENT_NAMES = dict(ONBOARDING_FORM.field("employment_type").choices)
LEAVING_REASONS = dict(OFFBOARDING_FORM.field("reason").choices)
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


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _task(kind: str, title: str, details: str, person: str, due: str | None, **other: Any) -> Task:
    return Task(kind, _cut(title, MAX_TITLE), details, person, due, **other)


# -- joiners ------------------------------------------------------------------------------


def onboarding_tasks(form: dict[str, Any]) -> list[Task]:
    """Equipment and accounts (IT), payroll (Finance), contract, badge, induction (HR)."""
    name, start = form["new_hire_name"], form["start_date"]
    intro = (
        f"{name} starts on {start} as {form['job_title']} "
        f"({EMPLOYMENT_NAMES.get(form['employment_type'], form['employment_type'])}), "
        f"reporting to {form['manager']}, in {PLACES.get(form['location'], form['location'])}."
    )
    tasks = [*_it_joiner_tasks(form, intro), *_finance_joiner_tasks(form, intro)]
    contract = "B2B contract" if form["employment_type"] == "contractor" else "Employment contract"
    tasks.append(
        _task("contract", f"{contract} for {name}", f"{intro} Signed before day one.", name, start)
    )
    if form["location"] != "remote" or "access_card" in (form.get("equipment") or []):
        tasks.append(_task("badge", f"Office badge for {name}", intro, name, start))
    tasks.append(
        _task(
            "induction",
            f"Induction for {name} on {start}",
            f"{intro} Welcome, health and safety, policies, a buddy for the first weeks.",
            name,
            start,
        )
    )
    return tasks


def _it_joiner_tasks(form: dict[str, Any], intro: str) -> list[Task]:
    name, start = form["new_hire_name"], form["start_date"]
    equipment = [item for item in form.get("equipment") or [] if item in IT_EQUIPMENT]
    systems = (form.get("system_access") or "").strip()
    tasks = []
    if equipment:
        items = ", ".join(EQUIPMENT_NAMES[item].lower() for item in equipment)
        place = PLACES.get(form["location"], form["location"])
        where = "the home address HR sends you" if form["location"] == "remote" else place
        tasks.append(
            _task(
                "equipment",
                f"{items.capitalize()} for {name}",
                f"{intro} Ready on the first day: {items}.",
                name,
                start,
                request_type="it.hardware",
                department_name="IT",
                form_data={
                    "item": equipment[0],
                    "reason": "additional",
                    "delivery_location": _cut(f"{where}, ready on {start}", 300),
                    "business_justification": f"{intro} Equipment: {items}.",
                    "needed_by": start,
                },
            )
        )
    tasks.append(
        _task(
            "accounts",
            f"Accounts for {name}",
            f"{intro} Company login and email from the first day. Systems: {systems or '-'}.",
            name,
            start,
            request_type="it.access",
            department_name="IT",
            form_data={
                "system": "other",
                "system_detail": _cut(f"Company login and email for {name}. {systems}", 300),
                "access_level": "write",
                "business_justification": (
                    f"{intro} Systems needed: {systems or 'the standard set for the role'}."
                ),
            },
        )
    )
    return tasks


def _finance_joiner_tasks(form: dict[str, Any], intro: str) -> list[Task]:
    if form["employment_type"] == "contractor":
        return []  # contractors invoice the company; they are not on the payroll
    name = form["new_hire_name"]
    keys = ("new_hire_name", "start_date", "job_title", "employment_type")
    return [
        _task(
            "payroll_setup",
            f"Payroll set-up for {name}",
            f"{intro} On the payroll before the first pay day.",
            name,
            form["start_date"],
            request_type="finance.payroll_setup",
            department_name="Finance",
            form_data={key: form[key] for key in keys if form.get(key)},
        )
    ]


# -- leavers --------------------------------------------------------------------------------


def offboarding_tasks(form: dict[str, Any]) -> list[Task]:
    """Access removal on the last day (IT), final pay, exit interview, badge (HR)."""
    who, last = form["employee"], form["last_day"]
    reason = LEAVING_REASONS.get(form["reason"], form["reason"])
    intro = f"{who} leaves; last working day {last} ({reason.lower()})."
    when = "immediately" if form["access_removal"] == "immediately" else "at the end of the day"
    removal = {
        "employee": who,
        "last_day": last,
        "removal": form["access_removal"],
        "mailbox": form["mailbox"],
    }
    if form.get("equipment_return"):
        removal["equipment_return"] = form["equipment_return"]
    tasks = [
        _task(
            "access_removal",
            f"Remove {who}'s access {when} (last day {last})",
            f"{intro} Remove every access {when}, on {last} at the latest; "
            f"mailbox: {form['mailbox'].replace('_', ' ')}. "
            f"Equipment to collect: {form.get('equipment_return') or '-'}.",
            who,
            last,
            request_type="it.access_removal",
            department_name="IT",
            form_data=removal,
        ),
        _task(
            "final_pay",
            f"Final pay and leaver's documents for {who}",
            f"{intro} Final salary with unused leave, and the employment certificate "
            "(świadectwo pracy) handed over on the last day.",
            who,
            last,
        ),
        _task("badge_return", f"Collect {who}'s office badge", intro, who, last),
    ]
    if form["reason"] != "dismissal":
        tasks.append(_task("exit_interview", f"Exit interview with {who}", intro, who, last))
    return tasks
