"""The agent's workspace, ticket page and knowledge pages in Simplified Chinese,
Traditional Chinese and Polish: headings, labels, plugin-declared names, SLA badges,
timeline entries, dates and the service's own validation errors, through real
requests (language from Accept-Language or the switcher's cookie)."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup

from polydesk.core import i18n
from polydesk.core.db import is_postgres_engine
from polydesk.core.demo import sample_form_data
from polydesk.core.tickets.services import TicketService
from polydesk.web.i18n import COOKIE, when

PASSWORD = "agent-password-1"
LANGS = ("zh_Hans", "zh_Hant", "pl")
HTML_LANG = {"zh_Hans": "zh-Hans", "zh_Hant": "zh-Hant", "pl": "pl"}
ACCEPT = {"zh_Hans": "zh-CN,zh;q=0.9", "zh_Hant": "zh-TW,zh;q=0.9", "pl": "pl-PL,pl;q=0.9"}
KB_TABLES = (
    "kb_attachment",
    "kb_deflection",
    "kb_vote",
    "kb_article_version",
    "kb_article",
    "kb_space",
)

# What a reader of each language sees (the catalogs' own wording).
WORKSPACE = {
    "zh_Hans": {"h1": "工单", "queues": "队列", "views": "我的视图", "nav": "工作台"},
    "zh_Hant": {"h1": "工單", "queues": "佇列", "views": "我的檢視", "nav": "工作區"},
    "pl": {
        "h1": "Zgłoszenia",
        "queues": "Kolejki",
        "views": "Moje widoki",
        "nav": "Obszar roboczy",
    },
}
TICKET_SECTIONS = {
    "zh_Hans": ["推进处理", "请求", "时间线", "回复", "分配", "标题和优先级", "关联工单"],
    "zh_Hant": ["推進處理", "請求", "時間軸", "回覆", "指派", "標題和優先順序", "關聯工單"],
    "pl": [
        "Popchnij dalej",
        "Wniosek",
        "Oś czasu",
        "Odpowiedź",
        "Przypisanie",
        "Tytuł i priorytet",
    ],
}
RAISED = {"zh_Hans": "提交了请求", "zh_Hant": "提交了請求", "pl": "złożył(a) wniosek"}
RESOLUTION = {"zh_Hans": "解决", "zh_Hant": "解決", "pl": "Rozwiązanie"}
KNOWLEDGE = {"zh_Hans": "知识库", "zh_Hant": "知識庫", "pl": "Baza wiedzy"}
EDITOR_SECTIONS = {
    "zh_Hans": ["工作副本", "编辑", "文件", "审核", "历史记录"],
    "zh_Hant": ["工作副本", "編輯", "檔案", "審閱", "歷程記錄"],
    "pl": ["Kopia robocza", "Edytuj", "Pliki", "Przegląd", "Historia"],
}
DRAFT = {"zh_Hans": "草稿", "zh_Hant": "草稿", "pl": "szkic"}
# English the pages showed before translation: none of it may be left in these places.
ENGLISH_WORKSPACE = {"Tickets", "Queues", "My views", "Knowledge", "Apply filters", "Reset"}
ENGLISH_TICKET = {
    "Move it along",
    "Request",
    "Timeline",
    "Reply",
    "Assignment",
    "Title and priority",
    "Linked tickets",
    "Child tasks",
    "Approvals",
    "Files",
    "Requester",
    "Assignee",
    "Send",
    "Save",
}
ENGLISH_EDITOR = {"Working copy", "Edit", "Files", "Review", "History", "Publish", "Upload"}


@pytest.fixture
async def db(db: None) -> None:
    """The suite's empty database, with the knowledge tables (not in DATA_TABLES) emptied."""
    from polydesk.core.knowledge.tables import Space

    if is_postgres_engine():
        await Space.raw(f"TRUNCATE {', '.join(KB_TABLES)} RESTART IDENTITY CASCADE")
    else:
        for table in (*KB_TABLES, "kb_article_fts", "kb_article_title_fts"):
            await Space.raw(f"DELETE FROM {table}")


