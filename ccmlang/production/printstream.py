"""Print streams: every record's PDF in one print-ready file (spec/production.md, "Print streams").

Documents are appended page for page, not re-rendered, so each recipient's document keeps its
own "Page X of Y" and its bytes stay exactly what the archive holds. On top of that:

* **Householding**: documents whose ``--group-by`` key is equal share one envelope (a mail
  piece); ``--sort-by`` orders documents (and so envelopes) before grouping.
* **Duplex**: each document is padded with blank pages to an even count, so no document starts
  on the back of another's sheet.
* **OMR marks**: on the front of every sheet, short horizontal bars in the left margin tell the
  envelope inserter where a mail piece starts and ends, with a 3-bit sheet sequence and a parity
  mark to catch missing or doubled sheets. They are drawn as PDF rectangles in a small content
  stream; one overlay page per pattern is cached (there are only 32 patterns).
* **DataMatrix mail-piece id** on the first page of each document, drawn module by module as
  rectangles from :func:`ccmlang.graphics.datamatrix.symbol_matrix`.
* An **index** (CSV or JSON) maps each record to its envelope, first page, pages and sheets.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, IndirectObject, NameObject

from ccmlang.graphics.datamatrix import symbol_matrix

MM = 72 / 25.4
"""PDF points per millimetre."""


@dataclass(frozen=True, slots=True)
class OmrLayout:
    """Where the marks go, in millimetres from the sheet's top-left corner (spec: "OMR marks").

    Defaults follow common inserter set-ups: 1/6 inch track pitch, 10 mm by 0.5 mm bars
    starting 5 mm from the left edge, first track 90 mm from the top (below a window-envelope
    address block, clear of a 20 mm page margin).
    """

    left: float = 5.0
    top: float = 90.0
    pitch: float = 25.4 / 6
    length: float = 10.0
    thickness: float = 0.5


TRACKS = ("benchmark", "start", "end", "sequence-1", "sequence-2", "sequence-4", "parity")
"""Track order from the top: the bars an OMR reader expects, one per line position."""


@dataclass(frozen=True, slots=True)
class DataMatrixLayout:
    """Placement of the mail-piece id on a document's first page (millimetres)."""

    left: float = 4.0
    top: float = 130.0
    module: float = 0.42
    """Module size: 0.42 mm reads reliably on office laser printers and inserter cameras."""
    quiet: int = 2
    """Quiet zone in modules, drawn white so page content never touches the symbol."""


@dataclass(frozen=True, slots=True)
class PrintOptions:
    output: Path
    duplex: bool = False
    omr: bool = False
    datamatrix: bool = False
    sort_by: str | None = None
    """An expression over the record (``customer.address.postcode``); text order."""
    group_by: str | None = None
    """An expression over the record; equal values share an envelope (householding)."""
    max_sheets: int | None = None
    """Most sheets an envelope may hold; a larger household is split into several envelopes."""
    index: Path | None = None
    """The index file; ``.json`` writes JSON, anything else CSV."""
    job_id: str = "CCM"
    """First part of every mail-piece id: tells one print run from another in the mail room."""
    omr_layout: OmrLayout = field(default_factory=OmrLayout)
    datamatrix_layout: DataMatrixLayout = field(default_factory=DataMatrixLayout)


@dataclass(frozen=True, slots=True)
class PrintItem:
    """One produced record, as the batch engine hands it over (in record order)."""

    record: int
    key: str
    path: Path
    sort_key: str = ""
    group_key: str = ""


@dataclass(frozen=True, slots=True)
class IndexRow:
    """One document in the print stream. Field order is the CSV column order."""

    record: int
    key: str
    envelope: int
    position: int
    """1-based place of the document in its envelope."""
    documents: int
    """Documents in the envelope."""
    first_page: int
    """1-based page of the print stream where the document starts."""
    pages: int
    """The document's own pages."""
    blank_pages: int
    """Pages added for duplex."""
    sheets: int
    first_sheet: int
    """1-based sheet of the print stream where the document starts."""
    envelope_sheets: int
    mail_piece_id: str


INDEX_COLUMNS = tuple(f.name for f in fields(IndexRow))


@dataclass(frozen=True, slots=True)
class PrintResult:
    path: Path
    documents: int
    envelopes: int
    pages: int
    sheets: int
    rows: tuple[IndexRow, ...]


# ---------------------------------------------------------------- ordering and householding


def normalise_group(key: str) -> str:
    """Householding compares addresses without case or spacing differences."""
    return " ".join(key.split()).casefold()


def households(items: Iterable[PrintItem], *, sort: bool, group: bool) -> list[list[PrintItem]]:
    """Documents in envelope groups: sorted by sort key (stable), then grouped by group key.

    A group sits where its first member sorts; members keep sorted order inside it. An empty
    group key never joins others (a record without an address is its own mail piece).
    """
    ordered = sorted(items, key=lambda i: (i.sort_key, i.record)) if sort else list(items)
    if not group:
        return [[item] for item in ordered]
    groups: dict[str, list[PrintItem]] = {}
    for item in ordered:
        key = normalise_group(item.group_key)
        groups.setdefault(key or f"\x00{item.record}", []).append(item)
    return list(groups.values())


