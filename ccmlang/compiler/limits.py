"""Named limits (spec/limits.md): every one has a default, an error code and a test.

Templates cannot loop forever (loops only iterate over data), but data can be huge and
components can nest; these bounds make a render's cost predictable.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Limits:
    max_depth: int = 64
    """Nesting of blocks in the produced document (``E3002``)."""
    max_nodes: int = 200_000
    """Layout nodes per document (``E3003``)."""
    max_pages: int = 500
    """Pages per document (``E3004``); checked by the paginating backends."""
    max_output_bytes: int = 50 * 1024 * 1024
    """Bytes a backend may produce for one document (``E3005``)."""
    max_render_seconds: float = 30.0
    """Wall-clock time to evaluate one document (``E3006``)."""
    max_image_pixels: int = 40_000_000
    """Pixels of one raster image, read from its header before decoding (``E3009``)."""


LIMIT_NAMES: tuple[str, ...] = tuple(Limits.__dataclass_fields__)
"""Every limit's name, as ``ccm.toml``'s ``[limits]`` table and ``--limit`` spell it."""


class LimitError(ValueError):
    """A limit name or value that is not accepted; the message says which and why."""


def with_changes(limits: Limits, changes: Mapping[str, object], source: str) -> Limits:
    """``limits`` with some fields changed; names and values are checked (``source`` says where
    they came from, for the message). Values may be numbers or their text (``--limit``)."""
    fields: dict[str, Any] = {}
    for name, raw in changes.items():
        key = name.strip().replace("-", "_")
        if key not in LIMIT_NAMES:
            known = ", ".join(LIMIT_NAMES)
            raise LimitError(f"{source}: unknown limit `{name}` (known: {known})")
        kind = float if key == "max_render_seconds" else int
        try:
            if isinstance(raw, bool) or not isinstance(raw, int | float | str):
                raise ValueError
            if kind is int and isinstance(raw, float) and not raw.is_integer():
                raise ValueError
            value = kind(raw.replace("_", "") if isinstance(raw, str) else raw)
        except (ValueError, OverflowError):
            raise LimitError(
                f"{source}: limit `{name}` must be a {'number' if kind is float else 'whole number'}"
                f", got {raw!r}"
            ) from None
        if not value > 0 or (kind is float and value == float("inf")):
            raise LimitError(f"{source}: limit `{name}` must be above zero, got {raw!r}")
        fields[key] = value
    return dataclasses.replace(limits, **fields)


def parse_limit_options(values: list[str] | None) -> dict[str, str]:
    """``["max_pages=2000", "max-render-seconds=90"]`` (repeated ``--limit``) as a mapping."""
    changes: dict[str, str] = {}
    for item in values or ():
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise LimitError(f"{item!r}: expected NAME=VALUE, e.g. max_pages=2000")
        changes[name.strip()] = value.strip()
    return changes
