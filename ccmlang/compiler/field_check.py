"""Input fields for interactive production (spec/language.md, "Fields"; E1021).

A field declaration must be consistent before an agent ever sees its form: a default of the
field's type and within its bounds and choices, a pattern that compiles, bounds that apply to
the type. The checked values become a :class:`~ccmlang.compiler.program.FieldInfo`.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from ccmlang.compiler import ast
from ccmlang.compiler.diagnostics import DiagnosticSink
from ccmlang.compiler.program import FieldInfo
from ccmlang.compiler.source import Span
from ccmlang.compiler.suggest import listing


class FieldCheck:
    """Consistency of an input field declaration (E1021) and its values for the agent's form."""

    def __init__(
        self, el: ast.Element, info: FieldInfo, values: dict[str, Any], sink: DiagnosticSink
    ) -> None:
        self.el = el
        self.info = info
        self.values = values
        self.sink = sink

    def _span(self, name: str) -> Span:
        opt = self.el.option(name)
        return opt.value.span if opt is not None else self.el.keyword_span

    def _error(self, name: str, message: str, hint: str = "") -> None:
        self.sink.error("E1021", message, self._span(name), hints=[hint] if hint else [])

    def run(self) -> None:
        info = self.info
        kind = info.type
        textual = kind in ("string", "text")
        numeric = kind in ("number", "money", "integer")
        if "default" in self.values and self.el.option("default") is not None:
            info.default = self._typed("default")
        choices = self.values.get("choices")
        if isinstance(choices, tuple):
            if not textual:
                self._error("choices", f"`choices` apply to text fields, not to a `{kind}` field")
            else:
                info.choices = choices
                if info.default is not None and info.default not in choices:
                    self._error(
                        "default",
                        f'the default "{info.default}" is not one of the choices',
                        f"choose one of {listing(choices)}",
                    )
        pattern = self.values.get("pattern")
        if isinstance(pattern, str) and not textual:
            self._error("pattern", f"`pattern` applies to text fields, not to a `{kind}` field")
        elif isinstance(pattern, str):
            try:
                compiled = re.compile(pattern)
            except re.error as exc:
                self._error("pattern", f"the pattern is not a valid regular expression: {exc}")
            else:
                info.pattern = pattern
                if isinstance(info.default, str) and not compiled.fullmatch(info.default):
                    self._error("default", "the default does not match the pattern")
        for bound in ("min", "max"):
            if bound in self.values and self.el.option(bound) is not None:
                if not (numeric or kind == "date"):
                    self._error(bound, f"`{bound}` applies to numbers and dates, not to `{kind}`")
                    continue
                setattr(info, bound, self._typed(bound))
        if info.min is not None and info.max is not None and info.min > info.max:
            self._error("max", f"`max` ({info.max}) is smaller than `min` ({info.min})")
        if info.default is not None and (numeric or kind == "date"):
            if info.min is not None and info.default < info.min:
                self._error("default", f"the default is smaller than `min` ({info.min})")
            if info.max is not None and info.default > info.max:
                self._error("default", f"the default is larger than `max` ({info.max})")
        for bound in ("min-length", "max-length"):
            value = self.values.get(bound)
            if isinstance(value, int):
                if not textual:
                    self._error(bound, f"`{bound}` applies to text fields, not to `{kind}`")
                elif value < 0:
                    self._error(bound, f"`{bound}` cannot be negative")
                else:
                    setattr(info, bound.replace("-", "_"), value)
        if (
            info.min_length is not None
            and info.max_length is not None
            and info.min_length > info.max_length
        ):
            self._error("max-length", "`max-length` is smaller than `min-length`")

    def _typed(self, name: str) -> Any:
        """The constant ``name`` as a value of the field's type, or None after an error."""
        value = self.values.get(name)
        kind = self.info.type
        opt = self.el.option(name)
        if opt is not None and isinstance(opt.value, ast.Null):
            return None
        if value is None:
            return None  # not a constant: reported as E1020
        if kind in ("string", "text") and isinstance(value, str):
            return value
        if kind == "bool" and isinstance(value, bool):
            return value
        if kind == "integer" and isinstance(value, int) and not isinstance(value, bool):
            return value
        if (
            kind in ("number", "money")
            and isinstance(value, int | Decimal)
            and not isinstance(value, bool)
        ):
            return Decimal(value)
        if kind == "date":
            if isinstance(value, datetime.date):
                return value
            if isinstance(value, str):
                try:
                    return datetime.date.fromisoformat(value)
                except ValueError:
                    pass
        self._error(
            name,
            f"`{name}` of the `{kind}` field `{self.info.name}` must be {_field_example(kind)}",
        )
        return None


def _field_example(kind: str) -> str:
    return {
        "string": 'a string, e.g. `"Standard"`',
        "text": 'a string, e.g. `"Standard"`',
        "number": "a number, e.g. `12.50`",
        "money": "a number, e.g. `12.50`",
        "integer": "a whole number, e.g. `3`",
        "bool": "`true` or `false`",
        "date": "a date, e.g. `2024-01-31`",
    }.get(kind, "a constant")
