"""The ``ccm`` command (spec/cli.md): check, render, backends, doctor, demo.

A thin layer over the library: each command parses options, calls library functions
(``compile_file``, ``Template.render``, the backend registry, ``diagnostics_render``) and maps
outcomes to exit codes — 0 success, 1 problems found or rendering failed, 2 usage errors (bad
option, missing path, unknown backend, bad configuration). Everything written to a file goes
through :func:`ccmlang.io.atomic_write`, so a failed run never leaves a half-written output.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ccmlang import __version__
from ccmlang.cli_options import EngineOption, LimitOption, limit_changes
from ccmlang.compiler.diagnostics import CompileError, Diagnostic, Severity
from ccmlang.config import Config, ConfigError, LintConfig, find_config, load_config
from ccmlang.diagnostics_render import FORMATS, render
from ccmlang.diagnostics_render.paths import relocate
from ccmlang.io import atomic_write, discover, template_kind

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2

app = typer.Typer(
    name="ccm",
    help="Customer communications as code: check and render .ccm templates.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class OutputFormat(StrEnum):
    human = "human"
    short = "short"
    json = "json"
    sarif = "sarif"
    github = "github"


assert tuple(OutputFormat) == tuple(OutputFormat(f) for f in FORMATS)


class ColorMode(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


def _use_color(mode: ColorMode, stream: Any) -> bool:
    if mode is ColorMode.always:
        return True
    if mode is ColorMode.never or os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _console() -> Console:
    """Tables for people: terminal width on a TTY, wide enough not to truncate when piped."""
    width = None if sys.stdout.isatty() else 200
    return Console(file=sys.stdout, width=width, highlight=False, soft_wrap=False)


def _usage_error(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


# ---------------------------------------------------------------- check


@dataclass(slots=True)
class CheckReport:
    """What ``ccm check`` found: diagnostics (paths relative to the working directory)."""

    files: list[Path]
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)


def check_paths(
    paths: Sequence[Path],
    *,
    lint: bool = True,
    config_file: Path | None = None,
    cwd: Path | None = None,
) -> CheckReport:
    """Check every template and library under ``paths``.

    Configuration comes from ``config_file`` or, per file, from the nearest ``ccm.toml`` /
    ``pyproject.toml [tool.ccm]``. A library imported by several checked templates reports its
    problems once.
    """
    from ccmlang.compiler.compile import check_file
    from ccmlang.compiler.project import find_project_root

    cwd = Path.cwd() if cwd is None else cwd
    files = discover(paths)
    report = CheckReport(files)
    fixed = load_config(config_file) if config_file is not None else None
    configs: dict[Path | None, Config] = {}
    seen: set[tuple[str, str, int, int, str]] = set()
    for path in files:
        if fixed is not None:
            config = fixed
        else:
            found = find_config(path)
            if found not in configs:
                configs[found] = load_config(found) if found is not None else Config()
            config = configs[found]
        root = find_project_root(path)
        result = check_file(path, project_root=root, lint=lint, lint_config=config.lint)
        for d in relocate(result.diagnostics, root, cwd):
            key = (
                d.code,
                d.span.file.path if d.span else "",
                d.span.start if d.span else -1,
                d.span.end if d.span else -1,
                d.message,
            )
            if key not in seen:
                seen.add(key)
                report.diagnostics.append(d)
    report.diagnostics.sort(key=Diagnostic.sort_key)
    return report


@app.command()
def check(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Template files or directories (searched recursively for *.ccm).",
            metavar="PATH",
            exists=True,
            readable=True,
            show_default=False,
        ),
    ],
    format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.human,
    strict: Annotated[bool, typer.Option(help="Exit 1 on warnings too.")] = False,
    no_lint: Annotated[bool, typer.Option("--no-lint", help="Skip the lint rules.")] = False,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="ccm.toml or pyproject.toml to use instead of the nearest one.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    color: Annotated[ColorMode, typer.Option(help="Colour human output.")] = ColorMode.auto,
) -> None:
    """Check templates and libraries: syntax, names, types against the data schema, lints."""
    try:
        report = check_paths(paths, lint=not no_lint, config_file=config)
    except ConfigError as exc:
        raise _usage_error(str(exc)) from None
    if not report.files:
        raise _usage_error("no .ccm files found in " + ", ".join(str(p) for p in paths))
    use_color = format is OutputFormat.human and _use_color(color, sys.stdout)
    output = render(
        report.diagnostics,
        format.value,
        color=use_color,
        root=Path.cwd(),
        files=[str(f) for f in report.files] if format is OutputFormat.human else None,
    )
    sys.stdout.write(output)
    sys.stdout.flush()
    failed = report.errors > 0 or (strict and report.warnings > 0)
    raise typer.Exit(EXIT_PROBLEMS if failed else EXIT_OK)


# ---------------------------------------------------------------- render


class RenderFailed(Exception):
    """Rendering stopped; ``diagnostics`` say why (already relative to the working directory)."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(f"{len(diagnostics)} problem(s)")
        self.diagnostics = diagnostics


