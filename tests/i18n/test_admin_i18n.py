"""The admin console, the "me" pages (notification preferences, API tokens), the login
lockout and the command line in Simplified Chinese, Traditional Chinese and Polish:
real requests as a logged-in admin, the browser's Accept-Language choosing the
language; the CLI as a subprocess with the terminal's locale."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from polydesk.core.mail.mailboxes import MailboxInput, save_mailbox
from polydesk.core.mail.outbound_tables import OutboundMail
from polydesk.web.cli import cli_locale
from tests.i18n._every_page_desk import neutral_form_data

PASSWORD = "root-password-1"
LANGS = ["zh-CN", "zh-TW", "pl"]
HTML_LANG = {"zh-CN": "zh-Hans", "zh-TW": "zh-Hant", "pl": "pl"}


def pick(lang: str, zh_hans: str, zh_hant: str, pl: str) -> str:
    return {"zh-CN": zh_hans, "zh-TW": zh_hant, "pl": pl}[lang]


def soup(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def text(page: BeautifulSoup) -> str:
    return page.get_text(" ", strip=True)


def _csrf(client: Any) -> str:
    return client.cookies.get("polydesk_csrf")


async def form_login(client: Any, username: str, password: str, lang: str = "en") -> Any:
    if not _csrf(client):
        await client.get("/login")
    return await client.post(
        "/login",
        data={"username": username, "password": password, "_csrf_token": _csrf(client)},
        headers={"Accept-Language": lang},
        follow_redirects=False,
    )


@pytest.fixture
async def root(client: Any, people: Any) -> Any:
    await people.add("root", admin=True, password=PASSWORD)
    assert (await form_login(client, "root", PASSWORD)).status_code == 303
    return people


async def get(client: Any, url: str, lang: str) -> BeautifulSoup:
    response = await client.get(url, headers={"Accept-Language": lang})
    assert response.status_code == 200, response.text
    page = soup(response)
    assert page.html["lang"] == HTML_LANG[lang]
    return page


# -- admin console ----------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
async def test_console_plugins_and_departments(client, root, lang):
    page = await get(client, "/admin", lang)
    assert page.h1.get_text() == pick(lang, "管理控制台", "管理主控台", "Konsola administracyjna")
    nav = [a.get_text() for a in page.select("nav.admin-nav a")]
    assert pick(lang, "审计日志", "稽核記錄", "Dziennik audytu") in nav
    # 9 people: the organisation of the fixture and root; Polish "many" form
    assert pick(lang, "9 人。", "9 人。", "9 osób.") in text(page)
    assert "Admin console" not in page.text

    page = await get(client, "/admin/plugins", lang)
    assert page.h1.get_text() == pick(lang, "插件", "外掛程式", "Wtyczki")
    toggle = page.select_one("#plugin-it-toggle").get_text(strip=True)
    assert toggle == pick(lang, "停用 it", "停用 it", "Wyłącz it")

    page = await get(client, "/admin/departments", lang)
    state = page.select_one("#rt-it\\.incident .admin-type-state").get_text(strip=True)
    assert state == pick(lang, "在目录中", "在目錄中", "W katalogu")


@pytest.mark.parametrize("lang", LANGS)
async def test_people_and_person_pages(client, root, lang):
    page = await get(client, "/admin/people", lang)
    assert page.h1.get_text() == pick(lang, "人员", "人員", "Osoby")
    assert pick(lang, "创建人员", "建立人員", "Utwórz osobę") in text(page)
    assert pick(lang, "9 人", "9 人", "9 osób") in page.select_one("#people-results").get_text()

    agent_id = root.ids["it.agent"]
    page = await get(client, f"/admin/people/{agent_id}", lang)
    assert page.select_one("#access-heading").get_text() == pick(
        lang, "角色和团队", "角色和團隊", "Role i zespoły"
    )
    chosen = page.select_one("#role-it option[selected]").get_text()
    assert chosen == pick(lang, "客服人员", "客服人員", "Konsultant")


@pytest.mark.parametrize("lang", LANGS)
async def test_sla_pages_and_a_form_error(client, root, lang):
    page = await get(client, "/admin/sla", lang)
    assert page.h1.get_text() == pick(
        lang, "SLA 日历和策略", "SLA 行事曆和政策", "Kalendarze i zasady SLA"
    )
    # weekday names come from the locale's own abbreviations
    hours = page.select_one("#calendar-it\\.office_hours dd:nth-of-type(2)").get_text()
    assert pick(lang, "周一", "週一", "pon.") in hours

    page = await get(client, "/admin/sla/calendars/it.office_hours", lang)
    assert page.select_one("label[for=hours-1]").get_text() == pick(
        lang, "星期一", "星期一", "poniedziałek"
    )
    page = await get(client, "/admin/sla/policies/it.incident", lang)
    assert pick(
        lang, "目标（以工作分钟计）", "目標（以工作分鐘計）", "Cele, w minutach roboczych"
    ) in text(page)

    # A refused mailbox form: two errors, Polish "few" form, messages by their fields.
    response = await client.post(
        "/admin/mailboxes",
        data={
            "address": "desk@example.org",
            "request_type": "it.incident",
            "senders": "known",
            "unauthorised_reply": "new_ticket",
            "form_defaults": "[1]",
            "imap_port": "abc",
            "_csrf_token": _csrf(client),
        },
        headers={"Accept-Language": lang},
        follow_redirects=False,
    )
    assert response.status_code == 422
    page = soup(response)
    summary = page.select_one("#error-summary strong").get_text()
    assert summary == pick(
        lang,
        "未保存任何内容。请更正 2 个字段：",
        "未儲存任何內容。請更正 2 個欄位：",
        "Nic nie zapisano. Popraw 2 pola:",
    )
    assert page.select_one("#imap_port-error").get_text() == pick(
        lang, "请输入端口号。", "請輸入連接埠號碼。", "Wpisz numer portu."
    )


@pytest.mark.parametrize("lang", LANGS)
async def test_audit_mail_and_mailbox_pages(client, root, lang):
    disabled = await client.post(
        "/admin/plugins/legal/disable",
        data={"_csrf_token": _csrf(client)},
        follow_redirects=False,
    )
    assert disabled.status_code == 303
    page = await get(client, "/admin/audit", lang)
    assert page.h1.get_text() == pick(lang, "审计日志", "稽核記錄", "Dziennik audytu")
    headers = [th.get_text() for th in page.select("table.audit th")]
    assert headers[0] == pick(lang, "时间", "時間", "Kiedy")
    assert "plugin.disabled" in page.select_one("table.audit").get_text()

    page = await get(client, "/admin/mail", lang)
    assert page.h1.get_text() == pick(lang, "外发邮件", "外寄郵件", "Poczta wychodząca")
    page = await get(client, "/admin/mailboxes", lang)
    assert page.h1.get_text() == pick(lang, "邮箱", "信箱", "Skrzynki pocztowe")
    assert pick(lang, "添加邮箱", "新增信箱", "Dodaj skrzynkę pocztową") in text(page)


@pytest.mark.parametrize("lang", LANGS)
async def test_notification_kinds_by_their_translated_names_in_mail_admin(client, root, lang):
    """/admin/mail names each notification and each queued message by its kind's
    translated name (the key stays as code); a template's page is titled by it."""
    await OutboundMail.insert(
        OutboundMail(
            outbox_event=1,
            kind="approval_needed",
            recipient=root.ids["root"],
            to_address="root@example.org",
            message_id="<zz-1@example.org>",
            status="failed",
            attempts=3,
        )
    )
    page = await get(client, "/admin/mail", lang)
    approvals = pick(
        lang, "等待你审批的请求", "等待你核准的請求", "Zatwierdzenia czekające na Ciebie"
    )
    row = page.select_one("tr[id^=mail-]").find_all("td")
    assert row[2].get_text() == approvals
    links = [a.get_text() for a in page.select("#templates-heading + p + ul a")]
    assert pick(lang, "已收到请求", "已收到請求", "Wniosek przyjęty") in links
    assert approvals in links
    assert "sla_breached" in [c.get_text() for c in page.select("#templates-heading ~ ul code")]
    assert "Request received" not in page.text and "Approvals waiting" not in page.text

    page = await get(client, "/admin/mail/templates/sla_breached", lang)
    name = pick(lang, "SLA 超时", "SLA 逾時", "Przekroczenia SLA")
    assert page.h1.get_text() == name
    assert page.title.get_text().startswith(name + " · ")
    assert (
        page.select_one("p.admin-note")
        .get_text()
        .startswith(
            pick(
                lang,
                "当你负责的部门的工单未达成 SLA 目标时（负责人）。",
                "當你負責的部門的工單未達成 SLA 目標時（負責人）。",
                "Gdy zgłoszenie działu, którym kierujesz, nie dotrzyma celu SLA (kierownicy).",
            )
        )
    )


