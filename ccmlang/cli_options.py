"""Options that several ``ccm`` commands share (render, batch, preview), declared once."""

from __future__ import annotations

from typing import Annotated

import typer

from ccmlang.compiler.limits import LimitError, parse_limit_options

EngineOption = Annotated[
    str | None,
    typer.Option(
        "--engine",
        metavar="ENGINE",
        help="PDF engine: weasyprint or typst (default: [render] engine in ccm.toml).",
    ),
]
LimitOption = Annotated[
    list[str] | None,
    typer.Option(
        "--limit",
        metavar="NAME=VALUE",
        help="Raise or lower a limit, e.g. max_pages=2000 (repeatable; default: ccm.toml [limits]).",
    ),
]


def limit_changes(values: list[str] | None) -> dict[str, str]:
    """``--limit`` values as a mapping; a malformed one is a usage error (exit status 2)."""
    try:
        return parse_limit_options(values)
    except LimitError as exc:
        raise typer.BadParameter(str(exc), param_hint="--limit") from None
