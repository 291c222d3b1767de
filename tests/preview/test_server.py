"""The preview server in-process: build, rebuild on save, overlay and recovery, data choices.

Real compiler, real backends, real watchdog: a test edits files on disk and long-polls the
server like the page does.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from ccmlang.compiler.limits import Limits
from ccmlang.preview.builder import Builder

from .conftest import Preview

GRACE = "0:1"  # data/more.jsonl, record 1 (choices are sorted by file name)
LINUS = "0:2"
ADA = "1:1"  # data/sample.json


def errors(state: dict[str, Any]) -> list[dict[str, Any]]:
    problems = state["problems"]
    assert isinstance(problems, list)
    return [p for p in problems if p["severity"] == "error"]


def test_initial_build_serves_html_pdf_and_pages(preview: Preview) -> None:
    state = preview.state()
    assert state["template"] == "letter.ccm"
    assert state["choice"] == GRACE
    assert state["html_version"] > 0 and state["pdf_version"] > 0
    assert not state["problems"] and not state["pdf_pending"]
    assert len(state["pages"]) == 1
    assert round(state["pages"][0]["width"]) == 595  # A4 in points

    html = preview.html()
    assert "Hello Grace" in html and "Item: x" in html
    assert 'data-src="letter.ccm:18:1"' in html  # the paragraph's source position
    assert '<base href="/files/">' in html and "/_ccm/static/frame.js" in html

    page = preview.request(f"/_ccm/page?choice={GRACE}&n=1")
    assert page.status == 200 and page.body.startswith(b"\x89PNG\r\n\x1a\n")
    assert page.headers["Content-Type"] == "image/png"
    pdf = preview.request("/_ccm/pdf")
    assert pdf.status == 200 and pdf.body.startswith(b"%PDF-")
    assert preview.request("/_ccm/page?n=2").status == 404

    index = preview.request("/")
    assert index.status == 200 and "/_ccm/static/preview.js" in index.text
    assert "script-src 'self'" in index.headers["Content-Security-Policy"]
    assert preview.request("/_ccm/static/preview.js").status == 200


def test_saving_the_template_rebuilds_html_then_pdf(preview: Preview) -> None:
    before = preview.state()
    preview.edit("Original text of the letter.", "Edited text of the letter.")
    state = preview.until(lambda s: s["html_version"] > before["html_version"])
    assert state["epoch"] > before["epoch"]
    assert "Edited text of the letter." in preview.html()
    assert "Original text" not in preview.html()
    state = preview.until(lambda s: s["pdf_version"] > before["pdf_version"])
    assert state["pdf_version"] > state["html_version"]  # HTML first, PDF after it
    assert not state["pdf_pending"]
    assert b"Edited text" in _pdf_text(preview.request("/_ccm/pdf").body)


def _pdf_text(pdf: bytes) -> bytes:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return "".join(page.get_textpage().get_text_range() for page in document).encode()
    finally:
        document.close()


def test_a_burst_of_saves_is_one_build(preview: Preview) -> None:
    builds = preview.session.state.builds
    compiles = preview.session.builder.calls["compile"]
    original = preview.template.read_text()
    for n in range(10):
        preview.template.write_text(original.replace("Original text", f"Burst text {n}"))
    time.sleep(0.3)
    preview.idle()
    assert 1 <= preview.session.state.builds - builds <= 2
    assert 1 <= preview.session.builder.calls["compile"] - compiles <= 2
    assert "Burst text 9" in preview.html()


def test_syntax_error_shows_the_overlay_over_the_last_good_render_then_clears(
    preview: Preview,
) -> None:
    good = preview.state()
    preview.edit('paragraph "Original text of the letter."', 'paragraph "Broken" }')
    state = preview.until(lambda s: bool(errors(s)))
    [problem] = errors(state)
    assert problem["code"] == "E0001"
    assert (problem["file"], problem["line"], problem["column"]) == ("letter.ccm", 18, 20)
    assert problem["stage"] == "compile"
    assert '18 | paragraph "Broken" }' in problem["text"] and "^" in problem["text"]
    # The last good render stays: same versions, same HTML, same pages.
    assert state["html_version"] == good["html_version"]
    assert state["pdf_version"] == good["pdf_version"]
    assert "Original text of the letter." in preview.html()
    assert preview.request("/_ccm/page?n=1").status == 200

    preview.edit('paragraph "Broken" }', 'paragraph "Fixed text."')
    state = preview.until(lambda s: not s["problems"] and s["html_version"] > good["html_version"])
    assert "Fixed text." in preview.html()
    preview.until(lambda s: s["pdf_version"] > good["pdf_version"])


def test_schema_invalid_data_names_the_json_path(preview: Preview) -> None:
    sample = preview.root / "data" / "sample.json"
    sample.write_text('{"customer": {"name": 42}, "items": []}')
    state = preview.until(lambda s: bool(errors(s)), choice=ADA)
    [problem] = errors(state)
    assert problem["code"] == "E3001" and problem["stage"] == "data"
    assert "$.customer.name" in problem["message"]
    sample.write_text('{"customer": {"name": "Ada Lovelace"}, "items": []}')
    preview.until(lambda s: not s["problems"], choice=ADA)
    assert "Hello Ada Lovelace" in preview.html(ADA)


def test_unparsable_data_points_at_the_line_and_column(preview: Preview) -> None:
    sample = preview.root / "data" / "sample.json"
    sample.write_text('{"customer": {"name": "Ada"},\n "items": [1,, 2]}')
    state = preview.until(lambda s: bool(errors(s)), choice=ADA)
    [problem] = errors(state)
    assert problem["code"] == "E3001"
    assert (problem["file"], problem["line"]) == ("data/sample.json", 2)
    assert '2 |  "items": [1,, 2]}' in problem["text"]


def test_a_missing_asset_shows_e3007_from_data_and_e1016_from_the_template(
    preview: Preview,
) -> None:
    preview.edit('image "assets/logo.svg"', 'image "assets/{customer.name}.svg"')
    state = preview.until(lambda s: bool(errors(s)))
    [problem] = errors(state)
    assert problem["code"] == "E3007" and problem["line"] == 16
    assert "assets/Grace.svg" in problem["message"]
    (preview.root / "assets" / "Grace.svg").write_bytes(
        (preview.root / "assets/logo.svg").read_bytes()
    )
    preview.until(lambda s: not s["problems"])

    preview.edit('image "assets/{customer.name}.svg"', 'image "assets/logo.svg"')
    preview.until(lambda s: not s["problems"] and "assets/logo.svg" in preview.html())
    (preview.root / "assets" / "logo.svg").rename(preview.root / "assets" / "gone.svg")
    state = preview.until(lambda s: bool(errors(s)))
    assert [p["code"] for p in errors(state)] == ["E1016"]
    (preview.root / "assets" / "gone.svg").rename(preview.root / "assets" / "logo.svg")
    preview.until(lambda s: not s["problems"])


def test_a_render_limit_shows_in_the_overlay(make_preview: Callable[..., Preview]) -> None:
    def small(root: object) -> Builder:
        from pathlib import Path

        assert isinstance(root, Path)
        return Builder(root / "letter.ccm", root, limits=Limits(max_nodes=12))

    preview = make_preview(builder=small)
    assert not preview.state()["problems"]
    many = ", ".join(f'"item {n}"' for n in range(20))
    (preview.root / "data" / "more.jsonl").write_text(
        f'{{"customer": {{"name": "Grace"}}, "items": [{many}]}}\n'
    )
    state = preview.until(lambda s: bool(errors(s)))
    assert [p["code"] for p in errors(state)] == ["E3003"]
    assert "Hello Grace" in preview.html()  # the last good render is still there


def test_only_the_changed_stages_run_again(preview: Preview) -> None:
    calls = preview.session.builder.calls
    start = dict(calls)

    # Data changed: no compile; tree, HTML, PDF and pages again.
    (preview.root / "data" / "more.jsonl").write_text(
        '{"customer": {"name": "Grace Hopper"}, "items": ["x"]}\n'
        '{"customer": {"name": "Linus"}, "items": []}\n'
    )
    preview.until(lambda s: "Grace Hopper" in preview.html() and not s["pdf_pending"])
    preview.idle()
    assert calls["compile"] == start["compile"]
    assert calls["render"] == start["render"] + 1
    assert calls["pdf"] == start["pdf"] + 1 and calls["pages"] == start["pages"] + 1

    # A comment: compiled and rendered again, but the PDF's input is the same: no PDF work.
    step = dict(calls)
    version = preview.state()["html_version"]
    preview.edit("// A small letter", "// A short letter")
    preview.until(lambda s: s["builds"] > 0 and calls["compile"] > step["compile"])
    preview.idle()
    assert calls["compile"] == step["compile"] + 1
    assert calls["pdf"] == step["pdf"] and calls["pages"] == step["pages"]
    assert preview.state()["html_version"] == version  # identical HTML: the iframe keeps still

    # Nothing changed at all (a save without edits): nothing runs.
    step = dict(calls)
    preview.template.write_text(preview.template.read_text())
    time.sleep(0.2)
    preview.idle()
    assert dict(calls) == step


def test_the_data_switcher_renders_each_record(preview: Preview) -> None:
    choices = preview.state()["choices"]
    assert [c["id"] for c in choices] == [GRACE, LINUS, ADA]
    assert [c["label"] for c in choices] == [
        "more.jsonl · record 1",
        "more.jsonl · record 2",
        "sample.json",
    ]
    state = preview.until(lambda s: s["pdf_version"] > 0 and not s["pdf_pending"], choice=LINUS)
    assert state["choice"] == LINUS
    assert "Hello Linus" in preview.html(LINUS)
    assert "Hello Grace" in preview.html(GRACE)
    assert preview.state("no-such-choice")["choice"] == GRACE


def test_explicit_data_files_replace_the_default(
    make_preview: Callable[..., Preview], tmp_path: object
) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    extra = tmp_path / "outside.json"
    extra.write_text(
        '[{"customer": {"name": "Outside One"}, "items": []}, '
        '{"customer": {"name": "Outside Two"}, "items": []}]'
    )
    preview = make_preview(data=[extra])
    state = preview.state()
    assert [c["label"] for c in state["choices"]] == [
        "outside.json · record 1",
        "outside.json · record 2",
    ]
    assert "Hello Outside One" in preview.html()
    # Data outside the project is watched too.
    extra.write_text('[{"customer": {"name": "Outside Edited"}, "items": []}]')
    preview.until(lambda s: "Hello Outside Edited" in preview.html())


def test_click_to_source_lines(preview: Preview) -> None:
    data = preview.request("/_ccm/source?file=letter.ccm&line=18").json()
    assert data["file"] == "letter.ccm" and data["line"] == 18
    assert [entry["line"] for entry in data["lines"]] == [16, 17, 18, 19, 20]
    assert data["lines"][2]["text"] == 'paragraph "Original text of the letter."'
    assert preview.request("/_ccm/source?file=letter.ccm&line=999").status == 404
    assert preview.request("/_ccm/source?file=letter.ccm&line=x").status == 404


def test_a_bad_engine_setting_shows_in_the_overlay_and_clears(preview: Preview) -> None:
    config = preview.root / "ccm.toml"
    good = config.read_text()
    config.write_text(good + '\n[render]\nengine = "no-such-engine"\n')
    state = preview.until(lambda s: bool(errors(s)))
    [problem] = errors(state)
    assert problem["stage"] == "pdf" and "unknown PDF engine" in problem["message"]
    assert "Hello Grace" in preview.html()  # the HTML view is unaffected
    config.write_text(good)
    preview.until(lambda s: not s["problems"])


def test_the_projects_limits_apply_and_a_change_applies_at_once(preview: Preview) -> None:
    config = preview.root / "ccm.toml"
    good = config.read_text()
    config.write_text(good + "\n[limits]\nmax_nodes = 3\n")
    state = preview.until(lambda s: bool(errors(s)))
    [problem] = errors(state)
    assert problem["code"] == "E3003"
    config.write_text(good + "\n[limits]\nmax_nodez = 3\n")
    state = preview.until(lambda s: any("unknown limit" in p["message"] for p in errors(s)))
    config.write_text(good)
    preview.until(lambda s: not s["problems"])
    assert "Hello Grace" in preview.html()


def test_a_bug_in_a_stage_is_shown_and_the_server_keeps_going(
    preview: Preview, monkeypatch: pytest.MonkeyPatch
) -> None:
    builder = preview.session.builder

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(builder, "render", broken)
    preview.edit("Original text", "Text during the bug")
    state = preview.until(lambda s: bool(errors(s)))
    [problem] = errors(state)
    assert problem["code"] == "E9000" and "RuntimeError: boom" in problem["message"]
    monkeypatch.undo()
    preview.edit("Text during the bug", "Text after the fix")
    preview.until(lambda s: not s["problems"] and "Text after the fix" in preview.html())