@pytest.mark.parametrize("lang", LANGS)
async def test_plugin_declared_names_on_sla_people_and_plugins_pages(client, root, lang):
    """A calendar's name, a due date field's label and a team's key that plugins
    declare are shown in the language; a package's own summary says it is English."""
    on_call = pick(lang, "IT 值班（全天候 24×7）", "IT 值班（全天候 24×7）", "Dyżur IT, 24×7")
    page = await get(client, "/admin/sla", lang)
    assert page.select_one("#calendar-it\\.24x7 h3 a").get_text() == on_call
    due = page.select_one("#policy-hr\\.offboarding tbody td:nth-of-type(2)").get_text()
    assert pick(lang, "最后工作日", "最後工作日", "Ostatni dzień pracy") in due
    assert "last day" not in due

    page = await get(client, "/admin/sla/policies/finance.standard", lang)
    options = [o.get_text() for o in page.select("select[name$='.calendar'] option")]
    assert on_call in options and "IT on-call, 24×7" not in options

    team = pick(lang, "法律特权事项", "法律特權事項", "tajemnica zawodowa")
    page = await get(client, f"/admin/people/{root.ids['it.agent']}", lang)
    label = page.select_one("label[for='team-legal-privileged']").get_text(" ", strip=True)
    assert label == pick(lang, "法务", "法務", "Dział prawny") + ": " + team
    page = await get(client, "/admin/departments", lang)
    badge = page.select_one("#rt-legal\\.privileged_matter .badge").get_text()
    assert team in badge and "privileged" not in badge

    page = await get(client, "/admin/plugins", lang)
    package = page.select_one("#plugin-it p.small [lang]")
    assert package["lang"] == "en" and package.get_text()


