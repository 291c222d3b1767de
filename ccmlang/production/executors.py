"""Where records are rendered: a local process pool or a Dask cluster (spec/production.md,
"Executors").

Both are ``concurrent.futures`` executors behind one small protocol, so the batch loop in
:mod:`ccmlang.production.engine` never knows which one it drives: it submits
:func:`ccmlang.production.worker.render_task` and waits on ordinary futures.

* :class:`LocalExecutor` is a ``ProcessPoolExecutor`` whose initializer compiles the template
  once per worker process. Workers start from a fork server (Linux), not by forking the parent:
  the parent may run a progress thread, and forking a threaded process is unsafe.
* :class:`DaskExecutor` connects to ``distributed`` at ``--scheduler ADDRESS`` (the optional
  ``ccmlang[cluster]`` extra) and uses ``Client.get_executor``; each Dask worker compiles the
  template on its first task and caches it (keyed by path and content hash).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable
from concurrent.futures import Executor as _CfExecutor
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Protocol, TypeVar

from ccmlang.production.worker import JobSpec, warm

T = TypeVar("T")


class Executor(Protocol):
    """What the batch loop needs from an executor."""

    @property
    def workers(self) -> int:
        """How many records can render at once (sizes the in-flight window)."""
        ...

    @property
    def description(self) -> str: ...

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Future[T]: ...

    def restart(self) -> None:
        """Replace workers after one died; futures of the dead pool have already failed."""
        ...

    def shutdown(self) -> None: ...


CONNECT_TIMEOUT = 30.0
"""Seconds to wait for a Dask scheduler before giving up."""


def default_workers() -> int:
    """The CPUs this process may use (the affinity mask, not the machine's total)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


PRELOAD = [
    "ccmlang.production.worker",
    "ccmlang.compiler.compile",
    "ccmlang.compiler.evaluate",
    "ccmlang.compiler.validate",
    "ccmlang.backends.html",
    "ccmlang.backends.pdf",
    "pypdf",
]
"""Imported once by the fork server; a module that fails to import is skipped by it."""


def _mp_context() -> multiprocessing.context.BaseContext:
    if sys.platform.startswith("linux"):
        ctx = multiprocessing.get_context("forkserver")
        # Workers fork from a server that has already imported the renderer: they start fast
        # and share those pages instead of each importing WeasyPrint again.
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


class LocalExecutor:
    """A process pool on this machine; each worker compiles the template once."""

    def __init__(self, spec: JobSpec, workers: int | None = None) -> None:
        self.spec = spec
        self._workers = workers or default_workers()
        self._pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self._workers,
            mp_context=_mp_context(),
            initializer=warm,
            initargs=(self.spec,),
        )

    @property
    def workers(self) -> int:
        return self._workers

    @property
    def description(self) -> str:
        return f"{self._workers} local worker process{'es' if self._workers != 1 else ''}"

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Future[T]:
        return self._pool.submit(fn, *args)

    def restart(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._start()

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor:
    """The same work on a Dask ``distributed`` cluster (``pip install 'ccmlang[cluster]'``)."""

    def __init__(self, address: str, spec: JobSpec, *, timeout: float | None = None) -> None:
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - depends on the installed extras
            raise RuntimeError("--scheduler needs Dask: pip install 'ccmlang[cluster]'") from exc
        self.spec = spec
        self.address = address
        self._client = Client(address, timeout=timeout or CONNECT_TIMEOUT, set_as_default=False)
        # pure=False: every record is distinct work; hashing its data for a key would be waste.
        self._executor: _CfExecutor = self._client.get_executor(pure=False)

    @property
    def workers(self) -> int:
        threads = self._client.nthreads()
        return max(1, sum(threads.values()))

    @property
    def description(self) -> str:
        return f"Dask cluster at {self.address} ({self.workers} worker threads)"

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Future[T]:
        return self._executor.submit(fn, *args)

    def restart(self) -> None:
        """Nothing to do: Dask reschedules tasks of a lost worker by itself."""

    def shutdown(self) -> None:
        try:
            self._executor.shutdown(wait=True)
        finally:
            self._client.close()


def make_executor(spec: JobSpec, *, workers: int | None, scheduler: str | None) -> Executor:
    """A Dask executor when a scheduler address is given, else a local process pool."""
    if scheduler:
        return DaskExecutor(scheduler, spec)
    return LocalExecutor(spec, workers)