# ---------------------------------------------------------------- marks


def omr_pattern(*, start: bool, end: bool, sequence: int) -> tuple[bool, ...]:
    """Which tracks carry a bar: benchmark always; parity makes the count of bars even."""
    bits = [True, start, end, bool(sequence & 1), bool(sequence & 2), bool(sequence & 4)]
    bits.append(sum(bits) % 2 == 1)
    return tuple(bits)


def _num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text or "0"


def omr_stream(pattern: Sequence[bool], height: float, layout: OmrLayout) -> bytes:
    """PDF operators drawing the bars of ``pattern`` on a page ``height`` points tall."""
    ops = ["0 0 0 rg"]
    for track, on in enumerate(pattern):
        if not on:
            continue
        centre = (layout.top + track * layout.pitch) * MM
        y = height - centre - layout.thickness * MM / 2
        ops.append(
            f"{_num(layout.left * MM)} {_num(y)} {_num(layout.length * MM)} "
            f"{_num(layout.thickness * MM)} re"
        )
    ops.append("f")
    return "\n".join(ops).encode("ascii")


def datamatrix_stream(data: str, height: float, layout: DataMatrixLayout) -> bytes:
    """PDF operators drawing a Data Matrix of ``data``: white quiet zone, then dark modules.

    Dark modules are merged into horizontal runs, one rectangle per run.
    """
    matrix = symbol_matrix(data)
    size = len(matrix) + 2 * layout.quiet
    m = layout.module * MM
    x0 = layout.left * MM
    top = height - layout.top * MM
    ops = ["1 1 1 rg", f"{_num(x0)} {_num(top - size * m)} {_num(size * m)} {_num(size * m)} re f"]
    ops.append("0 0 0 rg")
    for row_index, row in enumerate(matrix):
        y = top - (row_index + layout.quiet + 1) * m
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            ops.append(
                f"{_num(x0 + (start + layout.quiet) * m)} {_num(y)} {_num((x - start) * m)} {_num(m)} re"
            )
    ops.append("f")
    return "\n".join(ops).encode("ascii")


def mail_piece_id(job_id: str, envelope: int, position: int, documents: int, record: int) -> str:
    """``JOB|envelope|position/documents|record``: what the DataMatrix on a document says."""
    return f"{job_id}|{envelope:06d}|{position:02d}/{documents:02d}|{record}"


class _Stamper:
    """Draws on pages of a writer by appending content streams, never re-parsing the page.

    The page's own content is wrapped in ``q … Q`` (so whatever graphics state it leaves, our
    marks start clean) and our operators follow. The ``q`` stream and each OMR pattern are one
    shared PDF object for the whole print stream; only DataMatrix streams are per document.
    (pypdf's public ``merge_page`` would parse and rewrite every page's content, which is most of
    the cost of a print stream; ``_add_object`` is the writer's own way to add a stream object,
    unchanged since PyPDF2.)
    """

    def __init__(self, writer: PdfWriter) -> None:
        self.writer = writer
        self._shared: dict[bytes, IndirectObject] = {}
        self._save = self.unique(b"q\n")

    def unique(self, data: bytes) -> IndirectObject:
        stream = DecodedStreamObject()
        stream.set_data(data)
        return self.writer._add_object(stream.flate_encode() if len(data) > 256 else stream)

    def shared(self, data: bytes) -> IndirectObject:
        found = self._shared.get(data)
        if found is None:
            found = self._shared[data] = self.unique(data)
        return found

    def stamp(self, page: PageObject, streams: Sequence[IndirectObject]) -> None:
        contents = page.raw_get("/Contents") if "/Contents" in page else None
        own: list[Any] = []
        if contents is not None:
            resolved = contents.get_object()
            if isinstance(resolved, ArrayObject):
                own = list(resolved)
            elif isinstance(contents, IndirectObject):
                own = [contents]
            else:  # a direct stream object: not allowed by the PDF spec, but be kind
                own = [self.writer._add_object(resolved)]
        restore = [self.shared(b"\nQ\n")]
        box = page.mediabox
        if box.left or box.bottom:  # draw in coordinates from the page's own corner
            restore.append(
                self.shared(f"1 0 0 1 {_num(box.left)} {_num(box.bottom)} cm\n".encode())
            )
        page[NameObject("/Contents")] = ArrayObject([self._save, *own, *restore, *streams])


# ---------------------------------------------------------------- building


@dataclass(slots=True)
class _Doc:
    item: PrintItem
    first_page: int  # 0-based index in the writer
    pages: int
    blank_pages: int
    first_sheet: int  # 0-based

    @property
    def sheets_pages(self) -> int:
        return self.pages + self.blank_pages