@dataclass(frozen=True, slots=True)
class RenderRequest:
    template: Path
    data: Path | None
    """``None`` reads standard input."""
    backend: str
    record: int = 1
    locale: str | None = None
    pdf_variant: str | None = None
    inline_assets: bool = True
    """HTML: embed images and fonts, so the file works wherever it is copied."""
    engine: str | None = None
    """``--engine``: the PDF engine for ``--to pdf``; default: the project's ``[render] engine``."""
    limits: Mapping[str, str] = field(default_factory=dict)
    """``--limit name=value`` over the project's ``[limits]`` (spec/limits.md)."""


def _backend_diagnostic(exc: Exception) -> Diagnostic:
    code = getattr(exc, "code", "E3008")
    origin = getattr(exc, "origin", None)
    message = getattr(exc, "message", str(exc))
    if origin is not None:
        message = f"{origin.file}:{origin.line}:{origin.column}: {message}"
    return Diagnostic(code, Severity.ERROR, message, None)


def _data_error(message: str) -> Diagnostic:
    return Diagnostic("E3001", Severity.ERROR, message, None)


def record_json(value: Any) -> bytes:
    """``value`` as JSON with ``Decimal`` written as the exact number it is (no float detour)."""

    def encode(v: Any) -> str:
        if isinstance(v, Decimal):
            return str(v) if v.is_finite() else json.dumps(str(v))
        if isinstance(v, dict):
            return (
                "{"
                + ",".join(
                    f"{json.dumps(str(k), ensure_ascii=False)}:{encode(x)}" for k, x in v.items()
                )
                + "}"
            )
        if isinstance(v, list | tuple):
            return "[" + ",".join(encode(x) for x in v) + "]"
        return json.dumps(v, ensure_ascii=False, default=str)

    return encode(value).encode("utf-8")


def load_record(data: Path | None, record: int, schema: Any = None) -> Any:
    """Record ``record`` (1-based) of a JSON document, JSON array, JSON Lines or CSV file
    (``None``: standard input). Numbers with fractions are ``Decimal``."""
    from ccmlang import data as data_module

    try:
        return data_module.select_record("-" if data is None else data, record, schema=schema)
    except data_module.DataError as exc:
        raise RenderFailed([_data_error(str(exc))]) from None


def render_to_bytes(request: RenderRequest, cwd: Path | None = None) -> tuple[bytes, str]:
    """Compile, load the data record, render and emit; returns (bytes, file extension).

    Raises :class:`RenderFailed` with diagnostics for compile errors, invalid data, render
    errors and backend errors; ``LookupError`` for an unknown backend (a usage error).
    """
    from ccmlang.backends.base import RenderOptions, load_backends
    from ccmlang.compiler.compile import compile_file
    from ccmlang.compiler.evaluate import RenderError
    from ccmlang.compiler.limits import LimitError
    from ccmlang.compiler.project import find_project_root
    from ccmlang.engine import EngineError, configured_limits, pdf_backend_for

    cwd = Path.cwd() if cwd is None else cwd
    root = find_project_root(request.template)
    if request.backend == "pdf":  # the project's engine, so what is previewed is what is sent
        try:
            backend = pdf_backend_for(root, request.engine)
        except EngineError as exc:
            raise LookupError(str(exc)) from None
    else:
        backend = load_backends().get(request.backend)
    try:
        limits = configured_limits(root, request.limits)
    except LimitError as exc:
        raise LookupError(str(exc)) from None
    try:
        template = compile_file(request.template, project_root=root)
    except CompileError as exc:
        raise RenderFailed(relocate(exc.diagnostics, root, cwd)) from None
    record = load_record(request.data, request.record, template.program.schema)
    try:
        document = template.render(record, locale=request.locale, limits=limits)
    except RenderError as exc:
        raise RenderFailed(relocate(exc.diagnostics, root, cwd)) from None
    options = RenderOptions.from_limits(
        limits,
        pdf_variant=request.pdf_variant,
        data_json=record_json(record),
        inline_assets=request.inline_assets,
    )
    try:
        output = backend.render(document, options)
    except Exception as exc:
        from ccmlang.backends.base import BackendError

        if isinstance(exc, BackendError):
            raise RenderFailed([_backend_diagnostic(exc)]) from None
        raise
    return output, backend.extension


