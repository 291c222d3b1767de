"""The PDF of every example and every record of its data, read back with pypdf, poppler and qpdf.

Each case of :mod:`example_cases` is rendered once (module-scoped fixture) through the ``pdf``
backend with the default :class:`RenderOptions`, then checked for:

* its page count (statement sample 3 pages; the five statement records 3, 2, 1, 2, 2; invoice
  sample 1, many-items 2; each renewal letter 2);
* the expected text in reading order: ``pdftotext -layout``, whitespace normalised, must contain
  the case's key strings in the given order (headings, the first and last transactions,
  "Page 1 of 3" … "Page 3 of 3", totals, German and French number formats);
* fonts: every font embedded (``FontFile2``/``FontFile3``) and subset (``ABCDEF+`` tag), and only
  the brand family "Brand Sans";
* metadata: title, author, subject, keywords and ``/Lang`` as the template's ``document {}`` and
  locale make them;
* no raster image anywhere, and every QR or Data Matrix code of the tree drawn as one vector path
  (the invoice's EPC payment code only for a customer who does not pay by direct debit);
* ``qpdf --check`` passes; rendering the record again gives the same bytes.

``make golden`` (``pytest --update-golden``) also writes every page as a 60 dpi PNG to
``tests/golden/png/<case>-p<N>.png`` for a person to look at; they are git-ignored, never compared.
"""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pypdf
import pytest
from example_cases import CASES, GOLDEN, Case, compiled

from ccmlang import layout
from ccmlang.backends import RenderOptions, load_backends, walk

PNG_DPI = 60
SUBSET_TAG = re.compile(r"^/[A-Z]{6}\+")
BRAND_FAMILY = "Brand Sans"
GENERIC_FAMILY = re.compile(r"font-family\s*[=:]\s*[\"']?\s*(sans-serif|serif|monospace)\b")
CODES_2D = frozenset({"qr", "epc-qr", "datamatrix"})

STATEMENT_HEADER = "Date Description Money in Money out Balance"


@dataclass(frozen=True)
class Expected:
    pages: int
    title: str
    language: str
    text: tuple[str, ...]
    """Key strings that must appear in this order in the normalised text of the whole PDF."""
    codes: tuple[str, ...] = ()
    """The 2D codes (Graphic kinds) the PDF shows, each as one vector path."""


AUTHOR_SUBJECT = {
    "statement": ("Northwind Bank plc", "Everyday Current Account statement"),
    "invoice": ("Northwind Energy & Broadband Ltd", "Energy and broadband, February 2025"),
    "renewal": ("Northwind Insurance Ltd", "Northwind Home Plus"),
}

_STATEMENT_SAMPLE = Expected(
    pages=3,
    title="Statement 41920375 – March 2025",
    language="en-GB",
    codes=("datamatrix",),
    text=(
        "Northwind Bank · 1 Harbour Street · Bristol BS1 4QA",
        "Ms Olivia Bennett",
        "Your Everyday Current Account statement",
        "1 March 2025 to 31 March 2025 · sort code 60-16-13 · account number 41920375",
        "Opening balance £1,520.40",
        "Closing balance £195.91",
        "Good to know: From 1 June 2025",
        "Transactions",
        STATEMENT_HEADER,
        "2 Mar SALARY ACME ENGINEERING LTD £2,875.50 £4,395.90",
        "Page 1 of 3",
        STATEMENT_HEADER,  # the header row repeats on every page
        "Page 2 of 3",
        STATEMENT_HEADER,
        "31 Mar CARD PAYMENT BOOTS 1123 BROADMEAD £90.79 £195.91",
        "Totals and closing balance £3,283.00 £4,607.49 £195.91",
        "Your balance over six months",
        "Balance at the end of each month (GBP)",
        "Questions? We are here to help",
        "Page 3 of 3",
    ),
)

