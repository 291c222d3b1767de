"""What a project's renders use: its PDF engine (spec/typst.md, "Choosing the engine") and its
limits (spec/limits.md, "Changing a limit").

A template project chooses its PDF engine once, in ``ccm.toml`` at the project root::

    [render]
    engine = "typst"        # or "weasyprint" (the default)

and the preview, ``ccm render --to pdf`` and ``ccm batch`` all ask :func:`pdf_backend_for`, so what
the designer sees is what is sent. A command-line ``--engine`` overrides the file for one run.
Each engine is a backend in the ``ccmlang.backends`` registry (``pdf`` for WeasyPrint,
``pdf-typst`` for Typst); an engine whose optional package is missing is an :class:`EngineError`
that says what to install, never a silent switch to the other engine.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ccmlang.backends.base import Backend, Registry, UnknownBackendError, load_backends
from ccmlang.compiler.limits import LimitError, Limits, with_changes

CONFIG_FILE = "ccm.toml"
DEFAULT_ENGINE = "weasyprint"
ENGINES = {"weasyprint": "pdf", "typst": "pdf-typst"}
"""Engine name → backend name in the registry."""
EXTRAS = {"typst": "ccmlang[typst]"}


class EngineError(ValueError):
    """An unknown engine, a bad ``[render]`` table, or an engine that is not installed."""


def _config_file(project: str | Path | None) -> Path | None:
    if project is None or project == "":
        return None
    path = Path(project)
    if path.name == CONFIG_FILE:
        return path if path.is_file() else None
    if path.is_file():  # a template or other file: its directory
        path = path.parent
    candidate = path / CONFIG_FILE
    return candidate if candidate.is_file() else None


def check_engine(name: str, source: str = "--engine") -> str:
    """``name`` normalised, or :class:`EngineError` naming the known engines."""
    key = name.strip().lower()
    if key not in ENGINES:
        known = ", ".join(sorted(ENGINES))
        raise EngineError(f"{source}: unknown PDF engine {name!r} (known: {known})")
    return key


def project_config(project: str | Path | None) -> tuple[Path | None, dict[str, Any]]:
    """The project's ``ccm.toml`` (``project``: the project root, a file in it, or the file
    itself) and its tables; ``(None, {})`` without one. Raises ``ValueError`` naming the file."""
    path = _config_file(project)
    if path is None:
        return None, {}
    try:
        return path, tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not valid TOML: {exc}") from exc


def configured_engine(project: str | Path | None) -> str:
    """The engine the project's ``ccm.toml`` chooses (``[render] engine``), else the default.

    ``project`` is the project root (``Document.project_root``), or its ``ccm.toml``.
    """
    try:
        path, data = project_config(project)
    except ValueError as exc:
        raise EngineError(str(exc)) from exc
    if path is None:
        return DEFAULT_ENGINE
    table = data.get("render", {})
    if not isinstance(table, dict):
        raise EngineError(f"{path}: [render] must be a table")
    value = table.get("engine", DEFAULT_ENGINE)
    if not isinstance(value, str):
        raise EngineError(f"{path}: [render] engine must be a string")
    return check_engine(value, f"{path}: [render] engine")


def engine_for(project: str | Path | None, override: str | None = None) -> str:
    """``override`` (the command line's ``--engine``) if given, else the project's choice."""
    if override:
        return check_engine(override)
    return configured_engine(project)


def pdf_backend_for(
    project: str | Path | None,
    override: str | None = None,
    *,
    registry: Registry | None = None,
) -> Backend:
    """The PDF backend of a project: preview, ``ccm render`` and ``ccm batch`` all call this."""
    engine = engine_for(project, override)
    registry = registry or load_backends()
    try:
        return registry.get(ENGINES[engine])
    except UnknownBackendError as exc:
        extra = EXTRAS.get(engine)
        hint = f"; install it with `pip install {extra}`" if extra else ""
        raise EngineError(f"the {engine} PDF engine is not available ({exc}){hint}") from exc


def configured_limits(
    project: str | Path | None, overrides: Mapping[str, str] | None = None
) -> Limits:
    """The limits of a project's renders (spec/limits.md): the defaults, changed by the
    ``[limits]`` table of its ``ccm.toml``, changed by ``--limit name=value`` (``overrides``).
    ``ccm render``, ``ccm batch`` and the preview all ask this, like the engine.

    Raises :class:`~ccmlang.compiler.limits.LimitError` for a bad name, value or file.
    """
    try:
        path, data = project_config(project)
    except ValueError as exc:
        raise LimitError(str(exc)) from exc
    limits = Limits()
    table = data.get("limits", {})
    if not isinstance(table, dict):
        raise LimitError(f"{path}: [limits] must be a table")
    if table:
        limits = with_changes(limits, table, f"{path}: [limits]")
    if overrides:
        limits = with_changes(limits, overrides, "--limit")
    return limits
