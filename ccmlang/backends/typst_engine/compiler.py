"""One reused Typst compiler per template project and font set (spec/typst.md, "Speed").

A ``typst.Compiler`` keeps the parsed program, the font book and Typst's memoised work between
compilations, so a worker compiles ``render.typ`` once and then only evaluates each record's
input. Its root is the template project: Typst resolves every path inside it and refuses to read
outside (our pre-flight checks, through :class:`SafeFetcher`, also follow symlinks). Local package
directories point at an empty private directory; the program imports nothing, and data cannot
add an import, so no package is ever looked up, let alone fetched.

Typst warnings are errors here: the one that matters (an unknown font family, after which Typst
silently uses another font) must never pass, and the program is written to produce none.
"""

from __future__ import annotations

import re
import tempfile
import threading
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any, Literal

import typst

from ccmlang.backends.base import BackendError
from ccmlang.backends.typst_engine import INPUT_KEY, program
from ccmlang.backends.typst_engine.fonts import FontSet

ENGINE_CACHE_SIZE = 8
Standard = Literal["a-2b", "a-3b", "a-3u", "ua-1"]
PDF_STANDARDS: dict[str, Standard] = {
    "pdf/a-2b": "a-2b",
    "pdf/a-3b": "a-3b",
    "pdf/a-3u": "a-3u",
    "pdf/ua-1": "ua-1",
}

_lock = threading.Lock()
_engines: OrderedDict[tuple[Any, ...], Engine] = OrderedDict()
_empty_dir: str | None = None


def _no_packages() -> str:
    global _empty_dir
    if _empty_dir is None:
        _empty_dir = tempfile.mkdtemp(prefix="ccm-typst-no-packages-")
    return _empty_dir


_WHERE = re.compile(r"┌─ \S*?__typst_py_bytes__\.typ:(\d+):(\d+)")


def _error(message: str, hints: list[str] | None = None, diagnostic: str = "") -> BackendError:
    """Typst's message as a :class:`BackendError`; a failure inside ``render.typ`` (a bug, not a
    template mistake) names the program line so it can be reported."""
    text = message.strip()
    if hints:
        text += " (" + "; ".join(h.strip() for h in hints) + ")"
    where = _WHERE.search(diagnostic or "")
    if where is not None:
        text += f" [render.typ:{where[1]}:{where[2]}]"
    lowered = text.lower()
    if "file not found" in lowered or "failed to load file" in lowered:
        return BackendError(f"Typst: {text}", code="E1016")
    if "access denied" in lowered or "outside of project root" in lowered:
        return BackendError(f"Typst: {text}", code="E3007")
    return BackendError(f"Typst: {text}", code="E3008")


class Engine:
    """A Typst compiler over ``render.typ`` for one project root and font set."""

    def __init__(self, root: str | None, fonts: FontSet) -> None:
        self.root = root
        self.fonts = fonts
        empty = _no_packages()
        self._program = program().encode("utf-8")
        self._compiler = typst.Compiler(
            self._program,
            root=root or empty,
            font_paths=fonts.fonts,
            ignore_system_fonts=True,
            package_path=empty,
            package_cache_path=empty,
        )
        self._lock = threading.Lock()

    def compile(
        self,
        tree_json: str,
        *,
        pdf_variant: str | None = None,
        timestamp: datetime | None = None,
    ) -> bytes:
        """PDF bytes of one input; any Typst error or warning is a :class:`BackendError`."""
        standard: Standard | None = PDF_STANDARDS[pdf_variant] if pdf_variant else None
        when: datetime | None = None
        if timestamp is not None:
            when = timestamp if timestamp.tzinfo else timestamp.replace(tzinfo=UTC)
        with self._lock:
            try:
                # The program is passed again on every call: typst-py 0.15 loses an in-memory
                # main file when the inputs change. Typst memoises parsing by content, so this
                # costs a hash, not a parse.
                data, warnings = self._compiler.compile_with_warnings(
                    input=self._program,
                    format="pdf",
                    sys_inputs={INPUT_KEY: tree_json},
                    pdf_standards=standard,
                    timestamp=when,
                )
            except typst.TypstError as exc:
                raise _error(exc.message, list(exc.hints), exc.diagnostic) from None
            except RuntimeError as exc:  # older bindings raise plain RuntimeError
                raise _error(str(exc)) from None
        if warnings:
            first = warnings[0]
            raise _error(f"warning: {first.message}", list(first.hints))
        if not isinstance(data, bytes):  # pragma: no cover - PDF output is always one file
            raise BackendError("Typst returned no PDF", code="E3008")
        return data


def engine_for(root: str | None, fonts: FontSet) -> Engine:
    """The shared engine for this project root and font set (created on first use)."""
    key = (root, fonts.key)
    with _lock:
        engine = _engines.get(key)
        if engine is not None:
            _engines.move_to_end(key)
            return engine
    engine = Engine(root, fonts)
    with _lock:
        existing = _engines.get(key)
        if existing is not None:
            return existing
        _engines[key] = engine
        while len(_engines) > ENGINE_CACHE_SIZE:
            _engines.popitem(last=False)
    return engine
