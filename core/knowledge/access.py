"""Who may read, write and publish in a knowledge space.

The baseline rules live here, next to the tables they guard; plugins can
only narrow them through `polydesk_check_permission` (actions
`knowledge.read`, `knowledge.edit`, `knowledge.publish`; any False denies).

- "everyone" spaces are read by anyone logged in; "requesters" spaces by
  people with any role in the space's department; "agents" spaces by its
  agents, leads and admins. A space without a department is organisation-wide.
- Agents of the department write drafts; leads (and department admins)
  publish and archive, and so do agents when the space does not require
  review. Global admins do everything.
- A disabled department's spaces are hidden from everyone but global admins.
- Readers see published articles; drafts and archived articles only editors.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from polydesk.core.hookcalls import subset_caller
from polydesk.core.permissions import AGENT_ROLES, Actor

AUDIENCES = ("everyone", "requesters", "agents")
PUBLISHER_ROLES = ("lead", "admin")


@dataclass(frozen=True)
class SpaceAccess:
    read: bool = False
    edit: bool = False
    publish: bool = False


NONE = SpaceAccess()
ALL = SpaceAccess(read=True, edit=True, publish=True)


def space_access(actor: Actor, space: Any, disabled_departments: Collection[str]) -> SpaceAccess:
    """The baseline rights of `actor` in `space` (anything with department,
    audience and require_review)."""
    if actor.is_system or actor.is_admin:
        return ALL
    department = space.department
    if department is not None and department in disabled_departments:
        return NONE
    if department is None:
        role = None
        is_agent = bool(actor.agent_departments)
    else:
        role = actor.role_in(department)
        is_agent = role in AGENT_ROLES
    if space.audience == "agents":
        read = is_agent
    elif space.audience == "requesters":
        read = department is None or role is not None
    else:
        read = True
    publish = is_agent and (role in PUBLISHER_ROLES or not space.require_review)
    return SpaceAccess(read=read or is_agent, edit=is_agent, publish=publish)


def plugins_deny(snapshot: Any, actor: Actor, action: str, resource: Any) -> bool:
    """True when any enabled plugin answers False for `action` on `resource`."""
    if actor.is_system:
        return False
    hook = subset_caller(snapshot.pm, "polydesk_check_permission", snapshot.disabled_plugins)
    return any(answer is False for answer in hook(actor=actor, action=action, resource=resource))
