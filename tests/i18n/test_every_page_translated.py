"""Every page of the portal, the workspace and the admin console in Simplified Chinese,
Traditional Chinese and Polish shows no English where a translation belongs (issue 10:
"switching the language changes every page").

One desk is seeded for the module (`_every_page_desk.py`: a ticket of every request type
with the plugins' work, replies, notes, transitions, approvals, a rating; knowledge
articles; announcements; a mailbox...), its user data in Greek so that nothing a person
typed can pass for English. The pages are not listed by hand: starting from every GET
route of the app that serves HTML (path parameters filled from the seeded data), the
test follows the links (`href`) and the fragments htmx loads (`hx-get`) within each
viewer's area, as an anonymous visitor, a requester (language from their profile), an
agent and an admin (language from Accept-Language), plus error pages. A page added
later is visited as soon as a route or a link leads to it; a route with path parameters
that nothing fills fails `test_every_html_route_is_visited`.

Each page's visible text (text nodes outside <script>/<style>, and the `placeholder`,
`title`, `aria-label`, `alt` attributes and button values) is checked with two rules:

* **English msgid**: a text that is an English msgid of the catalogs (or one filled in
  through its %(parameters)s) that the language translates differently, or not yet;
* **English without a catalog entry**: a text with a Latin word that the language's
  own catalogs (every msgstr), its CLDR data (Babel: month, day and unit names) and
  the seeded data never use - English hard-coded in a template or in Python.

All offending strings of all pages are reported at once, by language and page.
"""

from __future__ import annotations

import dataclasses
import re
import zoneinfo
from collections import Counter, defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from babel import Locale
from babel.messages.pofile import read_po
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

from polydesk.core import i18n
from polydesk.core.catalog.services import sync_catalog
from polydesk.core.people.tables import Person
from polydesk.core.plugin_state.services import sync_plugin_rows
from polydesk.core.pluginmanager import create_plugin_manager
from polydesk.core.runtime import Runtime
from polydesk.web.app import create_app
from tests.conftest import _truncate
from tests.i18n._every_page_desk import ADMIN, AGENT, REQUESTER, SEARCH_WORD, Desk, seed

LANGS = ("zh_Hans", "zh_Hant", "pl")
#: The organisation's language while the desk is seeded (see `sweep`).
ORGANISATION = "zh_Hant"
ACCEPT = {"zh_Hans": "zh-CN,zh;q=0.9", "zh_Hant": "zh-TW,zh;q=0.9", "pl": "pl-PL,pl;q=0.9"}
HTML_LANG = {"zh_Hans": "zh-Hans", "zh_Hant": "zh-Hant", "pl": "pl"}

# -- which routes are pages --------------------------------------------------------------

#: Not pages: the JSON API, static files, the OpenAPI schema, health and generated CSS.
SKIP_PREFIXES = ("/api/", "/static/", "/schema", "/-/")
#: File downloads (an attachment's bytes, not a page).
SKIP_ROUTES = {
    "/tickets/{ref:str}/attachments/{attachment_id:int}",
    "/knowledge/files/{attachment_id:int}",
}
#: What each viewer browses (prefixes; "/" alone is the home page): links leading
#: elsewhere are not followed for that viewer (the agent shows the workspace).
AREAS = {
    "anonymous": ("/", "/login", "/search", "/portal/"),
    "requester": ("/", "/search", "/portal/", "/requests", "/me/"),
    "agent": ("/", "/search", "/portal/", "/requests", "/me/", "/agent"),
    "admin": ("/", "/admin", "/me/", "/portal/"),
}
#: Error pages ("no such page", "not for you") and pages outside the viewer's area.
PROBES = {
    "anonymous": ["/zz-no-such-page", "/agent", "/requests"],
    "requester": ["/zz-no-such-page", "/agent", "/admin", "/requests/ZZ-404"],
    "agent": ["/zz-no-such-page", "/admin", "/agent/tickets/ZZ-404", "/agent/knowledge/99999"],
    "admin": ["/zz-no-such-page", "/agent", "/admin/people/99999", "/admin/mail/templates/zz"],
}
#: Besides the seeds, how many linked URLs of one route each viewer visits; URLs that
#: differ by these parameters count apart (SLA calendars and policies, each mail
#: template, a transition's fields, a child task's form).
CAP = 2
VARYING = ("kind", "transition", "child_type")


