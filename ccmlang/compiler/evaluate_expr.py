"""Expression evaluation: the small pure language of spec/language.md, "Expressions".

Safe by construction: values are the plain JSON data model (``dict``, ``list``, ``str``,
``Decimal``, ``int``, ``bool``, ``None``) plus ``datetime.date`` from date literals and date
filters. Attribute access is a dictionary look-up, never ``getattr``; the only callables are the
filters of :data:`ccmlang.compiler.filters.FILTERS`. Nothing from the template reaches ``eval``.

Arithmetic is ``Decimal`` with an explicit 28-digit context (never the thread's ambient one, which
a host application may have changed), so ``0.1 + 0.2 == 0.3`` exactly and money sums are exact.
Every failure becomes an ``E3008`` diagnostic pointing at the expression that failed.
"""

from __future__ import annotations

import datetime
import decimal
import inspect
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, NoReturn

from ccmlang.compiler import ast, formats
from ccmlang.compiler.diagnostics import Diagnostic, Hint, Severity
from ccmlang.compiler.filters import FILTERS, FilterContext
from ccmlang.compiler.formats import FormatError
from ccmlang.compiler.source import Span

DECIMAL = decimal.Context(
    prec=28,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
"""The arithmetic context of templates: 28 significant digits, banker's rounding, no silent NaN."""


class RenderError(Exception):
    """Rendering failed; ``diagnostics`` says why (``E3xxx`` codes, with template spans).

    Data violations come all at once (``E3001``, one per violation); an evaluation error stops
    the render at the first problem, because later output would depend on the failed value.
    """

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics: list[Diagnostic] = list(diagnostics)
        first = self.diagnostics[0] if self.diagnostics else None
        summary = f"{len(self.diagnostics)} problem(s)"
        if first is not None:
            where = f"{first.span}: " if first.span is not None else ""
            summary += f"; first: {where}{first.code} {first.message}"
        super().__init__(summary)


def fail(code: str, message: str, span: Span | None, *hints: str) -> NoReturn:
    """Stop the render with one error diagnostic."""
    raise RenderError(
        [Diagnostic(code, Severity.ERROR, message, span, hints=tuple(Hint(h) for h in hints))]
    )


class Scope:
    """One level of variables (``let``, ``for``, ``loop``, component parameters).

    Scopes form a chain; the outermost has no parent and falls back to the data record, so a
    name not bound by the template is a top-level data field.
    """

    __slots__ = ("parent", "vars")

    def __init__(self, variables: dict[str, Any], parent: Scope | None) -> None:
        self.vars = variables
        self.parent = parent

    def binds(self, name: str) -> bool:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.vars:
                return True
            scope = scope.parent
        return False


def truthy(value: Any) -> bool:
    """Absent, ``""``, ``0``, ``[]``, ``{}`` and ``false`` are false; everything else is true."""
    if value is None or value is False:
        return False
    if value is True:
        return True
    if isinstance(value, str | list | dict):
        return len(value) > 0
    if isinstance(value, int | Decimal):
        return bool(value != 0)
    return True


def describe(value: Any) -> str:
    """A value's kind in words, for messages."""
    if value is None:
        return "an absent value"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | Decimal):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, datetime.date):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a record"
    return type(value).__name__


def _decimal(value: Any, node: ast.Binary | ast.Unary) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    fail("E3008", f"`{node.span.text}` needs numbers, got {describe(value)}", node.span)


def _as_date(value: Any, span: Span) -> datetime.date:
    try:
        return formats.to_date(value)
    except FormatError as exc:
        fail("E3008", str(exc), span)


Compiled = Callable[["ExprEvaluator", Scope], Any]
"""An expression turned into a Python closure: ``compiled(evaluator, scope) -> value``."""