EXPECTED: dict[str, Expected] = {
    "statement-sample": _STATEMENT_SAMPLE,
    "statement-records-1": _STATEMENT_SAMPLE,  # the same customer as sample.json
    "statement-records-2": Expected(
        pages=2,
        title="Statement 52019844 – March 2025",
        language="en-GB",
        codes=("datamatrix",),
        text=(
            "Mr Daniel Osei",
            "Your Everyday Current Account statement",
            "1 Mar SALARY WESSEX LOGISTICS £1,650.00 £1,960.25",
            "Page 1 of 2",
            STATEMENT_HEADER,
            "31 Mar CARD PAYMENT JOHN LEWIS CRIBBS £23.91 £571.20",
            "Totals and closing balance £1,846.16 £1,585.21 £571.20",
            "Your balance over six months",
            "Page 2 of 2",
        ),
    ),
    "statement-records-3": Expected(
        pages=1,
        title="Statement 60338127 – March 2025",
        language="en-GB",
        codes=("datamatrix",),
        text=(
            "Mrs Agnieszka Nowak",
            "Your Everyday Current Account statement",
            "Money in £0.00",
            "Closing balance £4,210.00",
            STATEMENT_HEADER,
            "There were no transactions on your account in this period.",
            "Totals and closing balance £0.00 £0.00 £4,210.00",
            "Your balance over six months",
            "Page 1 of 1",
        ),
    ),
    "statement-records-4": Expected(
        pages=2,
        title="Statement 71245690 – March 2025",
        language="en-GB",
        codes=("datamatrix",),
        text=(
            "Dr Samuel Reyes",
            "Closing balance £11,284.13",
            "1 Mar SALARY NORTH BRISTOL NHS TRUST £4,120.00 £13,010.10",
            "27 Mar REFUND DELIVEROO £12.15 £11,284.13",
            "Totals and closing balance £4,200.85 £1,806.82 £11,284.13",
            "Page 1 of 2",
            "Your balance over six months",
            "Page 2 of 2",
        ),
    ),
    "statement-records-5": Expected(
        pages=2,
        title="Statement 83370012 – March 2025",
        language="en-GB",
        codes=("datamatrix",),
        text=(
            "Mx Jordan Lee",
            "Opening balance -£120.55",
            "Closing balance -£1,093.60",
            "Your account is £1,093.60 overdrawn, which is more than your arranged overdraft of "
            "£250.00.",
            "Please pay in at least £843.60 as soon as you can.",
            "2 Mar SALARY CITY CAFE COLLECTIVE £1,210.00 £1,089.45",
            "Page 1 of 2",
            STATEMENT_HEADER,
            "31 Mar REFUND AMAZON.CO.UK*2R4KL £5.44 -£1,093.60",
            "Totals and closing balance £1,334.98 £2,308.03 -£1,093.60",
            "Page 2 of 2",
        ),
    ),
    "invoice-sample": Expected(
        pages=1,
        title="Invoice INV-2025-004417",
        language="en-IE",
        codes=("epc-qr",),
        text=(
            "Northwind Energy & Broadband Ltd",
            "Ciara and Tom Byrne",
            "Invoice number INV-2025-004417",
            "Due date 19 March 2025",
            "Your invoice for February 2025",
            "The total to pay is €265.49.",
            "Electricity, day rate: meter 21 388 → 21 800 412 kWh €0.3215 9.0% €132.46",
            "Loyalty credit, second year with Northwind 1 credit -€10.0000 9.0% -€10.00",
            "Net total €236.17",
            "VAT €29.32",
            "Total to pay €265.49",
            "VAT summary",
            "9.0% €178.58 €16.07 €194.65",
            "23.0% €57.59 €13.25 €70.84",
            "Total €236.17 €29.32 €265.49",
            "How to pay",
            "scan the code with your banking app",
            "IBAN IE19 NRTH 9902 1045 7812 36 · BIC NRTHIE2D",
            "Reference RF732025004417",
            "Page 1 of 1",
        ),
    ),
    "invoice-many-items": Expected(
        pages=2,
        title="Invoice INV-2025-004502",
        language="en-IE",
        codes=(),  # pays by direct debit: no payment QR code
        text=(
            "Harbour Lights Café Ltd",
            "Invoice number INV-2025-004502",
            "Your invoice for February 2025",
            "Page 1 of 2",
            "Northwind Energy & Broadband Ltd · invoice INV-2025-004502 of 5 March 2025",
            "Total to pay €1,814.93",
            "VAT summary",
            "Total €1,606.49 €208.44 €1,814.93",
            "How to pay",
            "We will collect €1,814.93 by SEPA direct debit",
            "Page 2 of 2",
        ),
    ),
    "renewal-de": Expected(
        pages=2,
        title="Northwind Home Plus – NHP-5520817",
        language="de-DE",
        text=(
            "Versicherungsschein NHP-5520817",
            "Frau Katrin Schneider",
            "3. März 2025",
            "Lindenstraße 14 50674 Köln DEUTSCHLAND",
            "Verlängerung Ihrer Versicherung Northwind Home Plus",
            "Sehr geehrte Frau Schneider,",
            "verlängert sich am 1. April 2025.",
            "Ihr Jahresbeitrag sinkt von 1.284,50 € auf 1.196,80 €. Sie sparen 87,70 €.",
            "Schadenfreiheitsrabatt von 25 % für 6 schadenfreie Jahre",
            "Ihr Beitrag",
            "Baustein Bisher Ab 1. Apr. 2025",
            "Versicherungsteuer (19 %) 206,10 € 191,09 €",
            "Jahresbeitrag 1.284,50 € 1.196,80 €",
            "Den Jahresbeitrag von 1.196,80 € buchen wir am 1. April 2025 per Lastschrift ab.",
            "Wohngebäude (gleitender Neuwert) – bis 650.000 € (Selbstbeteiligung 250 €)",
            "Seite 1 von 2",
            "Mit freundlichen Grüßen",
            "Helen Carter",
            "Seite 2 von 2",
        ),
    ),
    "renewal-en": Expected(
        pages=2,
        title="Northwind Home Plus – NHP-4471902",
        language="en-GB",
        text=(
            "Policy NHP-4471902",
            "Mrs Priya Shah",
            "3 March 2025",
            "Your Northwind Home Plus renewal",
            "Dear Mrs Shah,",
            "renews on 1 April 2025.",
            "goes up from £412.80 to £468.60, an increase of £55.80.",
            "19 Aug 2024 Escape of water from a burst pipe in the kitchen £3,840.00",
            "Your premium",
            "Insurance premium tax (12%) £44.20 £50.21",
            "Annual premium £412.80 £468.60",
            "We will collect £39.05 a month by direct debit, starting on 1 April 2025.",
            "Buildings – up to £500,000 (excess £250)",
            "Page 1 of 2",
            "Yours sincerely,",
            "Helen Carter",
            "Page 2 of 2",
        ),
    ),
    "renewal-fr": Expected(
        pages=2,
        title="Northwind Home Plus – NHP-6604390",
        language="fr-FR",
        text=(
            "Contrat n° NHP-6604390",
            "M. Julien Moreau",
            "3 mars 2025",
            "Renouvellement de votre assurance Northwind Home Plus",
            "Monsieur,",
            "sera renouvelé le 1 avril 2025.",
            "Votre prime annuelle reste inchangée : 348,00 €.",
            "bonus de 10 % pour 3 années sans sinistre",
            "Prime annuelle 348,00 € 348,00 €",
            "Nous prélèverons 29,00 € par mois, à partir du 5 avril 2025.",
            "Responsabilité civile vie privée – jusqu’à 4 500 000 €",
            "Page 1 sur 2",
            "Page 2 sur 2",
        ),
    ),
}


