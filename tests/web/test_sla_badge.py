"""The SLA badge (web/i18n.py `sla_badge`, behind the `sla_badge` macro): each clock
state as agents and requesters read it, in their language, with values escaped."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from polydesk.core import i18n
from polydesk.web.i18n import sla_badge

DUE = dt.datetime(2026, 1, 5, 14, 0, tzinfo=dt.UTC)


def badge(metric: str, status: str, due: dt.datetime | None = DUE, left: int | None = 200):
    clock = SimpleNamespace(metric=metric, status=status, due_at=due, remaining_minutes=left)
    return BeautifulSoup(str(sla_badge(clock)), "html.parser").span


@pytest.mark.parametrize(
    ("status", "text"),
    [
        ("running", "Resolution:\n  3 h 20 min left"),
        ("paused", "Resolution:\n  paused (3 h 20 min left)"),
        ("breached", "Resolution:\n  breached"),
        ("met", "Resolution:\n  met"),
        ("cancelled", "Resolution:\n  cancelled"),
    ],
)
def test_each_state_in_english(status: str, text: str) -> None:
    with i18n.use_locale("en", "UTC"):
        span = badge("resolution", status)
    assert span.get_text().strip() == text
    assert span["class"] == ["badge", "sla", f"sla-{status}"]
    assert span["data-metric"] == "resolution"
    assert span["title"] == "Resolution, due 2026-01-05 14:00 UTC"


def test_polish_with_local_time() -> None:
    with i18n.use_locale("pl", "Europe/Warsaw"):
        running = badge("first_response", "running", left=45)
        cancelled = badge("first_response", "cancelled", due=None)
    assert running.get_text().strip() == "Reakcja:\n  pozostało 45 min"
    assert running["title"] == "Reakcja, termin: 5 sty 2026 15:00 CET"
    assert cancelled.get_text().strip() == "Reakcja:\n  anulowano"
    assert cancelled["title"] == "Reakcja"


def test_unknown_metric_and_state_are_shown_escaped() -> None:
    with i18n.use_locale("en", "UTC"):
        html = str(sla_badge(SimpleNamespace(metric="<b>", status="x&y", due_at=None)))
    assert "<b>" not in html and "&lt;b&gt;:" in html and "x&amp;y" in html
