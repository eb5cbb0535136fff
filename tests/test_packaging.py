"""The wheel ships `polydesk/...` and nothing else, with every package, data file and plugin.

setup.py maps the root folders `core/`, `web/`, `plugins/` onto `polydesk.core`,
`polydesk.web`, `polydesk.plugins` (STYLE.md §3.4). A subpackage or data file
left out of that mapping is dropped from the wheel without a warning, while the
editable install the rest of the suite runs on still imports it from the
checkout. So these tests build the real wheel from a copy of the checkout (the
build writes `build/` and `*.egg-info/` into its source tree), read it, and
install it into a fresh virtualenv that has never seen the checkout.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path, PurePosixPath

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "polydesk-facilities"
#: source folder -> where it lands in the wheel
ROOTS = {"core": "polydesk/core", "plugins": "polydesk/plugins", "web": "polydesk/web"}
BUNDLED = {"it", "hr", "legal", "finance"}
DIST_INFO = re.compile(r"^polydesk-[^/]+\.dist-info$")
TIMEOUT = 900  # seconds for one pip or build step, on a cold cache


def _run(cmd: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(part) for part in cmd],
        cwd=cwd,
        env=_clean_env() if env is None else env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
    )
    if result.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, cmd))} exited {result.returncode}\n"
            f"--- stdout ---\n{result.stdout[-6000:]}\n--- stderr ---\n{result.stderr[-6000:]}"
        )
    return result.stdout


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment minus anything that points Python or Polydesk at the checkout or a DB."""
    dropped = ("POLYDESK_", "PICCOLO_", "PYTHON", "VIRTUAL_ENV", "DATABASE_URL")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    return {**env, **extra}


def _source_files() -> list[PurePosixPath]:
    """What a fresh clone holds, plus files not committed yet (but not git-ignored)."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"the packaging tests copy the checkout with git: {exc}")
    names = sorted({name for name in out.decode().split("\0") if name})
    return [PurePosixPath(name) for name in names if (REPO / name).is_file()]


@pytest.fixture(scope="module")
def sources() -> list[PurePosixPath]:
    """One snapshot of the checkout's files: the wheel is built from it and checked against it."""
    return _source_files()


@pytest.fixture(scope="module")
def shipped(sources: list[PurePosixPath]) -> list[tuple[PurePosixPath, str]]:
    """(source file, its path in the wheel) for every file under core/, plugins/, web/."""
    found = []
    for path in sources:
        if path.parts[0] in ROOTS and "__pycache__" not in path.parts:
            found.append((path, "/".join([ROOTS[path.parts[0]], *path.parts[1:]])))
    return found


