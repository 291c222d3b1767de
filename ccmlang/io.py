"""File output that never leaves a half-written file, and template discovery for the CLI.

A batch or a CI job that dies mid-write must not leave a truncated PDF that looks complete:
:func:`atomic_write` writes to a temporary file in the target's directory (same file system,
so the final rename is atomic), fsyncs it, then ``os.replace``-s it over the target.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

_HEADER = re.compile(r"\A\ufeff?(?:\s+|//[^\n]*|/\*[\s\S]*?\*/)*(template|library)(?![\w-])")
SKIP_DIRS = frozenset({"node_modules", "__pycache__", "out", "build", "dist"})
"""Directory names never searched for templates (besides hidden ones like ``.venv``)."""


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: readers see the old file or the new, never half."""
    directory = path.parent if str(path.parent) else Path(".")
    mode = _mode_for(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        if hasattr(os, "fchmod"):  # POSIX
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    # Persist the rename itself (POSIX); harmless to skip where directories cannot be opened.
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets what ``open()`` would give it
    (``mkstemp`` makes files private, which would surprise whoever serves the output)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def template_kind(path: Path) -> str | None:
    """``"template"`` or ``"library"`` from the file's header keyword, ``None`` if neither."""
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:65536]
    except OSError:
        return None
    match = _HEADER.match(head)
    return match.group(1) if match else None


def discover(paths: Iterable[Path]) -> list[Path]:
    """The ``.ccm`` files to check: files as given, directories searched recursively.

    Hidden directories (``.venv``, ``.git``) and build output are skipped; the result is sorted
    per argument and free of duplicates, so output order is stable across machines.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            candidates = sorted(
                p
                for p in path.rglob("*.ccm")
                if p.is_file()
                and not any(
                    part.startswith(".") or part in SKIP_DIRS
                    for part in p.relative_to(path).parts[:-1]
                )
            )
        else:
            candidates = [path]
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found
