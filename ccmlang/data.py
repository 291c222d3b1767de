"""Loading data records: JSON, JSON Lines and CSV (spec/language.md, "Data").

Money is ``Decimal`` end to end, so JSON numbers with a fraction or exponent are parsed as
``Decimal`` (``parse_float=Decimal``) and never pass through ``float``; integers stay ``int``.

Batch production reads millions of records, so :func:`iter_records` streams JSON Lines and CSV
one line at a time, and a JSON array one element at a time (:mod:`ccmlang.json_array`), and
reports a bad record as a :class:`Record` with an ``error`` instead of raising: one broken line
or element never stops the others. A JSON file holding anything but an array is one record.

CSV cells are text. Dotted column names build nested records (``account.number``); given the
template's JSON Schema, cells whose schema type is a number, integer or boolean are converted
(``Decimal``, ``int``, ``bool``), and empty cells of such columns are left out so ``required``
reports them. A cell that does not convert stays text, so schema validation names the cell.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO, Literal

from ccmlang.json_array import ArrayError, elements, is_array

Format = Literal["auto", "json", "jsonl", "csv"]

_EXTENSIONS: dict[str, Format] = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
}


class DataError(ValueError):
    """Data that cannot be read, with where: ``path:line:col: message``."""

    def __init__(
        self, message: str, path: str, line: int | None = None, col: int | None = None
    ) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.col = col
        where = path
        if line is not None:
            where += f":{line}"
            if col is not None:
                where += f":{col}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True, slots=True)
class Record:
    """One record of a data file: ``number`` counts records from 1; ``line`` is where it starts."""

    number: int
    value: Any
    error: DataError | None = None
    line: int | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


# ---------------------------------------------------------------- JSON


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_json(text: str, path: str = "<data>", first_line: int = 1) -> Any:
    """Parse JSON text with ``Decimal`` numbers; errors carry line and column."""
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise DataError(exc.msg, path, first_line + exc.lineno - 1, exc.colno) from None
    except ValueError as exc:  # NaN, Infinity
        raise DataError(str(exc), path, first_line) from None
    except RecursionError:
        raise DataError("the JSON nests too deeply", path, first_line) from None


def _decode(raw: bytes, path: str, first_line: int = 1) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = first_line + before.count(b"\n")
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise DataError(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", path, line, col) from None


def load_json(source: str | Path | bytes) -> Any:
    """A whole JSON document from a file path or bytes, numbers with fractions as ``Decimal``."""
    if isinstance(source, bytes):
        return parse_json(_decode(source, "<data>"), "<data>")
    path = str(source)
    try:
        raw = Path(source).read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror or exc}", path) from None
    return parse_json(_decode(raw, path), path)


# ---------------------------------------------------------------- records


def iter_records(
    source: str | Path,
    fmt: Format = "auto",
    *,
    schema: Mapping[str, Any] | None = None,
) -> Iterator[Record]:
    """Records of a data file (``"-"`` reads standard input), streamed where the format allows.

    ``fmt="auto"`` goes by the extension (``.json``, ``.jsonl``/``.ndjson``, ``.csv``) and
    otherwise by the first character: ``[`` is a JSON array, else JSON Lines (which also reads a
    file holding one JSON object on one line). ``schema`` converts CSV cells to its types.
    A file that cannot be opened, or a JSON document that does not parse, raises
    :class:`DataError`; a bad JSON line or CSV row is yielded as a record with an ``error``.
    """
    path = str(source)
    stream = _open(source)
    try:
        if fmt == "auto":
            fmt = _EXTENSIONS.get(Path(path).suffix.lower(), "auto") if path != "-" else "auto"
        if fmt == "auto":
            fmt = _sniff(stream)
        if fmt == "json":
            yield from _json_records(stream, path)
        elif fmt == "jsonl":
            yield from _jsonl_records(stream, path)
        elif fmt == "csv":
            yield from _csv_records(stream, path, schema)
        else:
            raise DataError(f"unknown data format `{fmt}` (json, jsonl or csv)", path)
    finally:
        if path != "-":
            stream.close()


def select_record(
    source: str | Path,
    number: int,
    fmt: Format = "auto",
    *,
    schema: Mapping[str, Any] | None = None,
) -> Any:
    """Record ``number`` (1-based, as ``--record N``), reading no further than it."""
    if number < 1:
        raise DataError(f"records are numbered from 1, got {number}", str(source))
    count = 0
    for record in iter_records(source, fmt, schema=schema):
        count = record.number
        if record.number == number:
            if record.error is not None:
                raise record.error
            return record.value
    raise DataError(f"there is no record {number}: the file has {count} record(s)", str(source))


def _open(source: str | Path) -> io.BufferedReader:
    if str(source) == "-":
        stdin = sys.stdin.buffer
        return stdin if isinstance(stdin, io.BufferedReader) else io.BufferedReader(stdin)  # type: ignore[arg-type]
    try:
        return open(source, "rb")
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror or exc}", str(source)) from None


def _sniff(stream: io.BufferedReader) -> Format:
    """``[`` first (after white space) is a JSON array; anything else reads as JSON Lines."""
    head = stream.peek(4096)[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return "json" if head[:1] == b"[" else "jsonl"


def _json_records(stream: io.BufferedReader, path: str) -> Iterator[Record]:
    """A JSON array element by element (:mod:`ccmlang.json_array`: memory holds one record, and
    an element that is not JSON is one bad record); any other document is one record."""
    if is_array(stream):
        try:
            for number, element in enumerate(elements(stream), start=1):
                if element.error is not None:
                    message, line, col = element.error
                    error = DataError(message, path, line, col)
                    yield Record(number, None, error, element.line)
                else:
                    yield Record(number, element.value, None, element.line)
        except ArrayError as exc:
            raise DataError(exc.message, path, exc.line, exc.col) from None
        return
    value = parse_json(_decode(stream.read(), path), path)
    if isinstance(value, list):  # an array after more than 4 KiB of white space
        for i, item in enumerate(value, start=1):
            yield Record(i, item)
    else:
        yield Record(1, value, line=1)


def _jsonl_records(stream: BinaryIO, path: str) -> Iterator[Record]:
    number = 0
    for line_no, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        number += 1
        try:
            text = _decode(raw, path, line_no) if line_no > 1 else _decode(raw, path)
            # Without its newline, an unfinished record is reported on its own line, not the next.
            value = parse_json(text.rstrip("\r\n"), path, line_no)
        except DataError as exc:
            yield Record(number, None, exc, line_no)
            continue
        yield Record(number, value, None, line_no)


# ---------------------------------------------------------------- CSV


def _csv_records(stream: BinaryIO, path: str, schema: Mapping[str, Any] | None) -> Iterator[Record]:
    text = codecs.getreader("utf-8-sig")(stream)
    lines = _text_lines(text, path)
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return
    except (csv.Error, DataError) as exc:
        raise _csv_error(exc, path, 1) from None
    columns = [_column(name, schema) for name in header]
    _check_columns([c.path for c in columns], path)
    number = 0
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except (csv.Error, DataError) as exc:
            number += 1
            yield Record(number, None, _csv_error(exc, path, start), start)
            continue
        if not any(cell.strip() for cell in cells):
            continue
        number += 1
        if len(cells) != len(columns):
            error = DataError(
                f"the row has {len(cells)} cells, the header {len(columns)}", path, start
            )
            yield Record(number, None, error, start)
            continue
        record: dict[str, Any] = {}
        for column, cell in zip(columns, cells, strict=True):
            value = column.convert(cell)
            if value is not _OMIT:
                _put(record, column.path, value)
        yield Record(number, record, None, start)


def _text_lines(text: Iterable[str], path: str) -> Iterator[str]:
    try:
        yield from text
    except UnicodeDecodeError as exc:
        raise DataError(f"not valid UTF-8 (byte 0x{exc.object[exc.start]:02x})", path) from None


def _csv_error(exc: Exception, path: str, line: int) -> DataError:
    if isinstance(exc, DataError):
        return DataError(exc.message, path, line)
    return DataError(f"malformed CSV: {exc}", path, line)


_OMIT = object()


@dataclass(frozen=True, slots=True)
class _Column:
    path: tuple[str, ...]
    kind: str  # "string" | "number" | "integer" | "boolean" | "other"

    def convert(self, cell: str) -> Any:
        if self.kind == "string":
            return cell
        text = cell.strip()
        if not text:
            return _OMIT
        if self.kind == "number":
            try:
                value = Decimal(text)
            except InvalidOperation:
                return cell
            return value if value.is_finite() else cell
        if self.kind == "integer":
            try:
                return int(text)
            except ValueError:
                return cell
        if self.kind == "boolean":
            return _BOOLEANS.get(text.lower(), cell)
        return cell


_BOOLEANS = {"true": True, "false": False, "yes": True, "no": False, "1": True, "0": False}


def _column(name: str, schema: Mapping[str, Any] | None) -> _Column:
    parts = tuple(p.strip() for p in name.split("."))
    if schema is None:
        return _Column(parts, "string")
    return _Column(parts, _leaf_kind(schema, schema, parts))


def _leaf_kind(root: Mapping[str, Any], node: Any, parts: tuple[str, ...]) -> str:
    """The JSON type the schema gives at ``parts``, following properties and local ``$ref``s."""
    node = _unwrap(root, node)
    if parts:
        child = node.get("properties", {}).get(parts[0])
        return "string" if child is None else _leaf_kind(root, child, parts[1:])
    declared = node.get("type")
    if isinstance(declared, list):
        declared = next((t for t in declared if t != "null"), None)
    if declared in ("number", "integer", "boolean"):
        return str(declared)
    if declared is None or (declared == "string" and "format" not in node):
        return "string"
    return "other"


def _unwrap(root: Mapping[str, Any], node: Any) -> Mapping[str, Any]:
    """Follow ``$ref`` and the non-null branch of ``anyOf``/``oneOf: [T, {type: null}]``."""
    for _ in range(32):  # bounded: schemas may refer to themselves
        node = _deref(root, node)
        if not isinstance(node, Mapping):
            return {}
        branches = node.get("anyOf", node.get("oneOf", ()))
        options = [o for o in branches if _deref(root, o) != {"type": "null"}]
        if len(options) != 1:
            return node
        node = options[0]
    return {}


def _deref(root: Mapping[str, Any], node: Any) -> Any:
    for _ in range(32):
        if not isinstance(node, Mapping) or not isinstance(node.get("$ref"), str):
            return node
        ref = node["$ref"]
        if not ref.startswith("#/"):
            return {}
        target: Any = root
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            target = target.get(part) if isinstance(target, Mapping) else None
        node = target
    return node


def _check_columns(paths: list[tuple[str, ...]], path: str) -> None:
    seen = set(paths)
    if len(seen) != len(paths):
        dupes = sorted({".".join(p) for p in paths if paths.count(p) > 1})
        raise DataError(f"duplicate column(s) {', '.join(dupes)} in the header", path, 1)
    for column in paths:
        for n in range(1, len(column)):
            if column[:n] in seen:
                raise DataError(
                    f"column `{'.'.join(column[:n])}` is a value, "
                    f"but `{'.'.join(column)}` makes it a record",
                    path,
                    1,
                )
        if any(not p for p in column):
            raise DataError(f"bad column name `{'.'.join(column)}`", path, 1)


def _put(record: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = record
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value