def page_routes(app: Litestar) -> list[str]:
    """Every GET route that serves a page (path templates as Litestar writes them)."""
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith(SKIP_PREFIXES):
            continue
        if route.path in SKIP_ROUTES:
            continue
        if any("GET" in handler.http_methods for handler in route.route_handlers):
            found.append(route.path)
    return found


def route_pattern(path: str) -> re.Pattern[str]:
    """A regex for a Litestar path template, its parameters as named groups."""
    regex = ""
    for part in re.split(r"(\{[^}]+\})", path):
        if part.startswith("{"):
            name, _sep, kind = part[1:-1].partition(":")
            value = r"\d+" if kind == "int" else r"[^/]+"
            regex += f"(?P<{name}>{value})"
        else:
            regex += re.escape(part)
    return re.compile(regex + "/?")


def seeds(desk: Desk, registry: Any) -> dict[str, list[str]]:
    """Pages with path parameters filled from the seeded data, by viewer (the routes
    without parameters are added for everyone; the rest is found through links)."""
    slugs = list(registry.departments)
    types = list(registry.request_types.values())
    departments = [f"/portal/{s}" for s in slugs]
    first_of_each = {desk.tickets[k].split(".")[0]: k for k in reversed(desk.requester_tickets)}
    shown = [desk.approval_ticket, desk.resolved_ticket, *first_of_each.values()]
    articles = [f"/portal/articles/{a}" for a in desk.articles]
    searches = [f"/search?q={SEARCH_WORD}", "/search?q=zzqqzz"]  # found, and nothing found
    return {
        "anonymous": [*departments, *searches],
        "requester": [
            *departments,
            *(f"/portal/{rt.department}/new/{rt.key}" for rt in types if not rt.agents_only),
            f"/portal/{slugs[-1]}/suggest?title={SEARCH_WORD}",
            *articles,
            *(f"/requests/{k}" for k in dict.fromkeys(shown) if k),
            *searches,
        ],
        "agent": [
            *(f"/portal/{rt.department}/new/{rt.key}" for rt in types if rt.agents_only),
            *(f"/agent/tickets/{k}" for k in desk.tickets),
            f"/agent/tickets/{desk.approval_ticket}/sla",
            f"/agent/tickets/{desk.approval_ticket}/article-links?q={SEARCH_WORD}",
            *(f"/agent/knowledge/{a}" for a in (*desk.articles, desk.draft_article)),
            *(f"/agent/knowledge/{a}/diff?from=1&to=2" for a in desk.articles),
            *articles,
        ],
        "admin": [
            *(f"/admin/people/{p}" for p in desk.people.values()),
            f"/admin/mailboxes/{desk.mailbox_id}",
            "/admin/people?q=zz",
            "/admin/people?q=zzqqzz",
            *(f"/portal/{s}/announcements" for s in slugs),
        ],
    }


# -- reading a page ----------------------------------------------------------------------

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
SHOWN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
BUTTON_INPUTS = {"submit", "button", "reset"}


#: Machine text, not language: keys, JSON, headers, template source in <code>; what a
#: <textarea> holds is an input's value (like the `value` of a text input).
MACHINE = {"code", "kbd", "samp", "textarea", "script", "style"}


@dataclass(frozen=True)
class Text:
    text: str
    where: str  # "text", or the attribute it was read from
    context: str  # the nearest element with an id, and the text's own element
    timeline: bool  # inside a ticket's timeline (plugins write notes there)


