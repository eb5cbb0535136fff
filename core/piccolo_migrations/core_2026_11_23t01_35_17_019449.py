"""One override per calendar or policy key."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T01:35:17:019449"
VERSION = "1.38.0"
DESCRIPTION = "sla override unique key"


class RawTable(Table):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run():
        await RawTable.raw("CREATE UNIQUE INDEX sla_override_kind_key_uq ON sla_override (kind, key)")

    async def run_backwards():
        await RawTable.raw("DROP INDEX sla_override_kind_key_uq")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