class _Builder:
    def __init__(self, options: PrintOptions) -> None:
        self.options = options
        self.writer = PdfWriter()
        self.stamper = _Stamper(self.writer)
        self.rows: list[IndexRow] = []
        self.sheet = 0  # sheets written so far
        self.envelope = 0

    @property
    def pages_per_sheet(self) -> int:
        return 2 if self.options.duplex else 1

    def add_document(self, item: PrintItem) -> _Doc:
        reader = PdfReader(item.path)
        first = len(self.writer.pages)
        last: PageObject | None = None
        for page in reader.pages:
            last = self.writer.add_page(page)
        pages = len(reader.pages)
        blank = 0
        if self.options.duplex and pages % 2 == 1 and last is not None:
            box = last.mediabox
            self.writer.add_blank_page(float(box.width), float(box.height))
            blank = 1
        doc = _Doc(item, first, pages, blank, self.sheet)
        self.sheet += (pages + blank + self.pages_per_sheet - 1) // self.pages_per_sheet
        return doc

    def close_envelope(self, docs: list[_Doc]) -> None:
        """Number the envelope, stamp its sheets and documents, write its index rows."""
        if not docs:
            return
        self.envelope += 1
        first_sheet = docs[0].first_sheet
        sheets = self.sheet - first_sheet
        pieces: list[str] = []
        for position, doc in enumerate(docs, 1):
            piece = mail_piece_id(
                self.options.job_id, self.envelope, position, len(docs), doc.item.record
            )
            doc_sheets = (doc.sheets_pages + self.pages_per_sheet - 1) // self.pages_per_sheet
            self.rows.append(
                IndexRow(
                    record=doc.item.record,
                    key=doc.item.key,
                    envelope=self.envelope,
                    position=position,
                    documents=len(docs),
                    first_page=doc.first_page + 1,
                    pages=doc.pages,
                    blank_pages=doc.blank_pages,
                    sheets=doc_sheets,
                    first_sheet=doc.first_sheet + 1,
                    envelope_sheets=sheets,
                    mail_piece_id=piece,
                )
            )
            pieces.append(piece)
        stamps: dict[int, list[IndirectObject]] = {}
        if self.options.omr:
            start_page = docs[0].first_page
            for n in range(sheets):
                pattern = omr_pattern(
                    start=n == 0, end=n == sheets - 1, sequence=(first_sheet + n + 1) % 8
                )
                index = start_page + n * self.pages_per_sheet
                content = omr_stream(pattern, self._height(index), self.options.omr_layout)
                stamps.setdefault(index, []).append(self.stamper.shared(content))
        if self.options.datamatrix:
            for doc, piece in zip(docs, pieces, strict=True):
                height = self._height(doc.first_page)
                content = datamatrix_stream(piece, height, self.options.datamatrix_layout)
                stamps.setdefault(doc.first_page, []).append(self.stamper.unique(content))
        for index, streams in stamps.items():
            self.stamper.stamp(self.writer.pages[index], streams)

    def _height(self, index: int) -> float:
        return float(self.writer.pages[index].mediabox.height)


def build_print_stream(items: Iterable[PrintItem], options: PrintOptions) -> PrintResult:
    """Write the print stream and its index; returns what was written."""
    builder = _Builder(options)
    groups = households(items, sort=options.sort_by is not None, group=options.group_by is not None)
    per_sheet = builder.pages_per_sheet
    for group in groups:
        envelope: list[_Doc] = []
        for item in group:
            doc = builder.add_document(item)
            doc_sheets = (doc.sheets_pages + per_sheet - 1) // per_sheet
            limit = options.max_sheets
            if envelope and limit is not None:
                held = doc.first_sheet - envelope[0].first_sheet
                if held + doc_sheets > limit:
                    builder.close_envelope(envelope)
                    envelope = []
            envelope.append(doc)
        builder.close_envelope(envelope)
    builder.writer.compress_identical_objects()
    options.output.parent.mkdir(parents=True, exist_ok=True)
    tmp = options.output.with_name("." + options.output.name + ".ccm-tmp")
    with tmp.open("wb") as f:
        builder.writer.write(f)
    os.replace(tmp, options.output)
    result = PrintResult(
        path=options.output,
        documents=len(builder.rows),
        envelopes=builder.envelope,
        pages=len(builder.writer.pages),
        sheets=builder.sheet,
        rows=tuple(builder.rows),
    )
    if options.index is not None:
        write_index(result, options.index)
    return result


def write_index(result: PrintResult, path: Path) -> None:
    """The index as JSON (``.json``) or CSV (anything else)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name("." + path.name + ".ccm-tmp")
    if path.suffix.lower() == ".json":
        data: dict[str, Any] = {
            "print_stream": result.path.name,
            "documents": result.documents,
            "envelopes": result.envelopes,
            "pages": result.pages,
            "sheets": result.sheets,
            "index": [asdict(row) for row in result.rows],
        }
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    else:
        with tmp.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(INDEX_COLUMNS)
            for row in result.rows:
                values = asdict(row)
                writer.writerow([values[c] for c in INDEX_COLUMNS])
    os.replace(tmp, path)
