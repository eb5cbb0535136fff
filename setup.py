"""Map the fixed folder layout onto the `polydesk.*` import namespace.

`core/`, `web/` and `plugins/` sit at the repository root but install as
`polydesk.core`, `polydesk.web` and `polydesk.plugins`; nothing is installed as a
bare top-level `core`. The package list is computed so that a new plugin,
migration or template folder is never silently left out of the wheel.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOTS = {"core": "polydesk.core", "plugins": "polydesk.plugins", "web": "polydesk.web"}


def _packages() -> list[str]:
    found = []
    for src, dst in ROOTS.items():
        for folder in [Path(src), *sorted(p for p in Path(src).rglob("*") if p.is_dir())]:
            if "__pycache__" in folder.parts or any(part.startswith(".") for part in folder.parts):
                continue
            if any(not part.isidentifier() for part in folder.relative_to(src).parts):
                # Not importable as a package; its files must sit in a folder that is.
                raise SystemExit(f"{folder}: folder names under {src}/ must be valid identifiers")
            found.append(".".join([dst, *folder.relative_to(src).parts]))
    return found


class BuildWithCatalogs(build_py):
    """Also compile each translation catalog (.po) into the .mo beside it, so the
    wheel ships compiled catalogs without committing binaries to the repository."""

    def run(self) -> None:
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted(Path(self.build_lib).rglob("locale/*/LC_MESSAGES/*.po")):
            with po.open("rb") as fp:
                catalog = read_po(fp)
            with po.with_suffix(".mo").open("wb") as fp:
                write_mo(fp, catalog, use_fuzzy=False)


setup(
    cmdclass={"build_py": BuildWithCatalogs},
    packages=_packages(),
    package_dir={dst: src for src, dst in ROOTS.items()},
    package_data={
        "": [
            "*.html",
            "*.js",
            "*.css",
            "*.map",
            "*.svg",
            "*.png",
            "*.jpg",
            "*.gif",
            "*.webp",
            "*.ico",
            "*.woff",
            "*.woff2",
            "*.ttf",
            "*.md",
            "*.txt",
            "*.json",
            "*.yaml",
            "*.sql",
            "*.po",
            "*.pot",
        ]
    },
)