@pytest.mark.parametrize("lang", LANGS)
async def test_people_and_mailbox_messages_in_the_language(client, root, runtime, lang):
    """Messages the people and mailbox services raise are shown translated: an
    unknown person, a refused new person, a taken mailbox address; the mailbox list
    names who may write."""
    response = await client.get("/admin/people/99999", headers={"Accept-Language": lang})
    assert response.status_code == 404
    assert pick(lang, "没有这个人员。", "沒有這個人員。", "Nie ma takiej osoby.") in text(
        soup(response)
    )

    async def create(username: str, name: str) -> Any:
        return await client.post(
            "/admin/people",
            data={"username": username, "display_name": name, "_csrf_token": _csrf(client)},
            headers={"Accept-Language": lang},
            follow_redirects=False,
        )

    refused = soup(await create("Not Valid!", " "))
    assert (
        refused.select_one("#username-error")
        .get_text()
        .startswith(
            pick(lang, "请使用 2–63 个小写字母", "請使用 2–63 個小寫字母", "Użyj 2–63 małych liter")
        )
    )
    assert refused.select_one("#display_name-error").get_text() == pick(
        lang, "名称为必填项。", "名稱為必填項目。", "Nazwa jest wymagana."
    )
    assert (await create("zzdup", "Zz")).status_code == 303
    taken = await create("zzdup", "Zz")
    assert taken.status_code == 422
    assert soup(taken).select_one("#username-error").get_text() == pick(
        lang,
        "此用户名已被占用。",
        "此使用者名稱已被使用。",
        "Ta nazwa użytkownika jest już zajęta.",
    )

    incident = runtime.registry.request_types["it.incident"]
    defaults = neutral_form_data(incident.form)
    await save_mailbox(
        runtime.registry,
        MailboxInput(address="desk@example.org", request_type=incident.key, form_defaults=defaults),
    )
    response = await client.post(
        "/admin/mailboxes",
        data={
            "address": "desk@example.org",
            "request_type": incident.key,
            "form_defaults": json.dumps(defaults),
            "senders": "known",
            "unauthorised_reply": "new_ticket",
            "_csrf_token": _csrf(client),
        },
        headers={"Accept-Language": lang},
        follow_redirects=False,
    )
    assert response.status_code == 422
    page = soup(response)
    assert page.select_one("#address-error").get_text() == pick(
        lang,
        "另一个邮箱已使用此地址。",
        "另一個信箱已使用此地址。",
        "Inna skrzynka pocztowa ma już ten adres.",
    )
    senders = page.select("table.admin-table tbody td")[3].get_text()
    assert senders == pick(
        lang,
        "仅限 Polydesk 能按地址识别的人员",
        "僅限 Polydesk 能依地址識別的人員",
        "Tylko osoby, które Polydesk zna po adresie",
    )


# -- pages reached from the header ---------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
async def test_notification_preferences_and_tokens(client, root, lang):
    page = await get(client, "/me/notifications", lang)
    assert page.h1.get_text() == pick(lang, "邮件通知", "電子郵件通知", "Powiadomienia e-mail")
    assert page.select_one("button[type=submit]:not(.outline)").get_text() == pick(
        lang, "保存", "儲存", "Zapisz"
    )

    page = await get(client, "/me/tokens", lang)
    assert page.h1.get_text() == pick(lang, "API 令牌", "API 權杖", "Tokeny API")
    created = await client.post(
        "/me/tokens",
        data={"name": "nightly", "_csrf_token": _csrf(client)},
        headers={"Accept-Language": lang},
    )
    assert created.status_code == 201
    page = soup(created)
    assert page.select_one("#created-heading").get_text() == pick(
        lang, "你的新令牌“nightly”", "你的新權杖「nightly」", "Twój nowy token „nightly”"
    )
    row = page.select_one("tr[id^=token-]").get_text(" ", strip=True)
    assert pick(lang, "从未", "從未", "nigdy") in row