# ---------------------------------------------------------------- reading a PDF back


def pdf_text(path: Path) -> list[str]:
    """``pdftotext -layout`` of every page, whitespace normalised (NBSP and NNBSP included)."""
    raw = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    pages = raw.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [" ".join(page.split()) for page in pages]


def resources(reader: pypdf.PdfReader) -> Iterator[tuple[Any, Any]]:
    """(content stream, resources) of every page and every form XObject they use, once each."""
    seen: set[int] = set()

    def forms(res: Any) -> Iterator[tuple[Any, Any]]:
        for ref in (res.get("/XObject") or {}).values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") != "/Form" or id(xobject) in seen:
                continue
            seen.add(id(xobject))
            inner = xobject.get("/Resources")
            yield xobject, inner.get_object() if inner is not None else {}
            if inner is not None:
                yield from forms(inner.get_object())

    for page in reader.pages:
        res = page["/Resources"].get_object()
        yield page.get_contents(), res
        yield from forms(res)


@dataclass
class FilledPath:
    subpaths: int
    width: float
    height: float


_TOKEN = re.compile(rb"\((?:\\.|[^\\)])*\)|<[^>]*>|[\[\]]|/?[^\s/\[\]()<>]+")
_PATH_OPS = {b"m": 2, b"l": 2, b"c": 6, b"v": 4, b"y": 4, b"re": 4}
_FILL_OPS = {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}
_END_OPS = {b"S", b"s", b"n", *_FILL_OPS}


