"""Spelling suggestions for unknown names: "did you mean `name`?" (STYLE.md: every unknown
name offers the nearest known one, because most unknown names are typos)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The known name nearest to ``name``, if any is near enough to be a likely typo."""
    pool = sorted(set(candidates))
    if not pool:
        return None
    matches = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
    if matches:
        return matches[0]
    lowered = {c.lower(): c for c in pool}
    return lowered.get(name.lower())


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """``"; did you mean `x`?"`` or the empty string, to append to a message."""
    match = closest(name, candidates)
    return f"; did you mean `{match}`?" if match is not None else ""


def listing(names: Iterable[str], limit: int = 8) -> str:
    """```a`, `b` and `c``` (with "…" past ``limit``) for "available fields" labels."""
    items = [f"`{n}`" for n in names]
    if not items:
        return "none"
    if len(items) > limit:
        items = [*items[:limit], "…"]
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]
