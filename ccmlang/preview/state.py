"""What the browser sees: the last good render of each data choice, its problems, and an epoch.

mkdocs' live-reload model (STYLE.md): one epoch counter, bumped on every publication; browsers
long-poll ``/_ccm/wait?epoch=N`` until it moves past ``N``. Two things differ from mkdocs:

* A build publishes **twice**: the HTML view as soon as it is ready (tens of milliseconds), then
  the PDF pages (hundreds). Each :class:`View` remembers the epoch at which its HTML and its
  PDF last changed, so the page reloads only the pane that changed.
* A failed build publishes its **problems** and keeps the last good HTML and pages, so the page
  shows the overlay above the last good render and clears it when a build succeeds: never
  silently stale.

Everything here is guarded by one condition variable; readers get copies (:meth:`snapshot`).
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any

from ccmlang.preview.choices import Choice
from ccmlang.preview.pages import PageImage
from ccmlang.preview.problems import Problem


@dataclass(frozen=True, slots=True)
class View:
    """The published state of one data choice (immutable: publishing swaps in a new one)."""

    choice: str
    html: bytes | None = None
    """The last good HTML, ready to serve (preview script injected)."""
    html_identity: str = ""
    html_version: int = 0
    pdf: bytes | None = None
    pages: tuple[PageImage, ...] = ()
    pdf_identity: str = ""
    pdf_version: int = 0
    pdf_pending: bool = False
    """The HTML is newer than the PDF pages; the PDF is being made (or waits for quiet)."""
    problems: tuple[Problem, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)
    built: bool = False
    """At least one build has finished for this choice (successfully or not)."""


class PreviewState:
    """The epoch, every choice's :class:`View`, lint warnings, and whether a build is running."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.instance = secrets.token_hex(6)
        """Changes when the server restarts, so a page left open knows to start over."""
        self.epoch = 0
        self._views: dict[str, View] = {}
        self._warnings: tuple[Problem, ...] = ()
        self._building = False
        self._closed = False
        self.builds = 0

    # -- writers (the build thread)

    def publish(self, choice: str, **changes: Any) -> int:
        """Apply ``changes`` to the view of ``choice``; returns the new epoch.

        ``html_version``/``pdf_version`` are set to the new epoch when ``html``/``pages`` are
        among the changes.
        """
        with self._cond:
            self.epoch += 1
            view = self._views.get(choice) or View(choice)
            if "html" in changes:
                changes["html_version"] = self.epoch
            if "pages" in changes:
                changes["pdf_version"] = self.epoch
            self._views[choice] = replace(view, built=True, **changes)
            self._cond.notify_all()
            return self.epoch

    def set_warnings(self, warnings: tuple[Problem, ...]) -> None:
        with self._cond:
            if [w.data for w in warnings] == [w.data for w in self._warnings]:
                return
            self.epoch += 1
            self._warnings = warnings
            self._cond.notify_all()

    def set_building(self, building: bool) -> None:
        with self._cond:
            if building == self._building:
                return
            self._building = building
            if not building:
                self.builds += 1
            self.epoch += 1
            self._cond.notify_all()

    def close(self) -> None:
        """Wake every waiting request (the server is stopping)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    # -- readers (request threads)

    def view(self, choice: str) -> View | None:
        with self._cond:
            return self._views.get(choice)

    @property
    def building(self) -> bool:
        with self._cond:
            return self._building

    def wait(self, after: int, timeout: float) -> int:
        """Block until the epoch passes ``after`` (or ``timeout``); returns the epoch.

        An ``after`` beyond the current epoch comes from a page that talked to an earlier run of
        the server: it is answered at once, so that page resynchronises.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while after == self.epoch and not self._closed:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            return self.epoch

    def wait_for_view(self, choice: str, timeout: float) -> View | None:
        """The view of ``choice`` once a build has finished for it (page requests wait for the
        build in flight, as in mkdocs), or ``None`` after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self._closed:
                view = self._views.get(choice)
                if view is not None and view.built:
                    return view
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return view
                self._cond.wait(remaining)
            return self._views.get(choice)

    def snapshot(self, choice: str, choices: list[Choice], template: str) -> dict[str, Any]:
        """The JSON the page polls: versions, problems, pages, choices (no document bytes)."""
        with self._cond:
            view = self._views.get(choice) or View(choice)
            return {
                "instance": self.instance,
                "epoch": self.epoch,
                "building": self._building,
                "builds": self.builds,
                "template": template,
                "choice": choice,
                "choices": [{"id": c.id, "label": c.label} for c in choices],
                "built": view.built,
                "html_version": view.html_version,
                "pdf_version": view.pdf_version,
                "pdf_pending": view.pdf_pending,
                "pages": [{"width": p.width_pt, "height": p.height_pt} for p in view.pages],
                "problems": [p.to_json() for p in view.problems],
                "warnings": [w.to_json() for w in self._warnings],
                "timings": dict(view.timings),
            }
