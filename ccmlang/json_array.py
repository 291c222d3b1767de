"""A JSON array read one element at a time: memory holds one record, however long the file.

Batch production must not grow with the number of records (issue 6), and a month's statements
often arrive as one JSON array. Each element is decoded in place by :mod:`json`'s C decoder
(``raw_decode``), numbers with a fraction as ``Decimal``. When an element does not decode, a scan
of its strings and brackets finds where it ends, so it is one bad record, reported with its own
line and column, and the elements after it are still read, as with a bad line of JSON Lines.
What cannot be split into elements stops the reading with its position: an array, string or
bracket still open at the end of the file, a trailing comma, or text after the closing ``]``.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, BinaryIO

CHUNK_BYTES = 1 << 16
"""Bytes read at a time."""

_TOKENS = re.compile(r'"(?:[^"\\]|\\[\s\S])*"|["\[\]{},]')
"""A whole string, or one structural character (a lone ``"`` is a string not yet complete)."""
_SPACE = re.compile(r"[ \t\r\n]*")


class ArrayError(ValueError):
    """The text cannot be split into array elements (``line`` and ``col`` are 1-based)."""

    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


_DECODER = json.JSONDecoder(parse_float=Decimal, parse_constant=_reject_constant)


@dataclass(frozen=True, slots=True)
class Element:
    """One element: its value, or why it is not JSON (message, line, column); where it starts."""

    value: Any
    line: int
    col: int
    error: tuple[str, int, int] | None = None


class _Text:
    """The decoded text of a byte stream, read on demand; consumed text is dropped, and the
    line and column where the kept text starts are remembered."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buf = ""
        self.eof = False
        self.line = 1
        self.col = 1
        self._byte_lines = 0  # newlines in the bytes read so far (for decoding errors)
        self._byte_col = 0  # bytes since the last of them

    def more(self) -> None:
        """Read and decode the next chunk (at the end, ``eof`` becomes true)."""
        raw = self.stream.read(CHUNK_BYTES)
        try:
            self.buf += self.decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as exc:
            before = exc.object[: exc.start]
            newlines = before.count(b"\n")
            line = 1 + self._byte_lines + newlines
            col = exc.start - before.rfind(b"\n") if newlines else self._byte_col + exc.start + 1
            raise ArrayError(
                f"not valid UTF-8 (byte 0x{exc.object[exc.start]:02x})", line, col
            ) from None
        newlines = raw.count(b"\n")
        self._byte_lines += newlines
        self._byte_col = len(raw) - raw.rfind(b"\n") - 1 if newlines else self._byte_col + len(raw)
        if not raw:
            self.eof = True

    def position(self, index: int) -> tuple[int, int]:
        """Line and column of ``buf[index]``."""
        newlines = self.buf.count("\n", 0, index)
        if newlines:
            return self.line + newlines, index - self.buf.rfind("\n", 0, index)
        return self.line, self.col + index

    def drop(self, upto: int) -> None:
        """Forget ``buf[:upto]``."""
        self.line, self.col = self.position(upto)
        self.buf = self.buf[upto:]

    def skip_space(self, index: int) -> int | None:
        """The index of the next character that is not white space, or ``None`` at the end."""
        while True:
            index = _SPACE.match(self.buf, index).end()  # type: ignore[union-attr]
            if index < len(self.buf):
                return index
            if self.eof:
                return None
            self.more()

    def end_position(self) -> tuple[int, int]:
        return self.position(len(self.buf))


def is_array(stream: BinaryIO) -> bool | None:
    """Whether the document in ``stream`` (a buffered reader) starts with ``[``; ``None`` when
    the first 4 KiB are all white space (the caller then reads the document whole)."""
    peek = getattr(stream, "peek", None)
    if peek is None:
        return None
    head = peek(4096)[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return None if not head else head[:1] == b"["


def elements(stream: BinaryIO) -> Iterator[Element]:
    """The elements of the JSON array in ``stream``, in order; raises :class:`ArrayError`."""
    text = _Text(stream)
    index = text.skip_space(0)
    if index is None or text.buf[index] != "[":
        raise ArrayError("a JSON array starts with `[`", *text.end_position())
    index = text.skip_space(index + 1)
    if index is None:
        raise ArrayError("the array is not closed: `]` expected", *text.end_position())
    if text.buf[index] == "]":
        _expect_end(text, index + 1)
        return
    while True:
        element, end = _decode(text, index)
        yield element
        closing = text.buf[end] == "]"
        text.drop(end + 1)
        if closing:
            _expect_end(text, 0)
            return
        index = text.skip_space(0)
        if index is None:
            raise ArrayError("the array is not closed: `]` expected", *text.end_position())
        if text.buf[index] == "]":
            raise ArrayError("a `,` before `]`: JSON has no trailing commas", *text.position(index))


def _decode(text: _Text, start: int) -> tuple[Element, int]:
    """The element starting at ``start`` and the index of the ``,`` or ``]`` after it."""
    line, col = text.position(start)
    while True:
        try:
            value, end = _DECODER.raw_decode(text.buf, start)
        except (ValueError, RecursionError):  # bad, or not all read yet: find its end first
            break
        if end == len(text.buf) and not text.eof:  # a number may go on in the next chunk
            text.more()
            continue
        after = text.skip_space(end)
        if after is not None and text.buf[after] in ",]":
            return Element(value, line, col), after
        break
    end = _element_end(text, start)
    whole = text.buf[:end].rstrip(" \t\r\n")
    try:  # all of it is read now: it decodes (it was cut by a read), or we say what is wrong
        value, stop = _DECODER.raw_decode(whole, start)
        if stop == len(whole):
            return Element(value, line, col), end
    except json.JSONDecodeError as exc:
        return Element(None, line, col, (exc.msg, *text.position(exc.pos))), end
    except ValueError as exc:  # NaN, Infinity
        return Element(None, line, col, (str(exc), line, col)), end
    except RecursionError:
        return Element(None, line, col, ("the JSON nests too deeply", line, col)), end
    return Element(None, line, col, ("Extra data", *text.position(stop))), end


def _element_end(text: _Text, start: int) -> int:
    """The index of the ``,`` or ``]`` that ends the element starting at ``start``."""
    depth = 0
    index = start
    while True:
        match = _TOKENS.search(text.buf, index)
        if match is None:
            if text.eof:
                raise ArrayError("the array is not closed: `]` expected", *text.end_position())
            index = len(text.buf)
            text.more()
            continue
        token = match.group()
        if len(token) > 1:  # a whole string: brackets and commas inside it do not count
            index = match.end()
            continue
        if token == '"':  # a string that does not end in what was read so far
            if text.eof:
                raise ArrayError("a string is not closed", *text.position(match.start()))
            index = match.start()
            text.more()
            continue
        if token in "[{":
            depth += 1
        elif token in "]}":
            if depth:
                depth -= 1
            elif token == "]":
                return match.start()
        elif token == "," and not depth:
            return match.start()
        index = match.end()


def _expect_end(text: _Text, index: int) -> None:
    rest = text.skip_space(index)
    if rest is not None:
        raise ArrayError("text after the array's closing `]`", *text.position(rest))
