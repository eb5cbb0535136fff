"""The mail Piccolo app: its tables and migrations, after the core's."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="mail",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=table_finder(
        modules=[
            "polydesk.core.mail.tables",
            "polydesk.core.mail.outbound_tables",
            "polydesk.core.mail.inbound_tables",
        ],
        exclude_imported=True,
    ),
    migration_dependencies=["polydesk.core.piccolo_app"],
    commands=[],
)
