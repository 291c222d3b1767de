"""One preview of one template: the watcher, the single build thread, and what it publishes.

The build loop is mkdocs' (STYLE.md): changes are debounced into one build; one thread builds;
each publication bumps the epoch browsers wait on. A build runs

1. compile (skipped when no source changed),
2. for each data choice a page is showing, most recent first: data → tree → HTML, published at
   once, so the HTML view follows an edit in tens of milliseconds;
3. unless a newer save is already waiting, the production PDF and its page images, published
   again;
4. the lints, whose warnings the page lists without blocking anything;
5. when no save is waiting, a full garbage collection. WeasyPrint leaves a large heap behind,
   and the collector's oldest generation then took 100-180 ms whenever it happened to run:
   during the next compile, that doubled the save → HTML time of one edit in five. Collected
   while the designer is still typing, it no longer lands on the next edit's critical path.

A failed stage publishes its problems and leaves the last good HTML and pages in place: the
page shows the overlay above them and removes it on the next good build.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path

from ccmlang.preview import problems as P
from ccmlang.preview.builder import Builder, Compiled, Rendered
from ccmlang.preview.choices import DATA_SUFFIXES, Catalog, Choice
from ccmlang.preview.inject import preview_html
from ccmlang.preview.pages import DEFAULT_DPI
from ccmlang.preview.state import PreviewState
from ccmlang.preview.watcher import Debouncer, Watcher

DEFAULT_DEBOUNCE = 0.03
"""Seconds of quiet after the last file event before building. An editor's save (truncate and
write, or write a temporary file and rename it) produces its events within a few milliseconds;
every millisecond waited here is added to the HTML view's latency (goal: under 100 ms)."""
MAX_ACTIVE_CHOICES = 4
SOURCE_SUFFIXES = frozenset(
    {".ccm", ".toml", ".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ttf", ".otf", ".woff",
     ".woff2", *DATA_SUFFIXES}
)  # fmt: skip
"""Files that may start to matter while the template is broken (a missing import appears)."""


