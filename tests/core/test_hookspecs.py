"""Every hook is documented where it is declared, and tested somewhere.

A hookspec's docstring is its reference documentation (STYLE G2): it says when
the hook is called, what to return, and shows an example. Every hook also has
at least one `test_hook_<name>` in the suite (Datasette's rule).
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from polydesk.core import hookspecs

TESTS = Path(__file__).resolve().parents[1]


def _hookspecs() -> dict[str, object]:
    return {
        name: function
        for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
        if name.startswith("polydesk_")
    }


HOOKSPECS = _hookspecs()


def test_hookspecs_are_found():
    # Guards the tests below against passing on an empty list.
    assert {"polydesk_addhooks", "polydesk_register_departments", "polydesk_route_ticket"} <= set(
        HOOKSPECS
    )


def test_every_polydesk_function_is_a_hookspec_and_every_hookspec_is_prefixed():
    marker = f"{hookspecs.PROJECT}_spec"
    for name, function in HOOKSPECS.items():
        assert hasattr(function, marker), f"{name} is not marked with @hookspec"
    marked = {
        name
        for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(function, marker)
    }
    assert marked == set(HOOKSPECS)


def _doc(name: str) -> str:
    """The docstring with its line breaks folded, so phrases may wrap."""
    return " ".join((inspect.getdoc(HOOKSPECS[name]) or "").split())


@pytest.mark.parametrize("name", sorted(HOOKSPECS))
def test_hookspec_docstring_has_the_required_sections(name):
    doc = _doc(name)
    missing = [section for section in ("When:", "Returns:", "Example") if section not in doc]
    assert not missing, f"{name}'s docstring lacks {missing}"


@pytest.mark.parametrize("name", sorted(HOOKSPECS))
def test_hookspec_docstring_says_whether_it_is_firstresult_and_may_be_async(name):
    doc = _doc(name)
    options = getattr(HOOKSPECS[name], f"{hookspecs.PROJECT}_spec")
    if options.get("firstresult"):
        assert "firstresult:" in doc, name
        # A coroutine is never None, so an async implementation would always win.
        assert "Synchronous only" in doc, name
    else:
        assert "Not firstresult" in doc, name
    assert "Synchronous only" in doc or "async" in doc, f"{name}: sync or async?"


_TEST_HOOK = re.compile(r"^\s*(?:async\s+)?def\s+test_hook_(\w+)\s*\(", re.MULTILINE)


def _tested_hooks() -> set[str]:
    found: set[str] = set()
    for path in TESTS.rglob("*.py"):
        found.update(_TEST_HOOK.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_hookspec_has_a_test_hook_function():
    tested = _tested_hooks()
    missing = sorted(name for name in HOOKSPECS if name not in tested)
    assert not missing, "hooks without a test_hook_<name> under tests/: " + ", ".join(
        f"test_hook_{name}" for name in missing
    )


def test_test_hook_functions_name_real_hooks():
    # A test named after a hook that was renamed or never existed tests nothing.
    # (`test_hook_<name>_<more words>` is fine: several tests may cover one hook.)
    stray = sorted(
        name
        for name in _tested_hooks()
        if not any(name == hook or name.startswith(f"{hook}_") for hook in HOOKSPECS)
    )
    assert not stray, f"test_hook_ functions for unknown hooks: {stray}"
