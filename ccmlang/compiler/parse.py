"""Parse ``.ccm`` source into the AST (spec/language.md; codes E0xxx in spec/diagnostics.md).

The fast path is one LALR parse. When it fails, :func:`_recover` re-parses with each bad
line blanked out, so several independent syntax errors are all reported, each saying what
was expected and which construct was open. Strings are split into text and ``{expression}``
parts here, with spans pointing into the string.
"""

from __future__ import annotations

import datetime
import itertools
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer, Tree
from lark.exceptions import (
    GrammarError,
    UnexpectedCharacters,
    UnexpectedInput,
    UnexpectedToken,
    VisitError,
)

from ccmlang.compiler import ast
from ccmlang.compiler.diagnostics import DiagnosticSink, Hint, Label
from ccmlang.compiler.source import MAX_SOURCE_BYTES, SourceFile, Span

MAX_NESTING = 64
"""Deepest nesting of ``{ } ( ) [ ]`` and of expression trees (``E0009``)."""
MAX_SYNTAX_ERRORS = 25
"""Syntax errors reported per file before giving up (``E0010``)."""

_SIMPLE_PATH = re.compile(
    r"\s*([A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*(?:\.[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)*)\s*\Z"
)
_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'", "{": "{", "}": "}"}
_STATEMENT_STARTERS = {
    "KEYWORD",
    "IF",
    "FOR",
    "LET",
    "USE",
    "STRING",
    "IMPORT",
    "STYLE",
    "COMPONENT",
    "TYPE",
}


@cache
def parser() -> Lark:
    """The LALR parser, built once per process (and cached on disk by Lark)."""
    return Lark.open_from_package(
        "ccmlang.grammar",
        "ccm.lark",
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        start=["start", "expr_start"],
        maybe_placeholders=False,
        cache=True,
    )


TREE_CACHE_CHARS = 1_000_000
"""Source characters whose parse trees are kept (about 25,000 lines; least recently used go)."""
_TREES: OrderedDict[tuple[str, str], Tree[Token]] = OrderedDict()
_tree_chars = 0
_trees_lock = threading.Lock()


def clear_cache() -> None:
    """Forget the parse trees of texts seen before."""
    global _tree_chars
    with _trees_lock:
        _TREES.clear()
        _tree_chars = 0


def _parsed(text: str, start: str) -> Tree[Token]:
    """Lark's tree of ``text``; raises ``UnexpectedInput``.

    Positions in the tree are relative to ``text``, and the tree is only read afterwards, so a
    text parsed before is not parsed again: after an edit, the preview re-compiles a template
    whose interpolations and top-level statements are nearly all unchanged. The cache is bounded
    by the characters it covers (:data:`TREE_CACHE_CHARS`), so a long preview session of many
    edits keeps a bounded number of old versions.
    """
    global _tree_chars
    key = (start, text)
    with _trees_lock:
        tree = _TREES.get(key)
        if tree is not None:
            _TREES.move_to_end(key)
            return tree
    tree = parser().parse(text, start=start)
    with _trees_lock:
        if key not in _TREES:
            _TREES[key] = tree
            _tree_chars += len(text)
            while _tree_chars > TREE_CACHE_CHARS and len(_TREES) > 1:
                (_, old), _ = _TREES.popitem(last=False)
                _tree_chars -= len(old)
    return tree


# ---------------------------------------------------------------- loading


def load_source(
    path: str | Path, sink: DiagnosticSink, display: str | None = None
) -> SourceFile | None:
    """Read a template file, reporting size, encoding and emptiness problems with a span."""
    name = display or str(path)
    empty = SourceFile(name, "")
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        sink.error("E0012", f"cannot read `{name}`: {exc.strerror or exc}", None)
        return None
    if len(data) > MAX_SOURCE_BYTES:
        sink.error(
            "E0008",
            f"`{name}` is {len(data):,} bytes; templates may be at most {MAX_SOURCE_BYTES:,} bytes",
            empty.span(0, 0),
            hints=["split the template into a library of components and `import` it"],
        )
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", errors="replace")
        partial = SourceFile(name, good)
        sink.error(
            "E0006",
            f"`{name}` is not valid UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}",
            partial.span(len(good), len(good)),
            hints=["save the file as UTF-8 (most editors: File › Save with Encoding › UTF-8)"],
        )
        return None
    text = text.removeprefix("\ufeff")
    file = SourceFile(name, text)
    if not text.strip():
        sink.error(
            "E0007",
            f"`{name}` is empty",
            file.span(0, 0),
            hints=['a template starts with a header: `template "Name" data: "schema.json"`'],
        )
        return None
    return file


# ---------------------------------------------------------------- parsing


def parse_module(file: SourceFile, sink: DiagnosticSink) -> ast.Module:
    """Parse one file. Never raises: problems become diagnostics and a partial module."""
    if not _check_nesting(file, sink):
        return ast.Module(file.path, (), file.span(0, len(file.text)))
    by_statement = _parse_by_statement(file, sink)
    if by_statement is not None:
        return ast.Module(file.path, tuple(by_statement), file.span(0, len(file.text)))
    return _parse_whole(file, sink)


