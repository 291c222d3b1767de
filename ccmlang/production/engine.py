"""The batch loop (spec/production.md): stream records, render in parallel, record each once.

Invariants the code below keeps, and why:

* **Flat memory.** Records are read one at a time from :func:`ccmlang.data.iter_records`; at
  most ``2 × workers`` are rendering at once and at most :data:`MAX_SLOTS_PER_WORKER` ×
  workers are waiting for their manifest line. An output is written to disk as soon as its
  worker returns it, so the parent never holds more than the in-flight window of documents.
  What grows with the number of records is only what duplicate names and resuming need: an
  8-byte name digest per record, plus 40 bytes per record already done by an earlier run.
* **Exactly once.** An output is written to ``.NAME.EXT.ccm-tmp``, renamed into place, and only
  then is its manifest line appended. A re-run skips a record whose last manifest line is ``ok``
  with the same name and whose file still has the recorded SHA-256. A kill at any point leaves
  either no line (the record is rendered again, to the same name and bytes) or a complete one.
* **Ordered manifest.** Lines are appended in record order whatever order workers finish in,
  so two runs of the same batch give the same manifest (except render times).
* **Bad records are data.** A record that is malformed, fails its schema, its name or its render
  becomes a manifest line with a code; the batch goes on until ``max_errors`` is reached.
"""

from __future__ import annotations

import hashlib
import os
import signal
import threading
import time
from collections import Counter, deque
from collections.abc import Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ccmlang.production import codes
from ccmlang.production.executors import Executor, make_executor
from ccmlang.production.manifest import (
    ERROR,
    MANIFEST_CSV_NAME,
    MANIFEST_NAME,
    OK,
    STATE_NAME,
    TEMP_SUFFIX,
    BatchState,
    Done,
    ManifestWriter,
    Row,
    key_hash,
    load_done,
    write_csv,
)
from ccmlang.production.naming import Namer, NamingError, TextTemplate
from ccmlang.production.printstream import PrintItem, PrintOptions, PrintResult, build_print_stream
from ccmlang.production.progress import NullProgress, Progress, count_records
from ccmlang.production.worker import (
    JobSpec,
    RenderResult,
    file_sha256,
    render_task,
    template_fingerprint,
)

IN_FLIGHT_PER_WORKER = 2
"""Records rendering at once per worker: one running, one queued so no worker waits for us."""
MAX_SLOTS_PER_WORKER = 16
"""Records waiting for their (ordered) manifest line behind a slow one, per worker."""
MAX_LOST_BEFORE_ANY = 3
"""Records that kill their worker alone before any record was rendered: the workers cannot
start at all (an import error, a broken installation), so the batch stops instead."""
POLL_SECONDS = 0.5


class BatchError(Exception):
    """The batch cannot start (bad options, a directory of another batch); exit status 2."""


@dataclass(frozen=True, slots=True)
class BatchConfig:
    template: Path
    data: Path
    out: Path
    format: str = "pdf"
    data_format: str = "auto"
    name: str | None = None
    workers: int | None = None
    scheduler: str | None = None
    max_errors: int | None = None
    manifest_csv: bool = False
    restart: bool = False
    """Start over in a directory holding an earlier batch of other settings."""
    locale: str | None = None
    pdf_variant: str | None = None
    print_stream: PrintOptions | None = None
    engine: str | None = None
    """``--engine`` for PDF output: ``weasyprint`` or ``typst``; default: the project's
    ``[render] engine`` (``ccm.toml``), as ``ccm render`` and the preview use."""
    limits: Mapping[str, str] = field(default_factory=dict)
    """``--limit name=value`` over the project's ``[limits]`` (spec/limits.md)."""


@dataclass(slots=True)
class BatchSummary:
    read: int = 0
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    stopped_early: bool = False
    seconds: float = 0.0
    executor: str = ""
    codes: Counter[str] = field(default_factory=Counter)
    print_stream: PrintResult | None = None
    print_stream_skipped: str = ""
    """Why no print stream was written although one was asked for."""

    @property
    def rate(self) -> float:
        """Documents rendered per second (records skipped as already done are not counted)."""
        return (self.ok + self.failed) / self.seconds if self.seconds > 0 else 0.0

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


@dataclass(slots=True)
class _Slot:
    """One record on its way to the manifest."""

    number: int
    key: str = ""
    value: Any = None
    future: Future[RenderResult] | None = None
    row: Row | None = None
    resolved: bool = False
    sort_key: str = ""
    group_key: str = ""


def _failed_row(number: int, key: str, code: str, message: str, seconds: float = 0.0) -> Row:
    return Row(number, key, "", None, None, "", ERROR, code, message, round(seconds, 4))


