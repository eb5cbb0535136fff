"""Outbound mail: one message per (outbox event, recipient, kind), one preference
per (person, kind); SQLite and PostgreSQL alike.

The first index is what makes a notification exactly-once: two workers (or a
retried delivery) inserting the same event's message collide on it, and the
notifier's ON CONFLICT DO NOTHING keeps the first.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T04:05:25:000000"
VERSION = "1.38.0"
DESCRIPTION = "outbound mail unique indexes"

FORWARDS = [
    "CREATE UNIQUE INDEX mail_outbound_event_recipient_kind_uq "
    "ON mail_outbound (outbox_event, recipient, kind)",
    "CREATE UNIQUE INDEX mail_preference_person_kind_uq ON mail_preference (person, kind)",
]
BACKWARDS = [
    "DROP INDEX mail_preference_person_kind_uq",
    "DROP INDEX mail_outbound_event_recipient_kind_uq",
]


class RawTable(Table):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="mail", description=DESCRIPTION)

    async def run():
        for statement in FORWARDS:
            await RawTable.raw(statement)

    async def run_backwards():
        for statement in BACKWARDS:
            await RawTable.raw(statement)

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
