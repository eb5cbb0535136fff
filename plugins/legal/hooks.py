from polydesk.core import Department, hookimpl


@hookimpl
def polydesk_register_departments():
    return [Department(slug="legal", name="LEGAL", key_prefix="LEGAL")]