class PageReader(HTMLParser):
    """The visible text of a page, the links it has and the fragments htmx loads."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[Text] = []
        self.links: list[str] = []
        self.fragments: list[str] = []
        self.html_lang: str | None = None  # None: a fragment, not a whole page
        self._stack: list[tuple[str, str, bool, str]] = []  # (tag, label, timeline, lang)
        self._data: list[str] = []

    def _context(self) -> tuple[str, bool]:
        labels = [label for _tag, label, _t, _l in self._stack]
        anchor = next((label for label in reversed(labels) if "#" in label), "")
        own = labels[-1] if labels else ""
        context = anchor if own == anchor else f"{anchor} {own}".strip()
        return context, any(timeline for _tag, _label, timeline, _l in self._stack)

    def _foreign(self) -> bool:
        """Inside an element that says it is in another language (`lang`): the
        switcher names each language in itself ("English", "Polski")."""
        declared = [lang for _t, _l, _tl, lang in self._stack if lang]
        return bool(declared) and declared[-1] != self.html_lang

    def _add(self, text: str, where: str) -> None:
        text = " ".join(text.split())
        if text and not self._foreign():
            context, timeline = self._context()
            self.texts.append(Text(text, where, context, timeline))

    def _flush(self) -> None:
        text, self._data = "".join(self._data), []
        if not any(tag in MACHINE for tag, _label, _t, _l in self._stack):
            self._add(text, "text")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush()
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.html_lang = values.get("lang", "")
        classes = values.get("class", "").split()
        label = f"{tag}#{values['id']}" if values.get("id") else ".".join([tag, *classes[:1]])
        lang = values.get("lang", "") if tag != "html" else ""
        self._stack.append((tag, label, "timeline" in classes, lang))
        for name in SHOWN_ATTRIBUTES:
            self._add(values.get(name, ""), name)
        if tag == "input" and values.get("type") in BUTTON_INPUTS:
            self._add(values.get("value", ""), "value")
        if tag in VOID:
            self._stack.pop()
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if values.get("hx-get"):
            self.fragments.append(values["hx-get"])

    def handle_endtag(self, tag: str) -> None:
        self._flush()
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:  # closes what it left open too
                del self._stack[index:]
                break

    def handle_data(self, data: str) -> None:
        self._data.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


# -- the catalogs ------------------------------------------------------------------------

LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]{2,}")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


def words(text: str) -> set[str]:
    return {w.lower() for w in LATIN_WORD.findall(text)}


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict) or hasattr(value, "items"):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _strings(item)


@dataclass
class Pattern:
    """A msgid with parameters, as a regex over the text it renders."""

    msgid: str
    literal: str  # its longest literal part, a quick filter before the regex
    regex: re.Pattern[str]


def _literals(message: str) -> list[str]:
    return [part.replace("%%", "%") for part in PLACEHOLDER.sub("\0", message).split("\0")]


def _pattern(message: str) -> re.Pattern[str]:
    return re.compile("(.+?)".join(re.escape(part) for part in _literals(message)))


@dataclass
class Catalogs:
    """Every msgid of every domain (core and plugins) with its translations."""

    english: set[str] = field(default_factory=set)
    patterns: list[Pattern] = field(default_factory=list)
    translated: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    msgstrs: dict[str, set[str]] = field(default_factory=dict)
    vocabulary: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Catalogs:
        found = cls()
        for lang in LANGS:
            found.translated[lang] = defaultdict(set)
            found.msgstrs[lang] = set()
            found.vocabulary[lang] = cls._cldr_words(lang)
            for locale in i18n.LOCALES:
                found.vocabulary[lang] |= words(i18n.language_name(locale))
        msgids: set[str] = set()
        for domain in i18n.domains():
            pot = domain.directory / f"{domain.name}.pot"
            for message in cls._read(pot, None):
                msgids.update(cls._ids(message))
            for lang in LANGS:
                po = domain.directory / lang / "LC_MESSAGES" / f"{domain.name}.po"
                for message in cls._read(po, lang):
                    ids = cls._ids(message)
                    msgids.update(ids)
                    strings = (
                        message.string if isinstance(message.string, tuple) else (message.string,)
                    )
                    strings = [] if message.fuzzy else [" ".join(s.split()) for s in strings if s]
                    for msgid in ids:
                        found.translated[lang][msgid].update(strings)
                    found.msgstrs[lang].update(strings)
                    # A msgstr that copies its msgid ("SLA", "Laptop") counts as itself
                    # only: its words do not make English the language's vocabulary.
                    for string in set(strings) - set(ids):
                        found.vocabulary[lang] |= words(PLACEHOLDER.sub(" ", string))
        for msgid in msgids:
            if PLACEHOLDER.search(msgid):
                literal = max(_literals(msgid), key=len)
                # Only msgids whose own words say something ("%(name)s (%(key)s)" does not).
                if len(LATIN_WORD.findall(PLACEHOLDER.sub(" ", msgid))) >= 2:
                    found.patterns.append(Pattern(msgid, literal, _pattern(msgid)))
            else:
                found.english.add(msgid.replace("%%", "%"))
        return found

    @staticmethod
    def _read(path: Path, lang: str | None) -> list[Any]:
        if not path.exists():
            return []
        with path.open("rb") as fp:
            return [m for m in read_po(fp, locale=lang) if m.id]

    @staticmethod
    def _ids(message: Any) -> list[str]:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        return [" ".join(i.split()) for i in ids if i]

    @staticmethod
    def _cldr_words(lang: str) -> set[str]:
        """The words Babel's locale data gives this language (dates, units, names)."""
        data = Locale.parse(lang)._data
        return {w for s in _strings(dict(data.items())) for w in words(s)}


