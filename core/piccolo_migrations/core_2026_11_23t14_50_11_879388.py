from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import ForeignKey, Varchar

ID = "2026-11-23T14:50:11:879388"
VERSION = "1.38.0"
DESCRIPTION = "drop single-column ticket indexes covered by composite ones"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    manager.alter_column(
        table_class_name="Ticket",
        tablename="ticket",
        column_name="department",
        db_column_name="department",
        params={"index": False},
        old_params={"index": True},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Ticket",
        tablename="ticket",
        column_name="requester",
        db_column_name="requester",
        params={"index": False},
        old_params={"index": True},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Ticket",
        tablename="ticket",
        column_name="assignee",
        db_column_name="assignee",
        params={"index": False},
        old_params={"index": True},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Ticket",
        tablename="ticket",
        column_name="parent",
        db_column_name="parent",
        params={"index": False},
        old_params={"index": True},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    return manager
