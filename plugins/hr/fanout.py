"""Joiners and leavers fan out into child tasks, and their timeline follows them.

On a new onboarding or offboarding, each planned task (`lifecycle.py`) is
opened under it in the department that does it, as long as that department
offers the request type; otherwise HR files it as its own `hr.task` and the
parent's timeline says why. Titles and descriptions are written in the
organisation's language (`Desk.write`). A redelivered event opens nothing twice:
a task whose title is already among the children is skipped. When a child task is
done, the parent's timeline counts how many are.
"""

from __future__ import annotations

from typing import Any

from polydesk.core import Desk, Message, PluralMessage, TicketTransitioned, ValidationFailed
from polydesk.plugins.hr.lifecycle import Task, offboarding_tasks, onboarding_tasks
from polydesk.plugins.hr.request_types import OFFBOARDING, ONBOARDING
from polydesk.plugins.hr.tasks import HR_TASK

PLANS = {ONBOARDING.key: onboarding_tasks, OFFBOARDING.key: offboarding_tasks}
DONE = ("resolved", "closed", "cancelled")


async def open_tasks(ticket_id: int, desk: Desk) -> list[Any]:
    """Open the joiner's or leaver's tasks that are not open yet; returns them."""
    ticket = await desk.ticket(ticket_id)
    existing = {child.title for child in await desk.children(ticket.id)}
    opened: list[Any] = []
    taken_by_hr: dict[Message, list[str]] = {}
    for task in PLANS[ticket.request_type](ticket.form_data, desk.write):
        if task.title in existing:
            continue
        child, reason = await _open(desk, ticket.id, task)
        opened.append(child)
        if reason is not None:
            taken_by_hr.setdefault(reason, []).append(f"{child.key} {child.title}")
    if opened:
        lines = [f"- {child.key} {child.title}" for child in opened]
        await desk.comment(
            ticket.id,
            PluralMessage(
                "Opened %(num)s task:\n%(lines)s",
                "Opened %(num)s tasks:\n%(lines)s",
                len(opened),
                lines=lines,
            ),
        )
    for reason, tasks in taken_by_hr.items():
        await desk.comment(
            ticket.id,
            Message(
                "%(reason)s, so HR does it itself: %(tasks)s.",
                reason=reason,
                tasks="; ".join(tasks),
            ),
        )
    return opened


async def _open(desk: Desk, parent: int, task: Task) -> tuple[Any, Message | None]:
    """Open `task` where it belongs, or as an HR task; with why HR took it, if it did."""
    reason = None
    if task.request_type is not None:
        reason = _why_not(desk, task)
        if reason is None:
            try:
                child = await desk.create_ticket(
                    request_type=task.request_type,
                    title=task.title,
                    description=task.details,
                    form_data=task.form_data,
                    parent=parent,
                )
                return child, None
            except ValidationFailed as refused:
                reason = Message(
                    "%(department)s refused the task's details (%(fields)s)",
                    department=Message(task.department_name),
                    fields=", ".join(sorted(refused.fields)),
                )
    child = await desk.create_ticket(
        request_type=HR_TASK.key,
        title=task.title,
        description=task.details,
        form_data=task.hr_form(),
        parent=parent,
    )
    return child, reason


def _why_not(desk: Desk, task: Task) -> Message | None:
    """Why the task's department cannot take it, or None when it can. (The department's
    name is a message of its own plugin's catalog: it is shown translated too.)"""
    if desk.offers(task.request_type or ""):
        return None
    department = Message(task.department_name)
    if not desk.is_enabled(task.department or ""):
        return Message("%(department)s is not enabled", department=department)
    return Message(
        "%(department)s does not offer %(request_type)s",
        department=department,
        request_type=task.request_type,
    )


async def report_progress(event: TicketTransitioned, desk: Desk) -> None:
    """Note on a joiner's or leaver's timeline that one of its tasks is done."""
    child = await desk.ticket(event.ticket_id)
    if child.parent_id is None:
        return
    if event.to_category == "closed" and child.resolved_at != child.closed_at:
        return  # closing a task that was already counted when it was resolved
    parent = await desk.ticket(child.parent_id)
    if parent.request_type not in PLANS:
        return
    children = await desk.children(parent.id)
    done = sum(c.state_category in DONE for c in children)
    state = Message(desk.state_label(child, event.to_state))
    if done == len(children):
        note = Message(
            "%(task)s: %(state)s (%(done)s of %(total)s done). "
            "Every task is done: this can be completed.",
            task=f"{child.key} {child.title}",
            state=state,
            done=done,
            total=len(children),
        )
    else:
        note = Message(
            "%(task)s: %(state)s (%(done)s of %(total)s done)",
            task=f"{child.key} {child.title}",
            state=state,
            done=done,
            total=len(children),
        )
    await desk.comment(parent.id, note)
