"""``ccm batch``: the command-line face of :mod:`ccmlang.production.engine` (spec/production.md).

:func:`batch_command` is an ordinary Typer command. ``ccmlang.cli`` registers it with
``from ccmlang.production.cli_batch import register; register(app)``; ``python -m
ccmlang.production`` runs it alone (tests start it that way to kill it with SIGKILL).

Exit status: 0 every record produced, 1 some record failed (or the print stream could not be
made), 2 the batch could not start (bad option, template does not compile, directory of
another batch).
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ccmlang.cli_options import EngineOption, LimitOption, limit_changes

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class DataFormat(StrEnum):
    auto = "auto"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


def batch_command(
    template: Annotated[
        Path,
        typer.Argument(
            help="The template (.ccm).", metavar="TEMPLATE", exists=True, dir_okay=False
        ),
    ],
    data: Annotated[
        Path,
        typer.Option(
            "--data",
            "-d",
            metavar="FILE",
            help="JSON Lines, a JSON array or CSV (dotted column names build nested records).",
            exists=True,
            dir_okay=False,
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", metavar="DIR", help="Output directory (manifest.jsonl goes here too)."
        ),
    ],
    to: Annotated[
        str,
        typer.Option("--format", "-f", "--to", metavar="BACKEND", help="pdf, html, fo or text."),
    ] = "pdf",
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            metavar="EXPR",
            help='Output name per record, e.g. "{account.number}-{period.end}" '
            "(default: the record number).",
        ),
    ] = None,
    data_format: Annotated[
        DataFormat, typer.Option("--data-format", help="Data format (default: by extension).")
    ] = DataFormat.auto,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", "-j", min=1, metavar="N", help="Worker processes (default: CPU count)."
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="ADDRESS",
            help="Render on a Dask cluster (tcp://host:8786); needs ccmlang[cluster].",
        ),
    ] = None,
    max_errors: Annotated[
        int | None,
        typer.Option("--max-errors", min=1, metavar="N", help="Stop after N failed records."),
    ] = None,
    manifest_csv: Annotated[
        bool, typer.Option("--manifest-csv", help="Also write manifest.csv.")
    ] = False,
    restart: Annotated[
        bool,
        typer.Option(
            "--restart", help="Start over instead of resuming the batch already in --out."
        ),
    ] = False,
    locale: Annotated[
        str | None, typer.Option(metavar="LOCALE", help="Locale, e.g. de-DE.")
    ] = None,
    pdf_variant: Annotated[
        str | None,
        typer.Option("--pdf-variant", metavar="VARIANT", help="pdf/a-3b or pdf/ua-1."),
    ] = None,
    print_stream: Annotated[
        Path | None,
        typer.Option(
            "--print-stream",
            metavar="FILE.pdf",
            help="Also write every document, in order, into one print-ready PDF.",
        ),
    ] = None,
    duplex: Annotated[
        bool,
        typer.Option(
            "--duplex/--simplex",
            help="Print stream: pad each document to an even page count.",
        ),
    ] = False,
    omr: Annotated[
        bool, typer.Option("--omr", help="Print stream: OMR inserter marks on every sheet.")
    ] = False,
    datamatrix: Annotated[
        bool,
        typer.Option(
            "--datamatrix", help="Print stream: a DataMatrix mail-piece id on each document."
        ),
    ] = False,
    sort_by: Annotated[
        str | None,
        typer.Option("--sort-by", metavar="EXPR", help="Print stream order, e.g. postcode."),
    ] = None,
    group_by: Annotated[
        str | None,
        typer.Option(
            "--group-by",
            metavar="EXPR",
            help="Householding: documents with equal values share an envelope.",
        ),
    ] = None,
    max_sheets: Annotated[
        int | None,
        typer.Option("--max-sheets", min=1, metavar="N", help="Most sheets per envelope."),
    ] = None,
    index: Annotated[
        Path | None,
        typer.Option(
            "--index",
            metavar="FILE",
            help="Print stream index, .csv or .json (default: FILE.index.csv).",
        ),
    ] = None,
    job_id: Annotated[
        str, typer.Option("--job-id", metavar="ID", help="Mail-piece id prefix.")
    ] = "CCM",
    engine: EngineOption = None,
    limit: LimitOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress, no summary.")] = False,
) -> None:
    """Render every record of a data file: in parallel, resumable, with a manifest."""
    from ccmlang.compiler.diagnostics import CompileError
    from ccmlang.production.engine import BatchConfig, BatchError, run_batch
    from ccmlang.production.printstream import PrintOptions
    from ccmlang.production.progress import make_progress, summary_table

    stream_options = None
    if print_stream is not None:
        stream_options = PrintOptions(
            output=print_stream,
            duplex=duplex,
            omr=omr,
            datamatrix=datamatrix,
            sort_by=sort_by,
            group_by=group_by,
            max_sheets=max_sheets,
            index=index or print_stream.with_name(print_stream.stem + ".index.csv"),
            job_id=job_id,
        )
    elif any((omr, datamatrix, sort_by, group_by, max_sheets, index, duplex)):
        raise _fail(
            "--duplex, --omr, --datamatrix, --sort-by, --group-by, --max-sheets and "
            "--index shape a print stream: add --print-stream FILE.pdf"
        )
    config = BatchConfig(
        template=template,
        data=data,
        out=out,
        format=to,
        data_format=data_format.value,
        name=name,
        workers=workers,
        scheduler=scheduler,
        max_errors=max_errors,
        manifest_csv=manifest_csv,
        restart=restart,
        locale=locale,
        pdf_variant=pdf_variant,
        print_stream=stream_options,
        engine=engine,
        limits=limit_changes(limit),
    )
    try:
        summary = run_batch(config, make_progress(quiet=quiet))
    except BatchError as exc:
        raise _fail(str(exc)) from None
    except CompileError as exc:
        from ccmlang.diagnostics_render import render

        sys.stderr.write(render(exc.diagnostics, "human", root=Path.cwd()))
        raise _fail(f"`{template}` does not compile") from None
    except KeyboardInterrupt:
        typer.echo("interrupted: run the same command again to resume", err=True)
        raise typer.Exit(130) from None
    if not quiet:
        Console(soft_wrap=True, highlight=False).print(summary_table(summary))
        if summary.print_stream_skipped:
            typer.echo(f"no print stream: {summary.print_stream_skipped}", err=True)
    failed = summary.failed > 0 or bool(summary.print_stream_skipped)
    raise typer.Exit(EXIT_PROBLEMS if failed else EXIT_OK)


def register(app: typer.Typer) -> None:
    """Add ``batch`` to a Typer app (``ccmlang.cli`` calls this); a second call does nothing."""
    if not any(c.name == "batch" for c in app.registered_commands):
        app.command("batch")(batch_command)


def main() -> None:
    """``python -m ccmlang.production``: the batch command on its own."""
    standalone = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    standalone.command()(batch_command)
    standalone(prog_name="ccm batch")


def _attach_to_ccm() -> None:
    """Importing this module adds ``batch`` to ``ccm`` (``ccmlang.cli`` imports it for that).

    Safe in either import order: ``ccmlang.cli`` may be half-imported (it imports us after
    creating ``app``), and registering twice is avoided by name.
    """
    from ccmlang import cli

    app = getattr(cli, "app", None)
    if app is not None:
        register(app)


_attach_to_ccm()
