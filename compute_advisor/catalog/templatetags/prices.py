from collections.abc import Sequence
from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def usd(value: Decimal | None) -> str:
    """A published price as printed: at least cents, and every further digit the price list gives."""
    if value is None:
        return ""
    # At most the 10 places a price list uses: a rate worked out from a monthly plan (/744) repeats.
    exponent = value.as_tuple().exponent
    too_fine = isinstance(exponent, int) and exponent < -10
    normalized = value.quantize(Decimal("0.0000000001")).normalize() if too_fine else value.normalize()
    exponent = normalized.as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    return f"{normalized:,.{places}f}"


@register.filter
def usd_cents(value: Decimal | None) -> str:
    """An amount owed, rounded half-up to the cent as AWS bills it."""
    if value is None:
        return ""
    from compute_advisor.engine.money import cents

    return f"{cents(value):,.2f}"


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key)


@register.filter
def num(value: Decimal | None) -> str:
    """A decimal as people write it: 30, 0.5, 2.25 (never 3E+1)."""
    if value is None:
        return ""
    from compute_advisor.engine.money import plain

    return plain(Decimal(value))


@register.filter
def range_text(values: Sequence[int] | None) -> str:
    """A service's replicas over the hours: "3", or "2 to 10" when they change."""
    if not values:
        return ""
    low, high = min(values), max(values)
    return str(low) if low == high else f"{low} to {high}"
