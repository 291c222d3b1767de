"""Running Apache FOP on our XSL-FO (spec/backends-fo.md, "Running FOP").

The ``fo`` backend writes XSL-FO; FOP is the reference client that turns it into PDF. Two things
make FOP's PDF match the WeasyPrint one, and both are here:

* :func:`fop_config`, a FOP configuration for one document: its base URI is the template project
  (relative image paths in the FO resolve there), ``source-resolution`` is 96 dpi as in CSS, and
  every :class:`~ccmlang.layout.FontFace` is registered with a triplet for *each* weight and style
  (the nearest face), so FOP never substitutes a font, never logs a substitution warning and
  never falls back to an unembedded base-14 font. The generic families (``sans-serif``…) map to
  the document's base family for the same reason: SVG graphics name ``sans-serif``.
* :func:`run_fop`, one JVM per document, with stderr classified into errors and warnings so
  callers (the tests, ``ccm doctor``) can insist on a clean run.

FOP kerns Latin text only from a font's legacy ``kern`` table; :func:`run_fop` hands it copies of
fonts that kern through OpenType ``GPOS`` only, with the same pairs in a ``kern`` table
(:mod:`ccmlang.backends.fo_kern`), so that both engines measure text alike.

FOP reads only what the configuration and the FO name: font files checked by the asset fetcher
and raster images under the project root (SVG is inlined by the backend after safe parsing).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ccmlang import layout
from ccmlang.backends import fo_props
from ccmlang.backends.base import BackendError
from ccmlang.backends.fetch import SafeFetcher, make_fetcher
from ccmlang.backends.fo_kern import with_kern_table

FOP_COMMAND = "fop"
DEFAULT_TIMEOUT = 300.0
WEIGHTS = tuple(range(100, 1000, 100))
STYLES = ("normal", "italic", "oblique")

# FOP logs through commons-logging SimpleLog ("[WARN] ...") or java.util.logging ("SEVERE: ...").
# The Debian wrapper script prints "[warning] /usr/bin/fop: Unable to locate ..." about optional
# jars before the JVM starts: not FOP's, and not about the document.
_ERROR = re.compile(r"^(?:\[(?:ERROR|SEVERE|FATAL)\]|\[Fatal Error\]|(?:SEVERE|ERROR):)")
_WARNING = re.compile(r"^(?:\[(?:WARN|WARNING)\]|WARNING:)")
_WRAPPER = re.compile(r"^\[warning\] \S*fop: ")


@dataclass(frozen=True, slots=True)
class FopResult:
    pdf: bytes
    returncode: int
    errors: tuple[str, ...]
    warnings: tuple[str, ...]
    log: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.errors and bool(self.pdf)


def fop_available(command: str = FOP_COMMAND) -> bool:
    return shutil.which(command) is not None


def _weight(text: str) -> int:
    text = text.strip().lower()
    return {"normal": 400, "bold": 700}.get(text) or int(text)


def _style(text: str) -> str:
    return "italic" if text.strip().lower() in ("italic", "oblique") else "normal"


def _nearest(faces: Sequence[layout.FontFace], style: str, weight: int) -> layout.FontFace:
    """CSS Fonts §5.2 in brief: same style first, then the nearest weight (heavier on a tie
    above 400, lighter below), then the other style."""

    def rank(face: layout.FontFace) -> tuple[int, int, int]:
        w = _weight(face.weight)
        style_miss = 0 if _style(face.style) == _style(style) else 1
        distance = abs(w - weight)
        direction = 0 if (w >= weight) == (weight >= 500) else 1
        return (style_miss, distance, direction)

    return min(faces, key=rank)


def _base_family(document: layout.Document) -> str | None:
    if document.base_style.font_family:
        for name in fo_props.family_names(document.base_style.font_family):
            if any(face.family == name for face in document.fonts):
                return name
    return document.fonts[0].family if document.fonts else None


def font_triplets(
    document: layout.Document,
) -> list[tuple[layout.FontFace, list[tuple[str, str, int]]]]:
    """Each declared face with the (family, style, weight) triplets FOP should map to it."""
    families: dict[str, list[layout.FontFace]] = {}
    for face in document.fonts:
        families.setdefault(face.family, []).append(face)
    base = _base_family(document)
    names: list[tuple[str, str]] = [(family, family) for family in families]
    if base is not None:
        names.extend((generic, base) for generic in sorted(fo_props.GENERIC_FAMILIES))
    mapping: dict[layout.FontFace, list[tuple[str, str, int]]] = {f: [] for f in document.fonts}
    for name, family in names:
        for style in STYLES:
            for weight in WEIGHTS:
                face = _nearest(families[family], style, weight)
                mapping[face].append((name, style, weight))
    return [(face, mapping[face]) for face in document.fonts if mapping[face]]


def fop_config(
    document: layout.Document,
    fetcher: SafeFetcher | None = None,
    font_urls: Mapping[layout.FontFace, str] | None = None,
) -> bytes:
    """The FOP configuration (``fop -c``) for rendering ``document``'s FO.

    ``font_urls`` replaces the font files of some faces (:func:`run_fop` passes copies with a
    ``kern`` table); the others are the project's files.
    """
    fetcher = fetcher or make_fetcher(document.project_root or None)
    font_urls = font_urls or {}
    root = etree.Element("fop", version="1.0")
    if fetcher.root:
        base = Path(fetcher.root).as_uri() + "/"
        etree.SubElement(root, "base").text = base
        etree.SubElement(root, "font-base").text = base
    etree.SubElement(root, "source-resolution").text = "96"
    etree.SubElement(root, "strict-configuration").text = "true"
    etree.SubElement(root, "strict-validation").text = "true"
    renderers = etree.SubElement(root, "renderers")
    renderer = etree.SubElement(renderers, "renderer", mime="application/pdf")
    fonts = etree.SubElement(renderer, "fonts")
    for face, triplets in font_triplets(document):
        url = font_urls.get(face) or fetcher.resolve(face.src).as_uri()
        font = etree.SubElement(fonts, "font", kerning="yes", attrib={"embed-url": url})
        for name, style, weight in triplets:
            etree.SubElement(font, "font-triplet", name=name, style=style, weight=str(weight))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


_KERNED: dict[str, bytes | None] = {}


def kerned_fonts(
    document: layout.Document, fetcher: SafeFetcher, folder: Path
) -> dict[layout.FontFace, str]:
    """Copies of the document's fonts with a legacy ``kern`` table, for FOP (which kerns Latin
    text from that table only); faces that need none are left out. Cached by content."""
    urls: dict[layout.FontFace, str] = {}
    for face in document.fonts:
        data = fetcher.resolve(face.src).read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest not in _KERNED:
            _KERNED[digest] = with_kern_table(data)
        kerned = _KERNED[digest]
        if kerned is None:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{digest[:16]}.ttf"
        target.write_bytes(kerned)
        urls[face] = target.as_uri()
    return urls


def classify(log: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(errors, warnings)``: FOP's log lines at those levels (wrapper noise excluded)."""
    errors: list[str] = []
    warnings: list[str] = []
    for line in log.splitlines():
        if _WRAPPER.match(line):
            continue
        if _ERROR.match(line):
            errors.append(line)
        elif _WARNING.match(line):
            warnings.append(line)
    return tuple(errors), tuple(warnings)


