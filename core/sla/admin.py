"""Admins edit SLA calendars and policies; clocks follow.

An edit is validated in full before anything is stored, so bad configuration
never reaches the database. Once stored, the revision that tells workers to
re-read plugin state is bumped, and the clocks that use the edited calendar or
policy are recomputed from their facts.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from polydesk.core.audit.services import Author, record
from polydesk.core.db import transaction
from polydesk.core.errors import NotFound, PermissionDenied
from polydesk.core.i18n import gettext as _
from polydesk.core.permissions import Actor
from polydesk.core.plugin_state.services import bump_revision
from polydesk.core.runtime import Snapshot
from polydesk.core.sla.config import (
    apply_calendar_config,
    apply_policy_config,
    calendar_to_config,
    policy_to_config,
)
from polydesk.core.sla.services import recompute_clocks
from polydesk.core.sla.tables import SLAClock, SLAOverride

RECOMPUTE_BATCH = 500


def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise PermissionDenied(_("Only administrators edit SLA calendars and policies."))


def describe_calendars(snapshot: Snapshot) -> list[dict[str, Any]]:
    """Every calendar: its effective settings, and whether an admin changed them."""
    return [
        {
            "key": key,
            "config": calendar_to_config(snapshot.sla_calendar(key)),  # type: ignore[arg-type]
            "edited": ("calendar", key) in snapshot.state.sla_overrides,
        }
        for key in sorted(snapshot.registry.calendars)
    ]


def describe_policies(snapshot: Snapshot) -> list[dict[str, Any]]:
    return [
        {
            "key": key,
            "calendar": snapshot.sla_policy(key).calendar.key,  # type: ignore[union-attr]
            "config": policy_to_config(snapshot.sla_policy(key)),  # type: ignore[arg-type]
            "edited": ("policy", key) in snapshot.state.sla_overrides,
        }
        for key in sorted(snapshot.registry.sla_policies)
    ]


async def edit(
    snapshot: Snapshot,
    actor: Actor,
    kind: str,
    key: str,
    changes: dict[str, Any] | None,
    *,
    client_address: str = "",
) -> Snapshot:
    """Store an admin's edit of calendar or policy `key` (`changes=None` restores
    the plugin's default) and return a Snapshot that sees it. The edit is audited
    (``sla.calendar_changed`` / ``sla.policy_changed``) in the same transaction."""
    require_admin(actor)
    known = snapshot.registry.calendars if kind == "calendar" else snapshot.registry.sla_policies
    if key not in known:
        raise NotFound(f"No {kind} {key!r}.")
    overrides = dict(snapshot.state.sla_overrides)
    before = overrides.get((kind, key))
    if changes is None:
        overrides.pop((kind, key), None)
    else:
        merged = {**overrides.get((kind, key), {}), **changes}
        if kind == "calendar":
            apply_calendar_config(snapshot.registry.calendars[key], merged)
        else:
            apply_policy_config(snapshot.sla_policy(key), merged, snapshot.sla_calendars())  # type: ignore[arg-type]
        overrides[(kind, key)] = merged
    async with transaction():
        await SLAOverride.delete().where((SLAOverride.kind == kind) & (SLAOverride.key == key))
        if (kind, key) in overrides:
            await SLAOverride.insert(
                SLAOverride(
                    kind=kind, key=key, config=overrides[(kind, key)], updated_by=actor.username
                )
            )
        await bump_revision()
        # before/after are the admin's edits over the plugin's default (None: the default).
        await record(
            Author.of(actor, client_address),
            f"sla.{kind}_changed",
            f"{kind}:{key}",
            {"before": before, "after": overrides.get((kind, key)), "reset": changes is None},
        )
    snapshot.runtime.plugin_states.invalidate()
    updated = Snapshot(
        snapshot.runtime, dataclasses.replace(snapshot.state, sla_overrides=overrides)
    )
    await recompute_affected(updated, kind, key)
    return updated


async def recompute_affected(snapshot: Snapshot, kind: str, key: str) -> int:
    """Recompute the clocks that use the edited calendar or policy, in batches."""
    if kind == "policy":
        where = SLAClock.policy == key
    else:
        policies = [
            p.key
            for p in (snapshot.sla_policy(k) for k in snapshot.registry.sla_policies)
            if p is not None
            and (
                p.calendar.key == key
                or any(t.calendar and t.calendar.key == key for t in p.targets.values())
            )
        ]
        where = (SLAClock.calendar == key) | SLAClock.policy.is_in(policies or [""])
    where &= SLAClock.status.is_in(["running", "paused"])
    done, last = 0, 0
    while True:
        rows = await (
            SLAClock.select(SLAClock.ticket)
            .where(where & (SLAClock.ticket > last))
            .order_by(SLAClock.ticket)
            .limit(RECOMPUTE_BATCH)
            .distinct()
        )
        if not rows:
            return done
        async with transaction():
            for row in rows:
                await recompute_clocks(snapshot, row["ticket"])
        done += len(rows)
        last = rows[-1]["ticket"]
