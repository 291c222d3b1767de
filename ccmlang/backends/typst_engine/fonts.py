"""The project's fonts, and only those, as a Typst font book (spec/typst.md, "Fonts").

Typst scans font *directories*, so each distinct font set gets a private temporary directory
holding copies of exactly the declared ``FontFace`` files: never the machine's fonts, never
undeclared files lying next to the declared ones, and a copy cannot be swapped for a symlink
after the check. Files are read through :class:`SafeFetcher`, so a font outside the project is
refused (``E3007``) like any other asset.

The CSS family a template declares (``font "Brand Sans" { regular: "fonts/x.ttf" }``) may differ
from the family name inside the file; :class:`~ccmlang.backends.typst_engine.lower.FontMap`
maps one to the other, since Typst selects fonts by the name inside the file.

A document that declares no fonts gets Typst's own embedded fonts (Libertinus Serif, New
Computer Modern, DejaVu Sans Mono): they ship inside the compiler, so the output still does not
depend on the machine.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typst

from ccmlang import layout
from ccmlang.backends.base import BackendError
from ccmlang.backends.fetch import SafeFetcher
from ccmlang.backends.typst_engine.lower import FontMap

EMBEDDED_DEFAULT = ("Libertinus Serif",)
FONT_SET_CACHE_SIZE = 16

_lock = threading.Lock()
_cache: OrderedDict[tuple[Any, ...], FontSet] = OrderedDict()


@dataclass(frozen=True, slots=True)
class FontSet:
    key: tuple[Any, ...]
    fonts: typst.Fonts
    map: FontMap
    directory: str | None
    """The private directory Typst reads the fonts from (``None``: embedded fonts only)."""


def _stamp(fetcher: SafeFetcher, face: layout.FontFace) -> tuple[Any, ...]:
    try:
        path = fetcher.resolve(face.src)
        info = path.stat()
    except BackendError as exc:
        raise BackendError(f"font {face.family!r}: {exc.message}", code=exc.code) from None
    except OSError:
        raise BackendError(
            f"font {face.family!r}: {face.src!r} does not exist in the template project",
            code="E1016",
            asset=face.src,
        ) from None
    return (face, str(path), info.st_size, info.st_mtime_ns)


def font_set(document: layout.Document, fetcher: SafeFetcher) -> FontSet:
    """The font book for a document's declared fonts, built once per font set and process."""
    stamps = tuple(_stamp(fetcher, face) for face in document.fonts)
    key = (fetcher.root, stamps)
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return cached
    result = _build(document, fetcher, key)
    with _lock:
        _cache[key] = result
        _cache.move_to_end(key)
        while len(_cache) > FONT_SET_CACHE_SIZE:
            # The directory stays until exit: a cached compiler may still load a face from it
            # (Typst reads font files lazily).
            _cache.popitem(last=False)
    return result


def _build(document: layout.Document, fetcher: SafeFetcher, key: tuple[Any, ...]) -> FontSet:
    if not document.fonts:
        fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True)
        return FontSet(key, fonts, FontMap({}, EMBEDDED_DEFAULT), None)
    directory = tempfile.mkdtemp(prefix="ccm-typst-fonts-")
    _created.append((os.getpid(), directory))
    copies: dict[str, layout.FontFace] = {}
    for number, face in enumerate(document.fonts):
        try:
            asset = fetcher.load(_quote(face.src))
        except BackendError as exc:
            raise BackendError(
                f"font {face.family!r}: {exc.message}", code=exc.code, asset=exc.asset
            ) from None
        if not asset.media_type.startswith("font/"):
            raise BackendError(
                f"font {face.family!r}: {face.src!r} is not a font file ({asset.media_type})",
                code="E3007",
                asset=face.src,
            )
        name = f"{number:03d}{Path(face.src).suffix.lower()}"
        Path(directory, name).write_bytes(asset.data)
        copies[name] = face
    fonts = typst.Fonts(
        include_system_fonts=False, include_embedded_fonts=False, font_paths=[directory]
    )
    found: dict[str, str] = {}
    for info in fonts.fonts():
        found.setdefault(os.path.basename(info.path or ""), info.family)
    families: dict[str, str] = {}
    for name, face in copies.items():
        family = found.get(name)
        if family is None:
            raise BackendError(
                f"font {face.family!r}: Typst cannot read {face.src!r} as a font",
                code="E3007",
                asset=face.src,
            )
        families.setdefault(face.family.strip(), family)
    default = (families[document.fonts[0].family.strip()],)
    return FontSet(key, fonts, FontMap(families, default), directory)


def _quote(src: str) -> str:
    from urllib.parse import quote

    return quote(src, safe="/")


_created: list[tuple[int, str]] = []


@atexit.register
def _cleanup() -> None:  # pragma: no cover - runs at interpreter exit
    # Only this process's directories: a forked worker inherits the list, not the ownership.
    for pid, directory in _created:
        if pid == os.getpid():
            shutil.rmtree(directory, ignore_errors=True)
