"""`polydesk i18n extract|update|compile`: one command each, over one list of domains.

Each domain names the files whose strings it owns (glob patterns relative to the
source checkout) and where its catalogs live; the core's domains keep theirs in
`core/locale/`, each bundled plugin in `plugins/<slug>/locale/` (domain = slug).
A third-party plugin runs the same commands with `--plugin-dir path/to/package`.
These are developer commands: they work on a source checkout.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import extract as extract_stream
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from polydesk.core import i18n

ROOT = Path(__file__).resolve().parent.parent
#: Function names whose string arguments are messages (Python and templates).
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "N_": None,
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "Message": None,
    "PluralMessage": (1, 2),
}
COMMENT_TAGS = ("Translators:",)
METHODS = {".py": "python", ".html": "jinja2.ext:babel_extract", ".txt": "jinja2.ext:babel_extract"}


@dataclass(frozen=True)
class CatalogDomain:
    """A domain's sources (globs under `root`) and catalog folder."""

    name: str
    root: Path
    sources: tuple[str, ...]
    locale_dir: Path

    def files(self) -> Iterator[Path]:
        seen: set[Path] = set()
        for pattern in self.sources:
            for path in sorted(self.root.glob(pattern)):
                if path.suffix in METHODS and path not in seen and "locale" not in path.parts:
                    seen.add(path)
                    yield path

    @property
    def pot(self) -> Path:
        return self.locale_dir / f"{self.name}.pot"

    def po(self, locale: str) -> Path:
        return self.locale_dir / locale / "LC_MESSAGES" / f"{self.name}.po"


CORE_LOCALE = ROOT / "core" / "locale"
#: The core's areas. A file belongs to one domain only; later helpers add their files here.
CORE_SOURCES: dict[str, tuple[str, ...]] = {
    "core": (
        "core/forms.py",
        "core/i18n.py",
        "core/errors.py",
        "core/tickets/services.py",
        "core/tickets/attachments.py",
        "core/tickets/ratings.py",
        "core/tickets/saved_queues.py",
        "core/announcements/services.py",
        "core/knowledge/articles.py",
        "core/knowledge/attachments.py",
        "core/knowledge/review.py",
        "core/knowledge/feedback.py",
        "core/knowledge/search.py",
        "core/knowledge/services.py",
        "core/knowledge/links.py",
        "core/knowledge/base.py",
        "core/knowledge/translations.py",
        "core/knowledge/diff.py",
        "core/sla/config.py",
        "core/sla/admin.py",
        "core/sla/calendars.py",
        "core/people/services.py",
        "core/people/admin.py",
        "core/mail/mailboxes.py",
    ),
    "portal": (
        "web/templates/base.html",
        "web/templates/login.html",
        "web/templates/error.html",
        "web/templates/_macros.html",
        "web/templates/portal/*.html",
        "web/controllers/portal.py",
        "web/i18n.py",
        "web/rendering.py",
        "core/people/throttle.py",
        "core/people/profile.py",
        "web/templates/profile.html",
        "web/controllers/profile.py",
    ),
    "agent": (
        "web/templates/agent/*.html",
        "web/templates/knowledge/*.html",
        "web/templates/announcements/*.html",
        "web/controllers/agent.py",
        "web/controllers/knowledge_pages.py",
        "web/controllers/announcements.py",
    ),
    "admin": (
        "web/templates/admin/*.html",
        "web/templates/notifications.html",
        "web/templates/tokens.html",
        "web/controllers/admin.py",
        "web/controllers/mail_admin.py",
        "web/controllers/mailboxes_admin.py",
        "web/controllers/notification_prefs.py",
        "web/controllers/pages.py",
        "web/cli.py",
    ),
    "mail": (
        "web/templates/mail/*.txt",
        "web/templates/mail/*.html",
        "web/mail_templates.py",
        "core/mail/outbound.py",
    ),
}


def core_domains() -> list[CatalogDomain]:
    return [
        CatalogDomain(name, ROOT, CORE_SOURCES[name], CORE_LOCALE) for name in i18n.CORE_DOMAINS
    ]


def plugin_domain(package_dir: Path, name: str | None = None) -> CatalogDomain:
    """A plugin package folder: every .py and template in it. The domain must be the
    department's slug (what the runtime loads): `name`, else the one .pot already in
    `locale/`, else the folder name (right for bundled plugins, plugins/<slug>/)."""
    package_dir = package_dir.resolve()
    if name is None:
        pots = sorted((package_dir / "locale").glob("*.pot"))
        name = pots[0].stem if len(pots) == 1 else package_dir.name
    return CatalogDomain(
        name, package_dir, ("**/*.py", "**/*.html", "**/*.txt"), package_dir / "locale"
    )