def filled_paths(data: bytes) -> list[FilledPath]:
    """Every filled path of a content stream, with its bounding box in its own user space.

    A small tokenizer instead of pypdf's ``ContentStream``, which takes a second per statement:
    numbers are operands, any other bare word is an operator (strings and names are skipped).
    """
    found: list[FilledPath] = []
    operands: list[float] = []
    xs: list[float] = []
    ys: list[float] = []
    subpaths = 0
    for token in _TOKEN.findall(data):
        try:
            operands.append(float(token))
            continue
        except ValueError:
            pass
        if token in _PATH_OPS and len(operands) >= _PATH_OPS[token]:
            numbers = operands[-_PATH_OPS[token] :]
            if token == b"re":
                x, y, w, h = numbers
                numbers = [x, y, x + w, y + h]
            xs.extend(numbers[0::2])
            ys.extend(numbers[1::2])
            subpaths += token in (b"m", b"re")
        elif token in _END_OPS:
            if token in _FILL_OPS and xs:
                found.append(FilledPath(subpaths, max(xs) - min(xs), max(ys) - min(ys)))
            xs, ys, subpaths = [], [], 0
        operands = []
    return found


@dataclass
class Rendered:
    case: Case
    document: layout.Document
    pdf: bytes
    path: Path
    pages: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.pages)

    @cached_property
    def reader(self) -> pypdf.PdfReader:
        return pypdf.PdfReader(io.BytesIO(self.pdf))

    @property
    def expected(self) -> Expected:
        return EXPECTED[self.case.name]


@pytest.fixture(scope="module", params=CASES, ids=str)
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    case: Case = request.param
    document = case.document()
    pdf = load_backends().get("pdf").render(document, RenderOptions())
    path = tmp_path_factory.mktemp("pdf") / f"{case.name}.pdf"
    path.write_bytes(pdf)
    return Rendered(case, document, pdf, path, pdf_text(path))


# ---------------------------------------------------------------- the checks


def test_every_case_has_expectations() -> None:
    assert sorted(EXPECTED) == sorted(case.name for case in CASES)


def test_page_count(rendered: Rendered) -> None:
    assert len(rendered.reader.pages) == rendered.expected.pages
    assert len(rendered.pages) == rendered.expected.pages  # pdftotext agrees


def test_text_in_reading_order(rendered: Rendered) -> None:
    text = rendered.text
    at = 0
    for wanted in rendered.expected.text:
        found = text.find(wanted, at)
        if found < 0:
            elsewhere = text.find(wanted)
            where = "earlier in the text" if elsewhere >= 0 else "nowhere in the text"
            pytest.fail(
                f"{wanted!r} not found after …{text[max(0, at - 80) : at]!r}; it is {where}.\n"
                f"Pages:\n"
                + "\n".join(f"[{n}] {page}" for n, page in enumerate(rendered.pages, 1)),
                pytrace=False,
            )
        at = found + len(wanted)


def _fonts(reader: pypdf.PdfReader) -> dict[str, tuple[str, list[str]]]:
    """BaseFont → (font family, font file keys) of every font of every page and form."""
    fonts: dict[str, tuple[str, list[str]]] = {}
    for _, res in resources(reader):
        for ref in (res.get("/Font") or {}).values():
            font = ref.get_object()
            descriptors = [font.get("/FontDescriptor")] + [
                d.get_object().get("/FontDescriptor") for d in font.get("/DescendantFonts", [])
            ]
            files: list[str] = []
            family = ""
            for descriptor in (d.get_object() for d in descriptors if d is not None):
                files += [k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor]
                family = str(descriptor.get("/FontFamily", family))
            fonts[str(font.get("/BaseFont", "?"))] = (family, files)
    return fonts


def test_fonts_embedded_and_subset(rendered: Rendered) -> None:
    fonts = _fonts(rendered.reader)
    assert fonts, "no fonts at all"
    for name, (_, files) in fonts.items():
        assert SUBSET_TAG.match(name), f"{name} is not subset (no /ABCDEF+ tag)"
        assert files and set(files) <= {"/FontFile2", "/FontFile3"}, f"{name}: {files}"