def _parse_whole(file: SourceFile, sink: DiagnosticSink) -> ast.Module:
    """The whole file in one Lark parse, with error recovery (nesting already checked)."""
    empty = ast.Module(file.path, (), file.span(0, len(file.text)))
    try:
        tree = parser().parse(file.text, start="start")
    except UnexpectedInput:
        recovered = _recover(file, sink)
        if recovered is None:
            return empty
        tree = recovered
    if not _check_tree_depth(tree, file, sink):
        return empty
    try:
        items = _Builder(file, sink, 0).transform(tree)
    except VisitError as exc:  # a bug in the builder, not in the template
        raise exc.orig_exc from exc
    return ast.Module(file.path, tuple(items), file.span(0, len(file.text)))


def _parse_by_statement(file: SourceFile, sink: DiagnosticSink) -> list[Any] | None:
    """The module's items, parsed one top-level statement at a time (trees cached by text), or
    ``None`` when any statement does not parse on its own (the whole file is then parsed, and
    errors are reported, as usual).

    After an edit only the statements whose text changed go through Lark again. The split is
    exact: a statement ends where a top-level keyword starts a line, and the LALR parser can
    take that keyword only where a statement may end, so every piece parses to the very items
    the whole file would; a piece that is incomplete fails, and the whole file is parsed.
    """
    text = file.text
    trees: list[tuple[int, Tree[Token]]] = []
    quiet = DiagnosticSink()
    for start, end in _statement_pieces(text):  # every piece parses before any is built, so
        try:  # the builder's diagnostics are never reported twice
            tree = _parsed(text[start:end], "start")
        except UnexpectedInput:
            return None
        if not _check_tree_depth(tree, file, quiet, start):
            return None
        trees.append((start, tree))
    items: list[Any] = []
    for start, tree in trees:
        try:
            items.extend(_Builder(file, sink, start).transform(tree))
        except VisitError as exc:  # a bug in the builder, not in the template
            raise exc.orig_exc from exc
    return items


_STARTERS = ("if", "for", "let", "use", "import", "style", "component", "type")


@cache
def _piece_boundary() -> re.Pattern[str]:
    """Strings and comments (skipped whole), braces, and a keyword at the start of a line that
    is not an option name (``style:``)."""
    keyword = _keyword_pattern().removesuffix("(?![A-Za-z0-9_-])")
    starters = "|".join(_STARTERS)
    return re.compile(
        r'"(?:[^"\\]|\\[\s\S])*"|\'(?:[^\'\\]|\\[\s\S])*\'|//[^\n]*|/\*[\s\S]*?\*/|[{}]'
        rf"|\n(?=(?:{keyword[3:-1]}|{starters})(?![A-Za-z0-9_-])(?!\??[ \t]*:))"
    )