class ExprEvaluator:
    """Evaluates expressions against one data record; subclassed by the block evaluator.

    Each expression node is turned once into a closure (:func:`compile_expr`) that calls its
    children's closures directly, instead of dispatching on the node's class at every step:
    the closures are plain Python functions over the node's fields (never ``eval``), with no
    per-step look-up of what to do. ``compiled`` maps node ids to (node, closure); the block
    evaluator shares one per program across records (fills are idempotent, so threads may race).
    """

    def __init__(
        self,
        data: Any,
        locale: str,
        compiled: dict[int, tuple[ast.Expr, Compiled]] | None = None,
    ) -> None:
        self.data = data
        self.root: dict[str, Any] = data if isinstance(data, dict) else {}
        self.filter_context = FilterContext(locale)
        self.sealed: Scope | None = None
        """The outermost scope of component bodies: ``input`` and ``locale`` but no data."""
        self.compiled: dict[int, tuple[ast.Expr, Compiled]] = {} if compiled is None else compiled

    def set_locale(self, locale: str) -> None:
        self.filter_context = FilterContext(locale)

    def eval(self, node: ast.Expr, scope: Scope) -> Any:
        return self.closure(node)(self, scope)

    def closure(self, node: ast.Expr) -> Compiled:
        """``node``'s closure, compiled on first use (loops fetch it once, before the loop)."""
        entry = self.compiled.get(id(node))
        if entry is None:  # the node is kept with its closure, so its id stays its own
            entry = self.compiled[id(node)] = (node, compile_expr(node))
        return entry[1]

    def text(self, node: ast.Expr, scope: Scope) -> str:
        """A value printed as text, the way an interpolation prints it."""
        value = self.eval(node, scope)
        return value if value.__class__ is str else formats.plain(value)

    def lookup(self, name: str, scope: Scope) -> Any:
        """A variable, innermost scope first; past the outermost, a top-level data field (none
        inside components, whose outermost scope is :attr:`sealed`)."""
        current = scope
        while True:
            variables = current.vars
            if name in variables:
                return variables[name]
            parent = current.parent
            if parent is None:
                return None if current is self.sealed else self.root.get(name)
            current = parent

    def apply_filter(
        self, node: ast.Filter, spec: Any, value: Any, args: list[Any], named: dict[str, Any]
    ) -> Any:
        """Run one filter on evaluated arguments: memoised formatting, errors as ``E3008``."""
        key = _memo_key(node.name, self.filter_context.locale, value, args, named)
        if key is not None:
            found = _MEMO.get(key)
            if found is not None:
                return found
        try:
            result = spec.run(self.filter_context, value, *args, **named)
        except FormatError as exc:
            fail("E3008", f"`{node.name}`: {exc}", node.span)
        except (TypeError, ValueError, AttributeError, ArithmeticError, IndexError) as exc:
            fail(
                "E3008",
                f"`{node.name}` cannot handle {describe(value)} here ({exc})",
                node.span,
            )
        if key is not None:
            if len(_MEMO) >= MEMO_SIZE:
                _MEMO.clear()
            _MEMO[key] = result
        return result


# ---------------------------------------------------------------- expressions to closures


def compile_expr(node: ast.Expr) -> Compiled:
    """The closure that evaluates ``node`` (its children compiled first, once)."""
    return _COMPILERS[node.__class__](node)


def _constant(value: Any) -> Compiled:
    return lambda ev, scope: value


def _compile_name(node: ast.Name) -> Compiled:
    name = node.name
    return lambda ev, scope: ev.lookup(name, scope)


def _compile_attribute(node: ast.Attribute) -> Compiled:
    obj, name = compile_expr(node.obj), node.name

    def attribute(ev: ExprEvaluator, scope: Scope) -> Any:
        value = obj(ev, scope)
        return value.get(name) if value.__class__ is dict else None

    return attribute


def _compile_subscript(node: ast.Subscript) -> Compiled:
    obj_of, index_of = compile_expr(node.obj), compile_expr(node.index)

    def subscript(ev: ExprEvaluator, scope: Scope) -> Any:
        obj, index = obj_of(ev, scope), index_of(ev, scope)
        if isinstance(obj, list):
            if isinstance(index, bool) or not isinstance(index, int | Decimal):
                return None
            if isinstance(index, Decimal):
                if index != index.to_integral_value():
                    return None
                index = int(index)
            return obj[index] if 0 <= index < len(obj) else None
        if isinstance(obj, dict) and isinstance(index, str):
            return obj.get(index)
        return None

    return subscript


