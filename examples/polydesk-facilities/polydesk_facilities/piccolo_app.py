"""The plugin's Piccolo app: its tables and the folder of its migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from polydesk_facilities.tables import Room

APP_CONFIG = AppConfig(
    app_name="facilities",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Room],
    # Run after the core's migrations, so a later migration may point at core tables.
    migration_dependencies=["polydesk.core.piccolo_app"],
    commands=[],
)
