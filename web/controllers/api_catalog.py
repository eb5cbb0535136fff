"""`/api/v1/departments` and `/api/v1/request-types`: the catalog with form schemas."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery

from polydesk.core.permissions import Actor
from polydesk.core.runtime import Snapshot
from polydesk.core.tickets.services import request_type_or_404
from polydesk.web.deps import provide_actor, provide_snapshot
from polydesk.web.schemas import DepartmentOut, RequestTypeOut, request_type_out


class CatalogController(Controller):
    path = "/api/v1"
    tags = ["catalog"]
    dependencies = {"actor": Provide(provide_actor), "snapshot": Provide(provide_snapshot)}

    @get("/departments")
    async def list_departments(
        self, actor: NamedDependency[Actor], snapshot: NamedDependency[Snapshot]
    ) -> list[DepartmentOut]:
        """Enabled departments; admins also see disabled ones, marked so."""
        return [
            DepartmentOut(
                slug=d.slug,
                name=d.name,
                description=d.description,
                key_prefix=d.key_prefix,
                colour=d.colour,
                enabled=snapshot.is_department_enabled(d.slug),
            )
            for d in snapshot.registry.departments.values()
            if actor.is_admin or snapshot.is_department_enabled(d.slug)
        ]

    @get("/request-types")
    async def list_request_types(
        self,
        actor: NamedDependency[Actor],
        snapshot: NamedDependency[Snapshot],
        department: FromQuery[str | None] = None,
    ) -> list[RequestTypeOut]:
        """The catalog of enabled departments, each type with its form's JSON Schema."""
        return [request_type_out(rt) for rt in snapshot.catalog(department, actor)]

    @get("/request-types/{key:str}")
    async def get_request_type(
        self, actor: NamedDependency[Actor], snapshot: NamedDependency[Snapshot], key: FromPath[str]
    ) -> RequestTypeOut:
        return request_type_out(request_type_or_404(snapshot, key))