def _compile_str(node: ast.Str) -> Compiled:
    if all(part.__class__ is str for part in node.parts):
        return _constant("".join(node.parts))  # type: ignore[arg-type]
    parts = tuple(
        part if part.__class__ is str else compile_expr(part)  # type: ignore[arg-type]
        for part in node.parts
    )
    plain = formats.plain

    def text(ev: ExprEvaluator, scope: Scope) -> str:
        return "".join(
            part if part.__class__ is str else plain(part(ev, scope))  # type: ignore[operator]
            for part in parts
        )

    return text


def _compile_list(node: ast.ListLit) -> Compiled:
    items = tuple(compile_expr(item) for item in node.items)
    return lambda ev, scope: [item(ev, scope) for item in items]


def _compile_unary(node: ast.Unary) -> Compiled:
    operand = compile_expr(node.operand)
    if node.op == "not":
        return lambda ev, scope: not truthy(operand(ev, scope))

    def negate(ev: ExprEvaluator, scope: Scope) -> Any:
        value = operand(ev, scope)
        if isinstance(value, int) and not isinstance(value, bool):
            return -value
        return _decimal(value, node).copy_negate()

    return negate


def _compile_binary(node: ast.Binary) -> Compiled:
    op, left, right = node.op, compile_expr(node.left), compile_expr(node.right)
    if op == "and":
        return lambda ev, scope: truthy(left(ev, scope)) and truthy(right(ev, scope))
    if op == "or":
        return lambda ev, scope: truthy(left(ev, scope)) or truthy(right(ev, scope))
    if op == "??":

        def default(ev: ExprEvaluator, scope: Scope) -> Any:
            value = left(ev, scope)
            return right(ev, scope) if value is None else value

        return default
    operation = _OPERATORS.get(op)
    if operation is None:

        def unknown(ev: ExprEvaluator, scope: Scope) -> Any:
            fail("E3008", f"unknown operator `{op}`", node.op_span)

        return unknown
    run = operation
    return lambda ev, scope: run(left(ev, scope), right(ev, scope), node)


def _compile_conditional(node: ast.Conditional) -> Compiled:
    condition, then = compile_expr(node.condition), compile_expr(node.then)
    otherwise = compile_expr(node.otherwise)
    return lambda ev, scope: (
        then(ev, scope) if truthy(condition(ev, scope)) else otherwise(ev, scope)
    )


def _compile_filter(node: ast.Filter) -> Compiled:
    spec = FILTERS.get(node.name)
    value_of = compile_expr(node.value)
    if spec is None:

        def unknown(ev: ExprEvaluator, scope: Scope) -> Any:
            fail("E3008", f"unknown filter `{node.name}`", node.name_span)

        return unknown
    positional = tuple(compile_expr(a.value) for a in node.args if a.name is None)
    named = tuple(
        (_python_name(node.name, a.name), compile_expr(a.value))
        for a in node.args
        if a.name is not None
    )

    if not named and len(positional) <= 1:  # `| iban`, `| money(currency)`: most filters
        only = positional[0] if positional else None

        def apply_simple(ev: ExprEvaluator, scope: Scope) -> Any:
            value = value_of(ev, scope)
            args = [] if only is None else [only(ev, scope)]
            return ev.apply_filter(node, spec, value, args, {})

        return apply_simple

    def apply(ev: ExprEvaluator, scope: Scope) -> Any:
        value = value_of(ev, scope)
        args = [arg(ev, scope) for arg in positional]
        kwargs = {name: arg(ev, scope) for name, arg in named}
        return ev.apply_filter(node, spec, value, args, kwargs)

    return apply


# ---------------------------------------------------------------- formatting memo

