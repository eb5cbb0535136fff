"""Approval thresholds and exchange rates are settings an admin edits, checked field by field."""

from __future__ import annotations

from decimal import Decimal

import pytest

from polydesk.core import ValidationFailed
from polydesk.core.desk import Desk
from polydesk.core.plugin_state.services import set_plugin_settings
from polydesk.plugins.finance.thresholds import DEFAULTS, settings_errors, thresholds


def test_defaults_up_to_1000_the_manager_up_to_10000_the_lead_above_the_cfo():
    limits = thresholds({})
    assert limits.levels(Decimal("1000.00")) == ["manager"]
    assert limits.levels(Decimal("1000.01")) == ["manager", "finance_lead"]
    assert limits.levels(Decimal("10000.00")) == ["manager", "finance_lead"]
    assert limits.levels(Decimal("10000.01")) == ["manager", "finance_lead", "cfo"]
    assert settings_errors(DEFAULTS) == {}
    assert settings_errors({}) == {}


def test_other_currencies_are_converted_at_the_admins_fixed_rates():
    limits = thresholds({"rates": {"EUR": 4.3, "USD": 4, "GBP": 5.1}})
    assert limits.to_base(Decimal("100.00"), "EUR") == Decimal("430.00")
    assert limits.to_base(Decimal("100.00"), "PLN") == Decimal("100.00")
    in_euros = thresholds({"currency": "EUR", "rates": {"PLN": 0.23, "USD": 0.92, "GBP": 1.17}})
    assert in_euros.to_base(Decimal("1000.00"), "PLN") == Decimal("230.00")


@pytest.mark.parametrize(
    ("settings", "errors"),
    [
        ({"cfo_above": "lots"}, {"cfo_above": "Give a whole amount."}),
        ({"cfo_above": 2.5}, {"cfo_above": "Give a whole amount."}),
        ({"finance_lead_above": True}, {"finance_lead_above": "Give a whole amount."}),
        ({"finance_lead_above": 0}, {"finance_lead_above": "Give a positive amount."}),
        (
            {"finance_lead_above": 5000, "cfo_above": 5000},
            {"cfo_above": "Must be above finance_lead_above (5,000)."},
        ),
        (
            {"finance_lead_above": 20000},
            {"finance_lead_above": "Must be below cfo_above (10,000)."},
        ),
        ({"currency": "BTC"}, {"currency": "Choose one of: PLN, EUR, USD, GBP."}),
        ({"rates": [4.3]}, {"rates": 'Give an object of currency to rate, e.g. {"EUR": 4.25}.'}),
        (
            {"rates": {"EUR": 0, "USD": "4", "GBP": 5, "PLN": 1}},
            {
                "rates.EUR": "Give a positive rate.",
                "rates.USD": "Give a positive rate.",
                "rates.PLN": "Not a currency to convert; use EUR, USD, GBP.",
            },
        ),
        (
            {"currency": "EUR"},
            {
                "rates.EUR": "Not a currency to convert; use PLN, USD, GBP.",
                "rates.PLN": "Give how many EUR one PLN is worth.",
            },
        ),
        (
            {"cfo_limit": 5},
            {
                "cfo_limit": "Not a Finance setting; use cfo_above, currency, finance_lead_above, rates."
            },
        ),
    ],
)
def test_hook_polydesk_validate_settings_refuses_field_by_field(settings, errors):
    assert settings_errors(settings) == errors


async def test_refused_settings_are_not_saved_and_good_ones_reach_the_desk(runtime, client, people):
    admin = await people.headers("admin")
    bad = await client.put(
        "/api/v1/plugins/finance/settings",
        json={"finance_lead_above": -1, "cfo_above": 500},
        headers=admin,
    )
    assert bad.status_code == 422
    assert {(e["field"], e["message"]) for e in bad.json()["errors"]} == {
        ("finance_lead_above", "Give a positive amount.")
    }
    assert (await client.get("/api/v1/plugins/finance/settings", headers=admin)).json() == {}

    with pytest.raises(ValidationFailed):
        await set_plugin_settings(runtime.pm, "finance", {"cfo_above": 10})
    await set_plugin_settings(runtime.pm, "finance", {"cfo_above": 25000})
    runtime.plugin_states.invalidate()
    desk = Desk(await runtime.snapshot())
    assert thresholds(desk.settings("finance")).cfo_above == Decimal("25000")

    # Other plugins' settings are not Finance's business.
    await set_plugin_settings(runtime.pm, "legal", {"cfo_above": "whatever"})
