"""Translation for the whole process: gettext over per-area catalogs ("domains").

Every area keeps its own catalog so several people can translate at once without
touching the same files: the core's domains live in `core/locale/<lang>/LC_MESSAGES/
<domain>.po` (`CORE_DOMAINS`, in merge order), a plugin's in its own package's
`locale/<lang>/LC_MESSAGES/<domain>.po` (registered with `register_domain`; the web
layer registers every department package that has a `locale/` folder, domain = slug).
All domains of one language are merged into one `Translations` (core first), cached
per process. A missing or stale `.mo` is compiled from the `.po` in memory, so an
editable install needs no committed binaries.

The language and time zone are context variables: the web layer sets them per
request, mail code per recipient (`use_locale`). Plain English (`SOURCE_LOCALE`) is
the source language; messages are written in English in the code.

Conventions: `gettext("Saved %(name)s.", name=x)` formats after translating;
`N_("…")` marks a string declared in data (specs) for extraction and returns it
unchanged — it is translated where it is shown.
"""

from __future__ import annotations

import contextlib
import gettext as _gettext
import io
import re
import threading
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import LazyProxy, Translations

SOURCE_LOCALE = "en"
#: Languages with catalogs; folder names are Babel identifiers of BCP-47 tags
#: (zh_Hans = zh-Hans, zh_Hant = zh-Hant).
LOCALES: tuple[str, ...] = ("en", "zh_Hans", "zh_Hant", "pl")
LOCALE_DIR = Path(__file__).parent / "locale"
#: The core's domains, merged in this order (later ones win on a shared msgid).
CORE_DOMAINS: tuple[str, ...] = ("core", "portal", "agent", "admin", "mail")

_locale: ContextVar[str] = ContextVar("polydesk_locale", default=SOURCE_LOCALE)
_timezone: ContextVar[str] = ContextVar("polydesk_timezone", default="UTC")


@dataclass(frozen=True)
class Domain:
    """One catalog: `<directory>/<lang>/LC_MESSAGES/<name>.po`."""

    name: str
    directory: Path


_domains: list[Domain] = [Domain(name, LOCALE_DIR) for name in CORE_DOMAINS]
_cache: dict[str, _gettext.NullTranslations] = {}
_lock = threading.Lock()


def register_domain(name: str, directory: Path | str) -> None:
    """Add a plugin's catalog (merged after the core's). Idempotent."""
    domain = Domain(name, Path(directory))
    with _lock:
        if domain not in _domains:
            _domains.append(domain)
            _cache.clear()


def domains() -> list[Domain]:
    """Every registered catalog, core first."""
    return list(_domains)


def _load(domain: Domain, locale: str) -> Translations | None:
    folder = domain.directory / locale / "LC_MESSAGES"
    po, mo = folder / f"{domain.name}.po", folder / f"{domain.name}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fp:
            return Translations(fp, domain=domain.name)
    if not po.exists():
        return None
    # No compiled catalog (editable install) or an older one: compile in memory.
    with po.open("rb") as fp:
        catalog = read_po(fp, locale=locale, domain=domain.name)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=domain.name)


def translations(locale: str | None = None) -> _gettext.NullTranslations:
    """All domains of `locale` merged (cached); the source language translates to itself."""
    locale = locale or _locale.get()
    found = _cache.get(locale)
    if found is not None:
        return found
    merged: _gettext.NullTranslations = _gettext.NullTranslations()
    if locale != SOURCE_LOCALE:
        for domain in domains():
            loaded = _load(domain, locale)
            if loaded is None:
                continue
            if isinstance(merged, Translations):
                merged.merge(loaded)
            else:
                merged = loaded
    with _lock:
        _cache[locale] = merged
    return merged


def clear_cache() -> None:
    """Forget loaded catalogs (after `polydesk i18n compile`, or in tests)."""
    with _lock:
        _cache.clear()


def current_locale() -> str:
    return _locale.get()


def current_timezone() -> str:
    return _timezone.get()


def set_locale(locale: str, timezone: str | None = None) -> None:
    """Set the language (and time zone) of the current context (one request, one task)."""
    _locale.set(normalize(locale) or SOURCE_LOCALE)
    if timezone:
        _timezone.set(timezone)


