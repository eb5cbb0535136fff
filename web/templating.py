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
from polydesk.web.i18n import duration, when
from polydesk.web.i18n import install as install_i18n

__all__ = ["article_links", "build_environment", "duration", "when"]

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
    # gettext, ngettext and the locale-aware `when`, `date`, `number`, `money`,
    # `duration` and `translate` filters (see polydesk.web.i18n).
    install_i18n(env)
    env.globals["state_label"] = lambda ticket: state_label(registry, ticket)
    env.filters["article_links"] = article_links
    return env


def state_label(registry: Registry, ticket: Any) -> str:
    """The declared (English) label of a ticket's state; the humanised key if unknown."""
    rt = registry.request_types.get(ticket.request_type)
    workflow = registry.workflows.get(rt.workflow) if rt else None
    for state in workflow.states if workflow else ():
        if state.key == ticket.state:
            return state.label
    return ticket.state.replace("_", " ")


def article_links(text: str | None) -> Markup:
    """Plain text, escaped, with same-site `/portal/articles/<id>` paths as links."""
    return Markup(linkify_article_paths(text or ""))  # the linkifier escaped it
