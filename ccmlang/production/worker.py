"""What runs in a worker process: render one record to bytes (spec/production.md, "Executors").

Compile once, render many (ARCHITECTURE.md): a task carries the template's *path* and the
SHA-256 of its source, never a compiled template, and each worker process compiles it on first
use and keeps it in :data:`_PREPARED`. A local process pool warms the cache from its initializer;
a Dask worker fills it on its first task. Keying by hash means an edited template is compiled
again instead of served stale.

A task never raises for a bad record: every failure becomes a :class:`RenderResult` with a code,
so one record can never take the batch (or the worker) down with it.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import re
import signal
import threading
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ccmlang.compiler.limits import Limits
from ccmlang.production import codes

MAX_MESSAGES = 3
"""Diagnostics quoted in one manifest message; the rest are counted (``(+4 more)``)."""


@dataclass(frozen=True, slots=True)
class JobSpec:
    """Everything a worker needs besides the record. Small: it travels with every task."""

    template: str
    """Absolute path of the template file (on a cluster: the same path on every worker)."""
    template_sha256: str
    """:func:`template_fingerprint`: the compiled-template cache key in each worker."""
    format: str
    locale: str | None = None
    pdf_variant: str | None = None
    count_pages: bool = True
    """Count the pages of PDF outputs for the manifest (and print streams)."""
    limits: Limits = field(default_factory=Limits)
    """The project's limits (``ccm.toml`` ``[limits]`` and ``--limit``), for every record."""


@dataclass(frozen=True, slots=True)
class RenderResult:
    number: int
    data: bytes | None
    """The output; ``None`` when the record failed."""
    sha256: str = ""
    pages: int | None = None
    code: str = ""
    message: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.data is not None


@dataclass(slots=True)
class _Prepared:
    template: Any  # ccmlang.template.Template
    backend: Any  # ccmlang.backends.Backend
    options: Any  # ccmlang.backends.RenderOptions


_PREPARED: dict[tuple[str, str, str, str | None, Limits], _Prepared] = {}
_LOCK = threading.Lock()  # Dask workers may run several threads


