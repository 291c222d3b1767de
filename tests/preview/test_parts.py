"""The preview's small parts on their own: debounce, epochs, injection, spans, the caches."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from ccmlang.preview.builder import LRU, SOURCE_POSITIONS
from ccmlang.preview.choices import Catalog
from ccmlang.preview.inject import preview_html
from ccmlang.preview.problems import span_at
from ccmlang.preview.state import PreviewState
from ccmlang.preview.watcher import Debouncer

from .conftest import FIXTURE


def test_debouncer_waits_for_quiet_and_merges_paths() -> None:
    debouncer = Debouncer(0.1)
    taken: list[set[str] | None] = []
    thread = threading.Thread(target=lambda: taken.append(debouncer.take()))
    start = time.monotonic()
    thread.start()
    for n in range(5):
        debouncer.touch({f"/p/{n}"})
        time.sleep(0.03)
    thread.join(5)
    assert time.monotonic() - start >= 0.1 + 4 * 0.03
    assert taken == [{f"/p/{n}" for n in range(5)}]
    assert not debouncer.idle()  # the build has not reported back yet
    debouncer.done()
    assert debouncer.idle()


def test_debouncer_immediate_and_close() -> None:
    debouncer = Debouncer(10.0)
    debouncer.touch(immediate=True)
    start = time.monotonic()
    assert debouncer.take() == set()
    assert time.monotonic() - start < 1
    debouncer.close()
    assert debouncer.take() is None


def test_wait_answers_when_the_epoch_moves_or_belongs_to_another_run() -> None:
    state = PreviewState()
    state.publish("a", problems=())
    epoch = state.epoch
    start = time.monotonic()
    assert state.wait(epoch, 0.05) == epoch  # timed out, nothing new
    assert time.monotonic() - start >= 0.05
    assert state.wait(epoch + 100, 5) == epoch  # a page from an earlier server: at once
    assert state.wait(epoch - 1, 5) == epoch  # already past: at once
    threading.Timer(0.05, lambda: state.publish("a", html=b"<p>")).start()
    assert state.wait(epoch, 5) == epoch + 1
    view = state.view("a")
    assert view is not None and view.html_version == epoch + 1 and view.built


def test_injection_puts_base_and_script_first_in_head() -> None:
    html = b"<!DOCTYPE html>\n<html>\n<head>\n<meta charset='utf-8'>\n</head><body></body></html>"
    out = preview_html(html)
    assert out.startswith(b'<!DOCTYPE html>\n<html>\n<head>\n<base href="/files/">')
    assert b'<script src="/_ccm/static/frame.js" defer></script>' in out
    assert out.endswith(b"<meta charset='utf-8'>\n</head><body></body></html>")


def test_source_positions_are_stripped_for_the_pdf_key() -> None:
    html = b'<p class="x" data-src="a.ccm:3:1">say &quot; data-src=&quot;x&quot;</p>'
    assert SOURCE_POSITIONS.sub(b"", html) == b'<p class="x">say &quot; data-src=&quot;x&quot;</p>'


def test_span_at_points_at_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "t.ccm").write_text("one\ntwo three\n")
    span = span_at(tmp_path, "t.ccm", 2, 5)
    assert span is not None and (span.line, span.column) == (2, 5)
    assert span.file.text[span.start : span.end] == "t"
    assert span_at(tmp_path, "t.ccm", 9, 1) is None
    assert span_at(tmp_path, "missing.ccm", 1, 1) is None


def test_lru_forgets_the_least_recently_used() -> None:
    cache: LRU[str, int] = LRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1
    cache.put("c", 3)
    assert cache.get("b") is None and cache.get("a") == 1 and cache.get("c") == 3


def test_catalog_lists_records_and_falls_back_to_the_first() -> None:
    catalog = Catalog(FIXTURE / "letter.ccm", None)
    assert [c.id for c in catalog.choices()] == ["0:1", "0:2", "1:1"]
    assert catalog.get("1:1").file == (FIXTURE / "data" / "sample.json").absolute()
    assert catalog.get("9:9").id == "0:1"
    empty = Catalog(FIXTURE / "nowhere" / "x.ccm", None)
    assert [c.label for c in empty.choices()] == ["(no data)"]
