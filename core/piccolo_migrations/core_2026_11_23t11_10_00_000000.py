"""An index for ticket lists over every department (SQLite and PostgreSQL alike).

An administrator's workspace lists "All active" across all departments, sorted
by SLA due date: `state_category = ? ORDER BY sla_due_at, id LIMIT 51`, state by
state. ticket_queue_idx starts with the department, so without a department
filter the database read every ticket in the state (30,000-47,000 per state at
1,000,000 tickets) and sorted them: the admin's workspace page took 540 ms
(p50, SQLite). By state, due date and id, each state's page is an index range
read in order, and a list over several departments (an agent of two) can walk
it too, skipping other departments' entries.

As in the type queue index's migration, SQLite analyses the new index when an
ANALYZE has made statistics, so the planner does not overrate it.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.postgres import PostgresEngine
from piccolo.table import Table

ID = "2026-11-23T11:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "ticket state queue index"

FORWARDS = ["CREATE INDEX ticket_state_queue_idx ON ticket (state_category, sla_due_at, id)"]
BACKWARDS = ["DROP INDEX ticket_state_queue_idx"]


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
                await RawTable.raw("ANALYZE ticket_state_queue_idx")

    async def run_backwards():
        for statement in BACKWARDS:
            await RawTable.raw(statement)

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
