"""IT priorities: the incident matrix (impact × urgency → P1..P4), and leavers' access
removal (pure, no I/O)."""

from __future__ import annotations

from polydesk.core import Priority

#: (impact, urgency) → priority. Impact says how many are hurt, urgency how
#: fast it gets worse; only a company-wide outage that stops work is a P1.
MATRIX: dict[tuple[str, str], Priority] = {
    ("high", "high"): Priority.P1,
    ("high", "medium"): Priority.P2,
    ("high", "low"): Priority.P3,
    ("medium", "high"): Priority.P2,
    ("medium", "medium"): Priority.P3,
    ("medium", "low"): Priority.P4,
    ("low", "high"): Priority.P3,
    ("low", "medium"): Priority.P4,
    ("low", "low"): Priority.P4,
}


def incident_priority(impact: str | None, urgency: str | None) -> Priority | None:
    """Priority for an incident, or None when impact or urgency is not a known level."""
    if impact is None or urgency is None:
        return None
    return MATRIX.get((impact, urgency))


def access_removal_priority(removal: str | None) -> Priority | None:
    """An access removal asked for "immediately" (a dismissal) is P1."""
    return Priority.P1 if removal == "immediately" else None
