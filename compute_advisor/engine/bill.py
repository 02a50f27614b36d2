"""Building one option's bill: look a price up, turn usage into the price's unit, add a line item.

A price the snapshot lacks either makes the option unavailable (when the option cannot be priced
without it) or is listed as missing with a warning (when it is one extra charge among others).
"""

from __future__ import annotations

from decimal import Decimal

from compute_advisor.engine.money import SECONDS_PER_HOUR
from compute_advisor.engine.pricebook import Price, PriceBook
from compute_advisor.engine.result import LineItem, OptionResult
from compute_advisor.engine.usage import BilledHours, HourShares

# The Price List's unit names, as a person reads them in a line item.
DISPLAY_UNITS = {
    "vCPU-Hours": "vCPU-hours",
    "GB-Hours": "GB-hours",
    "Hrs": "hours",
    "GB-Mo": "GB-months",
    "IOPS-Mo": "IOPS-months",
    "GiBps-Mo": "GiBps-months",
    "LCU-Hrs": "LCU-hours",
    "NLCU-Hrs": "NLCU-hours",
    "Mo": "months",
    "GB": "GB",
    "Apps-Mo": "application-months",
    "Minutes": "minutes",
    "vCPU-Seconds": "vCPU-seconds",
    "GB-Seconds": "GB-seconds",
}
_PER_SECOND_UNITS = {"vCPU-Seconds", "GB-Seconds", "Seconds"}


class PriceMissing(Exception):
    def __init__(self, service_code: str, key: str, region: str) -> None:
        self.service_code, self.key, self.region = service_code, key, region
        super().__init__(f"the price snapshot has no price for {service_code} {key} in {region}")


class Bill:
    def __init__(self, book: PriceBook, result: OptionResult) -> None:
        self.book = book
        self.result = result

    def price(self, service_code: str, key: str, *, required: bool = True, what: str = "") -> Price | None:
        price = self.book.get(service_code, key)
        if price is None:
            if required:
                raise PriceMissing(service_code, key, self.book.region)
            self.missing(what or f"{service_code} {key}")
        return price

    def missing(self, label: str) -> None:
        """A charge the snapshot cannot price: listed, warned about, and left out of the total."""
        if label not in self.result.missing_prices:
            self.result.missing_prices.append(label)
            self.result.warnings.append(
                f"No sourced price for {label} in {self.book.region}: it is left out of the total."
            )

    def has(self, service_code: str, key: str) -> bool:
        return self.book.get(service_code, key) is not None

    def hourly(
        self,
        service_code: str,
        key: str,
        *,
        hours: Decimal | BilledHours,
        per: Decimal = Decimal(1),
        description: str,
        category: str = "compute",
        required: bool = True,
        what: str = "",
    ) -> None:
        """Charge `per` units (vCPUs, GB, addresses, instances) for `hours` hours at a time-based price.

        Billed hours that say which hour of a profile they fall in keep saying so on the line item."""
        price = self.price(service_code, key, required=required, what=what)
        if price is not None:
            self.charge_hours(price, hours=hours, per=per, description=description, category=category)

    def charge_hours(
        self,
        price: Price,
        *,
        hours: Decimal | BilledHours,
        per: Decimal = Decimal(1),
        description: str,
        category: str = "compute",
    ) -> None:
        """`hourly` at a price already in hand (one the engine derived, say)."""
        billed = _billed(hours)
        factor = per * SECONDS_PER_HOUR if price.unit in _PER_SECOND_UNITS else per
        self.add(
            price, quantity=billed.total * factor, description=description, category=category, shares=billed.shares
        )

    def units(
        self,
        service_code: str,
        key: str,
        *,
        quantity: Decimal | BilledHours,
        description: str,
        category: str,
        required: bool = True,
        what: str = "",
    ) -> None:
        """Charge a quantity already in the price's own unit (GB-months, GB, months, minutes)."""
        price = self.price(service_code, key, required=required, what=what)
        if price is not None:
            amount = _billed(quantity)
            self.add(price, quantity=amount.total, description=description, category=category, shares=amount.shares)

    def add(
        self,
        price: Price,
        *,
        quantity: Decimal,
        description: str,
        category: str,
        shares: HourShares | None = None,
    ) -> None:
        if quantity == 0:
            return
        self.result.line_items.append(
            LineItem(
                description=description,
                quantity=quantity,
                unit=DISPLAY_UNITS.get(price.unit, price.unit),
                unit_price=price.usd,
                cost=quantity * price.usd,
                category=category,
                shares=shares,
            )
        )


def _billed(amount: Decimal | BilledHours) -> BilledHours:
    """An amount that may say how it falls over a profile's hours; a plain one does not."""
    return amount if isinstance(amount, BilledHours) else BilledHours(amount)
