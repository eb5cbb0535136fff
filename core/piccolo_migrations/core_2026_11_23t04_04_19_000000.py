"""Idempotency keys are unique per person (SQLite and PostgreSQL alike).

The index, not a read before the insert, is what keeps two concurrent requests
with one key from both creating a ticket.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T04:04:19:000000"
VERSION = "1.38.0"
DESCRIPTION = "idempotency key unique index"

FORWARDS = [
    "CREATE UNIQUE INDEX idempotency_key_person_key_uq ON idempotency_key (person, key)",
]
BACKWARDS = [
    "DROP INDEX idempotency_key_person_key_uq",
]


class RawTable(Table):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run():
        for statement in FORWARDS:
            await RawTable.raw(statement)

    async def run_backwards():
        for statement in BACKWARDS:
            await RawTable.raw(statement)

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