# -- the two rules -----------------------------------------------------------------------

#: Data, not language: addresses, links, ticket keys, machine keys ("it.incident",
#: "plugin.disabled"), the seeded usernames (zz...).
DATA = re.compile(
    r"\S+@\S+"
    r"|https?://\S+"
    r"|\b[A-Z]{2,5}-\d*(?![\w-])"  # ticket keys and their prefixes ("FIN-")
    r"|(?<![\w/])/[\w./-]+"  # paths
    r"|•+\S*"  # masked bank details
    r"|\b[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+\b"
    r"|\bzz[a-z0-9._-]*"
)
TIME_ZONES = zoneinfo.available_timezones()


@dataclass(frozen=True)
class Finding:
    rule: str
    text: str
    detail: str = ""


class Checker:
    def __init__(self, catalogs: Catalogs, desk: Desk, registry: Any) -> None:
        self.catalogs = catalogs
        # Time zone names, format samples (IBANs, cost centres) and the test client's
        # address in the audit log are shown as they are.
        self.data_exact = {*TIME_ZONES, *desk.samples, "testclient"}
        # Department (and plugin) keys: the plugins page says "Disable it".
        self.data_words = set(registry.departments)
        self._cache: dict[tuple[str, str], Finding | None] = {}

    def check(self, lang: str, text: str) -> Finding | None:
        key = (lang, text)
        if key not in self._cache:
            self._cache[key] = self._check(lang, text)
        return self._cache[key]

    def _check(self, lang: str, text: str) -> Finding | None:
        catalogs = self.catalogs
        if text in self.data_exact or text in catalogs.msgstrs[lang]:
            return None
        if text in catalogs.english:
            own = catalogs.translated[lang].get(text)
            return Finding("english msgid", text, "translated" if own else "no translation")
        for pattern in catalogs.patterns:
            if pattern.literal in text and pattern.regex.fullmatch(text):
                own = catalogs.translated[lang].get(pattern.msgid) or set()
                if not any(_pattern(t).fullmatch(text) for t in own):
                    detail = "translated" if own else "no translation"
                    return Finding("english msgid", text, f"{pattern.msgid!r}, {detail}")
        residue = DATA.sub(" ", text)
        unknown = [
            w
            for w in LATIN_WORD.findall(residue)
            if w.lower() not in catalogs.vocabulary[lang] and w not in self.data_words
        ]
        if unknown:
            return Finding("no catalog entry", text, ", ".join(dict.fromkeys(unknown)))
        return None


