"""The preview in a real browser (issue 5, item 7): Playwright drives Debian's Chromium.

Edit the template on disk and see the new text within 5 s; break it and see the overlay with
the code and line above the last good render; fix it and see the overlay clear. Also: the PDF
pages appear, click to source, and the data choice survives a reload. Saves a screenshot.

Skipped when Playwright or ``/usr/bin/chromium`` is missing (``.ci/run`` installs Chromium; we
never download Playwright's own browsers).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import Preview

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# On a developer's machine without Chromium the test skips; in CI (.ci/run installs Chromium and
# the `dev` extra brings Playwright) it must run, so there a missing browser is a failure.
pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
    reason=f"{CHROMIUM} is not installed",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if os.environ.get("CI"):
        import playwright.sync_api as sync_api
    else:
        sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def test_edit_break_and_fix_in_the_browser(browser: Any, preview: Preview, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(preview.server.url)
    frame = page.frame_locator("iframe.doc-frame.active")
    expect(frame.get_by_text("Original text of the letter.")).to_be_visible(timeout=10_000)
    expect(page.locator("#page-1")).to_be_visible(timeout=10_000)
    assert page.locator("#page-1").evaluate("img => img.naturalWidth") > 500
    expect(page.locator("#thumbs img")).to_have_count(1)

    # Edit on disk: the new text shows within 5 s, without reloading the page.
    started = time.monotonic()
    preview.edit("Original text of the letter.", "Edited in the browser test.")
    expect(frame.get_by_text("Edited in the browser test.")).to_be_visible(timeout=5_000)
    assert time.monotonic() - started < 5

    # A syntax error: the overlay names the code and the line; the last render stays below.
    preview.edit('paragraph "Edited in the browser test."', 'paragraph "Broken" }')
    overlay = page.locator("#overlay")
    expect(overlay).to_be_visible(timeout=5_000)
    expect(overlay).to_contain_text("E0001")
    expect(overlay).to_contain_text("letter.ccm:18:20")
    expect(overlay.locator("pre")).to_contain_text('18 | paragraph "Broken" }')
    expect(frame.get_by_text("Edited in the browser test.")).to_be_visible()
    shot = tmp_path / "preview-error.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000

    # Fixed: the overlay clears by itself and the new text shows.
    preview.edit('paragraph "Broken" }', 'paragraph "Fixed again."')
    expect(overlay).to_be_hidden(timeout=5_000)
    expect(frame.get_by_text("Fixed again.")).to_be_visible(timeout=5_000)

    # Click to source: the paragraph names its line, and the source bar shows it.
    frame.get_by_text("Fixed again.").click()
    expect(page.locator("#source-where")).to_have_text("letter.ccm:18:1")
    expect(page.locator("#source-text")).to_contain_text('paragraph "Fixed again."')

    # The data choice, the zoom and the scroll position survive a reload.
    page.select_option("#choice", "0:2")
    expect(frame.get_by_text("Hello Linus")).to_be_visible(timeout=5_000)
    page.click("#zoom-fit")  # fit off: 100 %
    page.click("#zoom-in")
    page.click("#zoom-in")
    expect(page.locator("#zoom-value")).to_have_text("125%")
    page.locator("#pages").evaluate("box => box.scrollTo(0, 300)")
    page.wait_for_timeout(400)  # scroll positions are saved 200 ms after scrolling stops
    page.reload()
    frame = page.frame_locator("iframe.doc-frame.active")
    expect(frame.get_by_text("Hello Linus")).to_be_visible(timeout=5_000)
    expect(page.locator("#choice")).to_have_value("0:2")
    expect(page.locator("#zoom-value")).to_have_text("125%")
    expect(page.locator("#page-1")).to_be_visible(timeout=10_000)
    page.wait_for_function("document.getElementById('pages').scrollTop >= 290")
    page.click("#zoom-fit")
    final = tmp_path / "preview.png"
    page.screenshot(path=str(final))
    keep = os.environ.get("CCM_PREVIEW_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)
        shutil.copy(final, Path(keep) / final.name)
    assert not errors, errors
    page.close()