MEMO_FILTERS = frozenset({"number", "percent", "date", "datetime"})
"""Filters that format through Babel (10–25 µs a call) and are pure in (locale, value, args).
``money`` is not among them: its compiled formatter (:func:`.formats.money`) costs less than
building the memo key, and amounts rarely repeat."""
MEMO_SIZE = 16_384
"""Formatted values remembered per process; the memo starts afresh when full."""
_MEMO: dict[tuple[Any, ...], str] = {}


def _memo_key(
    name: str, locale: str, value: Any, args: list[Any], named: dict[str, Any]
) -> tuple[Any, ...] | None:
    """A key that tells apart everything the formatters tell apart, or None to not memoise.

    A batch formats the same few dates (a month has 31) and many repeated amounts over and over,
    so remembering results saves most of the time spent in Babel.
    """
    if name not in MEMO_FILTERS:
        return None
    parts: list[Any] = [name, locale]
    for item in (value, *args, *named.values()):
        part = _memo_part(item)
        if part is _UNKEYABLE:
            return None
        parts.append(part)
    if named:
        parts.append(tuple(named))
    return tuple(parts)


_UNKEYABLE = object()


def _memo_part(item: Any) -> Any:
    """``Decimal("1.0")`` and ``Decimal("1.00")`` are equal but may print differently, so decimals
    are keyed by digits and exponent; booleans and dates are tagged (``True`` is not ``1``)."""
    kind = item.__class__
    if kind is Decimal:
        return item.as_tuple()
    if kind is str or kind is int or item is None:
        return item
    if kind is datetime.date or kind is bool:
        return (kind, item)
    return _UNKEYABLE


_PARAMETER_NAMES: dict[str, dict[str, str]] = {}


def _python_name(filter_name: str, name: str) -> str:
    """The implementation's parameter for a documented one (``money(places: 0)``).

    Filters document their parameters in ``FilterSpec.params``; implementations may name them
    differently, so named arguments are matched by position, computed once per filter.
    """
    names = _PARAMETER_NAMES.get(filter_name)
    if names is None:
        spec = FILTERS[filter_name]
        python = list(inspect.signature(spec.run).parameters)[2:]
        names = {p.name: py for p, py in zip(spec.params, python, strict=False)}
        _PARAMETER_NAMES[filter_name] = names
    return names.get(name, name.replace("-", "_"))


# ---------------------------------------------------------------- binary operators


def _arithmetic(op: str) -> Callable[[Any, Any, ast.Binary], Any]:
    decimal_op = {
        "+": DECIMAL.add,
        "-": DECIMAL.subtract,
        "*": DECIMAL.multiply,
        "/": DECIMAL.divide,
        "%": DECIMAL.remainder,
    }[op]

    def run(left: Any, right: Any, node: ast.Binary) -> Any:
        kind_l, kind_r = left.__class__, right.__class__
        if op in "+-":
            dated = _date_arithmetic(op, left, right, node)
            if dated is not _NOT_DATES:
                return dated
            if op == "+" and (kind_l is str or kind_r is str):
                return formats.plain(left) + formats.plain(right)
        if kind_l is int and kind_r is int and op in "+-*":
            return left + right if op == "+" else left - right if op == "-" else left * right
        x, y = _decimal(left, node), _decimal(right, node)
        if op in "/%" and not y:
            fail(
                "E3008",
                f"division by zero: `{node.right.span.text}` is 0",
                node.span,
                "guard the division, e.g. `b != 0 ? a / b : 0`",
            )
        try:
            result = decimal_op(x, y)
        except decimal.DecimalException as exc:
            fail(
                "E3008",
                f"`{node.span.text}` cannot be computed ({exc.__class__.__name__})",
                node.span,
            )
        if kind_l is int and kind_r is int and op == "%":
            return int(result)
        return result

    return run


_NOT_DATES = object()


def _as_day(value: Any) -> datetime.date | None:
    """A date literal, a date from a filter, or a date from the data (an ISO ``YYYY-MM-DD``
    string: JSON has no dates, the schema's ``format: date`` says what the string is)."""
    if isinstance(value, datetime.datetime):
        return None
    if isinstance(value, datetime.date):
        return value
    if value.__class__ is str and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _as_days(value: Any) -> int | None:
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return int(value)
    return None


