"""Prepare the HTML backend's output for the preview's iframe.

The document HTML is exactly what ``ccm render --to html`` writes (with ``data-src`` positions);
the preview only adds, right after ``<head>``:

* ``<base href="/files/">``: the document names images and fonts relative to the project root,
  and the server answers ``/files/<path>`` from the project (and nothing else);
* the click-to-source script and its highlight style, served from the preview's own assets
  (the document itself never contains a script: the page's Content-Security-Policy allows
  scripts from the preview's static folder only).
"""

from __future__ import annotations

FILES_PREFIX = "/files/"
STATIC_PREFIX = "/_ccm/static/"

HEAD_EXTRA = (
    f'<base href="{FILES_PREFIX}">'
    f'<link rel="stylesheet" href="{STATIC_PREFIX}frame.css">'
    f'<script src="{STATIC_PREFIX}frame.js" defer></script>\n'
)


def preview_html(html: bytes) -> bytes:
    """``html`` with the preview's ``<base>``, script and style inserted after ``<head>``."""
    marker = b"<head>"
    index = html.find(marker)
    extra = HEAD_EXTRA.encode()
    if index < 0:  # not our backend's shape: put them first, browsers cope
        return extra + html
    cut = index + len(marker)
    return html[:cut] + b"\n" + extra + html[cut:].lstrip(b"\n")