def _statement_pieces(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each top-level statement (with the comments before it)."""
    bounds = [0]
    depth = 0
    for match in _piece_boundary().finditer(text):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth = max(0, depth - 1)
        elif token == "\n" and depth == 0:
            bounds.append(match.end())
    bounds.append(len(text))
    return list(itertools.pairwise(bounds))


def parse_expression(
    text: str, file: SourceFile, offset: int, sink: DiagnosticSink
) -> ast.Expr | None:
    """Parse an interpolated expression that starts at ``offset`` in ``file``."""
    simple = _SIMPLE_PATH.match(text)
    if simple:
        if simple.group(1).count(".") >= MAX_NESTING * 4:  # the tree-depth limit, as below
            start = offset + simple.start(1)
            sink.error(
                "E0009",
                f"this construct nests deeper than {MAX_NESTING * 4} levels",
                file.span(start, start + 1),
                hints=["split long expressions with `let`"],
            )
            return None
        return _path_expr(simple.group(1), file, offset + simple.start(1))
    try:
        tree = _parsed(text, "expr_start")
    except UnexpectedInput as exc:
        pos = offset + _error_offset(exc, text)
        expected = _describe_expected(exc) if isinstance(exc, UnexpectedToken) else "an expression"
        sink.error(
            "E0004",
            f"bad expression in interpolation: expected {expected}",
            file.span(pos, pos + 1),
            hints=["write `{{` and `}}` for literal braces in text"],
        )
        return None
    if not _check_tree_depth(tree, file, sink, offset):
        return None
    result: ast.Expr = _Builder(file, sink, offset).transform(tree)
    return result


def _path_expr(path: str, file: SourceFile, start: int) -> ast.Expr:
    names = path.split(".")
    expr: ast.Expr = ast.Name(names[0], file.span(start, start + len(names[0])))
    pos = start + len(names[0])
    for name in names[1:]:
        name_span = file.span(pos + 1, pos + 1 + len(name))
        pos = name_span.end
        expr = ast.Attribute(expr, name, name_span, file.span(start, pos))
    return expr


# ---------------------------------------------------------------- limits


def _check_nesting(file: SourceFile, sink: DiagnosticSink) -> bool:
    """Refuse absurd nesting before parsing, so nothing downstream can recurse too deep."""
    depth = 0
    for match in re.finditer(
        r'"(?:[^"\\]|\\[\s\S])*"|\'(?:[^\'\\]|\\[\s\S])*\'|//[^\n]*|/\*[\s\S]*?\*/|[{}()\[\]]',
        file.text,
    ):
        token = match.group()
        if len(token) != 1:
            continue
        if token in "{([":
            depth += 1
            if depth > MAX_NESTING:
                sink.error(
                    "E0009",
                    f"nesting is deeper than {MAX_NESTING} levels",
                    file.span(match.start(), match.end()),
                    hints=["move deeply nested content into components"],
                )
                return False
        else:
            depth = max(0, depth - 1)
    return True


def _check_tree_depth(
    tree: Tree[Token], file: SourceFile, sink: DiagnosticSink, offset: int = 0
) -> bool:
    """Expression chains (``a.b.c…``, ``- - - x``) nest without brackets: bound the tree depth."""
    limit = MAX_NESTING * 4
    stack: list[tuple[Tree[Token], int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            start = offset + (node.meta.start_pos if not node.meta.empty else 0)
            sink.error(
                "E0009",
                f"this construct nests deeper than {limit} levels",
                file.span(start, start + 1),
                hints=["split long expressions with `let`"],
            )
            return False
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tree))
    return True


# ---------------------------------------------------------------- error recovery


@dataclass(slots=True)
class _Attempt:
    text: str
    levels: dict[int, int] = field(default_factory=dict)


def _recover(file: SourceFile, sink: DiagnosticSink) -> Tree[Token] | None:
    """Report a syntax error, blank the offending text, parse again; escalate when stuck.

    Positions never move (blanking writes spaces), so every error points at the original text.
    Files with syntax errors are not type-checked, so what blanking leaves never misleads.
    """
    attempt = _Attempt(file.text)
    for _ in range(MAX_SYNTAX_ERRORS):
        try:
            return parser().parse(attempt.text, start="start")
        except UnexpectedCharacters as exc:
            _report_character(file, exc, sink)
            attempt.text = _blank_character(attempt.text, exc.pos_in_stream or 0)
        except UnexpectedToken as exc:
            if exc.token.type == "$END":
                _report_end(file, attempt.text, exc, sink)
                closed = _close_open_braces(attempt.text)
                if closed is None:
                    return None
                attempt.text = closed
                continue
            pos = exc.token.start_pos if exc.token.start_pos is not None else 0
            level = attempt.levels.get(pos, 0)
            if level == 0:
                _report_token(file, exc, sink)
            elif level >= 3:
                return None
            attempt.levels[pos] = level + 1
            attempt.text = _blank_for(attempt.text, pos, str(exc.token), level)
        except UnexpectedInput:
            return None
    sink.error(
        "E0010",
        f"stopped after {MAX_SYNTAX_ERRORS} syntax errors",
        file.span(len(file.text), len(file.text)),
    )
    return None


def _blank_for(text: str, pos: int, token: str, level: int) -> str:
    line_start = text.rfind("\n", 0, pos) + 1
    if token not in ("{", "}"):
        return _blank(
            text, pos if level == 0 else line_start, _line_end(text, pos), keep_braces=True
        )
    if level == 0 and token == "{" and pos - line_start >= 4:
        # `if a > {`: keep the block, open it with a harmless element instead.
        return text[:line_start] + "box".ljust(pos - line_start) + text[pos:]
    if level <= 1:
        # `x |` then `}` on the next line: the construct before the brace is incomplete.
        prev_end = line_start - 1 if text[line_start:pos].strip() == "" else pos
        prev_start = text.rfind("\n", 0, max(prev_end, 0)) + 1
        if prev_end > prev_start:
            return _blank(text, prev_start, prev_end, keep_braces=True)
    partner = _brace_partner(text, pos)
    text = text[:pos] + " " + text[pos + 1 :]
    if partner is not None:
        text = text[:partner] + " " + text[partner + 1 :]
    return text


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end == -1 else end


def _blank(text: str, start: int, end: int, keep_braces: bool) -> str:
    """Spaces over ``[start, end)``; braces outside strings survive so blocks stay balanced."""
    kept = []
    in_string: str | None = None
    for char in text[start:end]:
        if in_string:
            if char == in_string:
                in_string = None
            kept.append(" ")
        elif char in "\"'":
            in_string = char
            kept.append(" ")
        elif keep_braces and char in "{}":
            kept.append(char)
        else:
            kept.append(" ")
    return text[:start] + "".join(kept) + text[end:]


def _brace_partner(text: str, pos: int) -> int | None:
    stack: list[int] = []
    pairs: dict[int, int] = {}
    for match in _brace_positions(text):
        if match.group() == "{":
            stack.append(match.start())
        elif stack:
            opener = stack.pop()
            pairs[opener] = match.start()
            pairs[match.start()] = opener
    return pairs.get(pos)


def _report_character(file: SourceFile, exc: UnexpectedCharacters, sink: DiagnosticSink) -> None:
    pos = exc.pos_in_stream or 0
    char = file.text[pos] if pos < len(file.text) else ""
    hints: list[str] = []
    if char in "\"'":
        message = "this string is never closed"
        hints.append(
            f"add the closing `{char}` on this line, or escape quotes inside as `\\{char}`"
        )
    elif char == "#":
        message = "`#` starts a colour here, which takes 3, 6 or 8 hex digits"
        hints.append("write colours as `#1a2b3c`; comments start with `//`")
    else:
        message = f"unexpected character `{char}`"
        if char == ";":
            hints.append("statements need no `;`: put them on their own lines")
        elif char == "&":
            hints.append("use `and` for boolean logic")
        elif char == "!":
            hints.append("use `not` for negation and `!=` for inequality")
    sink.error("E0002", message, file.span(pos, pos + 1), hints=hints)


def _report_token(file: SourceFile, exc: UnexpectedToken, sink: DiagnosticSink) -> None:
    token = exc.token
    limit = len(file.text)  # recovery may have appended closing braces past the end
    start = min(token.start_pos or 0, limit)
    end = min(token.end_pos if token.end_pos is not None else start + len(str(token)), limit)
    expected = _describe_expected(exc)
    found = _describe_token(token)
    labels: list[Label] = []
    hints: list[Hint | str] = []
    opener = _open_construct(exc, file)
    if opener is not None:
        labels.append(Label(opener[1], f"inside this `{opener[0]}`"))
    before = re.search(r"([A-Za-z_][A-Za-z0-9_-]*)\s*\Z", file.text[:start])
    if token.type == "DOT" and before and re.fullmatch(_keyword_pattern(), before.group(1)):
        word = before.group(1)
        hints.append(
            f"`{word}` is an element keyword; to read a data field named `{word}` write `({word}.…)`"
        )
    if token.type in ("OPT", "OPTQ") and "OPT" not in exc.expected:
        hints.append(
            "options (`name: value`) follow the element they belong to, on the same statement"
        )
    if token.type == "NAME" and "RBRACE" in exc.expected and "OPT" in exc.expected:
        hints.append(
            f"to call a component write `use {token}(…)`; an option needs a colon: `{token}: value`"
        )
    sink.error(
        "E0001",
        f"expected {expected}, found {found}",
        file.span(start, max(end, min(start + 1, limit))),
        labels=labels,
        hints=hints,
    )


def _report_end(file: SourceFile, text: str, exc: UnexpectedToken, sink: DiagnosticSink) -> None:
    end = len(file.text)
    opener = _open_construct(exc, file)
    labels = [Label(opener[1], f"this `{opener[0]}` is still open")] if opener else []
    brace = _last_open_brace(text)
    if brace is not None and brace < len(file.text):
        labels.append(Label(file.span(brace, brace + 1), "this `{` is never closed"))
    sink.error(
        "E0003",
        f"the file ended early: expected {_describe_expected(exc)}",
        file.span(end, end),
        labels=labels,
        hints=["add the missing `}`"] if brace is not None else [],
    )


def _open_construct(exc: UnexpectedToken, file: SourceFile) -> tuple[str, Span] | None:
    """The innermost keyword still on the parser's stack: what the designer was writing."""
    state = getattr(exc, "interactive_parser", None)
    if state is None:
        return None
    for value in reversed(state.parser_state.value_stack):
        if (
            isinstance(value, Token)
            and value.type in _STATEMENT_STARTERS - {"STRING"}
            and value.start_pos is not None
            and value.end_pos is not None
            and value.end_pos <= len(file.text)
        ):
            return str(value), file.span(value.start_pos, value.end_pos)
    return None


@cache
def _keyword_pattern() -> str:
    """The grammar's element keywords, so the list lives in one place (ccm.lark)."""
    return str(parser().get_terminal("KEYWORD").pattern.value)


@cache
def _terminal_names() -> dict[str, str]:
    names = {
        "NAME": "a name",
        "STRING": "a string",
        "NUMBER": "a number",
        "LENGTH": "a length such as `10mm`",
        "COLOR": "a colour such as `#1a2b3c`",
        "DATE": "a date such as `2024-01-31`",
        "OPT": "an option `name: value`",
        "OPTQ": "a field `name?: type`",
        "KEYWORD": "an element",
        "CMP_OP": "a comparison",
        "ADD_OP": "`+`",
        "MUL_OP": "`*`, `/` or `%`",
        "MINUS": "`-`",
        "$END": "the end of the file",
    }
    for terminal in parser().terminals:
        if terminal.name not in names and terminal.pattern.type == "str":
            names[terminal.name] = f"`{terminal.pattern.value}`"
    return names


def _describe_expected(exc: UnexpectedToken) -> str:
    expected = set(exc.expected)
    names = _terminal_names()
    parts: list[str] = []
    if {"NAME", "STRING", "NUMBER"} <= expected:
        expected -= {
            "NAME",
            "STRING",
            "NUMBER",
            "LENGTH",
            "COLOR",
            "DATE",
            "MINUS",
            "LPAR",
            "LSQB",
            "NOT",
            "TRUE",
            "FALSE",
            "NULL",
        }
        parts.append("an expression")
    if {"KEYWORD", "IF", "FOR"} <= expected:
        expected -= _STATEMENT_STARTERS
        parts.append("a statement")
    operators = {
        "CMP_OP",
        "ADD_OP",
        "MUL_OP",
        "MINUS",
        "VBAR",
        "DOT",
        "LSQB",
        "QMARK",
        "AND",
        "OR",
        "IN",
        "NOT",
    }
    if len(expected & operators) >= 4:
        expected -= operators
        parts.append("an operator")
    parts.extend(sorted(names.get(t, t) for t in expected))
    if len(parts) > 6:
        parts = [*parts[:6], "…"]
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " or " + parts[-1]


def _describe_token(token: Token) -> str:
    if token.type == "$END":
        return "the end of the file"
    text = str(token)
    if len(text) > 30:
        text = text[:27] + "…"
    kinds = {
        "STRING": "the string",
        "NAME": "the name",
        "KEYWORD": "the element",
        "NUMBER": "the number",
    }
    kind = kinds.get(token.type)
    return f"{kind} `{text}`" if kind else f"`{text}`"


def _error_offset(exc: UnexpectedInput, text: str) -> int:
    if isinstance(exc, UnexpectedToken):
        if exc.token.type == "$END":
            return len(text)
        return exc.token.start_pos or 0
    if isinstance(exc, UnexpectedCharacters):
        return exc.pos_in_stream or 0
    return 0


def _blank_character(text: str, pos: int) -> str:
    """Remove a bad character; an unclosed quote takes the rest of its line with it."""
    if pos < len(text) and text[pos] in "\"'":
        end = text.find("\n", pos)
        end = len(text) if end == -1 else end
        return text[:pos] + " " * (end - pos) + text[end:]
    return text[:pos] + " " + text[pos + 1 :]


def _brace_positions(text: str) -> Iterator[re.Match[str]]:
    pattern = r'"(?:[^"\\]|\\[\s\S])*"|\'(?:[^\'\\]|\\[\s\S])*\'|//[^\n]*|/\*[\s\S]*?\*/|[{}]'
    return (m for m in re.finditer(pattern, text) if m.group() in ("{", "}"))


def _last_open_brace(text: str) -> int | None:
    stack: list[int] = []
    for match in _brace_positions(text):
        if match.group() == "{":
            stack.append(match.start())
        elif stack:
            stack.pop()
    return stack[-1] if stack else None


def _close_open_braces(text: str) -> str | None:
    depth = 0
    for match in _brace_positions(text):
        depth = depth + 1 if match.group() == "{" else max(0, depth - 1)
    if depth == 0:
        return None
    return text + "\n" + "}" * depth


# ---------------------------------------------------------------- tree to AST


def _unwrap(items: list[Any]) -> list[Any]:
    return [i for i in items if i is not None]


_STANDALONE = frozenset({"br", "rule", "page-break", "slot"})
"""Elements that take neither a positional value nor a body."""


def _split_standalone(items: list[Any]) -> list[Any]:
    """``"line one" br`` then ``"line two"`` on the next line: the grammar lets ``br`` take the
    string as its positional value, but these elements take none, so it is a text statement."""
    out: list[Any] = []
    for item in items:
        if (
            isinstance(item, ast.Element)
            and item.keyword in _STANDALONE
            and isinstance(item.positional, ast.Str)
            and item.binding is None
            and item.value is None
            and item.body is None
            and all(o.span.start < item.positional.span.start for o in item.options)
        ):
            text = item.positional
            out.append(
                ast.Element(
                    item.keyword,
                    None,
                    None,
                    item.options,
                    None,
                    None,
                    item.keyword_span,
                    item.keyword_span.to(item.options[-1].span)
                    if item.options
                    else item.keyword_span,
                )
            )
            out.append(ast.Text(text, text.span))
        else:
            out.append(item)
    return out


class _Builder(Transformer[Token, Any]):
    """Lower Lark's parse tree to :mod:`ccmlang.compiler.ast` nodes with spans.

    Every rule method is called as ``method(meta, children)``. This is what Lark's
    ``@v_args(meta=True)`` does, but that wraps the method anew (``functools.update_wrapper``)
    on every call: calling it directly halves the time of this pass.
    """

    def __init__(self, file: SourceFile, sink: DiagnosticSink, base: int) -> None:
        super().__init__(visit_tokens=False)
        self.file = file
        self.sink = sink
        self.base = base

    def _call_userfunc(self, tree: Tree[Token], new_children: list[Any] | None = None) -> Any:
        children = new_children if new_children is not None else tree.children
        method = getattr(self, tree.data, None)
        if method is None:
            return self.__default__(tree.data, children, tree.meta)
        try:
            return method(tree.meta, children)
        except GrammarError:
            raise
        except Exception as exc:
            raise VisitError(tree.data, tree, exc) from exc

    # -- spans
    def _span(self, meta: Any) -> Span:
        if getattr(meta, "empty", True):
            return self.file.span(self.base, self.base)
        return self.file.span(self.base + meta.start_pos, self.base + meta.end_pos)

    def _tok(self, token: Token) -> Span:
        start = self.base + (token.start_pos or 0)
        end = self.base + (
            token.end_pos if token.end_pos is not None else (token.start_pos or 0) + len(token)
        )
        return self.file.span(start, end)

    # -- module
    def start(self, meta: Any, items: list[Any]) -> list[Any]:
        return _split_standalone(_unwrap(items))

    def expr_start(self, meta: Any, items: list[Any]) -> Any:
        return items[0]

    def import_decl(self, meta: Any, items: list[Any]) -> ast.Import:
        path_tok, alias = items
        path = self._string(path_tok)
        return ast.Import(
            path.constant, str(alias), self._tok(path_tok), self._tok(alias), self._span(meta)
        )

    def style_decl(self, meta: Any, items: list[Any]) -> ast.StyleDecl:
        name = items[0]
        extends = next((i for i in items[1:] if isinstance(i, tuple)), None)
        body = items[-1]
        return ast.StyleDecl(
            str(name),
            extends[0] if extends else None,
            body,
            self._tok(name),
            extends[1] if extends else None,
            self._span(meta),
        )

    def extends(self, meta: Any, items: list[Any]) -> tuple[tuple[str, ...], Span]:
        return items[0]

    def qualname(self, meta: Any, items: list[Token]) -> tuple[tuple[str, ...], Span]:
        return tuple(str(t) for t in items), self._span(meta)

    def component_decl(self, meta: Any, items: list[Any]) -> ast.ComponentDecl:
        items = _unwrap(items)
        name, *params, body = items
        return ast.ComponentDecl(str(name), tuple(params), body, self._tok(name), self._span(meta))

    def param(self, meta: Any, items: list[Any]) -> ast.Param:
        opt, type_ = items[0], items[1]
        default = items[2] if len(items) > 2 else None
        return ast.Param(_opt_name(opt), type_, default, self._span(meta))

    def type_decl(self, meta: Any, items: list[Any]) -> ast.TypeDecl:
        name, type_ = items
        return ast.TypeDecl(str(name), type_, self._tok(name), self._span(meta))

    def named_type(self, meta: Any, items: list[Any]) -> ast.NamedType:
        return ast.NamedType(items[0][0], self._span(meta))

    def list_type(self, meta: Any, items: list[Any]) -> ast.ListType:
        return ast.ListType(items[0], self._span(meta))

    def record_type(self, meta: Any, items: list[Any]) -> ast.RecordType:
        return ast.RecordType(tuple(_unwrap(items)), self._span(meta))

    def field_type(self, meta: Any, items: list[Any]) -> ast.FieldType:
        return ast.FieldType(_opt_name(items[0]), items[1], False, self._span(meta))

    def optional_field_type(self, meta: Any, items: list[Any]) -> ast.FieldType:
        return ast.FieldType(_opt_name(items[0]).rstrip("?"), items[1], True, self._span(meta))

    def optional_type(self, meta: Any, items: list[Any]) -> ast.OptionalType:
        return ast.OptionalType(items[0], self._span(meta))

    # -- statements
    def element(self, meta: Any, items: list[Any]) -> ast.Element:
        keyword = items[0]
        positional: ast.Expr | None = None
        binding: str | None = None
        options: list[ast.Option] = []
        value: ast.Expr | None = None
        body: ast.Body | None = None
        for item in items[1:]:
            if isinstance(item, ast.Option):
                options.append(item)
            elif isinstance(item, ast.Body):
                body = item
            elif isinstance(item, _Positional):
                positional, binding = item.expr, item.binding
            elif isinstance(item, _Value):
                value = item.expr
        return ast.Element(
            str(keyword),
            positional,
            binding,
            tuple(options),
            value,
            body,
            self._tok(keyword),
            self._span(meta),
        )

    def positional(self, meta: Any, items: list[Any]) -> _Positional:
        return _Positional(items[0], str(items[1]) if len(items) > 1 else None)

    def value(self, meta: Any, items: list[Any]) -> _Value:
        return _Value(items[0])

    def option(self, meta: Any, items: list[Any]) -> ast.Option:
        opt, value, *extra = items
        extras = tuple(self._literal_token(t) for t in extra)
        return ast.Option(_opt_name(opt), value, extras, self._tok(opt), self._span(meta))

    def body(self, meta: Any, items: list[Any]) -> ast.Body:
        return ast.Body(tuple(_split_standalone(items)), self._span(meta))

    def text_stmt(self, meta: Any, items: list[Any]) -> ast.Text:
        return ast.Text(self._string(items[0]), self._span(meta))

    def if_stmt(self, meta: Any, items: list[Any]) -> ast.If:
        condition, body, *rest = items
        branches = [ast.Branch(condition, body, condition.span.to(body.span))]
        otherwise = None
        for clause in rest:
            if isinstance(clause, ast.Branch):
                branches.append(clause)
            else:
                otherwise = clause
        return ast.If(tuple(branches), otherwise, self._span(meta))

    def elif_clause(self, meta: Any, items: list[Any]) -> ast.Branch:
        return ast.Branch(items[0], items[1], self._span(meta))

    def else_clause(self, meta: Any, items: list[Any]) -> ast.Body:
        body: ast.Body = items[0]
        return body

    def for_stmt(self, meta: Any, items: list[Any]) -> ast.For:
        names = [i for i in items if isinstance(i, Token)]
        rest = [i for i in items if not isinstance(i, Token)]
        iterable, body = rest[0], rest[1]
        otherwise = rest[2] if len(rest) > 2 else None
        return ast.For(
            str(names[0]),
            str(names[1]) if len(names) > 1 else None,
            iterable,
            body,
            otherwise,
            self._tok(names[0]),
            self._span(meta),
        )

    def let_stmt(self, meta: Any, items: list[Any]) -> ast.Let:
        name, value = items
        return ast.Let(str(name), value, self._tok(name), self._span(meta))

    def use_stmt(self, meta: Any, items: list[Any]) -> ast.Use:
        items = _unwrap(items)
        (target, target_span), *rest = items
        body = rest.pop() if rest and isinstance(rest[-1], ast.Body) else None
        args = tuple(self._arg(a) for a in rest)
        return ast.Use(target, args, body, target_span, self._span(meta))

    def named_arg(self, meta: Any, items: list[Any]) -> ast.Arg:
        return ast.Arg(_opt_name(items[0]), items[1], self._span(meta))

    def _arg(self, item: Any) -> ast.Arg:
        if isinstance(item, ast.Arg):
            return item
        return ast.Arg(None, item, item.span)

    # -- expressions
    def conditional(self, meta: Any, items: list[Any]) -> ast.Conditional:
        return ast.Conditional(items[0], items[1], items[2], self._span(meta))

    def _logic(self, op: str, meta: Any, items: list[Any]) -> ast.Binary:
        left, right = items
        op_span = self.file.span(left.span.end, max(left.span.end, right.span.start))
        return ast.Binary(op, left, right, self._span(meta), op_span)

    def or_op(self, meta: Any, items: list[Any]) -> ast.Binary:
        return self._logic("or", meta, items)

    def and_op(self, meta: Any, items: list[Any]) -> ast.Binary:
        return self._logic("and", meta, items)

    def contains(self, meta: Any, items: list[Any]) -> ast.Binary:
        return self._logic("in", meta, items)

    def not_contains(self, meta: Any, items: list[Any]) -> ast.Binary:
        return self._logic("not in", meta, items)

    def coalesce(self, meta: Any, items: list[Any]) -> ast.Binary:
        return self._logic("??", meta, items)

    def not_op(self, meta: Any, items: list[Any]) -> ast.Unary:
        return ast.Unary("not", items[0], self._span(meta))

    def neg(self, meta: Any, items: list[Any]) -> ast.Unary:
        return ast.Unary("-", items[-1], self._span(meta))

    def compare(self, meta: Any, items: list[Any]) -> ast.Binary:
        left, op, right = items
        return ast.Binary(str(op), left, right, self._span(meta), self._tok(op))

    binary = compare

    def piped(self, meta: Any, items: list[Any]) -> ast.Filter:
        value, (name, args, name_span) = items
        return ast.Filter(value, name, args, name_span, self._span(meta))

    def filter_call(self, meta: Any, items: list[Any]) -> tuple[str, tuple[ast.Arg, ...], Span]:
        items = _unwrap(items)
        name, *args = items
        return str(name), tuple(self._arg(a) for a in args), self._tok(name)

    def attribute(self, meta: Any, items: list[Any]) -> ast.Attribute:
        obj, name = items
        return ast.Attribute(obj, str(name), self._tok(name), self._span(meta))

    def subscript(self, meta: Any, items: list[Any]) -> ast.Subscript:
        return ast.Subscript(items[0], items[1], self._span(meta))

    def name(self, meta: Any, items: list[Token]) -> ast.Name:
        return ast.Name(str(items[0]), self._tok(items[0]))

    def string(self, meta: Any, items: list[Token]) -> ast.Str:
        return self._string(items[0])

    def number(self, meta: Any, items: list[Token]) -> ast.Number:
        return ast.Number(Decimal(str(items[0])), self._tok(items[0]))

    def length(self, meta: Any, items: list[Token]) -> ast.Expr:
        return self._literal_token(items[0])

    def color(self, meta: Any, items: list[Token]) -> ast.Expr:
        return self._literal_token(items[0])

    def date(self, meta: Any, items: list[Token]) -> ast.Expr:
        token = items[0]
        try:
            value = datetime.date.fromisoformat(str(token))
        except ValueError:
            self.sink.error(
                "E0011",
                f"`{token}` is not a valid date",
                self._tok(token),
                hints=["dates are written YYYY-MM-DD"],
            )
            value = datetime.date(1970, 1, 1)
        return ast.DateLit(value, self._tok(token))

    def true(self, meta: Any, items: list[Any]) -> ast.Bool:
        return ast.Bool(True, self._span(meta))

    def false(self, meta: Any, items: list[Any]) -> ast.Bool:
        return ast.Bool(False, self._span(meta))

    def null(self, meta: Any, items: list[Any]) -> ast.Null:
        return ast.Null(self._span(meta))

    def list_literal(self, meta: Any, items: list[Any]) -> ast.ListLit:
        return ast.ListLit(tuple(_unwrap(items)), self._span(meta))

    # -- literals
    def _literal_token(self, token: Token) -> ast.Expr:
        span = self._tok(token)
        text = str(token)
        if token.type == "COLOR":
            return ast.Color(text.lower(), span)
        match = re.fullmatch(r"(\d+(?:\.\d+)?)(mm|cm|in|pt|px|em|%)", text)
        if match is None:  # pragma: no cover - the grammar only passes lengths and colours
            raise AssertionError(text)
        return ast.Length(Decimal(match.group(1)), match.group(2), span)

    def _string(self, token: Token) -> ast.Str:
        return split_string(str(token), self._tok(token), self.file, self.sink)


@dataclass(frozen=True, slots=True)
class _Positional:
    expr: ast.Expr
    binding: str | None


@dataclass(frozen=True, slots=True)
class _Value:
    expr: ast.Expr


def _opt_name(token: Token) -> str:
    return str(token).rstrip().rstrip(":").rstrip()


# ---------------------------------------------------------------- strings


def split_string(raw: str, span: Span, file: SourceFile, sink: DiagnosticSink) -> ast.Str:
    """Turn a quoted literal into text and ``{expression}`` parts; spans point into the file."""
    content_start = span.start + 1
    body = raw[1:-1]
    parts: list[str | ast.Expr] = []
    buf: list[str] = []
    i = 0
    n = len(body)

    def flush() -> None:
        if buf:
            parts.append("".join(buf))
            buf.clear()

    while i < n:
        char = body[i]
        if char == "\\" and i + 1 < n:
            nxt = body[i + 1]
            if nxt in _ESCAPES:
                buf.append(_ESCAPES[nxt])
            else:
                where = content_start + i
                sink.error(
                    "E0005",
                    f"unknown escape `\\{nxt}`",
                    file.span(where, where + 2),
                    hints=["known escapes: \\n \\t \\\\ \\\" \\' \\{ \\}"],
                )
            i += 2
        elif char == "{" and body.startswith("{{", i):
            buf.append("{")
            i += 2
        elif char == "}" and body.startswith("}}", i):
            buf.append("}")
            i += 2
        elif char == "{":
            close = _matching_brace(body, i + 1)
            where = content_start + i
            if close == -1:
                sink.error(
                    "E0004",
                    "this `{` opens an interpolation that is never closed",
                    file.span(where, where + 1),
                    hints=["close it with `}`, or write `{{` for a literal brace"],
                )
                buf.append(body[i:])
                break
            inner = body[i + 1 : close]
            if not inner.strip():
                sink.error(
                    "E0004",
                    "empty interpolation `{}`",
                    file.span(where, content_start + close + 1),
                    hints=[
                        "put an expression inside, e.g. `{customer.name}`, or write `{{}}` for literal braces"
                    ],
                )
            else:
                expr = parse_expression(inner, file, content_start + i + 1, sink)
                if expr is not None:
                    flush()
                    parts.append(expr)
            i = close + 1
        elif char == "}":
            where = content_start + i
            sink.error(
                "E0004",
                "a `}` with no `{` before it",
                file.span(where, where + 1),
                hints=["write `}}` for a literal closing brace"],
            )
            i += 1
        else:
            buf.append(char)
            i += 1
    flush()
    return ast.Str(tuple(parts), span)


def _matching_brace(text: str, start: int) -> int:
    """Index of the ``}`` that closes an interpolation, skipping quoted strings inside it."""
    quote: str | None = None
    i = start
    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "}":
            return i
        elif char == "{":
            return -1
        i += 1
    return -1


ParseHook = Callable[[SourceFile, DiagnosticSink], ast.Module]