def _date_arithmetic(op: str, left: Any, right: Any, node: ast.Binary) -> Any:
    """``date ± days`` is a date and ``date - date`` a number of days (spec/language.md,
    "Arithmetic, dates and text"); anything else is not date arithmetic (``_NOT_DATES``)."""
    day_l, day_r = _as_day(left), _as_day(right)
    if day_l is None and day_r is None:
        return _NOT_DATES
    if day_l is not None and (days := _as_days(right)) is not None:
        return day_l + datetime.timedelta(days=days if op == "+" else -days)
    if op == "+" and day_r is not None and (days := _as_days(left)) is not None:
        return day_r + datetime.timedelta(days=days)
    if op == "-" and day_l is not None and day_r is not None:
        return (day_l - day_r).days
    if op == "-":
        fail(
            "E3008", f"`{node.span.text}`: cannot subtract {describe(right)} from a date", node.span
        )
    return _NOT_DATES  # `date + "text"` joins text


def _dates_aligned(left: Any, right: Any, node: ast.Binary) -> tuple[Any, Any]:
    """A date compared with an ISO string (data dates are strings) compares as dates."""
    if isinstance(left, datetime.date) and isinstance(right, str):
        return left, _as_date(right, node.right.span)
    if isinstance(right, datetime.date) and isinstance(left, str):
        return _as_date(left, node.left.span), right
    return left, right


def _equal(left: Any, right: Any, node: ast.Binary) -> bool:
    left, right = _dates_aligned(left, right, node)
    if isinstance(left, bool) is not isinstance(right, bool):
        return False  # true is not 1
    return bool(left == right)


def _ordering(op: str) -> Callable[[Any, Any, ast.Binary], bool]:
    def run(left: Any, right: Any, node: ast.Binary) -> bool:
        left, right = _dates_aligned(left, right, node)
        try:
            if op == "<":
                return bool(left < right)
            if op == "<=":
                return bool(left <= right)
            if op == ">":
                return bool(left > right)
            return bool(left >= right)
        except TypeError:
            fail(
                "E3008",
                f"cannot compare {describe(left)} with {describe(right)} in `{node.span.text}`",
                node.span,
            )

    return run


def _contains(left: Any, right: Any, node: ast.Binary) -> bool:
    if right is None:
        return False
    if isinstance(right, list):
        return any(_equal(left, item, node) for item in right)
    if isinstance(right, str):
        if not isinstance(left, str):
            fail("E3008", f"`in` text needs text on the left, got {describe(left)}", node.span)
        return left in right
    if isinstance(right, dict):
        return left in right
    fail(
        "E3008", f"`in` needs a list, text or record on the right, got {describe(right)}", node.span
    )


_OPERATORS: dict[str, Callable[[Any, Any, ast.Binary], Any]] = {
    **{op: _arithmetic(op) for op in "+-*/%"},
    "==": _equal,
    "!=": lambda a, b, n: not _equal(a, b, n),
    **{op: _ordering(op) for op in ("<", "<=", ">", ">=")},
    "in": _contains,
    "not in": lambda a, b, n: not _contains(a, b, n),
}

_COMPILERS: dict[type, Callable[[Any], Compiled]] = {
    ast.Name: _compile_name,
    ast.Attribute: _compile_attribute,
    ast.Subscript: _compile_subscript,
    ast.Str: _compile_str,
    ast.Number: lambda node: _constant(node.value),
    ast.Length: lambda node: _constant(node.css),
    ast.Color: lambda node: _constant(node.value),
    ast.DateLit: lambda node: _constant(node.value),
    ast.Bool: lambda node: _constant(node.value),
    ast.Null: lambda node: _constant(None),
    ast.ListLit: _compile_list,
    ast.Unary: _compile_unary,
    ast.Binary: _compile_binary,
    ast.Conditional: _compile_conditional,
    ast.Filter: _compile_filter,
}
