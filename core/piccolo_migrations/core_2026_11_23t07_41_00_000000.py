"""An index for the side bar's queue counts (SQLite and PostgreSQL alike).

A plugin queue filters by request type (and priority) inside the department's
active states: IT's "P1 and P2 incidents" is `department = 'it' AND
state_category = ? AND request_type IN ('it.incident') AND priority IN (1, 2)`.
ticket_queue_idx narrows only to the department and state, so counting such a
queue read the whole range (every open IT ticket) to find the few that match,
and PostgreSQL ANDed it with the request-type index (every incident ever,
closed ones included: 80,000 entries at 1,000,000 tickets; 322,000 for the
service requests). By department, state, type and priority the count reads
the matching entries only (1M, PostgreSQL: P1/P2 27-90 ms → 2-14 ms per
state, open service requests ~200 ms → 3-7 ms).

SQLite plans with sqlite_stat1 where an ANALYZE made one; an index missing
from it looks more selective than it is (and took "My work" off
ticket_assignee_queue_idx), so when the table exists the new index is
analysed too (0.1 s at 1M).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.postgres import PostgresEngine
from piccolo.table import Table

ID = "2026-11-23T07:41:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "ticket type queue index"

FORWARDS = [
    "CREATE INDEX ticket_type_queue_idx ON ticket "
    "(department, state_category, request_type, priority)"
]
BACKWARDS = ["DROP INDEX ticket_type_queue_idx"]


class RawTable(Table):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run():
        for statement in FORWARDS:
            await RawTable.raw(statement)
        if not isinstance(RawTable._meta.db, PostgresEngine):
            analysed = await RawTable.raw(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
            )
            if analysed:
                await RawTable.raw("ANALYZE ticket_type_queue_idx")

    async def run_backwards():
        for statement in BACKWARDS:
            await RawTable.raw(statement)

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