# -- login lockout ----------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.mark.parametrize("lang", LANGS)
async def test_lockout_message_counts_minutes_in_the_language(client, people, runtime, lang):
    clock = Clock()
    runtime.clock = clock  # type: ignore[assignment]
    await people.add("carol", password=PASSWORD)
    wrong = await form_login(client, "carol", "guess", lang)
    assert wrong.status_code == 401
    assert pick(lang, "用户名或密码错误。", "使用者名稱或密碼錯誤。", "Nieprawidłowa") in wrong.text
    for _ in range(4):
        refused = await form_login(client, "carol", "guess", lang)
    assert refused.status_code == 429
    assert soup(refused).html["lang"] == HTML_LANG[lang]
    assert soup(refused).select_one("[role=alert]").get_text() == pick(
        lang,
        "登录失败次数过多。请在 15 分钟后重试。",
        "登入失敗次數過多。請在 15 分鐘後重試。",
        "Zbyt wiele nieudanych logowań. Spróbuj ponownie za 15 minut.",
    )
    clock.now += dt.timedelta(minutes=13, seconds=30)  # 90 s left: 2 minutes, Polish "few"
    later = await form_login(client, "carol", PASSWORD, lang)
    assert later.status_code == 429
    assert soup(later).select_one("[role=alert]").get_text() == pick(
        lang,
        "登录失败次数过多。请在 2 分钟后重试。",
        "登入失敗次數過多。請在 2 分鐘後重試。",
        "Zbyt wiele nieudanych logowań. Spróbuj ponownie za 2 minuty.",
    )
    # The JSON API stays English for scripts.
    api = await client.post(
        "/api/v1/session",
        json={"username": "carol", "password": PASSWORD},
        headers={"x-csrftoken": _csrf(client), "Accept-Language": lang},
    )
    assert api.status_code == 429 and "Try again in 2 minutes." in api.text


# -- command line -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "pl_PL.UTF-8"}, "pl"),
        ({"LANG": "zh_TW.UTF-8"}, "zh_Hant"),
        ({"LC_ALL": "zh_CN.UTF-8", "LANG": "pl_PL.UTF-8"}, "zh_Hans"),
        ({"LC_MESSAGES": "pl_PL", "LANG": "en_US.UTF-8"}, "pl"),
        ({"LANG": "C.UTF-8", "POLYDESK_DEFAULT_LOCALE": "zh-Hant"}, "zh_Hant"),
        ({"LANG": "de_DE.UTF-8", "POLYDESK_DEFAULT_LOCALE": "pl"}, "pl"),
        ({"LANG": "en_GB.UTF-8", "POLYDESK_DEFAULT_LOCALE": "pl"}, "en"),
        ({}, "en"),
    ],
)
def test_cli_language_comes_from_the_terminal_then_the_organisation(environ, expected):
    assert cli_locale(environ) == expected


@pytest.mark.slow
def test_cli_output_in_each_language(tmp_path: Path):
    polydesk = str(Path(sys.executable).with_name("polydesk"))
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "PICCOLO_CONF", "LC_ALL", "LC_MESSAGES", "LANG")
    }
    base["POLYDESK_DATA_DIR"] = str(tmp_path / "data")

    def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [polydesk, *args], capture_output=True, text=True, env={**base, **env}, timeout=120
        )

    for env, expected in [
        ({"LANG": "C.UTF-8"}, "Database is up to date."),
        ({"LANG": "zh_CN.UTF-8"}, "数据库已是最新。"),
        ({"LANG": "zh_TW.UTF-8"}, "資料庫已是最新。"),
        ({"LANG": "C.UTF-8", "POLYDESK_DEFAULT_LOCALE": "pl"}, "Baza danych jest aktualna."),
    ]:
        migrated = run("migrate", **env)
        assert migrated.returncode == 0, migrated.stderr
        assert migrated.stdout.strip().splitlines()[-1] == expected

    unlocked = run("user", "unlock", "nobody", LANG="pl_PL.UTF-8")
    assert unlocked.stdout.strip() == "Konto nobody nie było zablokowane."
    bad = run("user", "create", "x", "--role", "it", "--password", "p" * 12, LANG="zh_TW.UTF-8")
    assert bad.returncode != 0 and "應為 DEPT:VALUE，實際為 'it'" in bad.stderr
