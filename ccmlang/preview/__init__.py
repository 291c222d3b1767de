"""Live preview: ``ccm preview`` re-renders on every save and shows the true PDF (issue 5).

How the parts fit (preview/README.md at the repository root has the user guide)::

    watchdog ──events──▶ watcher.Debouncer ──one burst──▶ session (one build thread)
                                                              │
        builder: compile ─▶ tree ─▶ html ─▶ pdf ─▶ pages      │ each stage cached by content
                                                              ▼ hash
    browser ◀──long-poll /_ccm/wait── server ◀── state (epoch, last good render, problems)

* :mod:`.watcher` – watchdog events (content changes only) and the debounce.
* :mod:`.builder` – the staged, content-hash-cached build; the PDF is the production backend's.
* :mod:`.pages` – PDF pages to PNG with pypdfium2.
* :mod:`.problems` – every failure as a diagnostic the overlay shows.
* :mod:`.choices` – sample data files and records.
* :mod:`.state` – the epoch and what each data choice shows.
* :mod:`.session` – the build thread: HTML published first, then the PDF.
* :mod:`.server` – HTTP: the page, long-poll, renders, project files (and nothing else).
* :mod:`.command` – the ``ccm preview`` command.

The page itself (HTML, JS, CSS) is in ``static/``, installed as package data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ccmlang.preview.server import PreviewServer
    from ccmlang.preview.session import PreviewSession

__all__ = ["PreviewServer", "PreviewSession"]


def __getattr__(name: str) -> Any:
    """Load lazily: ``ccm --help`` imports the command module, not the server and watchdog."""
    if name == "PreviewServer":
        from ccmlang.preview.server import PreviewServer

        return PreviewServer
    if name == "PreviewSession":
        from ccmlang.preview.session import PreviewSession

        return PreviewSession
    raise AttributeError(name)