def system_font_sources(document: layout.Document) -> list[str]:
    """The SVG graphics and SVG image files of the tree whose text asks for a generic family."""
    found: set[str] = set()
    for node in walk(document):
        if isinstance(node, layout.Graphic) and GENERIC_FAMILY.search(node.svg):
            found.add(f"the {node.kind} graphic")
        elif isinstance(node, layout.Image) and node.src.endswith(".svg"):
            svg = (Path(document.project_root) / node.src).read_text(encoding="utf-8")
            if GENERIC_FAMILY.search(svg):
                found.add(node.src)
    return sorted(found)


def test_only_the_brand_fonts(rendered: Rendered) -> None:
    """Only "Brand Sans": no SVG text may ask for a generic family (``sans-serif``), which would
    embed whatever font the machine happens to have and break identical output across machines."""
    assert system_font_sources(rendered.document) == []
    families = {name: family for name, (family, _) in _fonts(rendered.reader).items()}
    assert set(families.values()) == {BRAND_FAMILY}, families
    assert all(SUBSET_TAG.sub("", name).startswith("Brand-Sans") for name in families), families


def test_metadata(rendered: Rendered) -> None:
    info = rendered.reader.metadata
    assert info is not None
    meta = rendered.document.metadata
    author, subject = AUTHOR_SUBJECT[rendered.case.example]
    assert (meta.title, meta.author, meta.subject) == (rendered.expected.title, author, subject)
    assert info.get("/Title") == rendered.expected.title
    assert info.get("/Author") == author
    assert info.get("/Subject") == subject
    assert info.get("/Keywords") == ", ".join(meta.keywords)
    assert info.get("/Creator") == "ccmlang"
    catalog: Any = rendered.reader.trailer["/Root"].get_object()
    assert catalog.get("/Lang") == rendered.expected.language
    assert meta.language == rendered.expected.language


def test_vector_graphics_only(rendered: Rendered) -> None:
    """No raster image anywhere; each QR or Data Matrix code is one filled vector path."""
    reader = rendered.reader
    grids = []
    for content, res in resources(reader):
        for ref in (res.get("/XObject") or {}).values():
            assert ref.get_object().get("/Subtype") != "/Image", "a raster image in the PDF"
        for path in filled_paths(content.get_data()):
            square = abs(path.width - path.height) <= 0.02 * max(path.width, path.height)
            if path.subpaths >= 20 and square:
                grids.append(path)
    codes = [n for n in walk(rendered.document) if isinstance(n, layout.Graphic)]
    kinds = tuple(n.kind for n in codes if n.kind in CODES_2D)
    assert kinds == rendered.expected.codes
    assert len(grids) == len(kinds), f"{len(grids)} module grids drawn for {kinds}"
    for graphic in codes:
        if graphic.kind == "epc-qr":
            assert graphic.data.startswith("BCD\n"), graphic.data  # an EPC069-12 payload
            assert "<image" not in graphic.svg


def test_qpdf_check(rendered: Rendered) -> None:
    result = subprocess.run(["qpdf", "--check", str(rendered.path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_deterministic(rendered: Rendered) -> None:
    """A second evaluation and render, through a fresh registry's backend: the same bytes."""
    case = rendered.case
    document = compiled(case.template).render(case.load())
    assert document is not rendered.document
    again = load_backends().get("pdf").render(document, RenderOptions())
    assert again == rendered.pdf


def test_page_images_for_review(rendered: Rendered, update_golden: bool, tmp_path: Path) -> None:
    """Every page as a PNG; ``make golden`` keeps them in tests/golden/png for visual review
    (never compared, not in git), otherwise they go to a temporary folder."""
    import pypdfium2

    folder = GOLDEN / "png" if update_golden else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{rendered.case.name}-p*.png"):
        old.unlink()
    document = pypdfium2.PdfDocument(rendered.pdf)
    try:
        for number in range(len(document)):
            image = document[number].render(scale=PNG_DPI / 72).to_pil()
            target = folder / f"{rendered.case.name}-p{number + 1}.png"
            image.save(target, format="PNG")
            assert target.stat().st_size > 1000
    finally:
        document.close()
