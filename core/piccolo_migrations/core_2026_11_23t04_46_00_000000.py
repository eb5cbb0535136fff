"""A partial index for a ticket's children (SQLite and PostgreSQL alike).

Almost every ticket has no parent, so SQLite's statistics for the plain
`parent` index say "one value for all rows" and the planner scanned the whole
table for the children of one ticket (600 ms at 1,000,000 tickets, on every
ticket page). Indexing only the tickets that have a parent keeps the index
tiny and the lookup `parent = ? ORDER BY id` one range scan.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T04:46:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "ticket children index"

FORWARDS = ["CREATE INDEX ticket_children_idx ON ticket (parent, id) WHERE parent IS NOT NULL"]
BACKWARDS = ["DROP INDEX ticket_children_idx"]


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
