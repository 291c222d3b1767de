"""``ccm preview TEMPLATE [--data FILE ...] [--port N] [--host H] [--open] [--engine E]`` (issue 5).

Registered on the ``ccm`` app by ``ccmlang/cli.py``::

    from ccmlang.preview.command import preview_command
    app.command("preview")(preview_command)

Importing this module is cheap (typer only); the server, watchdog and the compiler load when
the command runs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ccmlang.cli_options import EngineOption, LimitOption, limit_changes

DEFAULT_PORT = 8765


def preview_command(
    template: Annotated[
        Path,
        typer.Argument(
            help="The template (.ccm).", metavar="TEMPLATE", exists=True, dir_okay=False
        ),
    ],
    data: Annotated[
        list[Path] | None,
        typer.Option(
            "--data",
            "-d",
            metavar="FILE",
            help="Sample data (JSON, JSON array, JSON Lines, CSV); repeatable. "
            "Default: data/*.json, *.jsonl, *.csv next to the template.",
        ),
    ] = None,
    port: Annotated[
        int, typer.Option("--port", "-p", min=0, max=65535, help="Port (0 picks a free one).")
    ] = DEFAULT_PORT,
    host: Annotated[
        str,
        typer.Option(
            "--host", help="Address to bind. Anything but 127.0.0.1 exposes your project files."
        ),
    ] = "127.0.0.1",
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the preview in the default browser.")
    ] = False,
    locale: Annotated[
        str | None, typer.Option(metavar="LOCALE", help="Locale, e.g. de-DE.")
    ] = None,
    engine: EngineOption = None,
    dpi: Annotated[
        int, typer.Option(min=36, max=300, help="Resolution of the PDF page images.")
    ] = 100,
    limit: LimitOption = None,
) -> None:
    """Serve a live preview that re-renders on every save: the HTML view and the true PDF."""
    from ccmlang.preview.server import PreviewServer
    from ccmlang.preview.session import PreviewSession

    if engine is not None:
        from ccmlang.engine import EngineError, check_engine

        try:
            engine = check_engine(engine)
        except EngineError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
    limits = limit_changes(limit)
    for path in data or []:
        if not path.is_file():
            typer.echo(f"error: data file {str(path)!r} does not exist", err=True)
            raise typer.Exit(2)
    session = PreviewSession(
        template,
        data=list(data) if data else None,
        locale=locale,
        engine=engine,
        limits=limits,
        dpi=dpi,
    )
    try:
        server = PreviewServer(session, host=host, port=port)
    except OSError as exc:
        typer.echo(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"ccm preview: {server.url}  (watching {session.root}; Ctrl+C stops)", err=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(
            f"warning: listening on {host}: anyone who can reach it can read the project's files",
            err=True,
        )
    if open_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        sys.stderr.write("\nccm preview: stopped\n")
