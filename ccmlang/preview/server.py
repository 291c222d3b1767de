"""The preview's HTTP server: the page, its long-poll, the renders, and the project's files.

A stdlib ``ThreadingHTTPServer`` with a long-poll endpoint, as mkdocs' live reload does
(``mkdocs/livereload``), rather than the ``livereload`` package's Tornado server: that one can
only reload the whole page over its WebSocket, cannot say *what* changed (the HTML view and the
PDF pages arrive ~0.5 s apart and should update separately, without flicker and without losing
the scroll position), cannot carry the error overlay, and blocks in its own IO loop, which makes
in-process tests and ``port=0`` awkward. The browser needs no extension either way.

Routes (GET and HEAD only)::

    /                           the preview page (static/index.html)
    /_ccm/static/<name>         the preview's own assets: a fixed list, nothing else
    /_ccm/state?choice=ID       the page state as JSON (versions, problems, pages, choices)
    /_ccm/wait?epoch=N&choice=  long-poll: answers when the epoch passes N (or after 25 s,
                                or ``timeout=S`` seconds if shorter)
    /_ccm/html?choice=ID        the last good HTML of a choice (for the iframe)
    /_ccm/page?choice=ID&n=K    page K (1-based) of the last good PDF, as PNG
    /_ccm/pdf?choice=ID         the last good PDF itself
    /_ccm/source?file=F&line=L  a few lines of a project file (click to source)
    /files/<path>               a file of the template project (images, fonts the HTML uses)

Safety (issue 5, item 6): binds 127.0.0.1 unless told otherwise; project files are served only
when their real path (symlinks followed) is a regular file inside the project root and no part
of the path is hidden (``.git``) — anything else, ``..`` and absolute paths included, is 404.
Requests whose ``Host`` is not this machine are refused (DNS rebinding would otherwise let a web
page read the project). Every response says ``no-store`` and ``nosniff``; HTML responses carry
a Content-Security-Policy that allows scripts from ``/_ccm/static/`` only.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from ccmlang.backends.fetch import MEDIA_TYPES
from ccmlang.preview.inject import FILES_PREFIX, STATIC_PREFIX
from ccmlang.preview.session import PreviewSession

STATIC_DIR = Path(__file__).with_name("static")
STATIC_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
WAIT_TIMEOUT = 25.0
FIRST_BUILD_TIMEOUT = 60.0
MAX_SOURCE_BYTES = 2 * 1024 * 1024
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})

PAGE_CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "font-src 'self' data:; script-src 'self'; frame-src 'self'; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'self'"
)
FILE_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"


SWITCH_INTERVAL = 0.001
"""Seconds a CPU-bound thread may hold the GIL before a waiting one gets it (default 0.005)."""


def responsive_threads() -> None:
    """Let request threads interrupt the build thread sooner (the ``ccm preview`` process only).

    While the build thread makes a PDF (hundreds of milliseconds of pure-Python layout), every
    request thread waits up to the switch interval each time it needs the GIL again. Fetching
    the new HTML view and its fonts then took 110-220 ms instead of 10 ms; at 1 ms it takes
    about 25 ms. Set once in the process that serves the preview (the command and the benchmark),
    never by the library on import.
    """
    sys.setswitchinterval(SWITCH_INTERVAL)


def static_files() -> dict[str, Path]:
    """The preview's own assets by name: the only names ``/_ccm/static/`` answers."""
    if not STATIC_DIR.is_dir():
        return {}
    return {p.name: p for p in STATIC_DIR.iterdir() if p.is_file() and p.suffix in STATIC_TYPES}


def project_file(root: Path, relative: str) -> Path | None:
    """The real path of ``relative`` if it is a regular, non-hidden file inside ``root``.

    ``relative`` is already percent-decoded. Absolute paths, ``..``, backslashes, NUL, hidden
    parts (``.git/config``) and symlinks that lead outside the root all give ``None``.
    """
    if not relative or "\x00" in relative or "\\" in relative or relative.startswith("/"):
        return None
    parts = relative.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return None
    real_root = os.path.realpath(root)
    real = os.path.realpath(os.path.join(real_root, *parts))
    if real == real_root or os.path.commonpath([real_root, real]) != real_root:
        return None
    try:
        info = os.stat(real)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return Path(real)


class PreviewHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], session: PreviewSession, host: str) -> None:
        self.session = session
        self.static = static_files()
        self.bind_host = host
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__(address, PreviewHandler)


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewHTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "ccm-preview"

    # -- plumbing

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows build results, not every poll."""

    def do_HEAD(self) -> None:
        self._dispatch(head=True)

    def do_GET(self) -> None:
        self._dispatch(head=False)

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        *,
        head: bool,
        csp: str | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if csp:
            self.send_header("Content-Security-Policy", csp)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _json(self, data: Any, *, head: bool) -> None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self._send(200, body, "application/json; charset=utf-8", head=head)

    def _not_found(self, head: bool) -> None:
        self._send(404, b"not found\n", "text/plain; charset=utf-8", head=head)

    def _host_allowed(self) -> bool:
        host = self.headers.get("Host", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        bind = self.server.bind_host
        if bind in ("0.0.0.0", "::", ""):
            return True  # the user chose to expose the preview
        return name in LOCAL_HOSTS or name == bind or name.strip("[]") == bind

    # -- routing

    def _dispatch(self, *, head: bool) -> None:
        if not self._host_allowed():
            self._send(403, b"forbidden host\n", "text/plain; charset=utf-8", head=head)
            return
        url = urlsplit(self.path)
        path = url.path
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        try:
            if path in ("/", "/index.html"):
                self._static("index.html", head)
            elif path.startswith(STATIC_PREFIX):
                self._static(unquote(path[len(STATIC_PREFIX) :]), head)
            elif path.startswith(FILES_PREFIX):
                self._project_file(unquote(path[len(FILES_PREFIX) :]), head)
            elif path == "/_ccm/state":
                self._state(query, head, wait=False)
            elif path == "/_ccm/wait":
                self._state(query, head, wait=True)
            elif path == "/_ccm/html":
                self._html(query, head)
            elif path == "/_ccm/page":
                self._page(query, head)
            elif path == "/_ccm/pdf":
                self._pdf(query, head)
            elif path == "/_ccm/source":
                self._source(query, head)
            else:
                self._not_found(head)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _static(self, name: str, head: bool) -> None:
        path = self.server.static.get(name)
        if path is None:
            self._not_found(head)
            return
        csp = PAGE_CSP if path.suffix == ".html" else None
        self._send(200, path.read_bytes(), STATIC_TYPES[path.suffix], head=head, csp=csp)

    def _project_file(self, relative: str, head: bool) -> None:
        path = project_file(self.server.session.root, relative)
        if path is None:
            self._not_found(head)
            return
        media_type = MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")
        try:
            body = path.read_bytes()
        except OSError:
            self._not_found(head)
            return
        self._send(200, body, media_type, head=head, csp=FILE_CSP)

    # -- the preview's own data

    def _state(self, query: dict[str, str], head: bool, *, wait: bool) -> None:
        session = self.server.session
        choice = session.want(query.get("choice"))
        if wait:
            try:
                after = int(query.get("epoch", "0"))
            except ValueError:
                after = 0
            if query.get("instance", session.state.instance) != session.state.instance:
                after = -1  # a page from an earlier run of the server: answer at once
            try:
                timeout = min(float(query.get("timeout", WAIT_TIMEOUT)), WAIT_TIMEOUT)
            except ValueError:
                timeout = WAIT_TIMEOUT
            session.state.wait(after, max(timeout, 0.0))
        data = session.state.snapshot(choice.id, session.choices(), session.template_name)
        self._json(data, head=head)

    def _html(self, query: dict[str, str], head: bool) -> None:
        session = self.server.session
        choice = session.want(query.get("choice"))
        view = session.state.wait_for_view(choice.id, FIRST_BUILD_TIMEOUT)
        if view is None or view.html is None:
            body = (
                b"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
                b"<p style='font-family:sans-serif;color:#667'>No successful render yet.</p>"
                b"</body></html>"
            )
        else:
            body = view.html
        self._send(200, body, "text/html; charset=utf-8", head=head, csp=PAGE_CSP)

    def _page(self, query: dict[str, str], head: bool) -> None:
        session = self.server.session
        choice = session.want(query.get("choice"))
        view = session.state.view(choice.id)
        try:
            number = int(query.get("n", ""))
        except ValueError:
            number = 0
        if view is None or not 1 <= number <= len(view.pages):
            self._not_found(head)
            return
        self._send(200, view.pages[number - 1].png, "image/png", head=head)

    def _pdf(self, query: dict[str, str], head: bool) -> None:
        session = self.server.session
        view = session.state.view(session.want(query.get("choice")).id)
        if view is None or view.pdf is None:
            self._not_found(head)
            return
        self._send(200, view.pdf, "application/pdf", head=head)

    def _source(self, query: dict[str, str], head: bool) -> None:
        """Lines around ``line`` of a project file: click-to-source shows the construct."""
        path = project_file(self.server.session.root, query.get("file", ""))
        try:
            line = int(query.get("line", ""))
        except ValueError:
            line = 0
        try:
            too_big = path is None or path.stat().st_size > MAX_SOURCE_BYTES
            text = "" if path is None or too_big else path.read_text("utf-8", errors="replace")
        except OSError:
            too_big, text = True, ""
        if path is None or too_big or line < 1:
            self._not_found(head)
            return
        lines = text.split("\n")
        if line > len(lines):
            self._not_found(head)
            return
        first = max(1, line - 2)
        last = min(len(lines), line + 2)
        context = [{"line": n, "text": lines[n - 1].rstrip("\r")} for n in range(first, last + 1)]
        self._json({"file": query["file"], "line": line, "lines": context}, head=head)


class PreviewServer:
    """A :class:`PreviewSession` served over HTTP; ``port=0`` picks a free port (tests)."""

    def __init__(self, session: PreviewSession, host: str = "127.0.0.1", port: int = 0) -> None:
        self.session = session
        self.httpd = PreviewHTTPServer((host, port), session, host)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    @property
    def url(self) -> str:
        host = str(self.httpd.server_address[0])
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
        if host in ("::", "::0"):
            shown = "::1"
        if ":" in shown:
            shown = f"[{shown}]"
        return f"http://{shown}:{self.port}/"

    def start(self) -> PreviewServer:
        """Start building and serving in background threads (returns at once)."""
        self.session.start()
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, args=(0.05,), name="ccm-preview-http", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Build and serve until interrupted (the ``ccm preview`` command)."""
        responsive_threads()
        self.session.start()
        try:
            self.httpd.serve_forever()
        finally:
            self.stop()

    def stop(self) -> None:
        self.session.stop()
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(timeout=10)
        self.httpd.server_close()

    def __enter__(self) -> PreviewServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
