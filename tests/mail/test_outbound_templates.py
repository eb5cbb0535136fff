"""Templates: a plugin's or site's file overrides the default; an admin's override is
sandboxed, checked before it is saved, and can be reset; the pages work without JS."""

from __future__ import annotations

from bs4 import BeautifulSoup

from polydesk.core.demo import sample_form_data
from polydesk.core.mail.outbound_tables import MailTemplateOverride
from polydesk.core.tickets.services import TicketService
from polydesk.web.mail_templates import MailRenderer, build_mail_environment


async def incident(runtime, people, title="Printer on fire"):
    service = TicketService(await runtime.snapshot())
    form = sample_form_data(runtime.registry.request_types["it.incident"].form)
    return await service.create(
        await people.actor("alice"), request_type="it.incident", title=title, form_data=form
    )


async def test_a_site_or_plugin_template_folder_overrides_the_default(
    mail_runtime, tmp_path, mail_people, smtp_sink
):
    """The same loaders as pages: a department-specific file wins over a generic one."""
    (tmp_path / "it" / "mail").mkdir(parents=True)
    (tmp_path / "it" / "mail" / "ticket_created.subject.txt").write_text(
        "IT got it: {{ ticket_title }}"
    )
    (tmp_path / "mail").mkdir()
    (tmp_path / "mail" / "ticket_created.txt").write_text("Site text for {{ ticket_key }}")
    env = build_mail_environment(mail_runtime.registry, override_dir=str(tmp_path))
    rendered = MailRenderer(env, {})(
        "ticket_created",
        "it",
        {"ticket_key": "IT-7", "ticket_title": "A & B", "recipient_name": "Al"},
    )
    assert rendered.subject == "IT got it: A & B"  # not HTML: not escaped
    assert rendered.text == "Site text for IT-7"
    assert "A &amp; B" in rendered.html  # the default HTML, escaped
    other = MailRenderer(env, {})("ticket_created", "hr", {"ticket_title": "x"})
    assert other.subject == "We received your request: x"


async def test_an_admin_override_is_used_and_reset(
    mail_runtime, mail_people, smtp_sink, pump, client
):
    headers = await mail_people.headers("admin")
    response = await client.put(
        "/api/v1/admin/mail/templates/ticket_created",
        json={
            "subject": "Thanks, {{ recipient_name }}",
            "html": "<p>{{ ticket_title }}</p>",
        },
        headers=headers,
    )
    assert response.status_code == 200, response.text
    ticket = await incident(mail_runtime, mail_people, title="<b>bold</b> move")
    await pump()
    [mail] = smtp_sink.messages
    assert mail.message["Subject"] == f"[{ticket.key}] Thanks, Alice"
    assert "<p>&lt;b&gt;bold&lt;/b&gt; move</p>" in mail.html  # sandboxed, still escaped
    assert "We received your request" in mail.text  # the untouched part keeps its default
    response = await client.delete("/api/v1/admin/mail/templates/ticket_created", headers=headers)
    assert response.status_code == 200
    assert await MailTemplateOverride.count() == 0


async def test_a_bad_override_is_refused_with_the_error_and_nothing_saved(
    mail_runtime, mail_people, client
):
    headers = await mail_people.headers("admin")
    for bad in (
        {"text": "{% if %}"},  # does not compile
        {"text": "{{ ticket_key.__class__.__mro__ }}"},  # the sandbox refuses it
        {"subject": "{{ no_such_variable }}"},  # a typo would mail a blank
    ):
        response = await client.put(
            "/api/v1/admin/mail/templates/public_reply", json=bad, headers=headers
        )
        assert response.status_code == 422, (bad, response.text)
        [part] = bad
        assert part in response.text
    assert await MailTemplateOverride.count() == 0
    response = await client.put(
        "/api/v1/admin/mail/templates/public_reply",
        json={"text": "ok", "bcc": "x"},
        headers=headers,
    )
    assert response.status_code == 422
    response = await client.put(
        "/api/v1/admin/mail/templates/public_reply",
        json={"text": "ok"},
        headers=await mail_people.headers("it.lead"),
    )
    assert response.status_code == 404
    assert await MailTemplateOverride.count() == 0


PASSWORD = "mail-admin-password-1"


async def login(client, username):
    await client.get("/login")
    response = await client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "_csrf_token": csrf(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def csrf(client) -> str:
    return client.cookies.get("polydesk_csrf")


async def test_admin_pages_edit_refuse_and_reset_a_template(mail_runtime, mail_people, client):
    await mail_people.add("root", admin=True, password=PASSWORD)
    await login(client, "root")
    page = await client.get("/admin/mail")
    assert page.status_code == 200
    assert "Approvals waiting for you" in page.text and "desk@polydesk.test" in page.text
    page = await client.get("/admin/mail/templates/assigned")
    assert page.status_code == 200 and "assigned %(key)s to you" in page.text
    token = csrf(client)
    bad = await client.post(
        "/admin/mail/templates/assigned",
        data={"_csrf_token": token, "subject": "{% for %}", "text": "kept text", "html": ""},
    )
    assert bad.status_code == 422
    soup = BeautifulSoup(bad.text, "html.parser")
    assert "Nothing was saved" in bad.text and soup.find(id="subject-error")
    assert soup.find("textarea", {"name": "text"}).text == "kept text"
    assert await MailTemplateOverride.count() == 0
    good = await client.post(
        "/admin/mail/templates/assigned",
        data={"_csrf_token": token, "subject": "Yours: {{ ticket_title }}", "text": "", "html": ""},
        follow_redirects=False,
    )
    assert good.status_code == 303
    assert (await MailTemplateOverride.select().first())["subject"] == "Yours: {{ ticket_title }}"
    assert "overridden" in (await client.get("/admin/mail")).text
    reset = await client.post(
        "/admin/mail/templates/assigned/reset", data={"_csrf_token": token}, follow_redirects=False
    )
    assert reset.status_code == 303 and await MailTemplateOverride.count() == 0


async def test_non_admins_do_not_find_the_mail_admin(mail_runtime, mail_people, client):
    await mail_people.add("carol", password=PASSWORD)
    await login(client, "carol")
    assert (await client.get("/admin/mail")).status_code == 404
    assert (await client.get("/admin/mail/templates/assigned")).status_code == 404


async def test_the_preferences_page_saves_choices_and_explains_mandatory_ones(
    mail_runtime, mail_people, client
):
    await mail_people.add("carol", password=PASSWORD)
    await login(client, "carol")
    home = await client.get("/")
    assert 'href="/me/notifications"' in home.text
    page = await client.get("/me/notifications")
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.find("input", {"name": "approval_needed"}).has_attr("disabled")
    assert "Always sent" in page.text
    # Only "public_reply" stays ticked.
    response = await client.post(
        "/me/notifications",
        data={"_csrf_token": csrf(client), "public_reply": "on"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    listed = {
        p["kind"]: p["enabled"]
        for p in (
            await client.get("/api/v1/me/notifications", headers={"accept": "application/json"})
        ).json()
    }
    assert listed["public_reply"] is True and listed["ticket_created"] is False
    assert listed["approval_needed"] is True
    page = await client.get("/me/notifications?done=saved")
    soup = BeautifulSoup(page.text, "html.parser")
    assert not soup.find("input", {"name": "ticket_created"}).has_attr("checked")
    assert soup.find("input", {"name": "public_reply"}).has_attr("checked")
