"""Project configuration: ``ccm.toml`` or ``[tool.ccm]`` in ``pyproject.toml`` (spec/lints.md,
"Configuration").

Only the ``[lint]`` table is read today::

    [lint]
    select = ["a11y", "W1"]          # codes, dotted names or prefixes of either; empty = every rule
    ignore = ["i18n.untranslated"]
    severity = { "a11y.contrast" = "error", W112 = "off" }

Configuration is found by walking up from the checked path to the first directory holding a
``ccm.toml`` or a ``pyproject.toml`` with a ``[tool.ccm]`` table (the same rule ruff and
sqlfluff follow), so running ``ccm check`` from anywhere in a project gives the same result.
Errors in the file are :class:`ConfigError` with the file name, never silently ignored: a typo in
``ignore`` that silently re-enables a rule would be worse than stopping.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ccmlang.compiler.diagnostics import Severity

CONFIG_FILE = "ccm.toml"
SEVERITY_VALUES = ("error", "warning", "note", "off")
"""What ``severity = {…}`` accepts; ``off`` disables the rule like ``ignore`` does."""


class ConfigError(Exception):
    """The configuration file is unreadable or has a bad value; the message names the file."""


def _matches(selector: str, code: str, name: str) -> bool:
    """A selector matches a rule by exact code or name, or as a prefix of either.

    Name prefixes only match whole dotted parts (``a11y`` matches ``a11y.contrast``, ``a1`` does
    not), while code prefixes match characters (``W1`` matches ``W104``), as in ruff.
    """
    sel = selector.strip()
    if not sel:
        return False
    if sel.upper() == code.upper() or sel == name:
        return True
    if (
        code.upper().startswith(sel.upper())
        and sel[:1].upper() == code[:1].upper()
        and (sel[1:].isdigit() or len(sel) == 1)
    ):
        return True
    return bool(name) and name.startswith(sel.rstrip(".") + ".")


@dataclass(frozen=True, slots=True)
class LintConfig:
    """Which lint rules run and at which severity."""

    select: tuple[str, ...] = ()
    """Empty means every rule."""
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)
    """Selector (code, name or prefix) → ``error`` | ``warning`` | ``note`` | ``off``."""

    def is_enabled(self, code: str, name: str) -> bool:
        if self.select and not any(_matches(s, code, name) for s in self.select):
            return False
        if any(_matches(s, code, name) for s in self.ignore):
            return False
        return self.severity_for(code, name, Severity.WARNING) is not None

    def severity_for(self, code: str, name: str, default: Severity) -> Severity | None:
        """The configured severity (``None`` when ``off``). The most specific selector wins:
        an exact code or name beats a prefix, a longer prefix beats a shorter one."""
        best: tuple[int, str] | None = None
        for selector, value in self.severity.items():
            if not _matches(selector, code, name):
                continue
            exact = selector.upper() == code.upper() or selector == name
            rank = 10_000 if exact else len(selector)
            if best is None or rank > best[0]:
                best = (rank, value)
        if best is None:
            return default
        if best[1] == "off":
            return None
        return Severity(best[1])

    @classmethod
    def from_mapping(cls, table: Mapping[str, Any], source: str = "<config>") -> LintConfig:
        """Validate a ``[lint]`` table; unknown keys and bad values are :class:`ConfigError`."""
        unknown = sorted(set(table) - {"select", "ignore", "severity"})
        if unknown:
            raise ConfigError(
                f"{source}: unknown key(s) in [lint]: {', '.join(unknown)} "
                "(known: select, ignore, severity)"
            )
        select = _string_list(table.get("select", []), "select", source)
        ignore = _string_list(table.get("ignore", []), "ignore", source)
        raw_severity = table.get("severity", {})
        if not isinstance(raw_severity, Mapping):
            raise ConfigError(f"{source}: [lint] severity must be a table of rule = level")
        severity: dict[str, str] = {}
        for key, value in raw_severity.items():
            if not isinstance(value, str) or value.lower() not in SEVERITY_VALUES:
                raise ConfigError(
                    f"{source}: [lint] severity for {key!r} is {value!r}; "
                    f"expected one of {', '.join(SEVERITY_VALUES)}"
                )
            severity[str(key)] = value.lower()
        return cls(select, ignore, severity)


def _string_list(value: object, key: str, source: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{source}: [lint] {key} must be a list of rule codes or names")
    return tuple(value)


@dataclass(frozen=True, slots=True)
class Config:
    lint: LintConfig = field(default_factory=LintConfig)
    path: Path | None = None
    """The file it came from; ``None`` for defaults."""


def find_config(start: Path) -> Path | None:
    """The nearest ``ccm.toml`` (or ``pyproject.toml`` with ``[tool.ccm]``), from ``start`` up."""
    here = start.resolve()
    if here.is_file() or not here.exists():
        here = here.parent
    for directory in (here, *here.parents):
        candidate = directory / CONFIG_FILE
        if candidate.is_file():
            return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _has_tool_ccm(pyproject):
            return pyproject
    return None


def _has_tool_ccm(path: Path) -> bool:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False
    tool = data.get("tool")
    return isinstance(tool, dict) and isinstance(tool.get("ccm"), dict)


def load_config(path: Path) -> Config:
    """Read one configuration file (``ccm.toml`` or ``pyproject.toml``)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("ccm", {}) if isinstance(tool, dict) else {}
    else:
        table = data
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.ccm] must be a table")
    lint = table.get("lint", {})
    if not isinstance(lint, dict):
        raise ConfigError(f"{path}: [lint] must be a table")
    return Config(LintConfig.from_mapping(lint, str(path)), path)


def discover_config(paths: Iterable[Path]) -> Config:
    """The configuration for a set of checked paths: that of the first path which has one."""
    for p in paths:
        found = find_config(p)
        if found is not None:
            return load_config(found)
    return Config()
