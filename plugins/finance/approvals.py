"""Who approves Finance's requests, asked for when they are filed.

Purchase requests: the requester's manager; above `finance_lead_above` the
finance lead as well; above `cfo_above` the CFO too (see `thresholds`).
Expense claims: the manager, then Finance (an agent, else a lead).
Vendors: a finance lead other than the agent who verified the bank details.

Approvals are sequential steps (1, 2, 3): the core refuses a later step until
the earlier ones are approved, and records each request and decision on the
ticket's timeline. People are chosen here:

- the manager is `desk.manager_of(requester)`; a requester without one has
  their first step approved by the finance lead instead, and a comment says so;
- the finance lead is a person with the `lead` role in Finance, preferring
  leads who are not in the CFO's team;
- the CFO is whoever holds a Finance role (`lead` or `agent`) in Finance's
  team `cfo` (an admin sets it with `polydesk user create … --team finance:cfo`);
- nobody approves their own request, and nobody approves twice: a level whose
  only candidate already approves an earlier step is covered by that step;
- several candidates: the first by username, so the choice is repeatable.

When a level has nobody at all (no finance lead, no CFO in the team), nothing
is requested and an internal note tells Finance's agents what is missing: a
partial chain would let a large purchase through without its last approver.

Once every step is approved, purchases and expenses move on by themselves
(the core's `approvals_granted` guard decides); a rejection rejects the request.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from decimal import Decimal

from polydesk.core import (
    ApprovalDecided,
    Desk,
    Event,
    InvalidTransition,
    Message,
    Money,
    TicketCreated,
    TicketTransitioned,
    TicketView,
)
from polydesk.plugins.finance.request_types import (
    EXPENSE_REIMBURSEMENT,
    PURCHASE_REQUEST,
    VENDOR_ONBOARDING,
)
from polydesk.plugins.finance.thresholds import CFO, FINANCE_LEAD, MANAGER, thresholds

CFO_TEAM = "cfo"
PENDING = "pending_approval"

#: Request types whose approvals are asked for as soon as they are filed.
ON_CREATION = (PURCHASE_REQUEST.key, EXPENSE_REIMBURSEMENT.key)


@dataclass(frozen=True)
class Level:
    """One approval step to fill: who may take it, and why it is asked for."""

    rule: Message | str
    candidates: tuple[str, ...]
    #: Said on the ticket when this level is filled (e.g. why not the manager).
    note: Message | None = None


@dataclass(frozen=True)
class Step:
    approver: str
    rule: Message | str


@dataclass
class Chain:
    steps: list[Step] = field(default_factory=list)
    notes: list[Message] = field(default_factory=list)
    missing: list[Message | str] = field(default_factory=list)


def resolve(requester: str, levels: list[Level]) -> Chain:
    """Pick one approver per level: never the requester, never twice."""
    chain = Chain()
    chosen: list[str] = []
    for level in levels:
        pick = next((c for c in level.candidates if c != requester and c not in chosen), None)
        if pick is not None:
            chosen.append(pick)
            chain.steps.append(Step(pick, level.rule))
            if level.note is not None:
                chain.notes.append(level.note)
            continue
        earlier = next((c for c in level.candidates if c in chosen), None)
        if earlier is not None:
            chain.notes.append(
                Message(
                    "%(approver)s already approves step %(step)s, which also covers: %(rule)s.",
                    approver=earlier,
                    step=chosen.index(earlier) + 1,
                    rule=level.rule,
                )
            )
        else:
            chain.missing.append(level.rule)
    return chain


# -- Who can be asked ----------------------------------------------------------------


async def finance_leads(desk: Desk) -> tuple[str, ...]:
    """Finance's leads, those outside the CFO's team first."""
    leads = await desk.people_with_role("finance", "lead")
    cfo = set(await cfos(desk))
    return tuple(sorted(leads, key=lambda username: (username in cfo, username)))


async def cfos(desk: Desk) -> tuple[str, ...]:
    people = set()
    for role in ("lead", "agent"):
        people.update(await desk.people_with_role("finance", role, team=CFO_TEAM))
    return tuple(sorted(people))


async def manager_level(desk: Desk, requester: str) -> Level:
    manager = await desk.manager_of(requester)
    if manager is not None:
        return Level(Message("manager of %(requester)s", requester=requester), (manager,))
    return Level(
        Message("finance lead, instead of a manager for %(requester)s", requester=requester),
        await finance_leads(desk),
        note=Message(
            "%(requester)s has no manager in Polydesk, so a finance lead approves "
            "the first step instead.",
            requester=requester,
        ),
    )


# -- The chains --------------------------------------------------------------------


async def purchase_levels(desk: Desk, ticket: TicketView) -> list[Level]:
    limits = thresholds(desk.settings("finance"))
    amount = Decimal(ticket.form_data["amount"])
    currency = ticket.form_data["currency"]
    base = limits.to_base(amount, currency)
    shown: Money | Message = limits.money(base)
    if currency != limits.currency:
        shown = Message(
            "%(amount)s = %(converted)s", amount=Money(str(amount), currency), converted=shown
        )
    levels = []
    for level in limits.levels(base):
        if level == MANAGER:
            levels.append(await manager_level(desk, ticket.requester.username))
        elif level == FINANCE_LEAD:
            rule = Message(
                "finance lead: %(amount)s is above %(limit)s",
                amount=shown,
                limit=limits.money(limits.finance_lead_above),
            )
            levels.append(Level(rule, await finance_leads(desk)))
        elif level == CFO:
            rule = Message(
                "CFO: %(amount)s is above %(limit)s",
                amount=shown,
                limit=limits.money(limits.cfo_above),
            )
            levels.append(Level(rule, await cfos(desk)))
    return levels


async def expense_levels(desk: Desk, ticket: TicketView) -> list[Level]:
    agents = await desk.people_with_role("finance", "agent")
    leads = await desk.people_with_role("finance", "lead")
    return [
        await manager_level(desk, ticket.requester.username),
        Level(Message("Finance: receipts and policy checked"), (*agents, *leads)),
    ]


# -- Reacting to events ------------------------------------------------------------------


async def on_event(event: Event, desk: Desk) -> None:
    if event.department != "finance":
        return
    if isinstance(event, TicketCreated) and event.request_type in ON_CREATION:
        await request_on_creation(desk, event.ticket_id)
    elif isinstance(event, TicketTransitioned) and event.to_state == PENDING:
        await request_vendor_approval(desk, event.ticket_id, verified_by=event.actor)
    elif isinstance(event, ApprovalDecided):
        await move_on_decision(desk, event)


async def request_on_creation(desk: Desk, ticket_id: int) -> None:
    """Ask the purchase's or expense's approvers, then send it for approval.

    Idempotent: a ticket that already has approvals (a redelivered event, or
    an agent who asked by hand first) is left alone.
    """
    ticket = await desk.ticket(ticket_id)
    if ticket.approver_ids or ticket.state not in ("new", PENDING):
        return
    if ticket.request_type == PURCHASE_REQUEST.key:
        levels = await purchase_levels(desk, ticket)
    else:
        levels = await expense_levels(desk, ticket)
    chain = resolve(ticket.requester.username, levels)
    if chain.missing:
        await desk.comment(
            ticket.id,
            Message(
                "Approvals could not be requested: nobody in Polydesk can approve as:\n"
                "%(missing)s\nGive someone that role (the CFO is Finance's team 'cfo'), "
                "then request the approvals by hand.",
                missing=chain.missing,
            ),
        )
        return
    await ask(desk, ticket, chain)
    if ticket.state == "new":
        await desk.transition(ticket.id, "submit_for_approval")


async def request_vendor_approval(desk: Desk, ticket_id: int, verified_by: str | None) -> None:
    """Four eyes on bank details: a lead who did not verify them approves the vendor."""
    ticket = await desk.ticket(ticket_id)
    if ticket.request_type != VENDOR_ONBOARDING.key or ticket.approver_ids:
        return
    leads = tuple(lead for lead in await finance_leads(desk) if lead != verified_by)
    chain = resolve(
        ticket.requester.username, [Level(Message("finance lead: second pair of eyes"), leads)]
    )
    if chain.missing:
        await desk.comment(
            ticket.id,
            Message(
                "No finance lead other than the agent who verified the bank details can "
                "approve this vendor; request the approval by hand."
            ),
        )
        return
    await ask(desk, ticket, chain)


async def ask(desk: Desk, ticket: TicketView, chain: Chain) -> None:
    for number, step in enumerate(chain.steps, start=1):
        await desk.request_approval(ticket.id, approver=step.approver, step=number, rule=step.rule)
    lines = [
        Message("%(step)s. %(approver)s (%(rule)s)", step=n, approver=s.approver, rule=s.rule)
        for n, s in enumerate(chain.steps, start=1)
    ]
    if chain.notes:
        body = Message(
            "Approvals requested, one after the other:\n%(steps)s\n\n%(notes)s",
            steps=lines,
            notes=chain.notes,
        )
    else:
        body = Message("Approvals requested, one after the other:\n%(steps)s", steps=lines)
    await desk.comment(ticket.id, body, public=True)


async def move_on_decision(desk: Desk, event: ApprovalDecided) -> None:
    """A rejection rejects the request; the last approval lets it move on."""
    ticket = await desk.ticket(event.ticket_id)
    if ticket.state != PENDING:
        return
    if event.decision == "rejected":
        reason = Message(
            "Rejected by %(approver)s at approval step %(step)s.",
            approver=event.actor,
            step=event.step,
        )
        await desk.transition(ticket.id, "reject", fields={"rejection_reason": desk.write(reason)})
    elif ticket.request_type in ON_CREATION:
        # The core's `approvals_granted` guard refuses while later steps are pending.
        with contextlib.suppress(InvalidTransition):
            await desk.transition(
                ticket.id, "approve", comment=Message("Every approver has approved.")
            )
