"""What a worker does with one record: results, never exceptions; page counts."""

from __future__ import annotations

import gc
import io

import pytest
from pypdf import PdfWriter

from ccmlang.production.worker import JobSpec, count_pdf_pages, file_sha256, render_task

from .helpers import LETTER, record


def spec(fmt: str = "html") -> JobSpec:
    return JobSpec(str(LETTER), file_sha256(str(LETTER)), fmt)


def test_a_good_record_gives_bytes_and_their_checksum() -> None:
    result = render_task(spec(), 1, record(1))
    assert result.ok and result.data is not None and b"Customer 1" in result.data
    assert len(result.sha256) == 64 and result.pages is None


def test_failures_are_returned_with_codes_not_raised() -> None:
    invalid = render_task(spec(), 2, record(2, id="x", total="ten"))
    assert not invalid.ok and invalid.code == "E3001"
    assert invalid.message.count("$.") == 2  # both violations, with their JSON paths
    broken = render_task(spec(), 3, record(3, count=0))
    assert broken.code == "E3008" and "letter.ccm:" in broken.message
    missing = render_task(JobSpec("/nowhere/t.ccm", "0" * 64, "html"), 4, record(4))
    assert missing.code == "B0006"


def test_page_counts_match_a_full_parse() -> None:
    writer = PdfWriter()
    for _ in range(5):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    assert count_pdf_pages(buffer.getvalue()) == 5
    assert count_pdf_pages(b"not a pdf") is None
    pdf = render_task(spec("pdf"), 5, record(5, sections=3))
    assert pdf.pages == 4


def test_a_worker_freezes_its_long_lived_objects_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """After its first document a worker moves what it keeps (template, fonts, stylesheet) out
    of the collector's sight, so the oldest-generation collections stop re-scanning them."""
    from ccmlang.production import worker

    monkeypatch.setattr(worker, "_frozen", False)
    gc.unfreeze()
    try:
        assert render_task(spec(), 1, record(1)).data is not None
        frozen = gc.get_freeze_count()
        assert frozen > 1000 and worker._frozen
        assert render_task(spec(), 2, record(2)).data is not None
        assert gc.get_freeze_count() == frozen  # once per worker, not per record
    finally:
        gc.unfreeze()