# -- visiting the pages ------------------------------------------------------------------


@dataclass
class Visit:
    lang: str
    role: str
    url: str
    status: int
    route: str | None
    findings: list[tuple[Text, Finding]]


@dataclass
class Sweep:
    routes: list[str]
    visits: list[Visit]

    def __repr__(self) -> str:  # pytest shows fixtures of a failed test
        return f"Sweep({len(self.routes)} routes, {len(self.visits)} pages)"


def in_area(role: str, path: str) -> bool:
    return any(path == p if p == "/" else path.startswith(p) for p in AREAS[role])


class Crawler:
    def __init__(
        self,
        client: AsyncTestClient,
        routes: list[str],
        desk: Desk,
        registry: Any,
        checker: Checker,
    ) -> None:
        self.client = client
        # Most specific first: literal segments beat parameters.
        self.routes = sorted(
            ((r, route_pattern(r)) for r in routes),
            key=lambda item: -len(re.sub(r"\{[^}]+\}", "", item[0])),
        )
        self.seeds = seeds(desk, registry)
        self.desk = desk
        self.checker = checker

    def route_of(self, path: str) -> tuple[str | None, dict[str, str]]:
        for route, pattern in self.routes:
            matched = pattern.fullmatch(path)
            if matched:
                return route, matched.groupdict()
        return None, {}

    def start(self, role: str) -> list[str]:
        plain = [r for r, _p in self.routes if "{" not in r and in_area(role, r)]
        return [*PROBES[role], *plain, *self.seeds[role]]

    def headers(self, role: str, lang: str, htmx: bool) -> dict[str, str]:
        headers = {"Accept-Language": ACCEPT[lang]}
        if role == "requester":
            headers["Accept-Language"] = "en-GB,en;q=0.9"  # the profile's language wins
            # ... and logging in keeps it in a cookie (read where no route knows the person).
            headers["Cookie"] = f"polydesk_locale={lang}"
        if role != "anonymous":
            username = {"requester": REQUESTER, "agent": AGENT, "admin": ADMIN}[role]
            headers["Authorization"] = f"Bearer {self.desk.tokens[username]}"
        if htmx:
            headers["HX-Request"] = "true"
        return headers

    async def crawl(self, role: str, lang: str) -> list[Visit]:
        """Visit the viewer's pages in `lang`, then the pages and fragments they link to."""
        visits: list[Visit] = []
        start = self.start(role)
        queue = deque((url, False, True) for url in start)
        seen: set[tuple[str, bool]] = set()
        taken: Counter[tuple[Any, ...]] = Counter()
        while queue:
            url, htmx, seeded = queue.popleft()
            if (url, htmx) in seen:
                continue
            seen.add((url, htmx))
            parts = urlsplit(url)
            route, params = self.route_of(parts.path)
            if not seeded:
                if route is None or not in_area(role, parts.path):
                    continue
                params.update(parse_qsl(parts.query))
                cap = (route, htmx, *(params.get(name) for name in VARYING))
                if taken[cap] >= CAP:
                    continue
                taken[cap] += 1
            response = await self.client.get(
                url, headers=self.headers(role, lang, htmx), follow_redirects=False
            )
            if response.is_redirect:
                queue.append((self._local(url, response.headers["location"]), htmx, seeded))
                continue
            kind = response.headers.get("content-type", "")
            assert kind.startswith("text/html"), f"{role} {url}: {response.status_code} {kind}"
            reader = PageReader()
            reader.feed(response.text)
            reader.close()
            findings = []
            if reader.html_lang is not None and reader.html_lang != HTML_LANG[lang]:
                shown = Text(f'<html lang="{reader.html_lang}">', "page", "html", False)
                findings.append((shown, Finding("page not in the language", shown.text)))
            for text in reader.texts:
                found = self.checker.check(lang, text.text)
                if found is not None:
                    findings.append((text, found))
            visits.append(Visit(lang, role, url, response.status_code, route, findings))
            queue.extend((self._local(url, link), False, False) for link in reader.links)
            queue.extend((self._local(url, link), True, False) for link in reader.fragments)
        return visits

    @staticmethod
    def _local(base: str, link: str) -> str:
        parts = urlsplit(urljoin(base, link))
        if parts.netloc not in ("", "testserver.local"):
            return "//external"
        return parts._replace(scheme="", netloc="", fragment="").geturl()


