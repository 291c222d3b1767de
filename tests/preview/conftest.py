"""In-process preview servers over a copy of ``fixtures/letter`` (port 0, real watchdog)."""

from __future__ import annotations

import http.client
import json
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ccmlang.preview.builder import Builder
from ccmlang.preview.server import PreviewServer
from ccmlang.preview.session import PreviewSession

FIXTURE = Path(__file__).parent / "fixtures" / "letter"


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@dataclass
class Preview:
    """A running preview of a temporary copy of the fixture project, and HTTP helpers."""

    root: Path
    server: PreviewServer

    @property
    def session(self) -> PreviewSession:
        return self.server.session

    @property
    def template(self) -> Path:
        return self.root / "letter.ccm"

    def request(self, path: str, headers: dict[str, str] | None = None) -> Response:
        """A raw GET (``path`` is sent exactly as given, no client-side normalisation)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        try:
            conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
            sent = {"Host": f"127.0.0.1:{self.server.port}", **(headers or {})}
            for key, value in sent.items():
                conn.putheader(key, value)
            conn.endheaders()
            response = conn.getresponse()
            return Response(response.status, dict(response.getheaders()), response.read())
        finally:
            conn.close()

    def state(self, choice: str | None = None) -> dict[str, Any]:
        query = f"?choice={choice}" if choice else ""
        response = self.request(f"/_ccm/state{query}")
        assert response.status == 200
        return dict(response.json())

    def html(self, choice: str | None = None) -> str:
        query = f"?choice={choice}" if choice else ""
        return self.request(f"/_ccm/html{query}").text

    def idle(self) -> None:
        assert self.session.wait_idle(30), "the preview did not settle"

    def until(
        self, check: Callable[[dict[str, Any]], bool], timeout: float = 10.0, choice: str = ""
    ) -> dict[str, Any]:
        """Long-poll like the page does until ``check(state)`` holds."""
        deadline = time.monotonic() + timeout
        state = self.state(choice or None)
        while not check(state):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; last state: {json.dumps(state)[:2000]}")
            query = f"/_ccm/wait?epoch={state['epoch']}&choice={state['choice']}&timeout=1"
            state = self.request(query).json()
        return state

    def edit(self, old: str, new: str, path: str = "letter.ccm") -> None:
        file = self.root / path
        text = file.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        file.write_text(text.replace(old, new, 1), encoding="utf-8")


def copy_fixture(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    return root


@pytest.fixture
def make_preview(tmp_path: Path) -> Iterator[Callable[..., Preview]]:
    servers: list[PreviewServer] = []

    def make(
        *, data: list[Path] | None = None, builder: Callable[[Path], Builder] | None = None
    ) -> Preview:
        root = copy_fixture(tmp_path)
        template = root / "letter.ccm"
        session = PreviewSession(
            template,
            data=data,
            builder=builder(root) if builder is not None else None,
        )
        server = PreviewServer(session, port=0).start()
        servers.append(server)
        preview = Preview(root, server)
        preview.idle()
        return preview

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def preview(make_preview: Callable[..., Preview]) -> Preview:
    return make_preview()
