"""The core's Piccolo app: its tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="core",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=table_finder(
        modules=[
            "polydesk.core.people.tables",
            "polydesk.core.tickets.tables",
            "polydesk.core.tickets.idempotency",
            "polydesk.core.catalog.tables",
            "polydesk.core.plugin_state.tables",
            "polydesk.core.outbox.tables",
            "polydesk.core.sla.tables",
            "polydesk.core.announcements.tables",
            "polydesk.core.audit.tables",
        ],
        exclude_imported=True,
    ),
    migration_dependencies=[],
    commands=[],
)