class Batch:
    """One run of ``ccm batch``. Use :func:`run_batch`."""

    def __init__(self, config: BatchConfig, progress: Progress | None = None) -> None:
        self.config = config
        self.progress = progress or NullProgress()
        self.summary = BatchSummary()
        self.out = config.out
        self.extension = ""
        self.pending: set[Future[RenderResult]] = set()
        self.by_future: dict[Future[RenderResult], _Slot] = {}
        self.slots: deque[_Slot] = deque()
        self.names: dict[int, int] = {}
        self.done: dict[int, Done | None] = {}
        self.print_items: list[PrintItem] = []
        self.stopping = False
        self.suspects: deque[_Slot] = deque()
        """Records in flight when a worker died, each retried alone to find the one that kills."""
        self.results = 0
        self.lost = 0

    # ------------------------------------------------------------ set-up

    def _compile(self) -> Any:
        from ccmlang.compiler.compile import compile_file

        return compile_file(self.config.template)

    def _check_directory(self, state: BatchState) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        for tmp in self.out.glob("." + "*" + TEMP_SUFFIX):
            tmp.unlink(missing_ok=True)  # left by a killed run; never in the manifest
        manifest = self.out / MANIFEST_NAME
        previous = BatchState.read(self.out / STATE_NAME)
        if self.config.restart:
            manifest.unlink(missing_ok=True)
        elif previous is not None and manifest.exists():
            changes = state.differences(previous)
            if changes:
                raise BatchError(
                    f"{self.out} holds a batch made with other settings ("
                    + "; ".join(changes)
                    + "): use another --out directory, or --restart to start over"
                )
        (self.out / STATE_NAME).write_text(state.to_json(), encoding="utf-8")
        self.done = load_done(manifest)

    # ------------------------------------------------------------ the loop

    def run(self) -> BatchSummary:
        config = self.config
        started = time.perf_counter()
        template = self._compile()
        from ccmlang.backends import load_backends
        from ccmlang.compiler.limits import LimitError
        from ccmlang.compiler.project import find_project_root
        from ccmlang.engine import ENGINES, EngineError, configured_limits, engine_for

        root = find_project_root(config.template.resolve())
        backend_name = config.format
        try:
            if config.format == "pdf":  # the project's engine: what the preview shows is sent
                backend_name = ENGINES[engine_for(root, config.engine)]
            elif config.engine:
                raise BatchError("--engine chooses the PDF engine: it needs --format pdf")
            limits = configured_limits(root, config.limits)
            backend = load_backends().get(backend_name)
        except (EngineError, LimitError) as exc:
            raise BatchError(str(exc)) from None
        except LookupError as exc:
            raise BatchError(str(exc).strip("'\"")) from None
        self.extension = backend.extension
        if config.print_stream is not None and self.extension != "pdf":
            raise BatchError("--print-stream needs PDF output (--format pdf)")
        locale = config.locale or "en"
        try:
            namer = Namer(config.name, locale=locale)
            sort_by, group_by = self._print_keys(locale)
        except NamingError as exc:
            raise BatchError(str(exc)) from None
        template_sha = template_fingerprint(template)
        self._check_directory(
            BatchState(str(config.template.resolve()), template_sha, backend_name, config.name)
        )
        spec = JobSpec(
            template=str(config.template.resolve()),
            template_sha256=template_sha,
            format=backend_name,
            locale=config.locale,
            pdf_variant=config.pdf_variant,
            limits=limits,
        )
        from ccmlang.data import DataError, iter_records

        fmt: Any = config.data_format
        records = iter_records(config.data, fmt, schema=template.program.schema)
        quiet = isinstance(self.progress, NullProgress)
        total = None if quiet else count_records(config.data, config.data_format)
        self.progress.start(total, template.name)
        try:
            executor = make_executor(spec, workers=config.workers, scheduler=config.scheduler)
        except (OSError, RuntimeError) as exc:  # no Dask installed, scheduler unreachable
            _close(records)
            raise BatchError(f"cannot start the workers: {exc}") from None
        self.summary.executor = executor.description
        window = IN_FLIGHT_PER_WORKER * executor.workers
        max_slots = max(64, MAX_SLOTS_PER_WORKER * executor.workers)
        try:
            with ManifestWriter(self.out / MANIFEST_NAME) as writer:
                for record in records:
                    self.summary.read += 1
                    self._admit(record, namer, sort_by, group_by, executor, spec)
                    self._drain(writer, executor, spec, block=False)
                    while (
                        len(self.pending) >= window or len(self.slots) >= max_slots or self.suspects
                    ):
                        self._drain(writer, executor, spec, block=True)
                    if self.stopping:
                        break
                while self.slots:
                    self._drain(writer, executor, spec, block=True)
        except DataError as exc:  # the file as a whole: unreadable, or a JSON document that is not
            raise BatchError(str(exc)) from None
        finally:
            _close(records)
            executor.shutdown()
            self.progress.stop()
        if config.manifest_csv:
            write_csv(self.out / MANIFEST_NAME, self.out / MANIFEST_CSV_NAME)
        self._print_stream()
        self.summary.seconds = time.perf_counter() - started
        return self.summary

    def _print_keys(self, locale: str) -> tuple[TextTemplate | None, TextTemplate | None]:
        options = self.config.print_stream
        if options is None:
            return None, None
        sort_by = group_by = None
        if options.sort_by:
            sort_by = TextTemplate.expression(options.sort_by, what="--sort-by", locale=locale)
        if options.group_by:
            group_by = TextTemplate.expression(options.group_by, what="--group-by", locale=locale)
        return sort_by, group_by

    def _admit(
        self,
        record: Any,
        namer: Namer,
        sort_by: TextTemplate | None,
        group_by: TextTemplate | None,
        executor: Executor,
        spec: JobSpec,
    ) -> None:
        """Read one record: fail it, skip it (done before) or send it to a worker."""
        slot = _Slot(record.number)
        self.slots.append(slot)
        if record.error is not None:
            error = record.error
            line = getattr(record, "line", None) or getattr(error, "line", None)
            where = f"line {line}: " if line else ""
            message = getattr(error, "message", str(error))
            return self._resolve(
                slot, _failed_row(slot.number, "", codes.DATA_MALFORMED, where + message)
            )
        try:
            slot.key = namer.name(record.number, record.value)
        except NamingError as exc:
            return self._resolve(slot, _failed_row(slot.number, "", codes.NAME_INVALID, str(exc)))
        digest = key_hash(slot.key)
        owner = self.names.setdefault(digest, slot.number)
        if owner != slot.number:
            message = f"the name `{slot.key}` is already used by record {owner}"
            return self._resolve(
                slot, _failed_row(slot.number, slot.key, codes.NAME_DUPLICATE, message)
            )
        if self.config.print_stream is not None:
            slot.sort_key = _key_or_empty(sort_by, record.value)
            slot.group_key = _key_or_empty(group_by, record.value)
        if self._already_done(slot, digest):
            self.summary.skipped += 1
            self.progress.advance("skipped")
            slot.resolved = True
            self._remember_print(slot)
            return None
        slot.value = record.value
        self._submit(slot, executor, spec)
        return None

    def _already_done(self, slot: _Slot, digest: int) -> bool:
        done = self.done.get(slot.number)
        if done is None or done.key != digest:
            return False
        path = self.out / f"{slot.key}.{self.extension}"
        try:
            return bytes.fromhex(file_sha256(str(path))) == done.sha256
        except OSError:
            return False

    def _submit(self, slot: _Slot, executor: Executor, spec: JobSpec) -> None:
        future = executor.submit(render_task, spec, slot.number, slot.value)
        slot.future = future
        self.pending.add(future)
        self.by_future[future] = slot

    def _drain(
        self, writer: ManifestWriter, executor: Executor, spec: JobSpec, *, block: bool
    ) -> None:
        """Collect finished renders, then append every leading resolved slot to the manifest."""
        if block and self.pending:
            wait(self.pending, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
        finished = [f for f in self.pending if f.done()]
        crashed: list[_Slot] = []
        for future in finished:
            self.pending.discard(future)
            slot = self.by_future.pop(future)
            try:
                result = future.result()
            except BrokenProcessPool:
                crashed.append(slot)
                continue
            except CancelledError:
                crashed.append(slot)
                continue
            except Exception as exc:
                self._resolve(slot, self._exception_row(slot, exc))
                continue
            self.results += 1
            self._resolve(slot, self._store(slot, result))
        if crashed:
            self._recover(crashed, executor)
        self._retry_suspect(executor, spec)
        while self.slots and self.slots[0].resolved:
            slot = self.slots.popleft()
            if slot.row is not None:
                writer.append(slot.row)

    def _exception_row(self, slot: _Slot, exc: BaseException) -> Row:
        if type(exc).__name__ == "KilledWorker":  # Dask gave up after workers died on it
            return _failed_row(slot.number, slot.key, codes.WORKER_LOST, str(exc))
        return _failed_row(slot.number, slot.key, codes.INTERNAL, f"{type(exc).__name__}: {exc}")

    def _recover(self, crashed: list[_Slot], executor: Executor) -> None:
        """A worker died, and with it every future of its pool. Find the record that did it.

        With one record in flight, that record is the culprit: it fails with ``B0004``. With
        several, the pool is replaced and each is retried alone (the loop admits no new record
        while there are suspects), so innocent pool-mates are rendered and the culprit is found.
        """
        for future in list(self.pending):  # the rest of the dead pool's futures
            if future.done() or future.cancel():
                self.pending.discard(future)
                crashed.append(self.by_future.pop(future))
        executor.restart()
        if len(crashed) == 1 and not self.pending:
            slot = crashed[0]
            self.lost += 1
            if self.results == 0 and self.lost >= MAX_LOST_BEFORE_ANY:
                raise BatchError(
                    f"the worker processes died on each of the first {self.lost} records, alone: "
                    "they cannot start (see the errors above)"
                )
            message = "the worker process died while rendering this record (alone)"
            self._resolve(slot, _failed_row(slot.number, slot.key, codes.WORKER_LOST, message))
            return
        self.suspects.extend(sorted(crashed, key=lambda s: s.number))

    def _retry_suspect(self, executor: Executor, spec: JobSpec) -> None:
        if self.suspects and not self.pending:
            self._submit(self.suspects.popleft(), executor, spec)

    def _store(self, slot: _Slot, result: RenderResult) -> Row:
        """Write a successful output (temp name, then rename); the row that describes it."""
        if result.data is None:
            return _failed_row(slot.number, slot.key, result.code, result.message, result.seconds)
        name = f"{slot.key}.{self.extension}"
        target = self.out / name
        tmp = self.out / f".{name}{TEMP_SUFFIX}"
        try:
            with tmp.open("wb") as f:
                f.write(result.data)
            os.replace(tmp, target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            return _failed_row(slot.number, slot.key, codes.OUTPUT_FAILED, f"{name}: {exc}")
        sha = result.sha256 or hashlib.sha256(result.data).hexdigest()
        return Row(
            slot.number,
            slot.key,
            name,
            result.pages,
            len(result.data),
            sha,
            OK,
            "",
            "",
            round(result.seconds, 4),
        )

    def _resolve(self, slot: _Slot, row: Row) -> None:
        slot.row = row
        slot.resolved = True
        slot.value = None
        if row.status == OK:
            self.summary.ok += 1
            self.progress.advance("ok")
            self._remember_print(slot)
        else:
            self.summary.failed += 1
            self.summary.codes[row.code] += 1
            self.progress.advance("error")
            limit = self.config.max_errors
            if limit is not None and self.summary.failed >= limit:
                self.stopping = True
                self.summary.stopped_early = True

    def _remember_print(self, slot: _Slot) -> None:
        if self.config.print_stream is None:
            return
        path = self.out / f"{slot.key}.{self.extension}"
        self.print_items.append(
            PrintItem(slot.number, slot.key, path, slot.sort_key, slot.group_key)
        )

    def _print_stream(self) -> None:
        options = self.config.print_stream
        if options is None:
            return
        if self.summary.stopped_early:
            self.summary.print_stream_skipped = "the batch stopped early (--max-errors)"
            return
        # Records finish out of order; the print stream follows record order unless sorted.
        self.print_items.sort(key=lambda item: item.record)
        self.summary.print_stream = build_print_stream(self.print_items, options)


def _key_or_empty(template: TextTemplate | None, value: Any) -> str:
    """A sort or group key; a record without one sorts first and gets its own envelope."""
    if template is None:
        return ""
    try:
        return template.evaluate(value)
    except NamingError:
        return ""


def _close(records: Iterator[Any]) -> None:
    close = getattr(records, "close", None)
    if close is not None:
        close()


def run_batch(config: BatchConfig, progress: Progress | None = None) -> BatchSummary:
    """Run a batch; raises :class:`BatchError` or ``CompileError`` when it cannot start."""
    main = threading.current_thread() is threading.main_thread()
    previous = signal.getsignal(signal.SIGTERM) if main else None
    if previous is signal.SIG_DFL:
        # SIGTERM (a scheduler cancelling the job) ends the run like Ctrl-C: in-flight work is
        # dropped, the manifest stays consistent, and a re-run resumes.
        signal.signal(signal.SIGTERM, _terminate)
    try:
        return Batch(config, progress).run()
    finally:
        if previous is signal.SIG_DFL:
            signal.signal(signal.SIGTERM, previous)


def _terminate(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt
