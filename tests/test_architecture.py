"""The layers hold: core ← web ← plugins, departments independent, core knows no department.

Every `.py` file under `core/`, `web/` and `plugins/` is parsed with `ast`
(nothing is imported), so a violation is reported with its file and line.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

from polydesk.core.pluginmanager import create_plugin_manager
from polydesk.core.registry import build_registry

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("core", "web", "plugins")
BUNDLED = ("it", "hr", "legal", "finance")


@dataclass(frozen=True)
class Import:
    path: Path
    line: int
    module: str  # absolute dotted name

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line} imports {self.module}"


def module_name(path: Path) -> str:
    """`core/tickets/services.py` → `polydesk.core.tickets.services`."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(["polydesk", *parts])


def imports_of(source: str, path: Path, module: str) -> list[Import]:
    """Every module `source` imports, as absolute names (relative imports resolved).

    `from a import b` counts as importing `a` and `a.b` (b may be a submodule);
    `importlib.import_module("x")` and `__import__("x")` with a literal count too.
    """
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    found: list[Import] = []
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend(Import(path, node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append(Import(path, node.lineno, target))
            found.extend(
                Import(path, node.lineno, f"{target}.{alias.name}")
                for alias in node.names
                if alias.name != "*"
            )
        elif (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and (
                (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                or (
                    isinstance(node.func, ast.Name)
                    and node.func.id in ("import_module", "__import__")
                )
            )
        ):
            found.append(Import(path, node.lineno, node.args[0].value))
    return found


def source_files(layer: str) -> list[Path]:
    return sorted((ROOT / layer).rglob("*.py"))


def imports_in(layer: str) -> list[Import]:
    found: list[Import] = []
    for path in source_files(layer):
        found.extend(imports_of(path.read_text(encoding="utf-8"), path, module_name(path)))
    return found


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(f"{prefix}.")


def offending(layer: str, forbidden: tuple[str, ...]) -> list[str]:
    return [
        str(imp)
        for imp in imports_in(layer)
        if any(within(imp.module, prefix) for prefix in forbidden)
    ]


def departments_on_disk() -> list[str]:
    return sorted(p.parent.name for p in (ROOT / "plugins").glob("*/__init__.py"))


# -- the scanner itself ---------------------------------------------------------------


def test_the_scanner_sees_every_form_of_import():
    path = ROOT / "plugins" / "it" / "hooks.py"
    source = "\n".join(
        [
            "import litestar.di",
            "from polydesk.plugins import hr",
            "from ..legal import hooks",
            "from . import forms",
            "import importlib",
            "importlib.import_module('polydesk.plugins.finance.hooks')",
            "def f():",
            "    from jinja2 import Environment",
        ]
    )
    names = {imp.module for imp in imports_of(source, path, "polydesk.plugins.it.hooks")}
    assert {
        "litestar.di",
        "polydesk.plugins.hr",
        "polydesk.plugins.legal.hooks",
        "polydesk.plugins.it.forms",
        "polydesk.plugins.finance.hooks",
        "jinja2.Environment",
    } <= names


def test_every_layer_has_files_to_check():
    for layer in LAYERS:
        assert source_files(layer), layer
    assert set(BUNDLED) <= set(departments_on_disk())


# -- layers -----------------------------------------------------------------------------


def test_core_imports_neither_web_nor_plugins_nor_litestar_nor_jinja2():
    forbidden = ("polydesk.plugins", "polydesk.web", "litestar", "jinja2")
    assert offending("core", forbidden) == []


def test_web_imports_no_plugin():
    assert offending("web", ("polydesk.plugins",)) == []


@pytest.mark.parametrize("slug", departments_on_disk())
def test_plugins_never_import_each_other(slug):
    others = tuple(f"polydesk.plugins.{other}" for other in departments_on_disk() if other != slug)
    bad = [
        str(imp)
        for imp in imports_in(f"plugins/{slug}")
        if any(within(imp.module, other) for other in others)
    ]
    assert bad == []


@pytest.mark.parametrize("layer", LAYERS)
def test_no_bare_core_web_or_plugins_imports(layer):
    # The folders ship as polydesk/core, polydesk/web, polydesk/plugins.
    assert offending(layer, ("core", "web", "plugins")) == []


# -- core knows no department -----------------------------------------------------------


def department_literals(layer: str, slugs: tuple[str, ...]) -> list[str]:
    prefixes = tuple(f"{slug}." for slug in slugs)
    found = []
    for path in source_files(layer):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and (node.value in slugs or node.value.startswith(prefixes))
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}")
    return found


@pytest.mark.parametrize("layer", ["core", "web"])
def test_core_and_web_name_no_department(layer):
    slugs = tuple(sorted({*BUNDLED, *departments_on_disk()}))
    assert department_literals(layer, slugs) == []


def test_the_department_literal_check_finds_what_it_looks_for():
    # The plugins themselves do name their slug; the check must see that.
    assert any("'it'" in hit or "'it." in hit for hit in department_literals("plugins/it", ("it",)))


def test_core_boots_with_every_department_blocked():
    pm = create_plugin_manager(blocked=list(BUNDLED))
    assert all(pm.get_plugin(slug) is None for slug in BUNDLED)
    registry = build_registry(pm)
    assert registry.departments == {}
    assert registry.request_types == {}
    assert registry.workflows == {}
    assert registry.queues == {}
