"""schemathesis against the app's own OpenAPI schema (`/schema/openapi.json`).

Every operation gets generated requests, valid and invalid by the schema,
in-process through ASGI, as an IT agent with an API token and again as a
requester: no answer may be a 5xx, and every documented answer must match its
response schema. Derandomized and bounded, so CI sees the same cases every run;
one database setup per role keeps the module to a few seconds a role.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from polydesk.core.tickets.services import TicketService

CHECKS = [not_a_server_error, response_schema_conformance]
EXAMPLES_PER_OPERATION = 12


def _app() -> Any:
    """The app the cases run against; it reads the test database like the `app` fixture.

    Built at import without touching the database: the schema is the app's own,
    the one it serves at /schema/openapi.json.
    """
    from polydesk.core.pluginmanager import create_plugin_manager
    from polydesk.core.runtime import Runtime
    from polydesk.core.settings import Settings
    from polydesk.web.app import create_app

    return create_app(
        runtime=Runtime.create(Settings.from_env(), create_plugin_manager()), background=False
    )


APP = _app()
SCHEMA = schemathesis.openapi.from_dict(APP.openapi_schema.to_schema())
SCHEMA.app = APP
FUZZ = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
async def fuzz_world(runtime: Any, cast: Any, form_of: Any) -> dict[str, dict[str, str]]:
    """Tickets to find (IT-1 with a public reply and an internal note, IT-2, a
    confidential HR case), and bearer headers for an agent and a requester."""
    desk = TicketService(await runtime.snapshot())
    alice = await cast.actor("alice")
    agent = await cast.actor("it.agent")
    first = await desk.create(
        alice, request_type="it.incident", title="VPN down", form_data=form_of("it.incident")
    )
    await desk.comment(agent, first.id, body="Looking")
    await desk.comment(agent, first.id, body="internal", public=False)
    await desk.create(
        alice, request_type="it.incident", title="Mail slow", form_data=form_of("it.incident")
    )
    await desk.create(
        await cast.actor("bob"),
        request_type="hr.case",
        title="Confidential",
        form_data=form_of("hr.case"),
    )
    return {"agent": await cast.headers("it.agent"), "requester": await cast.headers("alice")}


def fuzz_every_operation(headers: dict[str, str]) -> tuple[list[str], dict[int, int]]:
    """Run every operation's cases; returns the failures (one line each) and the
    count of answers per status (to show the cases reached the handlers)."""
    failures: list[str] = []
    statuses: dict[int, int] = {}
    for result in SCHEMA.get_all_operations():
        operation = result.ok()
        cases = st.one_of(
            operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
            operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        )

        @FUZZ
        @given(case=cases)
        def run(case: Any) -> None:
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # every operation's failure, not the first
            failures.append(f"{operation.label}: {str(exc).strip()[:1500]}")
    return failures, statuses


@pytest.mark.slow
def test_no_server_error_and_no_schema_violation_as_an_agent(fuzz_world: Any) -> None:
    failures, statuses = fuzz_every_operation(fuzz_world["agent"])
    assert not failures, "\n\n".join(failures)
    assert statuses.get(200, 0) + statuses.get(201, 0) > 20, statuses


@pytest.mark.slow
def test_no_server_error_and_no_schema_violation_as_a_requester(fuzz_world: Any) -> None:
    failures, statuses = fuzz_every_operation(fuzz_world["requester"])
    assert not failures, "\n\n".join(failures)
    assert statuses.get(200, 0) + statuses.get(201, 0) > 20, statuses
