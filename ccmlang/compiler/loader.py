"""Reading template files and data contracts, with a process-level cache of the results.

Parsing is the most expensive step of a compile, and a template is compiled again and again
with few of its files changed (the preview on every keystroke, ``ccm check`` over a project
whose templates share one brand library). Parsed modules and loaded schemas are therefore
cached by display path and content hash: an unchanged file is never parsed twice, an edited one
always is. Parsing is pure, so sharing a cached (immutable) AST between compiles is safe.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar

import jsonschema

from ccmlang.compiler import ast
from ccmlang.compiler import types as t
from ccmlang.compiler.diagnostics import Diagnostic, DiagnosticSink
from ccmlang.compiler.parse import load_source, parse_module
from ccmlang.compiler.source import MAX_SOURCE_BYTES, SourceFile

CACHE_SIZE = 256
"""Entries per cache: enough for every file of a large project, bounded for a long-lived server."""

K = TypeVar("K")
V = TypeVar("V")


class _LRU(Generic[K, V]):
    """A small least-recently-used map (``functools.lru_cache`` cannot key on file contents).

    Thread-safe: the preview server and the HTTP service compile from several threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self.items.clear()


@dataclass(frozen=True, slots=True)
class Parsed:
    """One parsed file and its syntax diagnostics (replayed on every compile that uses it)."""

    file: SourceFile
    module: ast.Module
    diagnostics: tuple[Diagnostic, ...]

    @property
    def broken(self) -> bool:
        """Has syntax errors: its AST is partial, so it is not checked further."""
        return any(d.is_error for d in self.diagnostics)


_PARSED: _LRU[tuple[str, str], Parsed] = _LRU(CACHE_SIZE)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def parse_file(path: Path, display: str, sink: DiagnosticSink) -> Parsed | None:
    """Read and parse ``path`` (shown as ``display``); None when it cannot be read at all."""
    file = load_source(path, sink, display)
    if file is None:
        return None
    return _parse(file, sink)


def parse_text(text: str, display: str, sink: DiagnosticSink) -> Parsed | None:
    """Parse in-memory source (an editor buffer), with the same size and emptiness checks."""
    text = text.removeprefix("\ufeff")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_SOURCE_BYTES:
        sink.error(
            "E0008",
            f"`{display}` is {size:,} bytes; templates may be at most {MAX_SOURCE_BYTES:,} bytes",
            SourceFile(display, "").span(0, 0),
            hints=["split the template into a library of components and `import` it"],
        )
        return None
    file = SourceFile(display, text)
    if not text.strip():
        sink.error(
            "E0007",
            f"`{display}` is empty",
            file.span(0, 0),
            hints=['a template starts with a header: `template "Name" data: "schema.json"`'],
        )
        return None
    return _parse(file, sink)


def _parse(file: SourceFile, sink: DiagnosticSink) -> Parsed:
    key = (file.path, _digest(file.text))
    cached = _PARSED.get(key)
    if cached is None:
        local = DiagnosticSink()
        module = parse_module(file, local)
        cached = Parsed(file, module, tuple(local.sorted()))
        _PARSED.put(key, cached)
    sink.extend(cached.diagnostics)
    return cached


# ---------------------------------------------------------------- data contracts


@dataclass(frozen=True, slots=True)
class SchemaProblem:
    message: str
    offset: int | None = None
    """Where in the schema file (JSON syntax errors), to point the diagnostic there."""


@dataclass(frozen=True, slots=True)
class LoadedSchema:
    text: str
    schema: dict[str, Any] | None
    data_type: t.Type
    problem: SchemaProblem | None


_SCHEMAS: _LRU[tuple[str, str], LoadedSchema] = _LRU(CACHE_SIZE)


def load_schema(path: Path) -> LoadedSchema:
    """Read, parse (numbers as ``Decimal``) and validate a draft 2020-12 JSON Schema.

    Raises ``OSError`` when the file cannot be read; every other problem is in ``problem``.
    """
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problem = SchemaProblem(f"it is not valid UTF-8 (byte 0x{data[exc.start]:02x})")
        return LoadedSchema("", None, t.ANY, problem)
    key = (str(path), _digest(text))
    cached = _SCHEMAS.get(key)
    if cached is None:
        cached = _load_schema_text(text)
        _SCHEMAS.put(key, cached)
    return cached


def _load_schema_text(text: str) -> LoadedSchema:
    try:
        schema = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        problem = SchemaProblem(f"it is not valid JSON: {exc.msg}", exc.pos)
        return LoadedSchema(text, None, t.ANY, problem)
    except RecursionError:
        return LoadedSchema(text, None, t.ANY, SchemaProblem("it nests too deeply"))
    if not isinstance(schema, dict):
        problem = SchemaProblem('a JSON Schema is an object (`{ "type": "object", … }`)')
        return LoadedSchema(text, None, t.ANY, problem)
    error = jsonschema.exceptions.best_match(_meta_validator().iter_errors(schema))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path)
        at = f" at `{where}`" if where else ""
        message = f"it is not a valid draft 2020-12 JSON Schema{at}: {error.message}"
        return LoadedSchema(text, None, t.ANY, SchemaProblem(message))
    try:
        data_type = t.schema_type(schema)
    except RecursionError:
        return LoadedSchema(text, None, t.ANY, SchemaProblem("it nests too deeply"))
    return LoadedSchema(text, schema, data_type, None)


@cache
def _meta_validator() -> jsonschema.protocols.Validator:
    """``check_schema`` builds this validator on every call; it is the slow part, so keep one."""
    cls = jsonschema.Draft202012Validator
    return cls(cls.META_SCHEMA, format_checker=cls.FORMAT_CHECKER)


def clear_cache() -> None:
    """Forget every parsed module and schema (benchmarks measure a compile from scratch)."""
    _PARSED.clear()
    _SCHEMAS.clear()
