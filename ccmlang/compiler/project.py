"""The template project: the directory a template and everything it reads must stay inside.

A project is marked by ``ccm.toml`` (spec/language.md, "Projects"): the nearest ancestor of a
template that holds one is its root; without one, the template's own directory is. Paths in
diagnostics and in the compiled program are shown relative to the root, so output does not
depend on where the project is checked out.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

MARKER = "ccm.toml"


def find_project_root(template: Path) -> Path:
    """The nearest ancestor directory of ``template`` containing ``ccm.toml``, else its directory."""
    start = template.resolve().parent
    for directory in (start, *start.parents):
        if (directory / MARKER).is_file():
            return directory
    return start


@lru_cache(maxsize=64)
def _resolved(root: Path) -> Path:
    """Project roots are resolved once: every asset path is compared with one."""
    return root.resolve()


def is_inside(path: Path, root: Path) -> bool:
    """Whether ``path`` (made absolute, symlinks resolved) lies within ``root``."""
    try:
        path.resolve().relative_to(_resolved(root))
    except ValueError:
        return False
    return True


def display_path(path: Path, root: Path) -> str:
    """``path`` relative to the project root with ``/`` separators (``..`` when outside)."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(_resolved(root)).as_posix()
    except ValueError:
        return os.path.relpath(resolved, _resolved(root)).replace(os.sep, "/")
