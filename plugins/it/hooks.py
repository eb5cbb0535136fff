from polydesk.core import Department, hookimpl


@hookimpl
def polydesk_register_departments():
    return [Department(slug="it", name="IT", key_prefix="IT")]
