"""Partial indexes for the SLA scheduler's scans (SQLite and PostgreSQL alike).

The warning and breach scans read only running clocks that have not fired yet,
ordered by the instant they are due, so each is one index range scan however
many tickets exist: `… WHERE status = 'running' AND breached_at IS NULL AND
due_at <= now ORDER BY due_at`.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T01:34:18:215616"
VERSION = "1.38.0"
DESCRIPTION = "sla scan indexes"

FORWARDS = [
    "CREATE UNIQUE INDEX sla_clock_ticket_metric_uq ON sla_clock (ticket, metric)",
    "CREATE INDEX sla_clock_breach_scan_idx ON sla_clock (due_at) "
    "WHERE status = 'running' AND breached_at IS NULL",
    "CREATE INDEX sla_clock_warning_scan_idx ON sla_clock (warn_at) "
    "WHERE status = 'running' AND warned_at IS NULL",
    "CREATE INDEX sla_clock_calendar_idx ON sla_clock (calendar, status)",
    "CREATE INDEX sla_clock_policy_idx ON sla_clock (policy, status)",
]
BACKWARDS = [
    "DROP INDEX sla_clock_policy_idx",
    "DROP INDEX sla_clock_calendar_idx",
    "DROP INDEX sla_clock_warning_scan_idx",
    "DROP INDEX sla_clock_breach_scan_idx",
    "DROP INDEX sla_clock_ticket_metric_uq",
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
