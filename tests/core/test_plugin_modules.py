"""`POLYDESK_PLUGINS`: plugin modules loaded like entry points, without installing them.

Someone developing a department (or the scale benchmark's generated ones) names
its module in the setting; Polydesk imports and registers it at startup exactly
as an installed entry point, and a bad entry stops startup with a message that
says which entry is wrong.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from polydesk.core import ConfigurationError
from polydesk.core.pluginmanager import department_plugins
from polydesk.core.runtime import Runtime
from polydesk.core.settings import Settings

PLUGIN = """
from polydesk.core import (
    Calendar, Department, Queue, RequestType, SLAPolicy, SLATarget, State, Transition,
    Workflow, hookimpl,
)

CAL = Calendar(key="devdesk.always", name="Always")


@hookimpl
def polydesk_register_departments():
    return [Department(slug="devdesk", name="Dev desk", key_prefix="DEV")]


@hookimpl
def polydesk_register_workflows():
    return [Workflow(
        key="devdesk.simple", name="Simple", initial_state="new",
        states=(State("new", "New", "new"), State("done", "Done", "resolved")),
        transitions=(Transition("finish", "Finish", ("new",), "done"),),
    )]


@hookimpl
def polydesk_register_sla_policies():
    return [SLAPolicy(key="devdesk.sla", name="SLA", calendar=CAL,
                      targets={3: SLATarget(first_response=60)})]


@hookimpl
def polydesk_register_request_types():
    return [RequestType(key="devdesk.ask", department="devdesk", name="Ask",
                        workflow="devdesk.simple", sla_policy="devdesk.sla")]


@hookimpl
def polydesk_register_queues():
    return [Queue(key="devdesk.open", department="devdesk", name="Open")]
"""


@pytest.fixture
def devdesk(tmp_path, monkeypatch):
    """An importable plugin module `devdesk_plugin` with no distribution behind it."""
    (tmp_path / "devdesk_plugin.py").write_text(textwrap.dedent(PLUGIN))
    (tmp_path / "broken_plugin.py").write_text("raise RuntimeError('half-written plugin')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    return "devdesk_plugin"


def runtime(tmp_path, **env: str) -> Runtime:
    return Runtime.create(Settings.from_env({"POLYDESK_DATA_DIR": str(tmp_path), **env}))


def test_a_named_module_is_a_plugin_with_its_department(tmp_path, devdesk):
    rt = runtime(tmp_path, POLYDESK_PLUGINS=f" devdesk = {devdesk} ")
    assert rt.pm.get_plugin("devdesk").__name__ == devdesk
    assert "devdesk" in department_plugins(rt.pm)  # listed, enabled and disabled like others
    assert rt.registry.department_plugin["devdesk"] == "devdesk"
    assert rt.registry.request_types["devdesk.ask"].workflow == "devdesk.simple"
    assert "devdesk.open" in rt.registry.queues
    # The installed departments are still there.
    assert {"it", "hr", "legal", "finance", "devdesk"} <= set(rt.registry.departments)


def test_a_module_without_a_name_is_named_by_its_path(tmp_path, devdesk):
    rt = runtime(tmp_path, POLYDESK_PLUGINS=devdesk)
    assert rt.registry.department_plugin["devdesk"] == devdesk


def test_without_the_setting_the_module_is_not_loaded(tmp_path, devdesk):
    rt = runtime(tmp_path)
    assert "devdesk" not in rt.registry.departments


def test_a_module_that_cannot_be_imported_stops_startup_naming_it(tmp_path, devdesk):
    with pytest.raises(ConfigurationError) as info:
        runtime(tmp_path, POLYDESK_PLUGINS=f"devdesk={devdesk},ghost=no_such_plugin.hooks")
    assert "could not import 'no_such_plugin.hooks'" in str(info.value)
    assert info.value.plugin == "ghost"

    with pytest.raises(ConfigurationError) as info:
        runtime(tmp_path, POLYDESK_PLUGINS="broken=broken_plugin")
    assert "half-written plugin" in str(info.value)


@pytest.mark.parametrize("entry", ["devdesk=", "=devdesk_plugin", "dev/desk=x", "not a module"])
def test_an_entry_that_is_not_a_module_path_is_refused(tmp_path, devdesk, entry):
    with pytest.raises(
        ConfigurationError, match=r"POLYDESK_PLUGINS: .* is not name=dotted\.module"
    ):
        runtime(tmp_path, POLYDESK_PLUGINS=entry)


def test_a_name_an_installed_plugin_has_is_refused(tmp_path, devdesk):
    with pytest.raises(ConfigurationError, match="two plugins are named 'it'"):
        runtime(tmp_path, POLYDESK_PLUGINS=f"it={devdesk}")


def test_a_disabled_name_is_not_even_imported(tmp_path, devdesk):
    # POLYDESK_DISABLE_PLUGINS is how an operator gets past a plugin that breaks startup.
    rt = runtime(
        tmp_path,
        POLYDESK_PLUGINS=f"devdesk={devdesk},broken=broken_plugin",
        POLYDESK_DISABLE_PLUGINS="broken",
    )
    assert rt.pm.get_plugin("broken") is None
    assert "devdesk" in rt.registry.departments


def test_the_scale_harness_departments_load_the_same_way(tmp_path, monkeypatch):
    """`python -m benchmarks … --departments 40` relies on this setting: its
    generated departments are a plugin module like any other, valid as declared."""
    from polydesk.core.demo import sample_form_data

    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2]))
    monkeypatch.setenv("POLYDESK_BENCH_DEPARTMENTS", "40")  # read by the module itself
    rt = runtime(tmp_path, POLYDESK_PLUGINS="generated=benchmarks.generated_departments")
    generated = rt.registry.departments_of_plugin("generated")
    assert len(generated) == 40 and len(rt.registry.departments) == 44
    assert rt.registry.departments["facilities_11"].name == "Facilities 11"
    for slug in generated:
        types = rt.registry.request_types_of(slug)
        assert 2 <= len(types) <= 3, slug
        assert len(rt.registry.queues_of(slug)) == 2
        for request_type in types:  # the forms accept what the generator files
            request_type.form.validate(sample_form_data(request_type.form, 1))
