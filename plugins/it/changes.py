"""IT's change workflow and the guards that read a change's type."""

from __future__ import annotations

from polydesk.core import N_, FormField, State, Transition, Workflow
from polydesk.core import gettext as _
from polydesk.plugins.it.workflows import LEADS, REQUESTER_AND_AGENTS

# -- Change: standard changes are pre-approved, the others go to the CAB -----

#: Guards answered by this plugin's `polydesk_transition_guard` from the
#: change's type: only a standard change may skip approval, only an emergency
#: change may be implemented before it is approved (and is then approved after
#: the fact, before it closes).
STANDARD_CHANGE_GUARD = "it.standard_change"
EMERGENCY_CHANGE_GUARD = "it.emergency_change"
NOT_EMERGENCY_CHANGE_GUARD = "it.not_emergency_change"

CHANGE_WORKFLOW = Workflow(
    key="it.change",
    name=N_("Change"),
    initial_state="new",
    states=(
        State("new", N_("New"), "new"),
        State("assessment", N_("Assessment"), "open"),
        State("awaiting_approval", N_("Awaiting approval"), "waiting"),
        State("scheduled", N_("Scheduled"), "open"),
        State("implementing", N_("Implementing"), "open"),
        State("completed", N_("Completed"), "resolved"),
        State("rejected", N_("Rejected"), "closed"),
        State("closed", N_("Closed"), "closed"),
        State("cancelled", N_("Cancelled"), "cancelled"),
    ),
    transitions=(
        Transition("assess", N_("Start assessment"), ("new",), "assessment"),
        Transition(
            "schedule_standard",
            N_("Schedule (standard change, pre-approved)"),
            ("assessment",),
            "scheduled",
            guards=(STANDARD_CHANGE_GUARD,),
        ),
        Transition(
            "submit_for_approval",
            N_("Submit to the change advisory board"),
            ("assessment",),
            "awaiting_approval",
        ),
        Transition(
            "approve",
            N_("Approved: schedule"),
            ("awaiting_approval",),
            "scheduled",
            guards=("approvals_granted",),
        ),
        Transition(
            "reject",
            N_("Reject"),
            ("assessment", "awaiting_approval"),
            "rejected",
            roles=LEADS,
            fields=(
                FormField(
                    key="rejection_reason",
                    type="textarea",
                    label=N_("Why the change is rejected"),
                    required=True,
                ),
            ),
        ),
        Transition("implement", N_("Start implementation"), ("scheduled",), "implementing"),
        Transition(
            "implement_emergency",
            N_("Emergency: implement now, approve afterwards"),
            ("new", "assessment"),
            "implementing",
            guards=(EMERGENCY_CHANGE_GUARD,),
        ),
        Transition(
            "complete",
            N_("Implementation finished"),
            ("implementing",),
            "completed",
            fields=(
                FormField(
                    key="outcome",
                    type="select",
                    label=N_("Outcome"),
                    required=True,
                    choices=(
                        ("successful", N_("Successful")),
                        ("successful_with_issues", N_("Successful with issues")),
                        ("rolled_back", N_("Failed and rolled back")),
                    ),
                ),
                FormField(key="outcome_note", type="textarea", label=N_("Notes for the review")),
            ),
        ),
        Transition(
            "close",
            N_("Close after review"),
            ("completed",),
            "closed",
            guards=(NOT_EMERGENCY_CHANGE_GUARD,),
        ),
        Transition(
            "close_emergency",
            N_("Close after review (emergency change, approved after the fact)"),
            ("completed",),
            "closed",
            guards=(EMERGENCY_CHANGE_GUARD, "approvals_granted"),
        ),
        Transition(
            "cancel",
            N_("Cancel"),
            ("new", "assessment", "awaiting_approval", "scheduled"),
            "cancelled",
            roles=REQUESTER_AND_AGENTS,
        ),
    ),
)


#: guard -> (change types it lets through, reason to give the others)
CHANGE_TYPE_GUARDS: dict[str, tuple[tuple[str, ...], str]] = {
    STANDARD_CHANGE_GUARD: (
        ("standard",),
        N_("Only standard changes are pre-approved; submit this change for approval."),
    ),
    EMERGENCY_CHANGE_GUARD: (
        ("emergency",),
        N_("Only an emergency change may be implemented before it is approved."),
    ),
    NOT_EMERGENCY_CHANGE_GUARD: (
        ("standard", "normal"),
        N_(
            "An emergency change closes once the change advisory board has approved it "
            "after the fact: use 'Close after review (emergency change…)'."
        ),
    ),
}


def change_type_veto(guard: str, form_data: dict) -> str | None:
    """Reason to refuse a change transition guarded by `guard`, or None to allow it
    (also None for guard names this plugin does not own)."""
    rule = CHANGE_TYPE_GUARDS.get(guard)
    if rule is None:
        return None
    allowed, reason = rule
    return None if form_data.get("change_type") in allowed else _(reason)
