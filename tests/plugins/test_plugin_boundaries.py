"""Each bundled department stands alone: it imports the core's public API and itself only."""

from __future__ import annotations

import ast
import importlib
import re
import sys
from pathlib import Path

import pytest

from polydesk.core import Form
from polydesk.core.pluginmanager import create_plugin_manager
from polydesk.core.registry import build_registry

DEPARTMENTS = ("it", "hr", "legal", "finance")
PUBLIC_CORE = {"polydesk.core", "polydesk.core.specs"}


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: use absolute imports"
            found.add(node.module or "")
    return found


@pytest.mark.parametrize("slug", DEPARTMENTS)
def test_department_imports_only_the_core_api_and_itself(slug):
    package = importlib.import_module(f"polydesk.plugins.{slug}")
    own = f"polydesk.plugins.{slug}"
    for path in Path(package.__file__).parent.glob("*.py"):
        for module in imported_modules(path):
            top = module.split(".")[0]
            allowed = (
                module in PUBLIC_CORE
                or module == own
                or module.startswith(own + ".")
                or top in sys.stdlib_module_names
                or top == "__future__"
            )
            assert allowed, f"{slug}/{path.name} imports {module}"


@pytest.mark.parametrize("slug", DEPARTMENTS)
def test_only_hooks_module_declares_hook_implementations(slug):
    package = importlib.import_module(f"polydesk.plugins.{slug}")
    for path in Path(package.__file__).parent.glob("*.py"):
        if path.name != "hooks.py":
            assert "hookimpl" not in path.read_text(encoding="utf-8"), path.name


def test_every_form_and_transition_form_exports_json_schema():
    registry = build_registry(create_plugin_manager())
    forms = [rt.form for rt in registry.request_types.values()]
    forms += [Form(t.fields) for wf in registry.workflows.values() for t in wf.transitions]
    for form in forms:
        schema = form.json_schema()
        assert set(schema["properties"]) == {f.key for f in form.fields}
        for field in form.fields:
            if field.pattern:
                re.compile(field.pattern)
