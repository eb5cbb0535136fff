"""Composite and partial indexes Piccolo's column options cannot express.

Written by hand (raw SQL valid on SQLite and PostgreSQL alike):
- the default queue query `WHERE department = ? AND state_category IN (…)
  ORDER BY sla_due_at, id` is served by ticket_queue_idx in that order;
- one membership row per person and department, one team row per team;
- the outbox worker reads only undelivered rows through a partial index;
- the single plugin-state revision row exists from the start.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T01:12:12:037232"
VERSION = "1.38.0"
DESCRIPTION = "queue indexes and unique pairs"

FORWARDS = [
    "CREATE INDEX ticket_queue_idx ON ticket (department, state_category, sla_due_at, id)",
    "CREATE INDEX ticket_requester_created_idx ON ticket (requester, id)",
    "CREATE INDEX ticket_assignee_queue_idx ON ticket (assignee, state_category, sla_due_at, id)",
    "CREATE INDEX timeline_event_ticket_idx ON timeline_event (ticket, id)",
    "CREATE UNIQUE INDEX membership_person_department_uq ON membership (person, department)",
    "CREATE UNIQUE INDEX team_membership_uq ON team_membership (person, department, team)",
    "CREATE UNIQUE INDEX ticket_link_uq ON ticket_link (source, target, kind)",
    "CREATE INDEX outbox_pending_idx ON outbox_message (available_at, id) "
    "WHERE delivered_at IS NULL AND failed_at IS NULL",
    "INSERT INTO plugin_state_revision (revision) VALUES (0)",
]
BACKWARDS = [
    "DELETE FROM plugin_state_revision",
    "DROP INDEX outbox_pending_idx",
    "DROP INDEX ticket_link_uq",
    "DROP INDEX team_membership_uq",
    "DROP INDEX membership_person_department_uq",
    "DROP INDEX timeline_event_ticket_idx",
    "DROP INDEX ticket_assignee_queue_idx",
    "DROP INDEX ticket_requester_created_idx",
    "DROP INDEX ticket_queue_idx",
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
