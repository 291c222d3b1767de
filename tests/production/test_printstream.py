"""Print streams: order, duplex padding, OMR marks, DataMatrix ids, householding, the index."""

from __future__ import annotations

import csv
import json
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from ccmlang.graphics.datamatrix import symbol_matrix
from ccmlang.production.engine import BatchConfig, run_batch
from ccmlang.production.printstream import (
    MM,
    TRACKS,
    DataMatrixLayout,
    OmrLayout,
    PrintItem,
    PrintOptions,
    build_print_stream,
    households,
    omr_pattern,
)

from .helpers import LETTER, read_manifest, record, write_jsonl

RECT = re.compile(rb"([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re")


def test_omr_pattern_has_a_benchmark_and_even_parity() -> None:
    for start in (False, True):
        for end in (False, True):
            for sequence in range(8):
                marks = omr_pattern(start=start, end=end, sequence=sequence)
                assert len(marks) == len(TRACKS)
                assert marks[0] is True
                assert sum(marks) % 2 == 0
                assert marks[1:3] == (start, end)
                assert sum(bit << i for i, bit in enumerate(marks[3:6])) == sequence


def item(n: int, sort: str = "", group: str = "") -> PrintItem:
    return PrintItem(n, f"A{n}", Path(f"A{n}.pdf"), sort, group)


def test_households_group_equal_keys_where_the_first_member_sorts() -> None:
    items = [
        item(1, "b", "1 High St"),
        item(2, "a", "2 Low Rd"),
        item(3, "c", "1  HIGH st"),
        item(4, "a", ""),
        item(5, "d", ""),
    ]
    groups = households(items, sort=True, group=True)
    assert [[i.record for i in g] for g in groups] == [[2], [4], [1, 3], [5]]
    assert [[i.record for i in g] for g in households(items, sort=False, group=False)] == [
        [1],
        [2],
        [3],
        [4],
        [5],
    ]


@pytest.fixture(scope="module")
def produced(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[PrintItem]]:
    """Four letters of 1, 2, 3 and 1 pages; the first and third go to the same address."""
    tmp = tmp_path_factory.mktemp("stream")
    rows = [
        record(1, sections=0, address="1 High Street, Bristol"),
        record(2, sections=1),
        record(3, sections=2, address="1 high street,  bristol"),
        record(4, sections=0),
    ]
    data = write_jsonl(tmp / "records.jsonl", rows)
    out = tmp / "out"
    options = PrintOptions(
        output=tmp / "stream.pdf",
        duplex=True,
        omr=True,
        datamatrix=True,
        group_by="customer.address",
        index=tmp / "stream.index.csv",
        job_id="JOB7",
    )
    summary = run_batch(
        BatchConfig(LETTER, data, out, format="pdf", name="{id}", workers=2, print_stream=options)
    )
    assert summary.failed == 0 and summary.print_stream is not None
    items = [
        PrintItem(r["record"], r["key"], out / r["output"], "", r["key"])
        for r in read_manifest(out)
    ]
    assert [r["pages"] for r in read_manifest(out)] == [1, 2, 3, 1]
    return tmp, items


def page_texts(pdf: Path) -> list[str]:
    pages = len(PdfReader(pdf).pages)
    texts = []
    for n in range(1, pages + 1):
        result = subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        )
        texts.append(result.stdout)
    return texts


def omr_tracks(content: bytes, height: float, layout: OmrLayout) -> tuple[bool, ...]:
    """Which tracks have a bar, read back from the rectangles drawn at the OMR position."""
    found = [False] * len(TRACKS)
    for x, y, w, h in (map(float, m.groups()) for m in RECT.finditer(content)):
        if abs(x - layout.left * MM) < 0.01 and abs(w - layout.length * MM) < 0.01:
            centre_mm = (height - y - h / 2) / MM
            track = round((centre_mm - layout.top) / layout.pitch)
            assert abs(centre_mm - (layout.top + track * layout.pitch)) < 0.01
            found[track] = True
    return tuple(found)


