from polydesk.core import Department, hookimpl


@hookimpl
def polydesk_register_departments():
    return [Department(slug="finance", name="FINANCE", key_prefix="FINANCE")]