@pytest.fixture(scope="module")
async def sweep(migrated_database: None, settings: Any) -> Sweep:
    """Seed one desk and visit every page in every language as every viewer."""
    await _truncate()
    runtime = Runtime.create(settings, create_plugin_manager())
    await sync_catalog(runtime.registry)
    await sync_plugin_rows(runtime.pm)
    app = create_app(runtime=runtime, background=False)
    i18n.register_department_catalogs(runtime.registry)
    checker_catalogs = Catalogs.load()
    async with AsyncTestClient(app=app) as client:
        # What plugins store as plain data (HR's task titles, a rejection reason) is
        # written in the organisation's language: seed in one that is not English, so
        # English stored by a plugin that bypasses `desk.write` shows up.
        runtime.settings = dataclasses.replace(settings, default_locale=ORGANISATION)
        desk = await seed(runtime)
        runtime.settings = settings
        # An admin action or two for the audit log, through the console itself.
        admin = {"Authorization": f"Bearer {desk.tokens[ADMIN]}"}
        for action in ("disable", "enable"):
            done = await client.post(f"/admin/plugins/legal/{action}", headers=admin)
            assert done.status_code in (200, 303), done.text
        routes = page_routes(app)
        crawler = Crawler(
            client,
            routes,
            desk,
            runtime.registry,
            Checker(checker_catalogs, desk, runtime.registry),
        )
        visits: list[Visit] = []
        for lang in LANGS:
            await Person.update({Person.locale: lang}).where(Person.id == desk.people[REQUESTER])
            for role in AREAS:
                visits += await crawler.crawl(role, lang)
    return Sweep(routes, visits)


def report(visits: list[Visit]) -> tuple[str, int]:
    """Every offending string, page by page (a string repeated on a page once, with
    how often), timeline entries (where plugins write notes) in a section of their own."""
    lines: list[str] = []
    count = 0
    for section, timeline in (("Pages", False), ("Timeline entries", True)):
        body = []
        for visit in visits:
            found: dict[tuple[str, str, str], list[Text]] = {}
            for text, finding in visit.findings:
                if text.timeline == timeline:
                    key = (finding.rule, text.text, finding.detail)
                    found.setdefault(key, []).append(text)
            if not found:
                continue
            body.append(f"  {visit.role} GET {visit.url} ({visit.status}):")
            for (rule, string, detail), texts in found.items():
                where = texts[0].context if texts[0].where == "text" else texts[0].where
                times = f" x{len(texts)}" if len(texts) > 1 else ""
                detail = f" ({detail})" if detail else ""
                body.append(f"    {rule} [{where}]{times}: {string!r}{detail}")
                count += 1
        if body:
            lines += [f"{section}:", *body]
    return "\n".join(lines), count


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_is_translated(sweep: Sweep, lang: str) -> None:
    visits = [v for v in sweep.visits if v.lang == lang]
    assert len(visits) > 100, "the crawl found too few pages to mean anything"
    text, count = report(visits)
    assert count == 0, f"{count} English strings on {lang} pages:\n{text}"


def test_every_html_route_is_visited(sweep: Sweep) -> None:
    """Each page route was shown (200) to someone; a new route with path parameters
    needs a way in: a link from a visited page or an entry in `seeds`."""
    shown = {v.route for v in sweep.visits if v.status == 200}
    missing = [r for r in sweep.routes if r not in shown]
    assert not missing, f"page routes never visited: {missing}"
    # The error pages were seen too.
    assert {v.status for v in sweep.visits if v.url == "/zz-no-such-page"} == {404}