@pytest.fixture(scope="module")
def wheel(sources: list[PurePosixPath], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel once, from a copy of the checkout, as `python -m build` does on release."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    for rel in sources:
        target = src / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, target)
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", tmp / "dist", src], cwd=src)
    wheels = sorted((tmp / "dist").glob("polydesk-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as zf:
        return set(zf.namelist())


@pytest.fixture(scope="module")
def entry_points(wheel: Path, wheel_names: set[str]) -> configparser.ConfigParser:
    (name,) = [n for n in wheel_names if n.endswith(".dist-info/entry_points.txt")]
    parser = configparser.ConfigParser(delimiters=("=",))
    parser.optionxform = str  # entry-point names are case-sensitive
    with zipfile.ZipFile(wheel) as zf:
        parser.read_string(zf.read(name).decode())
    return parser


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with nothing but the wheel (and its dependencies) installed."""
    path = tmp_path_factory.mktemp("venv") / "venv"
    _run([sys.executable, "-m", "venv", path], cwd=path.parent)
    python = path / "bin" / "python"
    _run([python, "-m", "pip", "install", "--quiet", wheel], cwd=path.parent)
    return path


def _python(venv: Path, code: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    return _run([venv / "bin" / "python", "-c", textwrap.dedent(code)], cwd=cwd, env=env)


# ---------------------------------------------------------------------------
# What the wheel holds
# ---------------------------------------------------------------------------


def test_wheel_holds_only_the_polydesk_namespace(wheel_names: set[str]) -> None:
    top = {name.split("/", 1)[0] for name in wheel_names}
    assert {t for t in top if not DIST_INFO.match(t)} == {"polydesk"}, sorted(top)
    # `polydesk` stays an implicit namespace package (its version comes from metadata).
    assert "polydesk/__init__.py" not in wheel_names


def test_every_python_package_is_in_the_wheel(
    wheel_names: set[str], shipped: list[tuple[PurePosixPath, str]]
) -> None:
    modules = [(src, dst) for src, dst in shipped if src.suffix == ".py"]
    assert any(src.parts[0] == "plugins" for src, _ in modules), "no plugin sources found"
    missing_dirs = sorted({str(src.parent) for src, dst in modules if dst not in wheel_names})
    assert not missing_dirs, f"folders with .py files left out of the wheel: {missing_dirs}"

    migration_dirs = sorted({src.parent for src, _ in modules if "piccolo_migrations" in src.parts})
    assert PurePosixPath("core/piccolo_migrations") in migration_dirs
    for folder in migration_dirs:
        dst = "/".join([ROOTS[folder.parts[0]], *folder.parts[1:], "__init__.py"])
        assert dst in wheel_names, f"{folder} is not a package in the wheel"


def test_templates_static_files_and_knowledge_are_in_the_wheel(
    wheel_names: set[str], shipped: list[tuple[PurePosixPath, str]]
) -> None:
    """Every other file under core/, plugins/, web/ ships too (see package_data in setup.py)."""
    data = [(src, dst) for src, dst in shipped if src.suffix != ".py"]
    missing = sorted(str(src) for src, dst in data if dst not in wheel_names)
    assert not missing, f"data files left out of the wheel (setup.py package_data?): {missing}"


def test_compiled_translation_catalogs_are_in_the_wheel(wheel_names: set[str]) -> None:
    """setup.py compiles every .po into a .mo at build time (the repository holds no .mo)."""
    for name in (
        "polydesk/core/locale/pl/LC_MESSAGES/portal.mo",
        "polydesk/core/locale/zh_Hant/LC_MESSAGES/core.mo",
        "polydesk/plugins/it/locale/zh_Hans/LC_MESSAGES/it.mo",
    ):
        assert name in wheel_names, f"{name} is not in the wheel"


def test_wheel_declares_the_bundled_plugins(entry_points: configparser.ConfigParser) -> None:
    plugins = dict(entry_points["polydesk.plugins"])
    assert plugins == {name: f"polydesk.plugins.{name}.hooks" for name in BUNDLED}


def test_every_entry_point_target_is_in_the_wheel(
    entry_points: configparser.ConfigParser, wheel_names: set[str]
) -> None:
    missing = []
    for group in entry_points.sections():
        for name, target in entry_points[group].items():
            module = target.split(":")[0].strip().replace(".", "/")
            if f"{module}.py" not in wheel_names and f"{module}/__init__.py" not in wheel_names:
                missing.append(f"[{group}] {name} = {target}")
    assert not missing, f"entry points whose module is not in the wheel: {missing}"


# ---------------------------------------------------------------------------
# The installed wheel, in a virtualenv that has never seen the checkout
# ---------------------------------------------------------------------------


def test_installed_wheel_imports_and_finds_its_departments(venv: Path, tmp_path: Path) -> None:
    out = _python(
        venv,
        """
        import importlib, json
        import polydesk.core, polydesk.web
        from polydesk.core.pluginmanager import create_plugin_manager
        from polydesk.core.registry import build_registry

        bare = {}
        for name in ("core", "web", "plugins"):
            try:
                importlib.import_module(name)
            except ModuleNotFoundError:
                bare[name] = False
            else:
                bare[name] = True
        registry = build_registry(create_plugin_manager())
        print(json.dumps({
            "core_file": polydesk.core.__file__,
            "bare": bare,
            "departments": sorted(registry.departments),
            "owners": registry.department_plugin,
        }))
        """,
        cwd=tmp_path,  # not the checkout: there `import core` would find the folder
    )
    found = json.loads(out.splitlines()[-1])
    assert Path(found["core_file"]).is_relative_to(venv), found["core_file"]
    assert found["bare"] == {"core": False, "web": False, "plugins": False}
    assert set(found["departments"]) == BUNDLED
    assert found["owners"] == {name: name for name in BUNDLED}


def test_example_plugin_installs_registers_and_migrates(venv: Path, tmp_path: Path) -> None:
    """The README's third-party plugin, installed beside the wheel, is found and migrates."""
    site = tmp_path / "site"  # the plugin goes here, so the shared venv stays plain polydesk
    python = venv / "bin" / "python"
    _run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", "--target", site, EXAMPLE],
        tmp_path,
    )
    data_dir = tmp_path / "data"
    env = _clean_env(
        PYTHONPATH=str(site),
        POLYDESK_DATA_DIR=str(data_dir),
        PICCOLO_CONF="polydesk.core.piccolo_conf",
    )

    out = _python(
        venv,
        """
        import json
        from polydesk.core.i18n import gettext, register_department_catalogs, use_locale
        from polydesk.core.pluginmanager import create_plugin_manager
        from polydesk.core.registry import build_registry

        registry = build_registry(create_plugin_manager())
        repair = registry.request_types["facilities.repair"]
        register_department_catalogs(registry)
        with use_locale("pl"):
            polish = gettext(repair.name)
        print(json.dumps({
            "polish": polish,
            "departments": sorted(registry.departments),
            "owner": registry.department_plugin["facilities"],
            "key_prefix": registry.department("facilities").key_prefix,
            "form": repair.form.validate({"location": "Room 2.14", "floor": "2", "urgency": "high"}),
            "queues": [q.key for q in registry.queues_of("facilities")],
        }))
        """,
        cwd=tmp_path,
        env=env,
    )
    found = json.loads(out.splitlines()[-1])
    assert set(found["departments"]) == BUNDLED | {"facilities"}
    assert found["owner"] == "facilities"
    assert found["key_prefix"] == "FAC"
    assert found["form"] == {"location": "Room 2.14", "floor": 2, "urgency": "high"}
    assert found["queues"] == ["facilities.open"]
    assert found["polish"] == "Zgłoś usterkę"  # its locale/ shipped and loaded by slug

    _run([python, "-m", "piccolo.main", "migrations", "forwards", "all"], tmp_path, env)
    with sqlite3.connect(data_dir / "polydesk.sqlite3") as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        columns = {row[1] for row in conn.execute("PRAGMA table_info(facilities_room)")}
    assert {"ticket", "plugin_state", "facilities_room"} <= tables
    assert {"id", "name", "floor"} <= columns
