"""The preview build: compile → layout tree → HTML → PDF → page images, each stage cached by
content hash (ARCHITECTURE.md: "stages can be cached by content hash (the preview does this)").

Every stage is a pure function of its inputs, so its output is remembered under a key made of
the hashes of exactly those inputs, and a save recomputes only the stages downstream of what
changed (issue 5, item 1):

=========  ===================================================================  ==============
stage      key                                                                  skipped when
=========  ===================================================================  ==============
compile    SHA-256 of every file the last compile read (template, imports,      data changes
           schema, fonts, images)
tree       compile key + data file hash + record number + locale                record seen before
html       tree key + hashes of the document's assets (images, fonts)           same tree
pdf        SHA-256 of the HTML *without* source positions + asset hashes +      comment or
           engine: what the PDF backend reads                                   whitespace edits
pages      SHA-256 of the PDF bytes                                             same PDF
lint       compile key                                                          same sources
=========  ===================================================================  ==============

Failed compiles and renders are not remembered: they may be about a file that does not exist
yet (a missing import or image), which no content hash can name.

A file may change while a stage reads it. Each stage re-hashes its inputs afterwards; if they
moved, the result gets a one-off key (never reused), because the watcher will report the change
and the next build must not find a result made from the old text under the new text's key.

Failures are results too: a stage returns :class:`~ccmlang.preview.problems.Problem` s instead
of raising, so the build thread, and with it the server, never dies (issue 5, item 3).
:attr:`Builder.calls` counts how often each stage really ran (the tests check the caching).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import secrets
import time
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from ccmlang import layout
from ccmlang.backends.base import Backend, BackendError, Registry, RenderOptions, walk
from ccmlang.compiler.diagnostics import Hint
from ccmlang.compiler.limits import LimitError, Limits
from ccmlang.preview import problems as P
from ccmlang.preview.choices import Choice, file_digest
from ccmlang.preview.pages import DEFAULT_DPI, PageImage, render_pages
from ccmlang.preview.problems import Problem
from ccmlang.template import Template

CACHE_SIZE = 8
SOURCE_POSITIONS = re.compile(rb' data-src="[^"]*"')

K = TypeVar("K")
V = TypeVar("V")


class LRU(Generic[K, V]):
    """A small least-recently-used map: a few templates' worth of stage outputs, no more."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


def digest(*parts: object) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else repr(part).encode())
        h.update(b"\0")
    return h.hexdigest()


def files_digest(paths: Iterable[Path]) -> tuple[tuple[str, str | None], ...]:
    return tuple(sorted((str(p), file_digest(p)) for p in paths))


def _one_off(key: str) -> str:
    return f"{key}~{secrets.token_hex(8)}"


@dataclass(frozen=True, slots=True)
class Compiled:
    key: str
    template: Template | None
    problems: tuple[Problem, ...]
    """Errors, and warnings the compiler gives without lints."""
    files: tuple[Path, ...]
    seconds: float = 0.0

    @property
    def errors(self) -> tuple[Problem, ...]:
        return P.errors(self.problems)


@dataclass(frozen=True, slots=True)
class Rendered:
    """The HTML stage's result for one data choice."""

    key: str
    document: layout.Document | None
    html: bytes | None
    identity: str
    """Hash of the HTML and the assets it shows: equal identities look the same."""
    problems: tuple[Problem, ...]
    assets: tuple[Path, ...]
    asset_key: str = ""
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Printed:
    """The PDF stage's result: the production PDF and its pages as images."""

    key: str
    pdf: bytes | None
    pages: tuple[PageImage, ...]
    problems: tuple[Problem, ...]
    timings: dict[str, float] = field(default_factory=dict)


def document_assets(document: layout.Document, root: Path) -> tuple[Path, ...]:
    """Absolute paths of the fonts and images a document shows (data-driven ones included)."""
    found: dict[Path, None] = {}
    for face in document.fonts:
        found[root / face.src] = None
    for node in walk(document):
        if isinstance(node, layout.Image):
            found[root / node.src] = None
    return tuple(found)


