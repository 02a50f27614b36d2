"""Money is Decimal, exact until it is shown. Rounding happens once, half-up to cents, in the result."""

from __future__ import annotations

from contextlib import AbstractContextManager
from decimal import ROUND_CEILING, ROUND_HALF_UP, Context, Decimal, localcontext

ZERO = Decimal(0)
ONE = Decimal(1)
CENT = Decimal("0.01")
SECONDS_PER_HOUR = Decimal(3600)
# Enough digits that a per-second rate times a month of seconds never loses a digit that could
# move a half-cent.
ENGINE_CONTEXT = Context(prec=50, rounding=ROUND_HALF_UP)


def engine_precision() -> AbstractContextManager[Context]:
    return localcontext(ENGINE_CONTEXT)


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def ceil_int(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_CEILING))


def plain(value: Decimal, *, places: int | None = None) -> str:
    """A decimal as a plain string (no exponent, no trailing zeros), optionally to at most `places`."""
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", ""} else text
