"""The Jinja2 environment: site overrides, plugin templates, then the core's own.

Lookup order: `POLYDESK_TEMPLATE_DIR` (site overrides), each department's
package `templates/` folder (holding `templates/<slug>/…`), then
`polydesk.web`'s templates. `default:<name>` always reaches the core's own
template, so an override can extend what it replaces.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    select_autoescape,
)
from markupsafe import Markup

from polydesk.core.knowledge.links import linkify_article_paths
from polydesk.core.registry import Registry

WEB_TEMPLATES = Path(__file__).parent / "templates"


def build_environment(registry: Registry, override_dir: str | None = None) -> Environment:
    loaders = []
    override_dir = override_dir or os.environ.get("POLYDESK_TEMPLATE_DIR")
    if override_dir:
        loaders.append(FileSystemLoader(override_dir))
    for department in registry.departments.values():
        if department.package:
            with contextlib.suppress(ValueError):  # the department ships no templates
                loaders.append(PackageLoader(department.package, "templates"))
    loaders.append(FileSystemLoader(WEB_TEMPLATES))
    loaders.append(PrefixLoader({"default": FileSystemLoader(WEB_TEMPLATES)}))
    env = Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(default=True))
    env.filters["duration"] = duration
    env.filters["when"] = when
    env.filters["article_links"] = article_links
    return env


def article_links(text: str | None) -> Markup:
    """Plain text, escaped, with same-site `/portal/articles/<id>` paths as links."""
    return Markup(linkify_article_paths(text or ""))  # the linkifier escaped it


def duration(minutes: int | float | None) -> str:
    """Business minutes as people say them: "45 min", "3 h 20 min", "2 d 4 h" (8-hour days
    are not assumed: a day here is 24 hours of the clock's own time)."""
    if minutes is None:
        return "—"
    sign = "-" if minutes < 0 else ""
    minutes = abs(int(minutes))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{sign}{days} d {hours} h" if hours else f"{sign}{days} d"
    if hours:
        return f"{sign}{hours} h {mins} min" if mins else f"{sign}{hours} h"
    return f"{sign}{mins} min"


def when(value: Any) -> str:
    """A timestamp for people: UTC, to the minute, in a <time>-friendly form."""
    if value is None:
        return ""
    return value.strftime("%Y-%m-%d %H:%M UTC")