def run_fop(
    fo: bytes,
    document: layout.Document,
    *,
    command: str = FOP_COMMAND,
    timeout: float = DEFAULT_TIMEOUT,
    workdir: str | os.PathLike[str] | None = None,
    keep: bool = False,
    kern: bool = True,
) -> FopResult:
    """Render ``fo`` (the ``fo`` backend's output for ``document``) to PDF with Apache FOP.

    One JVM per call. ``workdir`` keeps ``document.fo``, ``fop.xconf`` and ``document.pdf``
    there (for inspection); otherwise a temporary directory is used and removed. ``kern``
    gives FOP copies of fonts that kern with OpenType only (:mod:`~ccmlang.backends.fo_kern`).
    """
    executable = shutil.which(command)
    if executable is None:
        raise BackendError(f"Apache FOP ({command!r}) is not installed", code="E3008")
    context = tempfile.TemporaryDirectory(prefix="ccm-fop-") if workdir is None else None
    directory = Path(context.name if context is not None else os.fspath(workdir))  # type: ignore[arg-type]
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fo_path, config_path, pdf_path = (
            directory / "document.fo",
            directory / "fop.xconf",
            directory / "document.pdf",
        )
        fo_path.write_bytes(fo)
        fetcher = make_fetcher(document.project_root or None)
        font_urls = kerned_fonts(document, fetcher, directory / "fonts") if kern else {}
        config_path.write_bytes(fop_config(document, fetcher, font_urls))
        pdf_path.unlink(missing_ok=True)
        env = dict(os.environ)
        env.setdefault("JAVA_ARGS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        try:
            completed = subprocess.run(
                [executable, "-c", str(config_path), "-fo", str(fo_path), "-pdf", str(pdf_path)],
                capture_output=True,
                timeout=timeout,
                env=env,
                cwd=directory,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise BackendError(f"Apache FOP took longer than {timeout:g} s", code="E3006") from None
        log = (completed.stdout + completed.stderr).decode("utf-8", "replace")
        errors, warnings = classify(log)
        pdf = pdf_path.read_bytes() if pdf_path.exists() else b""
        return FopResult(pdf, completed.returncode, errors, warnings, log)
    finally:
        if context is not None and not keep:
            context.cleanup()
