"""The fixed filter library (spec/language.md, "Filters").

Each filter has a signature the checker uses (what it accepts, its arguments, what it returns)
and an implementation the evaluator calls. Templates cannot add filters: the library is the
whole of what expressions can do besides arithmetic, so it is safe by construction.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from ccmlang.compiler import formats
from ccmlang.compiler import types as t
from ccmlang.compiler.formats import FormatError


@dataclass(frozen=True, slots=True)
class FilterContext:
    locale: str


@dataclass(frozen=True, slots=True)
class ParamSpec:
    name: str
    type: t.Type
    required: bool = True


ResultFn = Callable[[t.Type, Sequence[Any]], "t.Type | str"]
"""(input type, constant argument values or None) → result type, or an error message."""


@dataclass(frozen=True, slots=True)
class FilterSpec:
    name: str
    doc: str
    accepts: str
    """What the input must be, in words (for "`money` needs a number, got a string")."""
    params: tuple[ParamSpec, ...]
    result: ResultFn
    run: Callable[..., Any]
    example: str
    allows_absent: bool = False
    """The input may be absent (``default``)."""


def _fixed(accepts: Callable[[t.Type], bool], result: t.Type) -> ResultFn:
    def check(value: t.Type, args: Sequence[Any]) -> t.Type | str:
        return result if accepts(value) else "wrong input"

    return check


def _is_number(v: t.Type) -> bool:
    return t.is_numeric(v)


def _is_string(v: t.Type) -> bool:
    return v in (t.STRING, t.ANY)


def _is_dateish(v: t.Type) -> bool:
    return v in (t.DATE, t.DATETIME, t.STRING, t.ANY)


def _is_list(v: t.Type) -> bool:
    return isinstance(v, t.ListT) or v == t.ANY


def _is_sized(v: t.Type) -> bool:
    return _is_list(v) or _is_string(v)


def _item(v: t.Type) -> t.Type:
    return v.item if isinstance(v, t.ListT) else t.ANY


def _field_of(v: t.Type, args: Sequence[Any]) -> t.Type | str:
    """Type of ``item.<field>`` for filters naming a field of list items (``sum("amount")``)."""
    if not _is_list(v):
        return "wrong input"
    item = t.strip_optional(_item(v))
    name = args[0] if args else None
    if name is None:
        return item
    if not isinstance(name, str):
        return t.ANY
    if isinstance(item, t.RecordT):
        field = item.get(name)
        if field is None:
            if item.open:
                return t.ANY
            known = ", ".join(f"`{n}`" for n in item.names[:8])
            return f"the list's items have no field `{name}` (they have {known})"
        return field.type if field.required else t.optional(field.type)
    if item == t.ANY:
        return t.ANY
    return f"the list's items are {item}, not records with a field `{name}`"


def _numeric_field(v: t.Type, args: Sequence[Any]) -> t.Type | str:
    found = _field_of(v, args)
    if isinstance(found, str):
        return found
    if not t.is_numeric(t.strip_optional(found)):
        return f"the values summed must be numbers, not {found}"
    return t.NUMBER


def _same(v: t.Type, args: Sequence[Any]) -> t.Type | str:
    return v if _is_list(v) else "wrong input"


def _element(v: t.Type, args: Sequence[Any]) -> t.Type | str:
    return t.optional(_item(v)) if _is_list(v) else "wrong input"


def _mapped(v: t.Type, args: Sequence[Any]) -> t.Type | str:
    found = _field_of(v, args)
    return found if isinstance(found, str) else t.ListT(found)


def _default(v: t.Type, args: Sequence[Any]) -> t.Type | str:
    return t.strip_optional(v)


# ---------------------------------------------------------------- implementations


def _get(item: Any, name: str | None) -> Any:
    if name is None:
        return item
    if isinstance(item, dict):
        return item.get(name)
    raise FormatError(f"list item is not a record with a field `{name}`")


def _sum(ctx: FilterContext, value: list[Any], field: str | None = None) -> Decimal:
    total = Decimal(0)
    for item in value:
        got = _get(item, field)
        if got is not None:
            total += formats.to_decimal(got)
    return total


def _extreme(pick: Callable[..., Any]) -> Callable[..., Any]:
    def run(ctx: FilterContext, value: list[Any], field: str | None = None) -> Any:
        values = [formats.to_decimal(v) for v in (_get(i, field) for i in value) if v is not None]
        return pick(values) if values else None

    return run


def _round(ctx: FilterContext, value: Any, places: int = 0) -> Decimal:
    return formats.to_decimal(value).quantize(
        Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_EVEN
    )


def _truncate(ctx: FilterContext, value: str, length: int, end: str = "…") -> str:
    length = int(length)
    return value if len(value) <= length else value[: max(0, length - len(end))].rstrip() + end


def _iban(ctx: FilterContext, value: str) -> str:
    compact = "".join(value.split()).upper()
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def _sort(
    ctx: FilterContext, value: list[Any], field: str | None = None, reverse: bool = False
) -> list[Any]:
    def key(item: Any) -> tuple[int, Any]:
        got = _get(item, field)
        if got is None:
            return (1, "")
        if isinstance(got, int | Decimal) and not isinstance(got, bool):
            return (0, Decimal(got))
        return (0, str(got))

    try:
        return sorted(value, key=key, reverse=bool(reverse))
    except TypeError as exc:
        raise FormatError("cannot sort a list that mixes numbers and text") from exc


def _where(ctx: FilterContext, value: list[Any], field: str, expected: Any = True) -> list[Any]:
    return [item for item in value if _get(item, field) == expected]


def _join(ctx: FilterContext, value: list[Any], sep: str = ", ") -> str:
    return sep.join(formats.plain(v) for v in value)


def _date(ctx: FilterContext, value: Any, pattern: str = "medium") -> str:
    return formats.date(value, ctx.locale, pattern)


def _datetime(ctx: FilterContext, value: Any, pattern: str = "medium") -> str:
    return formats.datetime_(value, ctx.locale, pattern)


def _days_between(ctx: FilterContext, value: Any, other: Any) -> int:
    return (formats.to_date(other) - formats.to_date(value)).days


def _add_days(ctx: FilterContext, value: Any, days: int) -> datetime.date:
    return formats.to_date(value) + datetime.timedelta(days=int(days))


_P = ParamSpec
_OPT_FIELD = (_P("field", t.STRING, required=False),)

FILTERS: dict[str, FilterSpec] = {
    spec.name: spec
    for spec in [
        FilterSpec(
            "money",
            "Amount with currency, in the document's locale.",
            "a number",
            (_P("currency", t.STRING), _P("places", t.INTEGER, required=False)),
            _fixed(_is_number, t.STRING),
            lambda ctx, v, cur, places=None: formats.money(
                v, cur, ctx.locale, None if places is None else int(places)
            ),
            '{invoice.total | money("EUR")}',
        ),
        FilterSpec(
            "number",
            "A grouped, locale-aware number; `places` fixes the decimals.",
            "a number",
            (_P("places", t.INTEGER, required=False),),
            _fixed(_is_number, t.STRING),
            lambda ctx, v, places=None: formats.number(
                v, ctx.locale, None if places is None else int(places)
            ),
            "{account.points | number}",
        ),
        FilterSpec(
            "percent",
            "A fraction as a percentage (0.05 → 5%).",
            "a number",
            (_P("places", t.INTEGER, required=False),),
            _fixed(_is_number, t.STRING),
            lambda ctx, v, places=0: formats.percent(v, ctx.locale, int(places)),
            "{rate | percent(2)}",
        ),
        FilterSpec(
            "date",
            "A date in the document's locale: short, medium, long, full or a CLDR pattern.",
            "a date",
            (_P("format", t.STRING, required=False),),
            _fixed(_is_dateish, t.STRING),
            _date,
            '{period.end | date("long")}',
        ),
        FilterSpec(
            "datetime",
            "A date and time in the document's locale.",
            "a date-time",
            (_P("format", t.STRING, required=False),),
            _fixed(_is_dateish, t.STRING),
            _datetime,
            "{created | datetime}",
        ),
        FilterSpec(
            "add-days",
            "The date so many days later (negative: earlier).",
            "a date",
            (_P("days", t.INTEGER),),
            _fixed(_is_dateish, t.DATE),
            _add_days,
            '{invoice.date | add-days(30) | date("long")}',
        ),
        FilterSpec(
            "days-until",
            "Whole days from this date until another.",
            "a date",
            (_P("other", t.DATE),),
            _fixed(_is_dateish, t.INTEGER),
            _days_between,
            "{policy.start | days-until(policy.end)}",
        ),
        FilterSpec(
            "upper",
            "Upper case.",
            "text",
            (),
            _fixed(_is_string, t.STRING),
            lambda ctx, v: v.upper(),
            "{customer.name | upper}",
        ),
        FilterSpec(
            "lower",
            "Lower case.",
            "text",
            (),
            _fixed(_is_string, t.STRING),
            lambda ctx, v: v.lower(),
            "{code | lower}",
        ),
        FilterSpec(
            "capitalize",
            "First letter upper case.",
            "text",
            (),
            _fixed(_is_string, t.STRING),
            lambda ctx, v: v[:1].upper() + v[1:],
            "{word | capitalize}",
        ),
        FilterSpec(
            "trim",
            "Without surrounding spaces.",
            "text",
            (),
            _fixed(_is_string, t.STRING),
            lambda ctx, v: v.strip(),
            "{note | trim}",
        ),
        FilterSpec(
            "truncate",
            "At most `length` characters, ending with `…`.",
            "text",
            (_P("length", t.INTEGER), _P("end", t.STRING, required=False)),
            _fixed(_is_string, t.STRING),
            _truncate,
            "{tx.description | truncate(40)}",
        ),
        FilterSpec(
            "replace",
            "Every `old` replaced by `new`.",
            "text",
            (_P("old", t.STRING), _P("new", t.STRING)),
            _fixed(_is_string, t.STRING),
            lambda ctx, v, old, new: v.replace(old, new),
            '{ref | replace("-", " ")}',
        ),
        FilterSpec(
            "iban",
            "An IBAN in groups of four.",
            "text",
            (),
            _fixed(_is_string, t.STRING),
            _iban,
            "{account.iban | iban}",
        ),
        FilterSpec(
            "length",
            "Number of items in a list or characters in a text.",
            "a list or text",
            (),
            _fixed(_is_sized, t.INTEGER),
            lambda ctx, v: len(v),
            "{account.transactions | length}",
        ),
        FilterSpec(
            "sum",
            "Sum of the list, or of a field of its items.",
            "a list",
            _OPT_FIELD,
            _numeric_field,
            _sum,
            '{tx | sum("amount")}',
        ),
        FilterSpec(
            "min",
            "Smallest value.",
            "a list",
            _OPT_FIELD,
            lambda v, a: (
                t.optional(t.NUMBER)
                if not isinstance(_numeric_field(v, a), str)
                else _numeric_field(v, a)
            ),
            _extreme(min),
            '{tx | min("amount")}',
        ),
        FilterSpec(
            "max",
            "Largest value.",
            "a list",
            _OPT_FIELD,
            lambda v, a: (
                t.optional(t.NUMBER)
                if not isinstance(_numeric_field(v, a), str)
                else _numeric_field(v, a)
            ),
            _extreme(max),
            '{tx | max("amount")}',
        ),
        FilterSpec(
            "first",
            "The first item (absent when empty).",
            "a list",
            (),
            _element,
            lambda ctx, v: v[0] if v else None,
            "{items | first}",
        ),
        FilterSpec(
            "last",
            "The last item (absent when empty).",
            "a list",
            (),
            _element,
            lambda ctx, v: v[-1] if v else None,
            "{items | last}",
        ),
        FilterSpec(
            "sort",
            "Sorted, by a field of the items if given.",
            "a list",
            (_P("field", t.STRING, required=False), _P("reverse", t.BOOL, required=False)),
            _same,
            _sort,
            'account.transactions | sort("date")',
        ),
        FilterSpec(
            "reverse",
            "In reverse order.",
            "a list",
            (),
            _same,
            lambda ctx, v: list(reversed(v)),
            "items | reverse",
        ),
        FilterSpec(
            "where",
            "The items whose field equals a value (default true).",
            "a list",
            (_P("field", t.STRING), _P("value", t.ANY, required=False)),
            lambda v, a: (
                _same(v, a)
                if isinstance(_field_of(v, a[:1]), t.Prim | t.OptionalT | t.ListT | t.RecordT)
                else _field_of(v, a[:1])
            ),
            _where,
            'tx | where("type", "fee")',
        ),
        FilterSpec(
            "map",
            "The list of one field of each item.",
            "a list",
            (_P("field", t.STRING),),
            _mapped,
            lambda ctx, v, f: [_get(i, f) for i in v],
            'tx | map("amount")',
        ),
        FilterSpec(
            "join",
            "Items joined into one text.",
            "a list",
            (_P("separator", t.STRING, required=False),),
            _fixed(_is_list, t.STRING),
            _join,
            'tags | join(", ")',
        ),
        FilterSpec(
            "round",
            "Rounded half-even to `places` decimals (default 0).",
            "a number",
            (_P("places", t.INTEGER, required=False),),
            _fixed(_is_number, t.NUMBER),
            _round,
            "{x | round(2)}",
        ),
        FilterSpec(
            "abs",
            "Absolute value.",
            "a number",
            (),
            _fixed(_is_number, t.NUMBER),
            lambda ctx, v: abs(formats.to_decimal(v)),
            "{balance | abs}",
        ),
        FilterSpec(
            "string",
            "The value as plain text.",
            "any value",
            (),
            lambda v, a: t.STRING,
            lambda ctx, v: formats.plain(v),
            "{count | string}",
        ),
        FilterSpec(
            "default",
            "The value, or `fallback` when absent.",
            "any value",
            (_P("fallback", t.ANY),),
            _default,
            lambda ctx, v, fb: fb if v is None else v,
            '{customer.title | default("")}',
            allows_absent=True,
        ),
    ]
}