def file_sha256(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def template_fingerprint(template: Any) -> str:
    """SHA-256 over the template, every library it imports and its schema.

    Resuming refuses a changed fingerprint, and workers key their compiled template by it, so
    an edit to ``brand.ccm`` counts as much as an edit to the template itself.
    """
    program = template.program
    files: dict[str, str] = {}
    stack = [program.root]
    while stack:
        module = stack.pop()
        key = str(module.path)
        if key in files:
            continue
        files[key] = file_sha256(key)
        stack.extend(module.imports.values())
    if program.header.schema_path:
        schema = Path(program.project_root) / program.header.schema_path
        if schema.is_file():
            files[str(schema)] = file_sha256(str(schema))
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(f"{name}\0{files[name]}\n".encode())
    return digest.hexdigest()


def prepare(spec: JobSpec) -> _Prepared:
    """The compiled template and backend for ``spec``, compiled at most once per process."""
    key = (spec.template, spec.template_sha256, spec.format, spec.pdf_variant, spec.limits)
    found = _PREPARED.get(key)
    if found is not None:
        return found
    with _LOCK:
        found = _PREPARED.get(key)
        if found is None:
            from ccmlang.backends import RenderOptions, load_backends
            from ccmlang.compiler.compile import compile_file

            template = compile_file(spec.template)
            backend = load_backends().get(spec.format)
            options = RenderOptions.from_limits(spec.limits, pdf_variant=spec.pdf_variant)
            found = _Prepared(template, backend, options)
            _PREPARED[key] = found
    return found


def warm(spec: JobSpec) -> None:
    """Process-pool initializer: compile before the first record arrives (errors surface later).

    Ctrl-C goes to the whole process group; the parent handles it (stops submitting, keeps the
    manifest consistent), so workers ignore it instead of dying mid-record with a traceback.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(Exception):  # reported per record by render_task, with its message
        prepared = prepare(spec)
        prepared.template.validate({})  # builds the schema validator now, not in record 1


_frozen = False


def freeze_long_lived() -> None:
    """Once per worker, after its first document: collect, then ``gc.freeze()`` what is left.

    The compiled template, fonts, parsed stylesheet and imported modules live as long as the
    worker. Frozen, the collector's oldest generation stops re-scanning them: it ran about once
    per statement and took 70-90 ms each time, about 15 % of a WeasyPrint render; it now takes
    about 20 ms. Objects freed by reference counting are freed as before, and garbage made by
    later records is collected as usual; only cycles among the frozen objects would outlive
    their use, and a worker's long-lived objects do not become garbage.
    """
    global _frozen
    if not _frozen:
        _frozen = True
        gc.collect()
        gc.freeze()


def summarise(diagnostics: list[Any]) -> tuple[str, str]:
    """Code and message of a failed render: the first error's code, up to three messages."""
    if not diagnostics:
        return codes.INTERNAL, "render failed without a diagnostic"
    parts: list[str] = []
    for d in diagnostics[:MAX_MESSAGES]:
        where = ""
        span = getattr(d, "span", None)
        if span is not None:
            where = f" at {span}"
        parts.append(f"{d.message}{where}")
    if len(diagnostics) > MAX_MESSAGES:
        parts.append(f"(+{len(diagnostics) - MAX_MESSAGES} more)")
    return str(diagnostics[0].code), "; ".join(parts)


_OBJECT_STREAM = re.compile(rb"<<[^>]*/Type\s*/ObjStm[^>]*/Length\s+(\d+)[^>]*>>\s*stream\r?\n")
_PAGES_NODE = re.compile(rb"<<[^<>]*/Type\s*/Pages\b[^<>]*>>")
_COUNT = re.compile(rb"/Count\s+(\d+)")


def count_pdf_pages(data: bytes) -> int | None:
    """Pages of a PDF, for the manifest; the root ``/Pages`` node's ``/Count``.

    Fast path: find the page-tree nodes in the file or in its (Flate) object streams and take
    the largest ``/Count`` (the root's). Parsing the PDF with pypdf costs about as much as 5 %
    of a statement's render; this costs well under 1 %. pypdf is the fallback.
    """
    counts = [int(c) for node in _PAGES_NODE.findall(data) for c in _COUNT.findall(node)]
    for match in _OBJECT_STREAM.finditer(data):
        start = match.end()
        try:
            text = zlib.decompress(data[start : start + int(match.group(1))])
        except zlib.error:
            continue
        counts += [int(c) for node in _PAGES_NODE.findall(text) for c in _COUNT.findall(node)]
    if counts:
        return max(counts)
    from pypdf import PdfReader

    try:
        return len(PdfReader(io.BytesIO(data)).pages)
    except Exception:
        return None


def render_task(spec: JobSpec, number: int, value: Any) -> RenderResult:
    """Render record ``number``; every failure is returned, never raised."""
    start = time.perf_counter()

    def failed(code: str, message: str) -> RenderResult:
        return RenderResult(
            number, None, code=code, message=message, seconds=time.perf_counter() - start
        )

    try:
        prepared = prepare(spec)
    except Exception as exc:
        diagnostics = getattr(exc, "diagnostics", None)
        detail = summarise(list(diagnostics))[1] if diagnostics else str(exc)
        return failed(codes.TEMPLATE_UNAVAILABLE, f"{spec.template}: {detail}")

    from ccmlang.backends import BackendError
    from ccmlang.compiler.evaluate_expr import RenderError

    try:
        document = prepared.template.render(value, locale=spec.locale, limits=spec.limits)
        data = prepared.backend.render(document, prepared.options)
    except RenderError as exc:
        return failed(*summarise(exc.diagnostics))
    except BackendError as exc:
        return failed(exc.code, str(exc))
    except Exception as exc:  # a bad record must never stop the batch
        diagnostics = getattr(exc, "diagnostics", None)
        if diagnostics:
            return failed(*summarise(list(diagnostics)))
        return failed(codes.INTERNAL, f"{type(exc).__name__}: {exc}")
    is_pdf = data.startswith(b"%PDF-")
    pages = count_pdf_pages(data) if spec.count_pages and is_pdf else None
    freeze_long_lived()
    return RenderResult(
        number,
        data,
        sha256=hashlib.sha256(data).hexdigest(),
        pages=pages,
        seconds=time.perf_counter() - start,
    )