class PreviewSession:
    """Builds and publishes previews of ``template``; thread-safe entry points for the server."""

    def __init__(
        self,
        template: Path,
        *,
        data: list[Path] | None = None,
        project_root: Path | None = None,
        locale: str | None = None,
        engine: str | None = None,
        limits: Mapping[str, str] | None = None,
        debounce: float = DEFAULT_DEBOUNCE,
        dpi: int = DEFAULT_DPI,
        watch: bool = True,
        builder: Builder | None = None,
    ) -> None:
        from ccmlang.compiler.project import find_project_root

        self.template = template.absolute()
        self.root = (project_root or find_project_root(self.template)).resolve()
        self.catalog = Catalog(self.template, data)
        self.builder = builder or Builder(
            self.template, self.root, locale=locale, dpi=dpi, engine=engine, limit_overrides=limits
        )
        self.state = PreviewState()
        self.debouncer = Debouncer(debounce)
        self.watcher: Watcher | None = Watcher(self.touch) if watch else None
        self._watched: frozenset[str] = frozenset()
        self._broken = True
        self._active: OrderedDict[str, None] = OrderedDict()
        self._choices: list[Choice] = self.catalog.choices()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def template_name(self) -> str:
        try:
            return self.template.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return self.template.name

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> None:
        if self.watcher is not None:
            self.watcher.start()
            self._update_watches()
        self._thread = threading.Thread(target=self._loop, name="ccm-preview-build", daemon=True)
        self._thread.start()
        self.want(None)

    def stop(self) -> None:
        self.debouncer.close()
        self.state.close()
        if self.watcher is not None:
            self.watcher.stop()
        if self._thread is not None:
            self._thread.join(timeout=30)

    # ---------------------------------------------------------------- requests

    def choices(self) -> list[Choice]:
        with self._lock:
            return list(self._choices)

    def want(self, choice_id: str | None) -> Choice:
        """The choice a page shows (unknown ids fall back to the first); built if it is new."""
        with self._lock:
            choice = next((c for c in self._choices if c.id == choice_id), self._choices[0])
            new = choice.id not in self._active
            self._active[choice.id] = None
            self._active.move_to_end(choice.id)
            while len(self._active) > MAX_ACTIVE_CHOICES:
                self._active.popitem(last=False)
        if new:
            self.debouncer.touch(immediate=True)
        return choice

    def touch(self, paths: set[str]) -> None:
        """Watcher callback: schedule a build when a path that matters changed."""
        if any(self._matters(p) for p in paths):
            self.debouncer.touch(paths)

    def _matters(self, path: str) -> bool:
        if path in self._watched:
            return True
        suffix = os.path.splitext(path)[1].lower()
        folder = self.catalog.data_folder
        in_data_folder = folder is not None and os.path.dirname(path) == os.path.realpath(folder)
        if in_data_folder and suffix in DATA_SUFFIXES:
            return True  # a sample data file appeared or went away
        if self._broken and suffix in SOURCE_SUFFIXES:
            return path.startswith(str(self.root) + os.sep)
        return False

    # ---------------------------------------------------------------- the build thread

    def _loop(self) -> None:
        while True:
            changed = self.debouncer.take()
            if changed is None:
                return
            self.state.set_building(True)
            try:
                self.build()
            except Exception as exc:  # never let the build thread die
                problems = P.from_exception(exc, "build", self.root)
                with self._lock:
                    active = list(self._active)
                for choice_id in active:
                    self.state.publish(choice_id, problems=problems)
            finally:
                self.state.set_building(False)
                self.debouncer.done()
            if not self.debouncer.pending():
                gc.collect()

    def _active_choices(self) -> list[Choice]:
        with self._lock:
            self._choices = self.catalog.choices()
            known = {c.id: c for c in self._choices}
            ids = [i for i in reversed(self._active) if i in known]
            if not ids:
                ids = [self._choices[0].id]
                self._active[ids[0]] = None
        return [known[i] for i in ids]

    def build(self) -> None:
        """One build of every active choice (see the module docstring)."""
        compiled = self.builder.compile()
        choices = self._active_choices()
        rendered: list[tuple[Choice, Rendered]] = []
        for choice in choices:
            result = self.builder.render(compiled, choice)
            self._publish_html(choice, compiled, result)
            rendered.append((choice, result))
        self._broken = bool(compiled.errors) or any(r.html is None for _, r in rendered)
        self._update_watches(compiled, [r for _, r in rendered])
        for choice, result in rendered:
            if result.html is None:
                continue
            if self.debouncer.pending():
                return  # a newer save is waiting: its HTML first, the PDF after it
            self._publish_pdf(choice, result)
        if not self.debouncer.pending():
            self.state.set_warnings(self.builder.lint(compiled))

    def _publish_html(self, choice: Choice, compiled: Compiled, result: Rendered) -> None:
        timings = {"compile": compiled.seconds, **result.timings}
        view = self.state.view(choice.id)
        if result.html is None:
            self.state.publish(choice.id, problems=result.problems, timings=timings)
            return
        changes: dict[str, object] = {"problems": (), "timings": timings}
        if view is None or view.html_identity != result.identity:
            changes.update(html=preview_html(result.html), html_identity=result.identity)
        pdf_pending = "html" in changes or view is None or view.pdf_pending or not view.pdf_version
        self.state.publish(choice.id, pdf_pending=pdf_pending, **changes)

    def _publish_pdf(self, choice: Choice, result: Rendered) -> None:
        printed = self.builder.print(result)
        view = self.state.view(choice.id)
        timings = {**(view.timings if view is not None else {}), **printed.timings}
        if printed.pdf is None or printed.problems:
            self.state.publish(
                choice.id, problems=printed.problems, pdf_pending=False, timings=timings
            )
            return
        if view is not None and view.pdf_identity == printed.key and view.pdf_version:
            self.state.publish(choice.id, pdf_pending=False, timings=timings)
            return
        self.state.publish(
            choice.id,
            pdf=printed.pdf,
            pages=printed.pages,
            pdf_identity=printed.key,
            pdf_pending=False,
            timings=timings,
        )

    # ---------------------------------------------------------------- what to watch

    def _update_watches(
        self, compiled: Compiled | None = None, rendered: list[Rendered] | None = None
    ) -> None:
        paths: set[Path] = {self.template}
        if compiled is not None:
            paths.update(compiled.files)
        for result in rendered or ():
            paths.update(result.assets)
        paths.update(self.catalog.files())
        paths.add(self.root / "ccm.toml")
        self._watched = frozenset(os.path.realpath(p) for p in paths)
        if self.watcher is None:
            return
        folders = {(str(self.root), True)}
        for path in paths:
            real = os.path.realpath(path)
            if not real.startswith(str(self.root) + os.sep):
                folders.add((os.path.dirname(real), False))
        data_folder = self.catalog.data_folder
        if data_folder is not None and not str(data_folder.resolve()).startswith(
            str(self.root) + os.sep
        ):
            folders.add((str(data_folder), False))
        self.watcher.watch(folders)

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Block until no build is running or pending (tests, benchmarks)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.debouncer.idle():
                return True
            time.sleep(0.01)
        return False