@app.command("render")
def render_command(
    template: Annotated[
        Path,
        typer.Argument(
            help="The template (.ccm).",
            metavar="TEMPLATE",
            exists=True,
            dir_okay=False,
            readable=True,
        ),
    ],
    data: Annotated[
        str,
        typer.Option(
            "--data",
            "-d",
            metavar="FILE|-",
            help="JSON, JSON array or JSON Lines file; - for stdin.",
        ),
    ],
    to: Annotated[
        str,
        typer.Option(
            "--to", "-t", metavar="BACKEND", help="Backend: pdf, html, tree, text or any installed."
        ),
    ] = "pdf",
    output: Annotated[
        str | None,
        typer.Option(
            "--output", "-o", metavar="OUT", help="Output file; - for stdout. Default <stem>.<ext>."
        ),
    ] = None,
    record: Annotated[
        int,
        typer.Option(
            "--record",
            "-r",
            min=1,
            metavar="N",
            help="Which record (1-based) of an array or JSON Lines.",
        ),
    ] = 1,
    locale: Annotated[
        str | None, typer.Option(metavar="LOCALE", help="Locale, e.g. de-DE.")
    ] = None,
    pdf_variant: Annotated[
        str | None,
        typer.Option(
            "--pdf-variant", metavar="VARIANT", help="pdf/a-3b (archive) or pdf/ua-1 (accessible)."
        ),
    ] = None,
    inline_assets: Annotated[
        bool,
        typer.Option(
            "--inline-assets/--link-assets",
            help="HTML: embed images and fonts (the file stands alone) or link them by path.",
        ),
    ] = True,
    engine: EngineOption = None,
    limit: LimitOption = None,
    color: Annotated[ColorMode, typer.Option(help="Colour error output.")] = ColorMode.auto,
) -> None:
    """Render one data record through a template to PDF, HTML, a layout tree or text."""
    from ccmlang.backends.base import PDF_VARIANTS

    if pdf_variant is not None and pdf_variant not in PDF_VARIANTS:
        raise _usage_error(
            f"unknown --pdf-variant {pdf_variant!r} (known: {', '.join(sorted(PDF_VARIANTS))})"
        )
    data_path: Path | None = None
    if data != "-":
        data_path = Path(data)
        if not data_path.is_file():
            raise _usage_error(f"data file {data!r} does not exist")
    request = RenderRequest(
        template,
        data_path,
        to,
        record,
        locale,
        pdf_variant,
        inline_assets,
        engine,
        limit_changes(limit),
    )
    try:
        payload, extension = render_to_bytes(request)
    except LookupError as exc:
        raise _usage_error(str(exc).strip("'\"")) from None
    except RenderFailed as exc:
        text = render(
            exc.diagnostics, "human", color=_use_color(color, sys.stderr), root=Path.cwd()
        )
        sys.stderr.write(text)
        n = len(exc.diagnostics)
        sys.stderr.write(
            f"error: could not render `{template.name}` ({n} problem{'s' * (n != 1)})\n"
        )
        raise typer.Exit(EXIT_PROBLEMS) from None
    if output == "-":
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
        raise typer.Exit(EXIT_OK)
    target = Path(output) if output else Path(f"{template.stem}.{extension}")
    if target.is_dir():
        target = target / f"{template.stem}.{extension}"
    atomic_write(target, payload)
    typer.echo(f"wrote {target} ({len(payload):,} bytes)", err=True)


# ---------------------------------------------------------------- backends, doctor


@app.command()
def backends() -> None:
    """List installed output backends and plugins that failed to load."""
    from ccmlang.backends.base import load_backends

    registry = load_backends()
    available = registry.available()
    table = Table(title="Backends", title_justify="left")
    for column in ("name", "media type", "extension", "module"):
        table.add_column(column)
    for name, backend in available.items():
        cls = type(backend)
        table.add_row(
            name,
            backend.media_type,
            "." + backend.extension,
            f"{cls.__module__}.{cls.__qualname__}",
        )
    console = _console()
    console.print(table)
    broken = registry.broken
    if broken:
        bad = Table(title="Broken plugins", title_justify="left")
        bad.add_column("name")
        bad.add_column("error")
        for name, error in broken.items():
            bad.add_row(name, error)
        console.print(bad)