@contextlib.contextmanager
def use_locale(locale: str, timezone: str | None = None) -> Iterator[None]:
    """Translate in `locale` inside the block (e.g. a mail to one recipient)."""
    token = _locale.set(normalize(locale) or SOURCE_LOCALE)
    tz_token = _timezone.set(timezone) if timezone else None
    try:
        yield
    finally:
        _locale.reset(token)
        if tz_token is not None:
            _timezone.reset(tz_token)


def normalize(value: str | None) -> str | None:
    """One of `LOCALES` for a tag such as "zh-TW", "zh_Hans_CN", "pl-PL"; None if unsupported."""
    if not value:
        return None
    try:
        locale = Locale.parse(value.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None
    if locale.language == "zh":
        # Babel fills in the likely script: zh-TW and zh-HK are Traditional.
        return "zh_Hant" if locale.script == "Hant" else "zh_Hans"
    return locale.language if locale.language in LOCALES else None


def valid_timezone(name: str | None) -> str | None:
    """`name` when it is an IANA time zone ("Europe/Warsaw", "UTC"), else None: also
    for folders of the zone database ("Europe") and its non-zones ("localtime")."""
    if not name or name in ("localtime", "posixrules", "Factory"):
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None
    return name


def babel_locale(locale: str | None = None) -> Locale:
    return Locale.parse(locale or _locale.get())


def gettext(message: str, **variables: Any) -> str:
    """`message` in the current language, then `%`-formatted with `variables` if any."""
    text = translations().gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    """The plural form for `n` (Polish has three); `%(num)s` is `n`."""
    text = translations().ngettext(singular, plural, n)
    return text % {"num": n, **variables}


def pgettext(context: str, message: str, **variables: Any) -> str:
    """`message` as meant in `context` (one English word, two translations: "Open" the
    state and "Open" the button), then `%`-formatted with `variables` if any."""
    text = translations().pgettext(context, message)
    return text % variables if variables else text


def npgettext(context: str, singular: str, plural: str, n: int, **variables: Any) -> str:
    """`ngettext` within `context`; `%(num)s` is `n`."""
    text = translations().npgettext(context, singular, plural, n)
    return text % {"num": n, **variables}


def lazy_gettext(message: str, **variables: Any) -> LazyProxy:
    """A message translated when it is used (for module-level constants)."""
    return LazyProxy(gettext, message, enable_cache=False, **variables)


def N_(message: str) -> str:
    """Mark `message` for extraction without translating it (it is translated where shown)."""
    return message


class Message:
    """A sentence Polydesk writes into stored data (a plugin's timeline note, an
    approval's reason) and shows to each reader in their own language.

    The English text is stored as the data's plain text (search, the JSON API and
    old readers keep working) and the message itself next to it (`to_data`), so the
    page, the mail and the CLI translate it when they show it. Parameters are
    `%(name)s` placeholders filled after translating; a parameter may be a string
    or number (shown as is: names, keys, amounts), another `Message` (translated
    too) or a list of those (one per line). Extraction picks up `Message("…")` and
    `PluralMessage("…", "…", n)`."""

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, /, **params: Any) -> None:
        self.msgid = msgid
        self.params = params

    def _translated(self) -> str:
        # gettext("") is the catalog's header, not an empty text.
        return translations().gettext(self.msgid) if self.msgid else ""

    def _english(self) -> str:
        return self.msgid

    def render(self) -> str:
        """The message in the current language (`use_locale`), its parameters too."""
        values = {name: _render_param(value) for name, value in self.params.items()}
        try:
            return self._translated() % values if values else self._translated()
        except (KeyError, ValueError, TypeError):
            # A translation whose placeholders do not match: English beats an error page.
            return self._english() % values if values else self._english()

    def __str__(self) -> str:
        with use_locale(SOURCE_LOCALE):
            return self.render()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and self.to_data() == other.to_data()

    def __hash__(self) -> int:
        return hash(self.msgid)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.msgid!r}, **{self.params!r})"

    def to_data(self) -> dict[str, Any]:
        """A JSON-able form, read back by `Message.from_data`."""
        return {"msgid": self.msgid, "params": _params_to_data(self.params)}

    @staticmethod
    def from_data(data: Any) -> Message | None:
        """The message stored by `to_data`; None for anything else (old rows, plain text)."""
        if not isinstance(data, dict) or not isinstance(data.get("msgid"), str):
            return None
        params = {
            str(name): _param_from_data(value) for name, value in (data.get("params") or {}).items()
        }
        msgid, plural, n = data["msgid"], data.get("plural"), data.get("n")
        if isinstance(plural, str) and isinstance(n, int):
            return PluralMessage(msgid, plural, n, **params)
        return Message(msgid, **params)


class PluralMessage(Message):
    """A `Message` with a plural form for `n` (`%(num)s`), e.g. "Opened %(num)s tasks"."""

    __slots__ = ("n", "plural")

    def __init__(self, singular: str, plural: str, n: int, /, **params: Any) -> None:
        super().__init__(singular, **params)
        self.plural = plural
        self.n = n
        self.params.setdefault("num", n)

    def _translated(self) -> str:
        return translations().ngettext(self.msgid, self.plural, self.n)

    def _english(self) -> str:
        return self.msgid if self.n == 1 else self.plural

    def to_data(self) -> dict[str, Any]:
        return {**super().to_data(), "plural": self.plural, "n": self.n}


@dataclass(frozen=True)
class Money:
    """An amount in a `Message`, shown the way the reader's language writes money."""

    amount: str
    currency: str

    def render(self) -> str:
        from babel.numbers import format_currency

        text = format_currency(Decimal(self.amount), self.currency, locale=babel_locale())
        # Babel glues a currency code to the digits ("PLN5,000.00"); CLDR spaces them.
        return re.sub(r"^([A-Z]{3})(?=[-\d])", "\\1\u00a0", text)


def _render_param(value: Any) -> Any:
    if isinstance(value, Message | Money):
        return value.render()
    if isinstance(value, list | tuple):
        return "\n".join(str(_render_param(item)) for item in value)
    return value


def _params_to_data(params: dict[str, Any]) -> dict[str, Any]:
    def one(value: Any) -> Any:
        if isinstance(value, Message):
            return {"message": value.to_data()}
        if isinstance(value, list | tuple):
            return {"lines": [one(item) for item in value]}
        if isinstance(value, Money):
            return {"money": [value.amount, value.currency]}
        if value is None or isinstance(value, str | int | float | bool):
            return value
        return str(value)

    return {name: one(value) for name, value in params.items()}


def _param_from_data(value: Any) -> Any:
    if isinstance(value, dict):
        if "message" in value:
            return Message.from_data(value["message"]) or ""
        if isinstance(value.get("lines"), list):
            return [_param_from_data(item) for item in value["lines"]]
        money = value.get("money")
        if isinstance(money, list) and len(money) == 2:
            return Money(str(money[0]), str(money[1]))
        return ""
    return value


def render_stored(text: str, data: Any) -> str:
    """Stored text in the current language: the `Message` kept in `data` when there is
    one (see `Message.to_data`), else the text as it was written."""
    message = Message.from_data(data)
    return message.render() if message is not None else text


def language_name(locale: str) -> str:
    """A language's own name for itself ("Polski", "简体中文")."""
    names = {"zh_Hans": "简体中文", "zh_Hant": "繁體中文"}
    if locale in names:
        return names[locale]
    return Locale.parse(locale).get_display_name(locale).capitalize()


def register_department_catalogs(registry: Any) -> None:
    """Register the catalog of every department whose package has a `locale/` folder
    (domain = the department's slug): bundled and third-party plugins alike."""
    from importlib.resources import files

    for department in registry.departments.values():
        if not department.package:
            continue
        try:
            folder = Path(str(files(department.package).joinpath("locale")))
        except (ModuleNotFoundError, TypeError):
            continue
        if folder.is_dir():
            register_domain(department.slug, folder)


#: English strings that other modules keep as data and the web shows translated
#: (navigation, rating scores, approval states, the login refusal): listed here so
#: extraction puts them in the core's catalog.
SHOWN_ELSEWHERE = (
    N_("Portal"),
    N_("My requests"),
    N_("Workspace"),
    N_("Admin"),
    N_("Very unhappy"),
    N_("Unhappy"),
    N_("Neutral"),
    N_("Happy"),
    N_("Very happy"),
    N_("Rate from 1 (very unhappy) to 5 (very happy)."),
    N_("pending"),
    N_("approved"),
    N_("rejected"),
    N_("Wrong username or password."),
    N_("Log in to continue."),
    # The assignment group every new ticket gets unless a plugin routes it.
    N_("general"),
)
