"""Static typing of expressions against the data contract (spec/language.md, "Types").

Every expression gets a :data:`~ccmlang.compiler.types.Type`; what a designer can get wrong is
reported where it happens: a field the schema does not have (E2001), a value that may be absent
used without a default (E2005), a filter applied to the wrong kind of value (E2002–E2004),
operators on mismatched types (E2007), conditions that are not conditions (E2012). After an
error the checker continues with ``any``, so one mistake is reported once, not at every use.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ccmlang.compiler import ast, formats
from ccmlang.compiler import types as t
from ccmlang.compiler.diagnostics import DiagnosticSink, Hint, Label
from ccmlang.compiler.filters import FILTERS, FilterSpec
from ccmlang.compiler.scope import Path, Scope, path_of
from ccmlang.compiler.suggest import closest, listing

Narrowing = tuple[frozenset[Path], frozenset[Path]]
"""Paths proven present when a condition is true, and when it is false."""

_NOTHING: Narrowing = (frozenset(), frozenset())
_ARITHMETIC = {"+", "-", "*", "/", "%"}
_ORDERING = {"<", "<=", ">", ">="}
_CURRENCY = re.compile(r"^[A-Za-z]{3}$")


def show(expr: ast.Expr | ast.Arg) -> str:
    """The expression as written, on one line and shortened, for messages."""
    text = " ".join(expr.span.text.split())
    return text if len(text) <= 40 else text[:39] + "…"


def _family(ty: t.Type) -> str | None:
    if ty in (t.NUMBER, t.INTEGER):
        return "number"
    if ty == t.STRING:
        return "string"
    if ty in (t.DATE, t.DATETIME):
        return "date"
    if ty == t.BOOL:
        return "bool"
    if ty in (t.ANY, t.NEVER):
        return "any"
    return None


def constant(expr: ast.Expr) -> Any:
    """The Python value of a literal argument (``"amount"``, ``2``, ``-1``); None otherwise."""
    if isinstance(expr, ast.Str) and expr.is_constant:
        return expr.constant
    if isinstance(expr, ast.Number):
        value = expr.value
        return int(value) if value == value.to_integral_value() else value
    if isinstance(expr, ast.Bool):
        return expr.value
    if isinstance(expr, ast.DateLit):
        return expr.value
    if isinstance(expr, ast.Unary) and expr.op == "-" and isinstance(expr.operand, ast.Number):
        inner = constant(expr.operand)
        return -inner if isinstance(inner, int | Decimal) else None
    return None


class Typer:
    """Types expressions in a :class:`Scope`, reporting into a sink."""

    def __init__(self, sink: DiagnosticSink, scope_hint: str = "") -> None:
        self.sink = sink
        self.unknown_hint = scope_hint
        self.page_refs = 0
        """How often ``page``/``pages`` were printed (components that do are used in footers)."""
        """Extra advice for unknown names (inside components: pass it as a parameter)."""
        self._d: dict[type, Callable[[Any, Scope], t.Type]] = {
            ast.Name: self._name,
            ast.Attribute: self._attribute,
            ast.Subscript: self._subscript,
            ast.Str: self._str,
            ast.Number: self._number,
            ast.Length: lambda e, s: t.LENGTH,
            ast.Color: lambda e, s: t.COLOR,
            ast.DateLit: lambda e, s: t.DATE,
            ast.Bool: lambda e, s: t.BOOL,
            ast.Null: lambda e, s: t.NULL,
            ast.ListLit: self._list,
            ast.Unary: self._unary,
            ast.Binary: self._binary,
            ast.Conditional: self._conditional,
            ast.Filter: self._filter,
        }

    # ------------------------------------------------------------ entry points

    def type_of(self, expr: ast.Expr, scope: Scope) -> t.Type:
        return self._d[type(expr)](expr, scope)

    def text(self, expr: ast.Expr, scope: Scope) -> None:
        """``expr`` is printed: it must be text-like and present (E2005, E2007)."""
        if isinstance(expr, ast.Name) and expr.name in ("page", "pages"):
            binding = scope.lookup(expr.name)
            if binding is not None and binding.kind == "page":
                self.page_refs += 1
                return
        if isinstance(expr, ast.Str):
            self._str(expr, scope)
            return
        self.printable(self._d[type(expr)](expr, scope), expr)

    def printable(self, ty: t.Type, expr: ast.Expr) -> None:
        if t.is_textual(ty) or ty == t.NEVER:
            return
        what = show(expr)
        if t.is_optional(ty):
            self.absent(expr, ty, "printed")
        elif isinstance(ty, t.ListT):
            self.sink.error(
                "E2007",
                f"`{what}` is a list ({ty}); a list cannot be printed as it is",
                expr.span,
                hints=[
                    f'join its items: `{{{what} | join(", ")}}`, count them: '
                    f"`{{{what} | length}}`, or show each with `for` or a `table`"
                ],
            )
        elif isinstance(ty, t.RecordT):
            fields = listing(ty.names)
            self.sink.error(
                "E2007",
                f"`{what}` is a record ({ty}); print one of its fields instead",
                expr.span,
                hints=[f"its fields are {fields}: e.g. `{{{what}.{(ty.names or ['name'])[0]}}}`"],
            )
        else:
            self.sink.error(
                "E2007",
                f"`{what}` is a {ty}, which cannot be printed as text",
                expr.span,
            )

    def absent(self, expr: ast.Expr, ty: t.Type, use: str) -> None:
        """E2005: ``expr`` may be absent where a value is needed."""
        what = show(expr)
        if ty == t.NULL:
            self.sink.error(
                "E2005", f"`{what}` is always absent (`null`) and cannot be {use}", expr.span
            )
            return
        hints: list[Hint | str] = []
        fallback = default_literal(ty)
        if fallback is not None:
            hints.append(
                f"give a default: `{what} ?? {fallback}` or `{what} | default({fallback})`"
            )
        hints.append(f"or use it only when present: `if {what} {{ … }}`")
        self.sink.error(
            "E2005",
            f"`{what}` may be absent (it is `{ty}`), so it cannot be {use} as it is",
            expr.span,
            hints=hints,
        )

    def condition(self, expr: ast.Expr, scope: Scope) -> None:
        """``if``/``elif``/``and``/``or``/``not``: a boolean, or a value that may be absent."""
        self.condition_type(self._d[type(expr)](expr, scope), expr)

    def condition_type(self, ty: t.Type, expr: ast.Expr) -> None:
        if ty in (t.BOOL, t.ANY, t.NEVER, t.NULL) or isinstance(ty, t.OptionalT):
            return
        what = show(expr)
        if t.is_numeric(ty):
            hint = f"compare it: `{what} > 0`"
        elif isinstance(ty, t.ListT) or ty == t.STRING:
            hint = f"test its length: `{what} | length > 0`"
        else:
            hint = "write a comparison such as `a == b`"
        self.sink.error(
            "E2012",
            f"`{what}` is a {_kind(ty)}, not a condition (true/false, or a value that may be absent)",
            expr.span,
            hints=[hint],
        )

    def narrowing(self, expr: ast.Expr) -> Narrowing:
        """Paths that ``expr`` proves present when true / when false."""
        path = path_of(expr)
        if path is not None:
            return frozenset([path]), frozenset()
        if isinstance(expr, ast.Unary) and expr.op == "not":
            yes, no = self.narrowing(expr.operand)
            return no, yes
        if isinstance(expr, ast.Binary):
            if expr.op in ("==", "!="):
                side = expr.left if isinstance(expr.right, ast.Null) else expr.right
                other = expr.right if side is expr.left else expr.left
                side_path = path_of(side) if isinstance(other, ast.Null) else None
                if side_path is None:
                    return _NOTHING
                proven = frozenset([side_path])
                return (proven, frozenset()) if expr.op == "!=" else (frozenset(), proven)
            if expr.op == "and":
                return self.narrowing(expr.left)[0] | self.narrowing(expr.right)[0], frozenset()
            if expr.op == "or":
                return frozenset(), self.narrowing(expr.left)[1] | self.narrowing(expr.right)[1]
        return _NOTHING

    # ------------------------------------------------------------ names and paths

    def _name(self, expr: ast.Name, scope: Scope) -> t.Type:
        binding = scope.lookup(expr.name)
        if binding is not None:
            if binding.kind == "page":
                self.sink.error(
                    "E2011",
                    f"`{expr.name}` can only be printed as it is, as `{{{expr.name}}}`",
                    expr.span,
                    hints=[
                        "page numbers are filled in when the document is paginated, after "
                        "expressions are evaluated"
                    ],
                )
                return t.INTEGER
            ty = binding.type
            if isinstance(ty, t.OptionalT) and scope.is_narrowed((expr.name,)):
                return ty.inner
            return ty
        if expr.name in ("page", "pages"):
            self.sink.error(
                "E2011",
                f"`{expr.name}` is only defined in the `header` and `footer` of a `page`",
                expr.span,
                hints=[
                    'put page numbers in a page footer: `footer { paragraph "Page {page} of {pages}" }`'
                ],
            )
            return t.INTEGER
        if scope.open:
            return t.ANY
        self._unknown_name(expr, scope)
        return t.ANY

    def _unknown_name(self, expr: ast.Name, scope: Scope) -> None:
        visible = scope.visible()
        match = closest(expr.name, visible)
        suggestion = f"; did you mean `{match}`?" if match else ""
        if match is not None and visible[match].kind == "data":
            self.sink.error(
                "E2001",
                f"the data has no field `{expr.name}`{suggestion}",
                expr.span,
                hints=["the data's fields are declared in the template's JSON Schema (`data:`)"],
            )
            return
        hints: list[Hint | str] = []
        if expr.name == "loop":
            hints.append("`loop` (index, first, last, length) exists only inside a `for` loop")
        elif self.unknown_hint:
            hints.append(self.unknown_hint.format(name=expr.name))
        elif not match:
            data = sorted(n for n, b in visible.items() if b.kind == "data")
            if data:
                hints.append(f"the data's top-level fields are {listing(data)}")
        self.sink.error(
            "E1015", f"`{expr.name}` is not defined here{suggestion}", expr.span, hints=hints
        )

    def _attribute(self, expr: ast.Attribute, scope: Scope) -> t.Type:
        obj = self._d[type(expr.obj)](expr.obj, scope)
        if obj in (t.ANY, t.NEVER):
            return t.ANY
        if isinstance(obj, t.OptionalT) or obj == t.NULL:
            what = show(expr.obj)
            self.sink.error(
                "E2005",
                f"`{what}` may be absent, so `.{expr.name}` cannot be read from it",
                expr.name_span,
                labels=[Label(expr.obj.span, f"this is `{obj}`")],
                hints=[
                    f"guard it: `if {what} {{ … {what}.{expr.name} … }}`",
                    f"or give a default: `{what}.{expr.name} ?? …` inside such a guard",
                ],
            )
            obj = t.strip_optional(obj)
            if obj == t.NULL:
                return t.ANY
        if isinstance(obj, t.RecordT):
            found = obj.get(expr.name)
            if found is None:
                if obj.open:
                    return t.ANY
                self._unknown_field(expr, obj)
                return t.ANY
            ty = found.type if found.required else t.optional(found.type)
            if isinstance(ty, t.OptionalT):
                path = path_of(expr)
                if path is not None and scope.is_narrowed(path):
                    return ty.inner
            return ty
        what = show(expr.obj)
        hints: list[Hint | str] = []
        if isinstance(obj, t.ListT):
            hints.append(
                f"`{what}` is a list: take one item with `{what} | first`, or show each with "
                f"`for item in {what} {{ … item.{expr.name} … }}`"
            )
        self.sink.error(
            "E2007",
            f"`{what}` is a {_kind(obj)}, which has no field `{expr.name}`",
            expr.name_span,
            hints=hints,
        )
        return t.ANY

    def _unknown_field(self, expr: ast.Attribute, record: t.RecordT) -> None:
        what = show(expr.obj)
        match = closest(expr.name, record.names)
        suggestion = f"; did you mean `{match}`?" if match else ""
        labels = []
        if len(record.names) <= 12:
            labels.append(Label(expr.obj.span, f"`{what}` has {listing(record.names, 12)}"))
        self.sink.error(
            "E2001",
            f"`{what}` has no field `{expr.name}`{suggestion}",
            expr.name_span,
            labels=labels,
        )

    def _subscript(self, expr: ast.Subscript, scope: Scope) -> t.Type:
        obj = self._d[type(expr.obj)](expr.obj, scope)
        index = self._d[type(expr.index)](expr.index, scope)
        if t.is_optional(obj):
            self.absent(expr.obj, obj, "indexed")
            obj = t.strip_optional(obj)
        if obj in (t.ANY, t.NEVER, t.NULL):
            return t.ANY
        if isinstance(obj, t.ListT):
            if index not in (t.INTEGER, t.ANY, t.NEVER):
                self.sink.error(
                    "E2007",
                    f"a list is indexed by a whole number, not by a {_kind(index)}",
                    expr.index.span,
                    hints=[f"`{show(expr.obj)}[0]` is the first item"],
                )
            return t.optional(obj.item)
        if (
            isinstance(obj, t.RecordT)
            and isinstance(expr.index, ast.Str)
            and expr.index.is_constant
        ):
            found = obj.get(expr.index.constant)
            if found is not None:
                return found.type if found.required else t.optional(found.type)
            if obj.open:
                return t.ANY
        self.sink.error(
            "E2007",
            f"`{show(expr.obj)}` is a {_kind(obj)} and cannot be indexed with `[…]`",
            expr.span,
        )
        return t.ANY

    # ------------------------------------------------------------ literals

    def _str(self, expr: ast.Str, scope: Scope) -> t.Type:
        for part in expr.parts:
            if not isinstance(part, str):
                self.text(part, scope)
        return t.STRING

    def _number(self, expr: ast.Number, scope: Scope) -> t.Type:
        exponent = expr.value.as_tuple().exponent
        return t.INTEGER if isinstance(exponent, int) and exponent >= 0 else t.NUMBER

    def _list(self, expr: ast.ListLit, scope: Scope) -> t.Type:
        item: t.Type = t.NEVER
        for entry in expr.items:
            item = t.join(item, self._d[type(entry)](entry, scope))
        return t.ListT(item)

    # ------------------------------------------------------------ operators

    def _unary(self, expr: ast.Unary, scope: Scope) -> t.Type:
        if expr.op == "not":
            self.condition_type(self._d[type(expr.operand)](expr.operand, scope), expr.operand)
            return t.BOOL
        ty = self._present(
            expr.operand, self._d[type(expr.operand)](expr.operand, scope), "negated"
        )
        if ty in (t.ANY, t.NEVER) or t.is_numeric(ty):
            return ty if ty != t.NEVER else t.ANY
        self.sink.error(
            "E2007",
            f"`-` needs a number, but `{show(expr.operand)}` is a {_kind(ty)}",
            expr.operand.span,
        )
        return t.ANY

    def _present(self, expr: ast.Expr, ty: t.Type, use: str) -> t.Type:
        """``ty`` of an operand that must be present (E2005 otherwise), without ``?``.

        Callers type the operand themselves, so nesting costs one frame per level less (deep
        but legal expressions must not exhaust Python's recursion limit)."""
        if t.is_optional(ty):
            self.absent(expr, ty, use)
            ty = t.strip_optional(ty)
            return t.ANY if ty == t.NULL else ty
        return ty

    def _binary(self, expr: ast.Binary, scope: Scope) -> t.Type:
        op = expr.op
        if op in ("and", "or"):
            self.condition_type(self._d[type(expr.left)](expr.left, scope), expr.left)
            yes, no = self.narrowing(expr.left)
            proven = yes if op == "and" else no
            right_scope = scope.child(proven) if proven else scope
            self.condition_type(self._d[type(expr.right)](expr.right, right_scope), expr.right)
            return t.BOOL
        if op == "??":
            left = self._d[type(expr.left)](expr.left, scope)
            right = self._d[type(expr.right)](expr.right, scope)
            return t.join(t.strip_optional(left), right) if left != t.NULL else right
        if op in ("==", "!="):
            self._d[type(expr.left)](expr.left, scope)
            self._d[type(expr.right)](expr.right, scope)
            return t.BOOL
        if op in ("in", "not in"):
            return self._contains(expr, scope)
        if op in _ORDERING:
            return self._ordering(expr, scope)
        return self._arithmetic(expr, scope)

    def _contains(self, expr: ast.Binary, scope: Scope) -> t.Type:
        left = self._d[type(expr.left)](expr.left, scope)
        right = self._present(expr.right, self._d[type(expr.right)](expr.right, scope), "searched")
        if isinstance(right, t.ListT) or right in (t.ANY, t.NEVER):
            return t.BOOL
        if right == t.STRING:
            if t.strip_optional(left) not in (t.STRING, t.ANY, t.NEVER):
                self.sink.error(
                    "E2007",
                    f"`{expr.op}` on a text looks for a text, but `{show(expr.left)}` is a "
                    f"{_kind(left)}",
                    expr.left.span,
                )
            return t.BOOL
        self.sink.error(
            "E2007",
            f"`{expr.op}` needs a list or a text on its right, but `{show(expr.right)}` is a "
            f"{_kind(right)}",
            expr.right.span,
        )
        return t.BOOL

    def _ordering(self, expr: ast.Binary, scope: Scope) -> t.Type:
        left = self._present(expr.left, self._d[type(expr.left)](expr.left, scope), "compared")
        right = self._present(expr.right, self._d[type(expr.right)](expr.right, scope), "compared")
        a, b = _family(left), _family(right)
        if {a, b} == {"date", "string"}:
            text = expr.right if a == "date" else expr.left
            if isinstance(text, ast.Str) and text.is_constant and not _is_iso_date(text.constant):
                self.sink.error(
                    "E2007",
                    f'"{text.constant}" is not a date to compare with',
                    text.span,
                    hints=["write dates as YYYY-MM-DD, e.g. `2024-01-31` (no quotes needed)"],
                )
            return t.BOOL
        if "any" in (a, b) or (a is not None and a == b):
            return t.BOOL
        self.sink.error(
            "E2007",
            f"`{expr.op}` cannot compare `{show(expr.left)}` ({left}) with "
            f"`{show(expr.right)}` ({right})",
            expr.op_span,
            hints=["compare numbers with numbers, texts with texts and dates with dates"],
        )
        return t.BOOL

    def _arithmetic(self, expr: ast.Binary, scope: Scope) -> t.Type:
        op = expr.op
        left = self._present(
            expr.left, self._d[type(expr.left)](expr.left, scope), "used in arithmetic"
        )
        right = self._present(
            expr.right, self._d[type(expr.right)](expr.right, scope), "used in arithmetic"
        )
        if op == "+" and t.STRING in (left, right):
            other = right if left == t.STRING else left
            if t.is_textual(other) or other == t.NEVER:
                return t.STRING  # text + anything printable joins text
        dated = self._date_arithmetic(op, left, right)
        if dated is not None:
            return dated
        if t.is_numeric(left) and t.is_numeric(right):
            if t.ANY in (left, right):
                return t.ANY
            if left == right == t.INTEGER and op != "/":
                return t.INTEGER
            return t.NUMBER
        if left in (t.ANY, t.NEVER) or right in (t.ANY, t.NEVER):
            return t.ANY
        hints: list[Hint | str] = []
        if t.DATE in (left, right) or t.DATETIME in (left, right):
            hints.append(
                "with dates, `date + 30` and `date - 30` move by days and `end - start` counts "
                "the days between; filters do the same: `date | add-days(30)`, "
                "`start | days-until(end)`"
            )
        self.sink.error(
            "E2007",
            f"`{op}` cannot be applied to `{show(expr.left)}` ({left}) and "
            f"`{show(expr.right)}` ({right})",
            expr.op_span,
            hints=hints,
        )
        return t.ANY

    @staticmethod
    def _date_arithmetic(op: str, left: t.Type, right: t.Type) -> t.Type | None:
        """``date ± days`` is a date, ``date - date`` a number of days (spec: "Arithmetic")."""
        dates = (t.DATE, t.DATETIME)
        if op not in ("+", "-") or (left not in dates and right not in dates):
            return None
        days = (t.INTEGER, t.NUMBER, t.ANY, t.NEVER)
        if left in dates and right in days:
            return left
        if op == "+" and right in dates and left in days:
            return right
        if op == "-" and left in dates and right in (*dates, t.STRING):
            return t.INTEGER
        return None

    def _conditional(self, expr: ast.Conditional, scope: Scope) -> t.Type:
        self.condition_type(self._d[type(expr.condition)](expr.condition, scope), expr.condition)
        yes, no = self.narrowing(expr.condition)
        then = self._d[type(expr.then)](expr.then, scope.child(yes) if yes else scope)
        otherwise = self._d[type(expr.otherwise)](expr.otherwise, scope.child(no) if no else scope)
        return t.join(then, otherwise)

    # ------------------------------------------------------------ filters

    def _filter(self, expr: ast.Filter, scope: Scope) -> t.Type:
        value = self._d[type(expr.value)](expr.value, scope)
        spec = FILTERS.get(expr.name)
        if spec is None:
            for arg in expr.args:
                self._d[type(arg.value)](arg.value, scope)
            match = closest(expr.name, FILTERS)
            suggestion = f"; did you mean `{match}`?" if match else ""
            self.sink.error(
                "E2002",
                f"there is no filter `{expr.name}`{suggestion}",
                expr.name_span,
                hints=[] if match else ["filters: " + ", ".join(sorted(FILTERS))],
            )
            return t.ANY
        if t.is_optional(value) and not spec.allows_absent:
            what = show(expr.value)
            self.sink.error(
                "E2005",
                f"`{what}` may be absent (it is `{value}`), but `{spec.name}` needs a value",
                expr.value.span,
                hints=[
                    f"give a default first: `{what} ?? {default_literal(value) or '…'} | "
                    f"{spec.name}`",
                    f"or use it only when present: `if {what} {{ … }}`",
                ],
            )
            value = t.strip_optional(value)
            if value == t.NULL:
                value = t.ANY
        consts = self._filter_args(expr, spec, scope)
        if consts is None:
            return t.ANY
        result = spec.result(value, consts)
        if isinstance(result, str):
            if result == "wrong input":
                self.sink.error(
                    "E2003",
                    f"`{spec.name}` needs {spec.accepts}, but `{show(expr.value)}` is "
                    f"{_article(value)}",
                    expr.name_span,
                    labels=[Label(expr.value.span, f"this is `{value}`")],
                    hints=[f"example: `{spec.example}`"],
                )
            else:
                self.sink.error("E2004", f"`{spec.name}`: {result}", expr.span)
            return t.ANY
        self._filter_constants(expr, spec, consts)
        return result

    def _filter_args(self, expr: ast.Filter, spec: FilterSpec, scope: Scope) -> list[Any] | None:
        """Match arguments to parameters (E2004); their constant values, aligned."""
        params = spec.params
        given: dict[str, ast.Arg] = {}
        ok = True
        position = 0
        named_seen = False
        for arg in expr.args:
            arg_type = self._d[type(arg.value)](arg.value, scope)
            if arg.name is None:
                if named_seen:
                    self._args_error(expr, spec, "a positional argument after a named one", arg)
                    ok = False
                    continue
                if position >= len(params):
                    self._args_error(expr, spec, f"takes at most {len(params)} argument(s)", arg)
                    ok = False
                    continue
                param = params[position]
                position += 1
            else:
                named_seen = True
                found = next((p for p in params if p.name == arg.name), None)
                if found is None:
                    names = [p.name for p in params]
                    match = closest(arg.name, names)
                    extra = f"; did you mean `{match}`?" if match else ""
                    self._args_error(expr, spec, f"has no argument `{arg.name}`{extra}", arg)
                    ok = False
                    continue
                param = found
            if param.name in given:
                self._args_error(expr, spec, f"`{param.name}` is given twice", arg)
                ok = False
                continue
            given[param.name] = arg
            if t.is_optional(arg_type) and not t.is_optional(param.type) and param.type != t.ANY:
                self.absent(arg.value, arg_type, f"the `{param.name}` of `{spec.name}`")
            elif not t.assignable(t.strip_optional(arg_type), param.type):
                self._args_error(
                    expr,
                    spec,
                    f"`{param.name}` must be {_article(param.type)}, but `{show(arg.value)}` is "
                    f"{_article(arg_type)}",
                    arg,
                )
                ok = False
        missing = [p.name for p in params if p.required and p.name not in given]
        if missing:
            self.sink.error(
                "E2004",
                f"`{spec.name}` needs the argument(s) {listing(missing)}",
                expr.name_span,
                hints=[f"example: `{spec.example}`"],
            )
            ok = False
        if not ok:
            return None
        return [constant(given[p.name].value) if p.name in given else None for p in params]

    def _args_error(self, expr: ast.Filter, spec: FilterSpec, problem: str, arg: ast.Arg) -> None:
        self.sink.error(
            "E2004",
            f"`{spec.name}` {problem}",
            arg.span,
            hints=[f"example: `{spec.example}`"],
        )

    def _filter_constants(self, expr: ast.Filter, spec: FilterSpec, consts: list[Any]) -> None:
        """Constant arguments checked now rather than on the first record: patterns, codes."""
        args = {p.name: a for p, a in zip(spec.params, consts, strict=True)}
        spans = {}
        position = 0
        for arg in expr.args:
            name = arg.name or spec.params[position].name
            if arg.name is None:
                position += 1
            spans[name] = arg.span
        if spec.name in ("date", "datetime") and isinstance(args.get("format"), str):
            pattern = args["format"]
            problem = _date_pattern_problem(pattern, spec.name == "datetime")
            if problem:
                self.sink.error(
                    "E2004",
                    f"`{pattern}` is not a date pattern: {problem}",
                    spans["format"],
                    hints=[
                        'use `short`, `medium`, `long`, `full` or a CLDR pattern like "d MMM yyyy"'
                    ],
                )
        if spec.name == "money" and isinstance(args.get("currency"), str):
            code = args["currency"]
            if not _CURRENCY.match(code):
                self.sink.error(
                    "E2004",
                    f"`{code}` is not a currency code",
                    spans["currency"],
                    hints=['use the three-letter ISO 4217 code, e.g. `money("EUR")`'],
                )


def default_literal(ty: t.Type) -> str | None:
    """A literal to write after ``??`` for a value of type ``ty`` (for hints), if one is obvious."""
    inner = t.strip_optional(ty)
    if inner == t.STRING:
        return '""'
    if t.is_numeric(inner) and inner != t.ANY:
        return "0"
    if inner == t.BOOL:
        return "false"
    if isinstance(inner, t.ListT):
        return "[]"
    return None


def _date_pattern_problem(pattern: str, with_time: bool) -> str | None:
    if not with_time:
        problem = formats.check_date_pattern(pattern)
        if problem and "attribute" in problem:  # Babel asks a date for its hour or minute
            return "it asks for a time of day, which a date has not; use `datetime` for that"
        return problem
    try:
        formats.datetime_(datetime.datetime(2024, 1, 31, 13, 45, 30), "en", pattern)
    except formats.FormatError as exc:
        return str(exc)
    return None


def _is_iso_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text[:10])
    except ValueError:
        return False
    return True


def _kind(ty: t.Type) -> str:
    if isinstance(ty, t.ListT):
        return f"list ({ty})"
    if isinstance(ty, t.RecordT):
        return f"record ({ty})"
    if isinstance(ty, t.OptionalT):
        return f"value that may be absent ({ty})"
    return str(ty)


def _article(ty: t.Type) -> str:
    if isinstance(ty, t.ListT):
        return f"a list ({ty})"
    if isinstance(ty, t.RecordT):
        return f"a record ({ty})"
    name = str(ty)
    if ty == t.NULL:
        return "`null`"
    return f"an {name}" if name[:1] in "aeiou" else f"a {name}"
