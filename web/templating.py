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

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    select_autoescape,
)

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
    return Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(default=True))
