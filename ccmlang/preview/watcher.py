"""File watching (watchdog) and the debounce that turns a burst of saves into one build.

What to watch changes with every compile (an import added, a data file chosen), so the watcher
is told folders, and the session decides which paths matter (:meth:`PreviewSession.touch`).
The project root is watched recursively (a template may start importing any file in it); data
files outside the project add their own folder.

Only events that change content count: inotify also reports files being *opened* and closed
without writing, which our own builds do, and which would otherwise rebuild forever.

Editors save in bursts (truncate and write, or write a temporary file and rename it over the
original; "save all" touches several files). :class:`Debouncer` waits for a quiet period after
the last event, then hands every changed path to one build, like mkdocs' livereload.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from watchdog.events import (
    EVENT_TYPE_CLOSED,
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)

CONTENT_EVENTS = frozenset(
    {
        EVENT_TYPE_CREATED,
        EVENT_TYPE_MODIFIED,
        EVENT_TYPE_MOVED,
        EVENT_TYPE_DELETED,
        EVENT_TYPE_CLOSED,
    }
)


def _text(path: Any) -> str:
    return os.fsdecode(path) if isinstance(path, bytes | str) else str(path)


class _Handler(FileSystemEventHandler):
    def __init__(self, callback: Callable[[set[str]], None]) -> None:
        self.callback = callback

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in CONTENT_EVENTS:
            return
        paths = {os.path.realpath(_text(event.src_path))}
        dest = getattr(event, "dest_path", "")
        if dest:
            paths.add(os.path.realpath(_text(dest)))
        self.callback(paths)


class Watcher:
    """A watchdog observer over a set of folders that can change between builds."""

    def __init__(self, callback: Callable[[set[str]], None]) -> None:
        self._handler = _Handler(callback)
        self._observer: Any = None
        self._watches: dict[tuple[str, bool], Any] = {}
        self._lock = threading.Lock()

    def start(self) -> None:
        from watchdog.observers import Observer

        self._observer = Observer()
        self._observer.daemon = True
        self._observer.start()

    def watch(self, folders: Iterable[tuple[str, bool]]) -> None:
        """Watch exactly ``folders`` (path, recursive); folders that do not exist are skipped."""
        wanted = {(os.path.realpath(f), r) for f, r in folders if os.path.isdir(f)}
        with self._lock:
            if self._observer is None:
                return
            for key in set(self._watches) - wanted:
                with contextlib.suppress(KeyError, ValueError, OSError):
                    self._observer.unschedule(self._watches.pop(key))
            for key in wanted - set(self._watches):
                try:
                    self._watches[key] = self._observer.schedule(
                        self._handler, key[0], recursive=key[1]
                    )
                except OSError:  # inotify limits: the folder is not watched, nothing breaks
                    continue

    def stop(self) -> None:
        with self._lock:
            observer, self._observer = self._observer, None
            self._watches.clear()
        if observer is not None:
            observer.stop()
            observer.join(timeout=5)


class Debouncer:
    """Collects changed paths; :meth:`take` returns them once nothing arrived for ``quiet`` s.

    One condition variable serves the build thread: it sleeps in :meth:`take` until there is
    work, and can ask :meth:`pending` between stages whether a newer save is already waiting.
    """

    def __init__(self, quiet: float) -> None:
        self.quiet = quiet
        self._cond = threading.Condition()
        self._paths: set[str] = set()
        self._dirty = False
        self._last = 0.0
        self._closed = False
        self._busy = False

    def touch(self, paths: Iterable[str] = (), *, immediate: bool = False) -> None:
        """Record a change; ``immediate`` skips the quiet period (a page asked for new data)."""
        with self._cond:
            self._paths.update(paths)
            self._dirty = True
            self._last = (time.monotonic() - self.quiet) if immediate else time.monotonic()
            self._cond.notify_all()

    def pending(self) -> bool:
        with self._cond:
            return self._dirty

    def take(self) -> set[str] | None:
        """Block until a burst of changes has settled; ``None`` once closed."""
        with self._cond:
            while not self._dirty and not self._closed:
                self._cond.wait()
            while not self._closed:
                remaining = self._last + self.quiet - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            if self._closed:
                return None
            paths, self._paths, self._dirty = self._paths, set(), False
            self._busy = True
            return paths

    def done(self) -> None:
        """The build of the last :meth:`take` has finished."""
        with self._cond:
            self._busy = False
            self._cond.notify_all()

    def idle(self) -> bool:
        """Nothing waiting and nothing being built."""
        with self._cond:
            return not self._dirty and not self._busy

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
