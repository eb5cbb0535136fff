"""Every response carries the security headers, and the pages need nothing inline."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from polydesk.core.runtime import Runtime
from polydesk.core.settings import Settings
from polydesk.web.app import create_app

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"
PLUGINS = Path(__file__).resolve().parents[2] / "plugins"


def assert_secure(response, *, hsts: bool = False) -> None:
    csp = response.headers.get("content-security-policy", "")
    directives = dict(
        [*part.split(" ", 1), ""][:2] for part in (p.strip() for p in csp.split(";")) if part
    )
    assert directives.get("script-src") == "'self'", csp
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives.get("default-src") == "'self'"
    assert directives.get("object-src") == "'none'"
    assert directives.get("base-uri") == "'self'"
    assert directives.get("frame-ancestors") == "'none'"
    assert directives.get("form-action") == "'self'"
    assert directives.get("img-src") == "'self' data:"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["x-frame-options"] == "DENY"
    assert ("strict-transport-security" in response.headers) is hsts


async def test_html_json_static_error_and_404_responses_carry_the_headers(client, people):
    alice = await people.headers("alice")
    responses = {
        "html page": await client.get("/login"),
        "json": await client.get("/api/v1/me", headers=alice),
        "static": await client.get("/static/css/polydesk.css"),
        "api error": await client.get("/api/v1/tickets"),  # 401, no credentials
        "validation error": await client.post("/api/v1/tickets", json={"title": 1}, headers=alice),
        "unknown page": await client.get("/no/such/page"),
        "unknown static file": await client.get("/static/nope.js"),
        "hidden ticket": await client.get("/api/v1/tickets/IT-999", headers=alice),
        "api docs": await client.get("/schema/swagger"),
        "openapi": await client.get("/schema/openapi.json"),
    }
    expected = {
        "html page": 200,
        "json": 200,
        "static": 200,
        "api error": 401,
        "validation error": 400,
        "unknown page": 404,
        "unknown static file": 404,
        "hidden ticket": 404,
        "api docs": 200,
        "openapi": 200,
    }
    assert {k: r.status_code for k, r in responses.items()} == expected
    for name, response in responses.items():
        try:
            assert_secure(response)
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}") from exc


async def test_hsts_only_when_secure_cookies_are_on(runtime):
    https = Runtime.create(
        Settings(
            data_dir=runtime.settings.data_dir,
            database_url=runtime.settings.database_url,
            secure_cookies=True,
            db_pool=False,
        ),
        runtime.pm,
    )
    async with AsyncTestClient(app=create_app(runtime=https, background=False)) as client:
        response = await client.get("/static/css/polydesk.css")
        assert_secure(response, hsts=True)
        assert response.headers["strict-transport-security"].startswith("max-age=31536000")
        assert_secure(await client.get("/nowhere"), hsts=True)


async def test_api_docs_page_has_no_inline_script(client):
    page = (await client.get("/schema/swagger")).text
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.S)
    assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts)
    assert 'src="/static/js/swagger-init.js"' in page
    assert "<style" not in page and " style=" not in page
    init = await client.get("/static/js/swagger-init.js")
    assert init.status_code == 200 and "SwaggerUIBundle" in init.text


async def test_department_colours_come_from_a_style_sheet(client, runtime):
    css = await client.get("/-/departments.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    for slug, department in runtime.registry.departments.items():
        assert f'[data-department="{slug}"] {{ --dept-colour: {department.colour}; }}' in css.text
    home = (await client.get("/")).text
    assert '<link rel="stylesheet" href="/-/departments.css">' in home


@pytest.mark.parametrize(
    "pattern",
    [r"<script(?![^>]*\bsrc=)[^>]*>", r"\son[a-z]+\s*=", r"\shx-on[:-]", r"\sstyle\s*=", r"<style"],
)
def test_no_template_has_inline_script_or_style(pattern):
    """Inline script and style would be blocked by the policy (e-mails excepted:
    no browser applies the site's CSP to them)."""
    offenders = []
    for root in (TEMPLATES, PLUGINS):
        for path in root.rglob("*.html"):
            if "mail" in path.relative_to(root).parts:
                continue
            if re.search(pattern, path.read_text()):
                offenders.append(str(path))
    assert offenders == []
