"""Several records in one Typst compilation (spec/typst.md, "Speed"): each record starts on a
new page, numbers its own pages and uses its own page masters."""

from __future__ import annotations

import dataclasses
import re

import pytest
from typst_helpers import Project, page_count, pdf_pages_text, statement

from ccmlang import layout as L
from ccmlang.backends.base import RenderOptions
from ccmlang.backends.typst import TypstPdfBackend


def test_each_record_numbers_its_own_pages(project: Project) -> None:
    backend = TypstPdfBackend()
    short = statement(project.root, rows=5, name="Short Record")
    long = statement(project.root, rows=80, name="Long Record")
    data = backend.render_stream([short, long, short], RenderOptions())
    pages = pdf_pages_text(data)
    singles = [page_count(backend.render(d, RenderOptions())) for d in (short, long)]
    assert len(pages) == page_count(data) == singles[0] * 2 + singles[1]
    expected = []
    for count in (singles[0], singles[1], singles[0]):
        expected += [f"Page {n} of {count}" for n in range(1, count + 1)]
    found = [re.search(r"Page \d+ of \d+", p)[0] for p in pages]  # type: ignore[index]
    assert found == expected
    starts = [i for i, p in enumerate(pages) if "first page" in p]
    assert starts == [0, singles[0], singles[0] + singles[1]]  # first-page variant per record
    assert "Dear Long Record" in pages[singles[0]]


def test_stream_text_equals_the_records_rendered_alone(project: Project) -> None:
    backend = TypstPdfBackend()
    docs = [statement(project.root, rows=n, name=f"R{n}") for n in (3, 40)]
    alone = [p for d in docs for p in pdf_pages_text(backend.render(d, RenderOptions()))]
    together = pdf_pages_text(backend.render_stream(docs, RenderOptions()))
    assert [" ".join(p.split()) for p in together] == [" ".join(p.split()) for p in alone]


def test_records_must_share_project_and_fonts(project: Project) -> None:
    one = statement(project.root, rows=1)
    other = dataclasses.replace(one, fonts=(L.FontFace("Other", "fonts/DejaVuSans.ttf"),))
    with pytest.raises(ValueError):
        TypstPdfBackend().render_stream([one, other], RenderOptions())
    with pytest.raises(ValueError):
        TypstPdfBackend().render_stream([], RenderOptions())