@app.command()
def doctor() -> None:
    """Check the installation: Python packages, fonts, WeasyPrint, FOP; say how to fix gaps."""
    from ccmlang.doctor import run_checks

    checks = run_checks()
    table = Table(title="ccm doctor", title_justify="left")
    for column in ("check", "status", "detail", "fix"):
        table.add_column(column)
    failed_required = False
    for c in checks:
        required = bool(getattr(c, "required", True))
        status = "ok" if c.ok else ("MISSING" if required else "optional")
        if not c.ok and required:
            failed_required = True
        table.add_row(c.name, status, c.detail or "", "" if c.ok else (c.fix or ""))
    _console().print(table)
    raise typer.Exit(EXIT_PROBLEMS if failed_required else EXIT_OK)


# ---------------------------------------------------------------- demo


@dataclass(frozen=True, slots=True)
class DemoResult:
    example: str
    template: Path
    data: Path | None
    outputs: dict[str, str]
    """backend → ``"<file> (<size>)"`` or ``"failed: <reason>"``."""

    @property
    def ok(self) -> bool:
        return self.data is not None and not any(
            v.startswith("failed") for v in self.outputs.values()
        )


def find_examples(examples: Path) -> list[tuple[str, Path, Path | None]]:
    """``(name, template, first data file)`` for every example directory with a template."""
    found = []
    for directory in sorted(p for p in examples.iterdir() if p.is_dir()):
        templates = sorted(p for p in directory.glob("*.ccm") if template_kind(p) == "template")
        if not templates:
            continue
        # `sample.json` is the example's showcase record when there is one.
        data = sorted(
            (directory / "data").glob("*.json"), key=lambda p: (p.name != "sample.json", p.name)
        )
        found.append((directory.name, templates[0], data[0] if data else None))
    return found


def run_demo(
    examples: Path, out: Path, backends: Sequence[str] = ("html", "pdf")
) -> list[DemoResult]:
    """Render every example to each backend in ``out``; failures are recorded, not raised."""
    out.mkdir(parents=True, exist_ok=True)
    results = []
    for name, template, data in find_examples(examples):
        outputs: dict[str, str] = {}
        if data is None:
            results.append(
                DemoResult(name, template, None, {b: "failed: no data/*.json" for b in backends})
            )
            continue
        for backend in backends:
            try:
                payload, ext = render_to_bytes(RenderRequest(template, data, backend))
            except RenderFailed as exc:
                first = exc.diagnostics[0] if exc.diagnostics else None
                reason = f"{first.code} {first.message}" if first else "unknown"
                outputs[backend] = f"failed: {reason}"
                sys.stderr.write(render(exc.diagnostics, "human", root=Path.cwd()))
                continue
            except LookupError as exc:
                outputs[backend] = f"failed: {exc}"
                continue
            target = out / f"{name}.{ext}"
            atomic_write(target, payload)
            outputs[backend] = f"{target} ({len(payload):,} bytes)"
        results.append(DemoResult(name, template, data, outputs))
    return results


def _default_examples() -> Path:
    here = Path("examples")
    if here.is_dir():
        return here
    return Path(__file__).resolve().parents[1] / "examples"


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory for the outputs.")] = Path(
        "out"
    ),
    examples: Annotated[
        Path | None,
        typer.Option(
            help="The examples directory (default: ./examples).", file_okay=False, exists=True
        ),
    ] = None,
) -> None:
    """Render every example under examples/*/ to HTML and PDF."""
    source = examples if examples is not None else _default_examples()
    if not source.is_dir():
        raise _usage_error(f"no examples directory at {source}")
    results = run_demo(source, out)
    if not results:
        raise _usage_error(f"no examples with a template in {source}")
    table = Table(title=f"Demo: {len(results)} examples → {out}", title_justify="left")
    for column in ("example", "template", "data", "html", "pdf"):
        table.add_column(column)
    for r in results:
        table.add_row(
            r.example,
            r.template.name,
            r.data.name if r.data else "-",
            r.outputs.get("html", ""),
            r.outputs.get("pdf", ""),
        )
    _console().print(table)
    raise typer.Exit(EXIT_OK if all(r.ok for r in results) else EXIT_PROBLEMS)


# ---------------------------------------------------------------- entry point


from ccmlang.preview.command import preview_command  # noqa: E402  (cheap: loads on use)
from ccmlang.production.cli_batch import register as register_batch  # noqa: E402

app.command("preview")(preview_command)
register_batch(app)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ccm {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """ccm: check and render customer-communication templates."""


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point (``ccm = "ccmlang.cli:main"``)."""
    app(args=list(argv) if argv is not None else None, prog_name="ccm")


__all__ = [
    "CheckReport",
    "LintConfig",
    "RenderFailed",
    "RenderRequest",
    "app",
    "check_paths",
    "main",
    "render_to_bytes",
    "run_demo",
]


if __name__ == "__main__":  # python -m ccmlang.cli
    main()
