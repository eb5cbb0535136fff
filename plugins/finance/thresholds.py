"""Purchase approval thresholds and exchange rates: Finance's plugin settings.

An admin edits them with `PUT /api/v1/plugins/finance/settings`, a JSON object
such as ``{"finance_lead_above": 2000, "cfo_above": 50000}``; a key left out
keeps its default below. `settings_errors` is what `polydesk_validate_settings`
answers, one message per refused key.

Amounts are compared in one base currency (`currency`, PLN by default). A
request in another currency is converted at the admin's fixed rate in `rates`
(units of the base currency for one unit of the other), never at a live rate:
who must approve a purchase should not change with the market between the
request and its decision, and a test should not need the network.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from polydesk.core import Money
from polydesk.core import gettext as _
from polydesk.plugins.finance.request_types import CURRENCY_CODES

DEFAULTS: dict[str, Any] = {
    "currency": "PLN",
    #: Up to this amount the requester's manager alone approves.
    "finance_lead_above": 1_000,
    #: Up to this amount the finance lead approves too; above it, the CFO as well.
    "cfo_above": 10_000,
    "rates": {"EUR": 4.25, "USD": 3.65, "GBP": 4.85},
}

#: Approval levels, in the order their steps are taken.
MANAGER, FINANCE_LEAD, CFO = "manager", "finance_lead", "cfo"


@dataclass(frozen=True)
class Thresholds:
    currency: str
    finance_lead_above: Decimal
    cfo_above: Decimal
    rates: dict[str, Decimal]

    def to_base(self, amount: Decimal, currency: str) -> Decimal:
        """`amount` in `currency`, converted to the base currency (to the grosz/cent)."""
        if currency == self.currency:
            return amount
        return (amount * self.rates[currency]).quantize(Decimal("0.01"))

    def levels(self, amount: Decimal) -> list[str]:
        """Who must approve `amount` (in the base currency), in step order."""
        levels = [MANAGER]
        if amount > self.finance_lead_above:
            levels.append(FINANCE_LEAD)
        if amount > self.cfo_above:
            levels.append(CFO)
        return levels

    def money(self, amount: Decimal) -> Money:
        """`amount` in the base currency, for a message shown in the reader's language."""
        return Money(f"{amount:.2f}", self.currency)


def thresholds(settings: dict[str, Any]) -> Thresholds:
    """The effective thresholds: the admin's settings over the defaults."""
    merged = {**DEFAULTS, **settings}
    return Thresholds(
        currency=merged["currency"],
        finance_lead_above=Decimal(str(merged["finance_lead_above"])),
        cfo_above=Decimal(str(merged["cfo_above"])),
        rates={code: Decimal(str(rate)) for code, rate in merged["rates"].items()},
    )


def _is_rate(value: Any) -> bool:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    return number and math.isfinite(value) and value > 0


def settings_errors(settings: dict[str, Any]) -> dict[str, str]:
    """A message per refused setting; empty when `settings` may be saved."""
    errors: dict[str, str] = {}
    for key in settings:
        if key not in DEFAULTS:
            errors[key] = _(
                "Not a Finance setting; use %(keys)s.", keys=", ".join(sorted(DEFAULTS))
            )
    merged = {**DEFAULTS, **settings}

    if merged["currency"] not in CURRENCY_CODES:
        errors["currency"] = _("Choose one of: %(codes)s.", codes=", ".join(CURRENCY_CODES))

    amounts_ok = True
    for key in ("finance_lead_above", "cfo_above"):
        value = merged[key]
        if not isinstance(value, int) or isinstance(value, bool):
            errors[key] = _("Give a whole amount.")
            amounts_ok = False
        elif value <= 0:
            errors[key] = _("Give a positive amount.")
            amounts_ok = False
    if amounts_ok and merged["cfo_above"] <= merged["finance_lead_above"]:
        if "cfo_above" in settings:
            errors["cfo_above"] = _(
                "Must be above finance_lead_above (%(amount)s).",
                amount=f"{merged['finance_lead_above']:,}",
            )
        else:
            errors["finance_lead_above"] = _(
                "Must be below cfo_above (%(amount)s).", amount=f"{merged['cfo_above']:,}"
            )

    rates = merged["rates"]
    if not isinstance(rates, dict):
        errors["rates"] = _('Give an object of currency to rate, e.g. {"EUR": 4.25}.')
    elif "currency" not in errors:
        base = merged["currency"]
        for code, rate in rates.items():
            if code not in CURRENCY_CODES or code == base:
                others = ", ".join(c for c in CURRENCY_CODES if c != base)
                errors[f"rates.{code}"] = _(
                    "Not a currency to convert; use %(codes)s.", codes=others
                )
            elif not _is_rate(rate):
                errors[f"rates.{code}"] = _("Give a positive rate.")
        for code in CURRENCY_CODES:
            if code != base and code not in rates:
                errors[f"rates.{code}"] = _(
                    "Give how many %(base)s one %(code)s is worth.", base=base, code=code
                )
    return errors
