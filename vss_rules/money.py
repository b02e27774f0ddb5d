"""Exact numbers and the rounding rules of amounts.

All arithmetic is exact (:class:`fractions.Fraction`); an amount becomes whole
VND only where a rule says how, with one of the named rounding rules below.
"""

from __future__ import annotations

import math
from fractions import Fraction

ROUNDING_RULES = {
    "half_up": "nearest đồng, halves away from zero / đồng gần nhất, 0,5 làm tròn lên",
    "down": "whole đồng below / làm tròn xuống",
    "up": "whole đồng above / làm tròn lên",
    "exact": "the amount must already be whole đồng / số tiền phải tròn đồng",
}


def round_half_up(x: Fraction) -> int:
    if x >= 0:
        return math.floor(x + Fraction(1, 2))
    return -math.floor(-x + Fraction(1, 2))


def apply_rounding(x: Fraction | int, rule: str) -> int:
    x = Fraction(x)
    if rule == "half_up":
        return round_half_up(x)
    if rule == "down":
        return math.floor(x)
    if rule == "up":
        return math.ceil(x)
    if rule == "exact":
        if x.denominator != 1:
            raise ArithmeticError(f"{float(x)} is not a whole number of đồng")
        return int(x)
    raise ValueError(f"unknown rounding rule {rule!r}")


def to_fraction(value: object) -> Fraction:
    """YAML/JSON number → exact Fraction (floats through their shortest decimal text)."""
    if isinstance(value, bool):
        raise TypeError("a true/false value is not a number")
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("not a finite number")
        return Fraction(repr(value))
    if isinstance(value, str):
        return Fraction(value.replace("_", "").replace(",", ""))
    raise TypeError(f"{value!r} is not a number")


def plain(x: object) -> object:
    """Fraction → int when whole, else float; anything else unchanged (for JSON)."""
    if isinstance(x, Fraction):
        return int(x) if x.denominator == 1 else float(x)
    return x
