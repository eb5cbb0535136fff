from polydesk.core.hookspecs import hookimpl  # noqa: F401