@pytest.fixture
async def desk(runtime, people) -> TicketService:
    await people.add("it.web", roles={"it": "agent"}, password=PASSWORD)
    return TicketService(await runtime.snapshot())


def soup(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def texts(page: BeautifulSoup, selector: str) -> list[str]:
    return [el.get_text(" ", strip=True) for el in page.select(selector)]


def in_lang(lang: str, message: str, **variables: Any) -> str:
    with i18n.use_locale(lang):
        return i18n.gettext(message, **variables)


async def log_in(client: Any, username: str, lang: str | None = None) -> str:
    """Log in through the real form; with `lang`, the switcher's cookie is set first."""
    client.cookies.clear()
    if lang:
        client.cookies.set(COOKIE, lang)
    await client.get("/login")
    token = client.cookies.get("polydesk_csrf")
    response = await client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "_csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return token


async def raise_incident(desk: TicketService, people: Any, title: str = "VPN is down") -> Any:
    alice = await people.actor("alice")
    data = sample_form_data(desk.registry.request_types["it.incident"].form)
    return await desk.create(alice, request_type="it.incident", title=title, form_data=data)


@pytest.mark.parametrize("lang", LANGS)
async def test_workspace_in_the_browsers_language(client, desk, people, lang):
    await raise_incident(desk, people)
    await log_in(client, "it.web")
    response = await client.get("/agent", headers={"Accept-Language": ACCEPT[lang]})
    assert response.status_code == 200
    page = soup(response)
    words = WORKSPACE[lang]
    assert page.html["lang"] == HTML_LANG[lang]
    assert page.select_one("#list-heading").get_text(strip=True) == words["h1"]
    assert page.select_one("#queues-heading").get_text(strip=True) == words["queues"]
    assert words["views"] in texts(page, ".queue-group")
    assert words["nav"] in texts(page, "header nav a")
    # The IT plugin's queues come from its own catalog; the side bar shows them translated.
    queue_names = texts(page, "[data-department=it] + ul .queue-link")
    english = [q.name for q in desk.registry.queues_of("it")]
    assert queue_names == [in_lang(lang, "All active")] + [in_lang(lang, n) for n in english]
    assert queue_names[1:] != english
    # Filters: labels, the plugin's request types and the ticket count in the language.
    labels = texts(page, "#filters label")
    assert in_lang(lang, "Request type") in labels and "Request type" not in labels
    types = texts(page, "#filter-request_type option")
    incident = desk.registry.request_types["it.incident"].name
    assert any(t.startswith(in_lang(lang, incident)) for t in types)
    assert not any(t.startswith(incident) for t in types)
    status = page.select_one(".list-status").get_text(strip=True)
    assert "ticket" not in status
    # No English left in the headings, labels and buttons marked for translation.
    shown = set(
        texts(page, "main h1, main h2, main h3, main label, main button, .sidebar-knowledge a")
    )
    assert not shown & ENGLISH_WORKSPACE


@pytest.mark.parametrize("lang", LANGS)
async def test_ticket_page_with_sla_badges_and_timeline(client, desk, people, lang):
    ticket = await raise_incident(desk, people)
    await desk.comment(await people.actor("it.lead"), ticket.id, body="Looking.", public=True)
    await log_in(client, "it.web", lang)
    page = soup(await client.get("/agent/tickets/IT-1"))
    assert page.html["lang"] == HTML_LANG[lang]
    sections = texts(page, "h2.section-title")
    assert set(TICKET_SECTIONS[lang]) <= set(sections)
    assert not set(sections) & ENGLISH_TICKET
    assert not set(texts(page, ".facts dt, main label, main button")) & ENGLISH_TICKET
    # SLA badges: the metric and the time left in the viewer's language.
    badges = " ".join(texts(page, "#ticket-sla .badge.sla"))
    assert RESOLUTION[lang] in badges and "Resolution" not in badges and "left" not in badges
    # Timeline: who did what, and when, in the viewer's language.
    created = page.select_one(".timeline > li")
    assert RAISED[lang] in created.get_text(" ", strip=True)
    with i18n.use_locale(lang, "UTC"):
        expected_time = when(ticket.created_at)
    assert created.select_one("time").get_text(strip=True) == expected_time
    assert expected_time != when(ticket.created_at)  # the English form differs
    reply = page.select(".timeline > li")[1].get_text(" ", strip=True)
    assert in_lang(lang, "Public reply") in reply and "Public reply" not in reply
    # The plugin's transitions, state and form labels through its catalog.
    buttons = texts(page, ".transition-buttons button, .transition-buttons a")
    assert in_lang(lang, "Start work") in buttons and "Start work" not in buttons
    assert in_lang(lang, "Affected service") in texts(page, ".form-data dt")


@pytest.mark.parametrize("lang", LANGS)
async def test_a_refused_ticket_form_shows_the_services_message_translated(
    client, desk, people, lang
):
    await raise_incident(desk, people)
    token = await log_in(client, "it.web", lang)
    page = soup(await client.get("/agent/tickets/IT-1"))
    version = page.select_one("#details input[name=version]")["value"]
    refused = await client.post(
        "/agent/tickets/IT-1/details",
        data={"_csrf_token": token, "version": version, "title": "  ", "priority": "2"},
    )
    assert refused.status_code == 422
    error = soup(refused).select_one("#d-title-error").get_text(strip=True)
    expected = in_lang(lang, "Give a title of 1–%(max)s characters.", max=200)
    assert error == expected and error != "Give a title of 1–200 characters."
    assert soup(refused).html["lang"] == HTML_LANG[lang]
    agent = await people.actor("it.web")
    assert (await desk.get(agent, "IT-1")).title == "VPN is down"  # nothing stored


@pytest.mark.parametrize("lang", LANGS)
async def test_knowledge_list_and_article_editor(client, people, desk, lang):
    token = await log_in(client, "it.web", lang)
    created = await client.post(
        "/agent/knowledge/new",
        data={"_csrf_token": token, "space": "it", "title": "VPN on macOS", "body_md": "Install."},
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text
    listing = soup(await client.get("/agent/knowledge"))
    assert listing.html["lang"] == HTML_LANG[lang]
    assert listing.h1.get_text(strip=True) == KNOWLEDGE[lang]
    headers = texts(listing, ".kb-articles th")
    assert in_lang(lang, "Title") in headers and "Title" not in headers
    assert texts(listing, ".kb-articles .kb-status") == [DRAFT[lang]]
    editor = soup(await client.get(created.headers["location"]))
    sections = texts(editor, "h2.section-title")
    assert set(EDITOR_SECTIONS[lang]) <= set(sections)
    assert not set(sections + texts(editor, "main button")) & ENGLISH_EDITOR
    assert in_lang(lang, "Save as version %(number)s", number=2) in texts(editor, "main button")
    assert editor.select_one("#kb-status").get_text(strip=True) == DRAFT[lang]


@pytest.mark.parametrize("lang", LANGS)
async def test_a_refused_article_shows_the_services_message_translated(client, people, desk, lang):
    token = await log_in(client, "it.web", lang)
    refused = await client.post(
        "/agent/knowledge/new",
        data={"_csrf_token": token, "space": "it", "title": "", "body_md": "Install."},
        follow_redirects=False,
    )
    assert refused.status_code == 422
    page = soup(refused)
    error = page.select_one("#kb-title-error").get_text(strip=True)
    assert error == in_lang(lang, "A title is required.") != "A title is required."
    notice = page.select_one(".notice-bad").get_text(strip=True)
    assert notice == in_lang(lang, "Nothing was saved; please check the fields below.")
    assert page.select_one("#kb-body").get_text() == "Install."  # the typed text is kept
    listing = soup(await client.get("/agent/knowledge"))
    assert not listing.select(".kb-articles tr[data-article]")  # nothing stored
