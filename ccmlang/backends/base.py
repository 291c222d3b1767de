"""The backend protocol, render options, node dispatch and the registry (spec/backends.md).

A backend turns a :class:`ccmlang.layout.Document` into bytes. It never sees the AST or the data
(ARCHITECTURE.md, "The layout tree is the contract"). Backends are found through the entry-point
group ``ccmlang.backends``; the built-in ones register through the very same entry points as third
parties (spec/backends.md, "Registry"), so nothing here knows their names.

A backend written as "a class with one method per layout node" (markdown-it's renderer) subclasses
:class:`NodeVisitor`: ``visit(node)`` dispatches to ``visit_Paragraph``, ``visit_Table`` and so on,
so a third party can subclass a built-in renderer and override a single node.
"""

from __future__ import annotations

import importlib.metadata
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar, runtime_checkable

from ccmlang import layout

if TYPE_CHECKING:
    from ccmlang.compiler.limits import Limits

ENTRY_POINT_GROUP = "ccmlang.backends"

SAFE_LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_URL_INVISIBLE = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))

PDF_VARIANTS = frozenset({"pdf/a-2b", "pdf/a-3b", "pdf/a-3u", "pdf/ua-1"})
"""The PDF variants a caller may ask for (spec/backends.md, "PDF")."""