def html_backend() -> Backend:
    from ccmlang.backends.base import load_backends

    return load_backends().get("html")


class Builder:
    """Runs the stages for one template; used by one thread at a time (the build thread)."""

    def __init__(
        self,
        template: Path,
        project_root: Path,
        *,
        locale: str | None = None,
        dpi: int = DEFAULT_DPI,
        html: Backend | None = None,
        pdf: Backend | None = None,
        engine: str | None = None,
        limits: Limits | None = None,
        limit_overrides: Mapping[str, str] | None = None,
    ) -> None:
        self.template = template.absolute()
        self.limits = limits
        """Fixed limits (tests); otherwise :meth:`current_limits` reads the project's."""
        self.limit_overrides = dict(limit_overrides or {})
        """``--limit name=value``, over the project's ``[limits]``."""
        self.engine = engine
        """``--engine``: overrides the project's ``[render] engine`` (``ccm.toml``)."""
        self.root = project_root.absolute()
        self.locale = locale
        self.dpi = dpi
        self._html_backend = html
        self._pdf_backend = pdf
        self._registry: Registry | None = None
        self.calls: Counter[str] = Counter()
        self._files: tuple[Path, ...] = (self.template,)
        self._compiled: LRU[str, Compiled] = LRU()
        self._trees: LRU[str, tuple[layout.Document | None, tuple[Problem, ...]]] = LRU()
        self._html: LRU[str, Rendered] = LRU()
        self._pdfs: LRU[str, tuple[bytes | None, tuple[Problem, ...]]] = LRU()
        self._pages: LRU[str, tuple[tuple[PageImage, ...], tuple[Problem, ...]]] = LRU()
        self._lints: LRU[str, tuple[Problem, ...]] = LRU()

    @property
    def html_backend(self) -> Backend:
        if self._html_backend is None:
            self._html_backend = html_backend()
        return self._html_backend

    @property
    def pdf_backend(self) -> Backend:
        """The engine production uses for this project (:func:`ccmlang.engine.pdf_backend_for`),
        asked on every build: editing ``[render] engine`` in ``ccm.toml`` switches the preview.

        Raises :class:`ccmlang.engine.EngineError` for a bad setting or a missing engine.
        """
        if self._pdf_backend is not None:
            return self._pdf_backend
        from ccmlang.backends.base import load_backends
        from ccmlang.engine import pdf_backend_for

        if self._registry is None:
            self._registry = load_backends()
        return pdf_backend_for(self.root, self.engine, registry=self._registry)

    # ---------------------------------------------------------------- compile

    def compile(self) -> Compiled:
        """Compile the template unless none of the files it read last time has changed."""
        before = files_digest(self._files)
        key = digest("compile", str(self.template), before)
        cached = self._compiled.get(key)
        if cached is not None:
            return dataclasses.replace(cached, seconds=0.0)
        from ccmlang.compiler.compile import check_file

        self.calls["compile"] += 1
        start = time.perf_counter()
        template: Template | None = None
        files: list[Path] = [self.template]
        try:
            result = check_file(self.template, project_root=self.root, lint=False)
            template = result.template
            files.extend(Path(f) for f in result.files if Path(f) != self.template)
            problems = P.from_diagnostics(result.diagnostics, "compile", self.root)
        except Exception as exc:  # a compiler bug must not stop the preview
            problems = P.from_exception(exc, "compile", self.root)
        seconds = time.perf_counter() - start
        after = files_digest(files)
        read_before = dict(before)
        stable = all(read_before.get(path, sha) == sha for path, sha in after)
        new_key = digest("compile", str(self.template), after)
        compiled = Compiled(
            new_key if stable else _one_off(new_key), template, problems, tuple(files), seconds
        )
        if stable and not compiled.errors:  # errors may be about files not read (missing)
            self._compiled.put(new_key, compiled)
        self._files = tuple(files)
        return compiled

    # ---------------------------------------------------------------- data → tree → html

    def load_record(self, template: Template, choice: Choice) -> Any:
        from ccmlang.data import select_record

        if choice.file is None:
            return {}
        return select_record(choice.file, choice.record, schema=template.program.schema)

    def tree(
        self, compiled: Compiled, choice: Choice
    ) -> tuple[str, layout.Document | None, tuple[Problem, ...]]:
        """The layout tree of ``choice`` (data loaded, validated, evaluated)."""
        data_sha = file_digest(choice.file) if choice.file is not None else "none"
        limits = self._limits_key()
        key = digest(
            "tree", compiled.key, str(choice.file), data_sha, choice.record, self.locale, limits
        )
        cached = self._trees.get(key)
        if cached is not None:
            return key, cached[0], cached[1]
        self.calls["render"] += 1
        document, problems = self._evaluate(compiled, choice)
        if choice.file is not None and file_digest(choice.file) != data_sha:
            key = _one_off(key)  # the data moved while we read it
        if document is not None:  # a failure may be about a file that is not there yet
            self._trees.put(key, (document, problems))
        return key, document, problems

    def _evaluate(
        self, compiled: Compiled, choice: Choice
    ) -> tuple[layout.Document | None, tuple[Problem, ...]]:
        from ccmlang.compiler.evaluate import RenderError
        from ccmlang.data import DataError

        template = compiled.template
        if template is None:
            return None, compiled.errors
        try:
            record = self.load_record(template, choice)
        except DataError as exc:
            return None, P.from_data_error(exc, self.root)
        except Exception as exc:
            return None, P.from_exception(exc, "data", self.root)
        try:
            limits = self.current_limits()
        except LimitError as exc:
            return None, P.message_problem("config", str(exc), "render", self.root)
        try:
            return template.render(record, locale=self.locale, limits=limits), ()
        except RenderError as exc:
            codes = {d.code for d in exc.diagnostics}
            if codes != {"E3001"}:
                return None, P.from_diagnostics(exc.diagnostics, "render", self.root)
            hint = Hint(f"the sample data is {self._data_name(choice)}")
            located = [dataclasses.replace(d, hints=(*d.hints, hint)) for d in exc.diagnostics]
            return None, P.from_diagnostics(located, "data", self.root)
        except Exception as exc:
            return None, P.from_exception(exc, "render", self.root)

    def _data_name(self, choice: Choice) -> str:
        if choice.file is None:
            return "an empty record (no data files)"
        try:
            name = choice.file.resolve().relative_to(self.root).as_posix()
        except ValueError:
            name = str(choice.file)
        return (
            name
            if choice.record == 1 and choice.label == choice.file.name
            else (f"{name}, record {choice.record}")
        )

    def render(self, compiled: Compiled, choice: Choice) -> Rendered:
        """The HTML view of ``choice``: everything up to and including the HTML backend."""
        start = time.perf_counter()
        tree_key, document, problems = self.tree(compiled, choice)
        tree_seconds = time.perf_counter() - start
        if document is None:
            return Rendered(tree_key, None, None, "", problems, ())
        assets = document_assets(document, self.root)
        asset_key = digest(files_digest(assets))
        key = digest("html", tree_key, asset_key)
        cached = self._html.get(key)
        if cached is not None:
            return dataclasses.replace(cached, timings={"tree": tree_seconds, "html": 0.0})
        self.calls["html"] += 1
        html_start = time.perf_counter()
        html: bytes | None = None
        try:
            html = self.html_backend.render(document, RenderOptions(source_positions=True))
        except BackendError as exc:
            problems = P.from_backend_error(exc, "html", self.root)
        except Exception as exc:
            problems = P.from_exception(exc, "html", self.root)
        timings = {"tree": tree_seconds, "html": time.perf_counter() - html_start}
        identity = digest(html, asset_key) if html is not None else ""
        rendered = Rendered(key, document, html, identity, problems, assets, asset_key, timings)
        self._html.put(key, rendered)
        return rendered

    # ---------------------------------------------------------------- pdf → pages

    def pdf_key(self, rendered: Rendered, backend: Backend) -> str:
        """Hash of what the PDF depends on: the HTML without source positions, the assets, and
        the engine.

        The PDF backend renders the HTML backend's markup without ``data-src`` attributes, so
        the preview's HTML with those attributes removed stands for its input (attribute values
        are escaped, so the pattern cannot match document text). Moving a construct to another
        line, or editing a comment, therefore makes no new PDF.
        """
        assert rendered.html is not None
        plain = SOURCE_POSITIONS.sub(b"", rendered.html)
        engine = f"{type(backend).__module__}.{type(backend).__qualname__}"
        return digest("pdf", engine, plain, rendered.asset_key, self._limits_key())

    def current_limits(self) -> Limits:
        """The limits of this build: fixed ones, or the project's ``[limits]`` (re-read each
        time, like the engine, so editing ``ccm.toml`` applies at once) and ``--limit``."""
        if self.limits is not None:
            return self.limits
        from ccmlang.engine import configured_limits

        return configured_limits(self.root, self.limit_overrides)

    def _limits_key(self) -> str:
        try:
            return repr(self.current_limits())
        except LimitError as exc:  # reported by the stage that needs the limits
            return f"bad: {exc}"

    def print(self, rendered: Rendered) -> Printed:
        """The production PDF of a rendered choice, and its pages as PNG images."""
        if rendered.document is None or rendered.html is None:
            return Printed("", None, (), rendered.problems)
        from ccmlang.engine import EngineError

        timings: dict[str, float] = {}
        try:
            backend = self.pdf_backend
        except EngineError as exc:
            return Printed("", None, (), P.message_problem("config", str(exc), "pdf", self.root))
        key = self.pdf_key(rendered, backend)
        cached = self._pdfs.get(key)
        if cached is None:
            self.calls["pdf"] += 1
            start = time.perf_counter()
            try:
                options = RenderOptions.from_limits(self.current_limits())
                cached = backend.render(rendered.document, options), ()
            except BackendError as exc:
                cached = None, P.from_backend_error(exc, "pdf", self.root)
            except Exception as exc:
                cached = None, P.from_exception(exc, "pdf", self.root)
            timings["pdf"] = time.perf_counter() - start
            if digest(files_digest(rendered.assets)) == rendered.asset_key:
                self._pdfs.put(key, cached)
        else:
            timings["pdf"] = 0.0  # unchanged: the page says so
        pdf, problems = cached
        if pdf is None:
            return Printed(key, None, (), problems, timings)
        pages_key = hashlib.sha256(pdf).hexdigest()
        images = self._pages.get(pages_key)
        if images is None:
            self.calls["pages"] += 1
            start = time.perf_counter()
            try:
                images = render_pages(pdf, self.dpi), ()
            except Exception as exc:  # pypdfium2 missing or a PDF it cannot read
                images = (), P.message_problem("E3008", str(exc), "pages", self.root)
            timings["pages"] = time.perf_counter() - start
            self._pages.put(pages_key, images)
        return Printed(pages_key, pdf, images[0], images[1], timings)

    # ---------------------------------------------------------------- lint

    def lint(self, compiled: Compiled) -> tuple[Problem, ...]:
        """Lint warnings of the sources (after the PDF: they are advice, not the render)."""
        if compiled.template is None:
            return ()
        cached = self._lints.get(compiled.key)
        if cached is not None:
            return cached
        from ccmlang.compiler.compile import check_file
        from ccmlang.config import ConfigError, find_config, load_config

        self.calls["lint"] += 1
        try:
            found = find_config(self.template)
            config = load_config(found).lint if found is not None else None
            result = check_file(
                self.template, project_root=self.root, lint=True, lint_config=config
            )
            warnings = tuple(
                p
                for p in P.from_diagnostics(result.diagnostics, "lint", self.root)
                if not p.is_error
            )
        except ConfigError as exc:
            warnings = P.message_problem("E9000", str(exc), "lint", self.root)
        except Exception as exc:
            warnings = P.from_exception(exc, "lint", self.root)
        self._lints.put(compiled.key, warnings)
        return warnings
