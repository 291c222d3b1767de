"""Locale-aware formatting of money, numbers, percentages and dates through Babel (CLDR).

Money is ``Decimal`` end to end: Babel formats Decimals exactly, so nothing here ever passes
through ``float``. Locale objects are parsed once and cached, because a batch formats the
same few locales millions of times.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers


class FormatError(ValueError):
    """A value or pattern that cannot be formatted; the evaluator reports it with a span."""


@lru_cache(maxsize=64)
def locale(tag: str) -> Locale:
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as exc:
        raise FormatError(f"unknown locale `{tag}`") from exc


def is_known_locale(tag: str) -> bool:
    try:
        locale(tag)
    except FormatError:
        return False
    return True


def to_decimal(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise FormatError("expected a number, got a boolean")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation as exc:
            raise FormatError(f"`{value}` is not a number") from exc
    raise FormatError(f"expected a number, got {type(value).__name__}")


def money(amount: object, currency: str, tag: str, places: int | None = None) -> str:
    """``1234.5`` EUR in de-DE → ``1.234,50 €``. Rounds half-even to the currency's digits, or
    to ``places`` (unit prices to 4 decimals, whole amounts with 0), in the locale's pattern."""
    value = to_decimal(amount)
    if not currency or len(currency) != 3 or not currency.isalpha():
        raise FormatError(f"`{currency}` is not an ISO 4217 currency code")
    return _money_formatter(tag, currency.upper(), places)(value)


@lru_cache(maxsize=256)
def _money_formatter(tag: str, code: str, places: int | None) -> Callable[[Decimal], str]:
    """A formatter compiled once per locale, currency and precision.

    Babel re-reads the pattern on every call (about 20 µs; a statement has hundreds of amounts).
    The compiled formatter does the same steps directly, and is checked against Babel on probe
    values when it is built: if it ever disagrees, Babel itself is used for that key.
    """
    loc = locale(tag)
    digits = babel_numbers.get_currency_precision(code) if places is None else places
    quantum = Decimal(1).scaleb(-digits)
    pattern = _with_decimals(loc.currency_formats["standard"], digits)

    def slow(value: Decimal) -> str:
        value = _rounded(value, quantum)
        return pattern.apply(
            value, loc, currency=code, currency_digits=False, decimal_quantization=True
        )

    fast = _compiled_money(loc, code, pattern, quantum)
    if fast is None:
        return slow
    probes = ["0", "1", "-1", "0.5", "-0.005", "12.345", "999.995", "1234.5", "-1234567.891", "1e7"]
    if any(fast(Decimal(p)) != slow(Decimal(p)) for p in probes):
        return slow
    return fast


def _rounded(value: Decimal, quantum: Decimal) -> Decimal:
    """Half-even to the quantum; -0.004 rounds to 0.00, never to a printed "-0.00"."""
    value = value.quantize(quantum, rounding=ROUND_HALF_EVEN)
    return abs(value) if value.is_zero() else value


def _compiled_money(
    loc: Locale, code: str, pattern: babel_numbers.NumberPattern, quantum: Decimal
) -> Callable[[Decimal], str] | None:
    if len(pattern.grouping) != 2 or "'" in pattern.pattern:
        return None
    symbols = babel_numbers.get_currency_symbol(code, loc)
    group = babel_numbers.get_group_symbol(loc)
    point = babel_numbers.get_decimal_symbol(loc)
    minus = babel_numbers.get_minus_sign_symbol(loc)
    first, rest = pattern.grouping
    pos = (pattern.prefix[0].replace("¤", symbols), pattern.suffix[0].replace("¤", symbols))
    neg = tuple(
        part.replace("¤", symbols).replace("-", minus)
        for part in (pattern.prefix[1], pattern.suffix[1])
    )

    def fast(value: Decimal) -> str:
        value = _rounded(value, quantum)
        text = format(abs(value), "f")
        whole, _, frac = text.partition(".")
        if len(whole) > first:
            head, tail = whole[:-first], whole[-first:]
            groups = []
            while len(head) > rest:
                groups.append(head[-rest:])
                head = head[:-rest]
            groups.append(head)
            whole = group.join([*reversed(groups), tail])
        number = whole + (point + frac if frac else "")
        prefix, suffix = neg if value < 0 else pos
        return prefix + number + suffix

    return fast


def _with_decimals(
    pattern: babel_numbers.NumberPattern, places: int
) -> babel_numbers.NumberPattern:
    """The locale's own pattern (symbol position, spacing) with exactly ``places`` decimals."""
    fixed = copy.copy(pattern)
    fixed.frac_prec = (places, places)
    return fixed


def number(value: object, tag: str, places: int | None = None) -> str:
    """Grouped, locale-aware decimal: ``1234567.891`` → ``1,234,567.891`` (en)."""
    dec = to_decimal(value)
    if places is not None:
        dec = dec.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
        pattern = "#,##0" + ("." + "0" * places if places > 0 else "")
        return babel_numbers.format_decimal(
            dec, format=pattern, locale=locale(tag), decimal_quantization=False
        )
    return babel_numbers.format_decimal(dec, locale=locale(tag), decimal_quantization=False)


def percent(value: object, tag: str, places: int = 0) -> str:
    """``0.125`` → ``12.5%`` (en) or ``12,5 %`` (fr) with ``places=1``; the input is a fraction."""
    dec = to_decimal(value)
    loc = locale(tag)
    scaled = (dec * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN) / 100
    pattern = _with_decimals(loc.percent_formats[None], places)
    return pattern.apply(scaled, loc, decimal_quantization=True)


def to_date(value: object) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError as exc:
            raise FormatError(f"`{value}` is not a date (expected YYYY-MM-DD)") from exc
    raise FormatError(f"expected a date, got {type(value).__name__}")


def to_datetime(value: object) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as exc:
            raise FormatError(f"`{value}` is not a date-time (expected ISO 8601)") from exc
    raise FormatError(f"expected a date-time, got {type(value).__name__}")


_NAMED = ("short", "medium", "long", "full")


def date(value: object, tag: str, pattern: str = "medium") -> str:
    """``short|medium|long|full`` or a CLDR pattern such as ``d MMM yyyy``."""
    try:
        return babel_dates.format_date(to_date(value), format=pattern, locale=locale(tag))
    except (ValueError, KeyError, AttributeError) as exc:
        raise FormatError(f"bad date pattern `{pattern}`: {exc}") from exc


def datetime_(value: object, tag: str, pattern: str = "medium") -> str:
    try:
        return babel_dates.format_datetime(to_datetime(value), format=pattern, locale=locale(tag))
    except (ValueError, KeyError, AttributeError) as exc:
        raise FormatError(f"bad date-time pattern `{pattern}`: {exc}") from exc


def check_date_pattern(pattern: str) -> str | None:
    """Compile-time check of a constant pattern; returns a message when it is bad."""
    if pattern in _NAMED:
        return None
    try:
        babel_dates.format_date(datetime.date(2024, 1, 31), format=pattern, locale=locale("en"))
    except (ValueError, KeyError, AttributeError) as exc:
        return str(exc) or "not a CLDR date pattern"
    return None


def plain(value: object) -> str:
    """How an interpolated value prints without a filter: no locale, no surprises."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