def all_domains() -> list[CatalogDomain]:
    plugins = sorted(p for p in (ROOT / "plugins").iterdir() if (p / "locale").is_dir())
    return [*core_domains(), *(plugin_domain(p) for p in plugins)]


def extract(domain: CatalogDomain) -> Catalog:
    """Every message of the domain's files, as a template catalog."""
    catalog = Catalog(project="Polydesk", domain=domain.name, fuzzy=False)
    for path in domain.files():
        method = METHODS[path.suffix]
        options = {"trimmed": "true"} if method != "python" else {}
        with path.open("rb") as fp:
            found = extract_stream(
                method, fp, KEYWORDS, COMMENT_TAGS, options, strip_comment_tags=True
            )
            relative = path.relative_to(domain.root).as_posix()
            for lineno, message, comments, context in found:
                catalog.add(
                    message, None, [(relative, lineno)], auto_comments=comments, context=context
                )
    return catalog


def _write_po(path: Path, catalog: Catalog, **kwargs: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_by_file=True, **kwargs)  # type: ignore[arg-type]
    path.write_bytes(buffer.getvalue())


def _selected(names: Iterable[str], plugin_dir: Path | None) -> list[CatalogDomain]:
    if plugin_dir is not None:
        slugs = list(names)
        if len(slugs) > 1:
            raise click.ClickException("--plugin-dir takes one --domain: the department's slug")
        return [plugin_domain(plugin_dir, slugs[0] if slugs else None)]
    domains = all_domains()
    wanted = set(names)
    unknown = wanted - {d.name for d in domains}
    if unknown:
        raise click.ClickException(f"unknown domain(s): {', '.join(sorted(unknown))}")
    return [d for d in domains if not wanted or d.name in wanted]


_domain_opt = click.option(
    "--domain", "-d", "names", multiple=True, help="Only this domain (repeatable); default all."
)
_plugin_opt = click.option(
    "--plugin-dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="A plugin package folder outside this checkout (its catalogs go in <dir>/locale); "
    "name the domain with -d <department slug> the first time.",
)


@click.group("i18n")
def i18n_group() -> None:
    """Translation catalogs: extract, update, compile (see core/locale/GLOSSARY.md)."""


@i18n_group.command("extract")
@_domain_opt
@_plugin_opt
def extract_command(names: tuple[str, ...], plugin_dir: Path | None) -> None:
    """Write each domain's .pot from the code and templates."""
    for domain in _selected(names, plugin_dir):
        catalog = extract(domain)
        _write_po(domain.pot, catalog, omit_header=False)
        click.echo(f"{domain.pot}: {len(catalog)} messages")


@i18n_group.command("update")
@_domain_opt
@_plugin_opt
def update_command(names: tuple[str, ...], plugin_dir: Path | None) -> None:
    """Merge each domain's .pot into its .po files (created when missing)."""
    for domain in _selected(names, plugin_dir):
        if not domain.pot.exists():
            raise click.ClickException(f"{domain.pot} is missing: run `polydesk i18n extract`")
        with domain.pot.open("rb") as fp:
            template = read_po(fp)
        for locale in i18n.LOCALES:
            if locale == i18n.SOURCE_LOCALE:
                continue
            path = domain.po(locale)
            if path.exists():
                with path.open("rb") as fp:
                    catalog = read_po(fp, locale=locale, domain=domain.name)
                catalog.update(template)
            else:
                catalog = Catalog(locale=locale, domain=domain.name, project="Polydesk")
                catalog.update(template)
            _write_po(path, catalog, ignore_obsolete=True)
            click.echo(f"{path}: {len(catalog)} messages")


@i18n_group.command("compile")
@_domain_opt
@_plugin_opt
def compile_command(names: tuple[str, ...], plugin_dir: Path | None) -> None:
    """Write the .mo beside each .po (fuzzy entries are left out)."""
    for domain in _selected(names, plugin_dir):
        for locale in i18n.LOCALES:
            path = domain.po(locale)
            if path.exists():
                compile_po(path)
                click.echo(f"{path.with_suffix('.mo')}")
    i18n.clear_cache()


def compile_po(path: Path) -> Path:
    """Compile one .po into the .mo beside it."""
    with path.open("rb") as fp:
        catalog = read_po(fp)
    target = path.with_suffix(".mo")
    with target.open("wb") as fp:
        write_mo(fp, catalog, use_fuzzy=False)
    return target
