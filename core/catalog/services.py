"""Sync the Registry's departments and request types into the database."""

from __future__ import annotations

from polydesk.core.catalog.tables import DepartmentRecord, RequestTypeRecord
from polydesk.core.db import transaction
from polydesk.core.errors import NotFound
from polydesk.core.plugin_state.services import bump_revision
from polydesk.core.registry import Registry
from polydesk.core.tickets.tables import DepartmentCounter


async def sync_catalog(registry: Registry) -> None:
    """Upsert a row per department and request type, and a ticket counter per
    department. Rows of plugins no longer installed are kept: their tickets
    still reference them."""
    async with transaction():
        depts = {r["slug"] for r in await DepartmentRecord.select(DepartmentRecord.slug)}
        counters = {
            r["department"] for r in await DepartmentCounter.select(DepartmentCounter.department)
        }
        for slug, dept in registry.departments.items():
            values = {
                "name": dept.name,
                "plugin": registry.department_plugin[slug],
                "key_prefix": dept.key_prefix,
            }
            if slug in depts:
                await DepartmentRecord.update(values).where(DepartmentRecord.slug == slug)
            else:
                await DepartmentRecord.insert(DepartmentRecord(slug=slug, **values))
            if slug not in counters:
                await DepartmentCounter.insert(DepartmentCounter(department=slug, last_number=0))
        types = {r["key"] for r in await RequestTypeRecord.select(RequestTypeRecord.key)}
        for key, rt in registry.request_types.items():
            values = {
                "department": rt.department,
                "name": rt.name,
                "confidential": rt.confidential_team is not None,
            }
            if key in types:
                await RequestTypeRecord.update(values).where(RequestTypeRecord.key == key)
            else:
                await RequestTypeRecord.insert(RequestTypeRecord(key=key, **values))


async def set_request_type_hidden(registry: Registry, key: str, hidden: bool) -> None:
    """Hide a request type from the catalog (or show it again) in every worker."""
    if key not in registry.request_types:
        raise NotFound(f"No request type {key!r}.")
    async with transaction():
        await RequestTypeRecord.update({RequestTypeRecord.hidden: hidden}).where(
            RequestTypeRecord.key == key
        )
        await bump_revision()
