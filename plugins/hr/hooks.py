from polydesk.core import Department, hookimpl


@hookimpl
def polydesk_register_departments():
    return [Department(slug="hr", name="HR", key_prefix="HR")]