def test_duplex_householded_stream_with_marks_and_index(
    produced: tuple[Path, list[PrintItem]],
) -> None:
    tmp, _ = produced
    stream = tmp / "stream.pdf"
    texts = page_texts(stream)
    # Envelope 1: letter 1 (1 page + blank) and letter 3 (3 pages + blank); then 2; then 4.
    expected = [
        "Page 1 of 1",
        None,
        "Page 1 of 3",
        "Page 2 of 3",
        "Page 3 of 3",
        None,
        "Page 1 of 2",
        "Page 2 of 2",
        "Page 1 of 1",
        None,
    ]
    assert len(texts) == len(expected)
    for text, footer in zip(texts, expected, strict=True):
        if footer is None:
            assert text.strip() == ""
        else:
            assert footer in text
    assert "Customer 1" in texts[0] and "Customer 3" in texts[2] and "Customer 2" in texts[6]

    with (tmp / "stream.index.csv").open(newline="") as f:
        index = list(csv.DictReader(f))
    assert [
        (r["record"], r["envelope"], r["position"], r["first_page"], r["pages"], r["sheets"])
        for r in index
    ] == [
        ("1", "1", "1", "1", "1", "1"),
        ("3", "1", "2", "3", "3", "2"),
        ("2", "2", "1", "7", "2", "1"),
        ("4", "3", "1", "9", "1", "1"),
    ]
    assert [r["envelope_sheets"] for r in index] == ["3", "3", "1", "1"]
    assert [r["blank_pages"] for r in index] == ["1", "1", "0", "1"]
    assert index[1]["mail_piece_id"] == "JOB7|000001|02/02|3"

    reader = PdfReader(stream)
    layout = OmrLayout()
    sheets = [  # (page index of the sheet front, start, end, sequence)
        (0, True, False, 1),
        (2, False, False, 2),
        (4, False, True, 3),
        (6, True, True, 4),
        (8, True, True, 5),
    ]
    for page_index, start, end, sequence in sheets:
        page = reader.pages[page_index]
        content = page.get_contents().get_data()  # type: ignore[union-attr]
        height = float(page.mediabox.height)
        assert omr_tracks(content, height, layout) == omr_pattern(
            start=start, end=end, sequence=sequence
        )
    for back in (1, 3, 5, 7, 9):  # backs of sheets carry no marks
        contents = reader.pages[back].get_contents()
        data = contents.get_data() if contents is not None else b""
        assert not any(omr_tracks(data, float(reader.pages[back].mediabox.height), layout))


def test_the_datamatrix_drawn_is_the_mail_piece_id(
    produced: tuple[Path, list[PrintItem]],
) -> None:
    tmp, _ = produced
    reader = PdfReader(tmp / "stream.pdf")
    page = reader.pages[2]  # letter 3, second in envelope 1
    content = page.get_contents().get_data()  # type: ignore[union-attr]
    layout = DataMatrixLayout()
    matrix = symbol_matrix("JOB7|000001|02/02|3")
    module = layout.module * MM
    height = float(page.mediabox.height)
    drawn = set()
    for x, y, w, h in (map(float, m.groups()) for m in RECT.finditer(content)):
        if abs(h - module) > 0.001 or x < layout.left * MM - 0.01 or x > 20 * MM:
            continue
        row = round((height - layout.top * MM - y) / module) - layout.quiet - 1
        first = round((x - layout.left * MM) / module) - layout.quiet
        for col in range(first, first + round(w / module)):
            drawn.add((row, col))
    dark = {(r, c) for r, line in enumerate(matrix) for c, v in enumerate(line) if v}
    assert drawn == dark


def test_simplex_sorted_stream_and_envelope_limits(
    produced: tuple[Path, list[PrintItem]], tmp_path: Path
) -> None:
    _, items = produced
    same_house = [PrintItem(i.record, i.key, i.path, f"{5 - i.record}", "one house") for i in items]
    result = build_print_stream(
        same_house,
        PrintOptions(
            output=tmp_path / "s.pdf",
            omr=True,
            sort_by="x",
            group_by="x",
            max_sheets=3,
            index=tmp_path / "s.json",
        ),
    )
    index = json.loads((tmp_path / "s.json").read_text())
    rows = index["index"]
    assert [r["record"] for r in rows] == [4, 3, 2, 1]  # sorted by the sort key
    # simplex: sheets = pages (1, 3, 2, 1); at most 3 sheets per envelope
    assert [(r["envelope"], r["first_page"], r["sheets"]) for r in rows] == [
        (1, 1, 1),
        (2, 2, 3),
        (3, 5, 2),
        (3, 7, 1),
    ]
    assert (result.pages, result.sheets, result.envelopes) == (7, 7, 3)
    assert index["pages"] == 7 and index["envelopes"] == 3


def test_print_stream_needs_pdf(tmp_path: Path) -> None:
    from ccmlang.production.engine import BatchError

    data = write_jsonl(tmp_path / "r.jsonl", [record(1)])
    options = PrintOptions(output=tmp_path / "s.pdf")
    with pytest.raises(BatchError, match="PDF"):
        run_batch(BatchConfig(LETTER, data, tmp_path / "out", format="html", print_stream=options))