class BackendError(Exception):
    """A backend refused or failed to render (spec/backends.md, "Errors").

    ``code`` is an ``E3xxx`` code from :mod:`ccmlang.compiler.codes` (``E3007`` refused asset,
    ``E3009`` image too large, ``E3010`` unsafe XML, ``E3005`` output too large, ``E3008`` a value
    that cannot be rendered). ``origin`` names the template line that produced the failing node, so
    the message points at the source like every other diagnostic.
    """

    def __init__(
        self, message: str, *, code: str, origin: layout.Origin | None = None, asset: str = ""
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.origin = origin
        self.asset = asset

    def with_origin(self, origin: layout.Origin | None) -> BackendError:
        """The same error, located at ``origin`` (keeps an origin it already has)."""
        if self.origin is not None or origin is None:
            return self
        return BackendError(self.message, code=self.code, origin=origin, asset=self.asset)

    def __str__(self) -> str:
        where = ""
        if self.origin is not None:
            o = self.origin
            where = f"{o.file}:{o.line}:{o.column}: "
        return f"{where}{self.code}: {self.message}"


class UnknownBackendError(LookupError):
    """No usable backend has this name (unknown, or its plugin failed to load)."""


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file embedded in the output (PDF ``/EmbeddedFiles``): always bytes, never a URL.

    Taking bytes only is a safety rule (spec/backends.md, "Fetcher"): an attachment can never make
    a backend read a file or the network.
    """

    name: str
    data: bytes
    media_type: str = "application/octet-stream"
    description: str = ""
    relationship: str = "Unspecified"
    """PDF/A-3 ``AFRelationship``: ``Data``, ``Source``, ``Alternative``, ``Supplement``…"""

    def __post_init__(self) -> None:
        if not isinstance(self.data, bytes | bytearray | memoryview):
            raise TypeError(
                f"attachment {self.name!r}: data must be bytes, not {type(self.data).__name__} "
                "(attachments are never fetched from a path or URL)"
            )


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """Per-call options. Every backend accepts all of them and ignores what does not apply."""

    pdf_variant: str | None = None
    """``"pdf/a-3b"`` (archive) or ``"pdf/ua-1"`` (accessible, tagged); see :data:`PDF_VARIANTS`."""
    tagged: bool = False
    """Tagged PDF (structure tree) without claiming PDF/UA."""
    attachments: tuple[Attachment, ...] = ()
    data_json: bytes | None = None
    """The input record as JSON; attached as ``data.json`` (AFRelationship ``Data``) to PDF/A-3."""
    timestamp: datetime | None = None
    """Creation/modification date written to the output. ``None`` writes no date: output bytes
    never depend on the clock (spec/backends.md, "Determinism")."""
    inline_assets: bool = False
    """HTML: embed images and fonts as ``data:`` URIs so the file stands alone."""
    source_positions: bool = True
    """HTML: ``data-src="file:line:col"`` on elements, for click-to-source in the preview."""
    extra: Mapping[str, str] = field(default_factory=dict)
    """Backend-specific settings from the command line (``--option key=value``)."""
    max_pages: int | None = None
    """Paginating backends refuse more pages than this (``E3004``; ``Limits.max_pages``)."""
    max_output_bytes: int | None = None
    """Every backend refuses to return more bytes than this (``E3005``); ``None``: its default."""
    max_image_pixels: int | None = None
    """Raster images with more pixels are refused (``E3009``); ``None``: the backend's own."""

    @classmethod
    def from_limits(cls, limits: Limits, **fields: Any) -> RenderOptions:
        """Options that enforce a template's :class:`~ccmlang.compiler.limits.Limits`."""
        return cls(
            max_pages=limits.max_pages,
            max_output_bytes=limits.max_output_bytes,
            max_image_pixels=limits.max_image_pixels,
            **fields,
        )

    def output_limit(self, default: int) -> int:
        return default if self.max_output_bytes is None else min(default, self.max_output_bytes)

    def utc_timestamp(self) -> datetime | None:
        """The timestamp in UTC; a naive one is taken as UTC (never the host's time zone)."""
        if self.timestamp is None:
            return None
        if self.timestamp.tzinfo is None:
            return self.timestamp.replace(tzinfo=UTC)
        return self.timestamp.astimezone(UTC)

    def __post_init__(self) -> None:
        if self.pdf_variant is not None and self.pdf_variant not in PDF_VARIANTS:
            known = ", ".join(sorted(PDF_VARIANTS))
            raise ValueError(f"unknown PDF variant {self.pdf_variant!r} (known: {known})")


def enforce_output_limit(data: bytes, options: RenderOptions, default: int, what: str) -> bytes:
    """Refuse output larger than the backend's own limit or the template's (``E3005``)."""
    limit = options.output_limit(default)
    if len(data) > limit:
        raise BackendError(
            f"{what} output is {len(data):,} bytes, more than the limit of {limit:,}", code="E3005"
        )
    return data


def enforce_page_limit(pages: int, options: RenderOptions) -> None:
    """Refuse a laid-out document with more pages than the template allows (``E3004``)."""
    if options.max_pages is not None and pages > options.max_pages:
        raise BackendError(
            f"the document has {pages} pages, more than the limit of {options.max_pages}",
            code="E3004",
        )


@runtime_checkable
class Backend(Protocol):
    """What the registry hands out (spec/backends.md, "Protocol")."""

    name: str
    media_type: str
    extension: str

    def render(self, document: layout.Document, options: RenderOptions) -> bytes: ...


@runtime_checkable
class SupportsPrepare(Protocol):
    """Optional: warm per-template caches (parsed stylesheet, fonts) before rendering records.

    Caches are keyed by content hash, so ``prepare`` is only an optimisation: ``render`` works
    without it and gives the same bytes.
    """

    def prepare(self, document: layout.Document) -> None: ...


def safe_link(href: str) -> str | None:
    """``href`` if its scheme is http, https, mailto or tel, else ``None`` (spec: "Links").

    Browsers drop tabs and newlines inside URLs and strip leading control characters, so
    ``"java\\tscript:"`` is ``javascript:`` to them: normalise the same way before checking.
    Relative links are refused too: in a PDF they would point at the renderer's file system.
    """
    cleaned = _URL_INVISIBLE.sub("", href).strip(_C0_AND_SPACE)
    match = _SCHEME.match(cleaned)
    if match and match[1].lower() in SAFE_LINK_SCHEMES:
        return cleaned
    return None


# ---------------------------------------------------------------- node dispatch

R = TypeVar("R")


class NodeVisitor(Generic[R]):
    """Dispatch on the node's class name: ``visit(Paragraph(...))`` calls ``visit_Paragraph``.

    Lookups are cached per (visitor class, node class); a missing method falls back to
    :meth:`generic_visit`, which refuses the node with ``E3008``.
    """

    _dispatch_cache: ClassVar[dict[tuple[type, type], Callable[..., Any] | None]] = {}

    def visit(self, node: Any) -> R:
        key = (type(self), type(node))
        try:
            method = NodeVisitor._dispatch_cache[key]
        except KeyError:
            method = getattr(type(self), "visit_" + type(node).__name__, None)
            NodeVisitor._dispatch_cache[key] = method
        if method is None:
            return self.generic_visit(node)
        result: R = method(self, node)
        return result

    def generic_visit(self, node: Any) -> R:
        raise BackendError(
            f"{type(self).__name__} cannot render a {type(node).__name__} node",
            code="E3008",
            origin=getattr(node, "origin", None),
        )


def _document_children(node: layout.Document) -> tuple[Any, ...]:
    masters = (node.rest,) if node.first is None else (node.first, node.rest)
    return (*masters, *node.body)


_CHILDREN: dict[type, Callable[[Any], tuple[Any, ...]]] = {
    layout.Document: _document_children,
    layout.PageMaster: lambda n: (*n.header, *n.footer),
    layout.Paragraph: lambda n: n.children,
    layout.Heading: lambda n: n.children,
    layout.Span: lambda n: n.children,
    layout.Link: lambda n: n.children,
    layout.List: lambda n: n.items,
    layout.ListItem: lambda n: n.blocks,
    layout.Cell: lambda n: n.blocks,
    layout.Box: lambda n: n.blocks,
    layout.Editable: lambda n: n.blocks,
    layout.Table: lambda n: (*n.header, *n.body, *n.footer, *(n.empty or ())),
    layout.Row: lambda n: n.cells,
    layout.Columns: lambda n: tuple(block for column in n.columns for block in column),
}


def children(node: Any) -> tuple[Any, ...]:
    """The direct child nodes of any layout node, in document order (leaves have none)."""
    get = _CHILDREN.get(type(node))
    return get(node) if get is not None else ()


def walk(node: Any) -> Iterator[Any]:
    """Every node under ``node`` (included), depth first, in document order."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        kids = children(current)
        if kids:
            stack.extend(reversed(kids))


# ---------------------------------------------------------------- registry


class EntryPointLike(Protocol):
    """The part of :class:`importlib.metadata.EntryPoint` the registry uses (tests fake it)."""

    @property
    def name(self) -> str: ...

    @property
    def value(self) -> str: ...

    def load(self) -> Any: ...


def _is_backend(obj: Any) -> bool:
    return all(hasattr(obj, a) for a in ("name", "media_type", "extension")) and callable(
        getattr(obj, "render", None)
    )


class Registry:
    """Backends by name, loaded lazily from entry points (Sphinx's registry, spec/backends.md).

    * ``names()`` lists declared names without importing anything.
    * ``get(name)`` imports the plugin on first use and returns one shared instance.
    * A plugin that fails to import, or that is not a backend, is recorded in :attr:`broken` with
      the error message; it never stops the others from working.
    * Two different objects under one name are rejected (both recorded as broken); the same
      object registered twice (an editable install listed twice) is fine.
    """

    def __init__(self, entry_points: Iterable[EntryPointLike] = ()) -> None:
        self._pending: dict[str, list[EntryPointLike]] = {}
        self._loaded: dict[str, Backend] = {}
        self._broken: dict[str, str] = {}
        for ep in entry_points:
            self._pending.setdefault(ep.name, []).append(ep)

    def names(self) -> list[str]:
        """Declared backend names, sorted (broken ones included until they are tried)."""
        return sorted(set(self._pending) | set(self._loaded) | set(self._broken))

    def register(self, name: str, backend: Any) -> None:
        """Add a backend by hand (tests, embedding). Rejects a different object under a used name."""
        current = self._loaded.get(name)
        if current is not None and current is not backend:
            raise ValueError(f"a different backend is already registered as {name!r}")
        if name in self._pending:
            existing = self._load(name)
            if existing is not None and existing is not backend:
                raise ValueError(f"a different backend is already registered as {name!r}")
        if not _is_backend(backend):
            raise TypeError(f"{backend!r} does not implement the Backend protocol")
        self._broken.pop(name, None)
        self._loaded[name] = backend

    def get(self, name: str) -> Backend:
        backend = self._load(name)
        if backend is not None:
            return backend
        if name in self._broken:
            raise UnknownBackendError(f"backend {name!r} is broken: {self._broken[name]}")
        known = ", ".join(n for n in self.names() if n not in self._broken) or "none"
        raise UnknownBackendError(f"no backend named {name!r} (available: {known})")

    @property
    def broken(self) -> dict[str, str]:
        """Backends that could not be loaded, with the reason. Tries every pending plugin."""
        for name in list(self._pending):
            self._load(name)
        return dict(sorted(self._broken.items()))

    def available(self) -> dict[str, Backend]:
        """Every backend that loads, by name."""
        _ = self.broken  # loads everything pending
        return dict(sorted(self._loaded.items()))

    def _load(self, name: str) -> Backend | None:
        if name in self._loaded:
            return self._loaded[name]
        eps = self._pending.pop(name, None)
        if eps is None:
            return None
        objects: list[tuple[str, Any]] = []
        for ep in eps:
            try:
                obj = ep.load()
            except Exception as exc:  # a broken plugin must never break the others
                self._broken[name] = f"cannot load {ep.value}: {type(exc).__name__}: {exc}"
                return None
            objects.append((ep.value, obj))
        first_value, first = objects[0]
        for value, obj in objects[1:]:
            if obj is not first:
                self._broken[name] = (
                    f"duplicate backend name {name!r}: {first_value} and {value} are different"
                )
                return None
        try:
            instance = first() if isinstance(first, type) else first
        except Exception as exc:
            self._broken[name] = f"cannot create {first_value}: {type(exc).__name__}: {exc}"
            return None
        if not _is_backend(instance):
            self._broken[name] = f"{first_value} does not implement the Backend protocol"
            return None
        self._loaded[name] = instance
        return instance


def load_backends(entry_points: Iterable[EntryPointLike] | None = None) -> Registry:
    """The registry of every backend declared in the ``ccmlang.backends`` entry-point group."""
    if entry_points is None:
        entry_points = importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    return Registry(entry_points)
