"""Safety (issue 5, item 6): only the preview's assets and the project's files, local hosts."""

from __future__ import annotations

import os
from pathlib import Path

from ccmlang.preview.server import project_file

from .conftest import Preview


def test_project_files_are_served(preview: Preview) -> None:
    logo = preview.request("/files/assets/logo.svg")
    assert logo.status == 200
    assert logo.headers["Content-Type"] == "image/svg+xml"
    assert "sandbox" in logo.headers["Content-Security-Policy"]
    assert logo.headers["X-Content-Type-Options"] == "nosniff"
    assert preview.request("/files/letter.ccm").status == 200


TRAVERSALS = [
    "/files/../letter.ccm",
    "/files/../../../../etc/passwd",
    "/files/%2e%2e/%2e%2e/etc/passwd",
    "/files/assets/..%2f..%2f..%2fetc%2fpasswd",
    "/files//etc/passwd",
    "/files/%2fetc%2fpasswd",
    "/files/assets\\..\\letter.ccm",
    "/files/.hidden",
    "/files/assets",
    "/files/",
    "/files/outside-link.txt",
    "/files/nul%00.txt",
    "/_ccm/static/../server.py",
    "/_ccm/static/%2e%2e/server.py",
    "/_ccm/static/nothing.js",
    "/_ccm/source?file=../outside.txt&line=1",
    "/_ccm/source?file=/etc/passwd&line=1",
    "/_ccm/source?file=.hidden&line=1",
    "/etc/passwd",
    "/../etc/passwd",
    "/_ccm/nothing",
]


def test_traversal_and_unknown_paths_are_404(preview: Preview) -> None:
    outside = preview.root.parent / "outside.txt"
    outside.write_text("secret")
    (preview.root / ".hidden").write_text("secret")
    os.symlink(outside, preview.root / "outside-link.txt")
    answers = {path: preview.request(path) for path in TRAVERSALS}
    assert {p: r.status for p, r in answers.items()} == dict.fromkeys(TRAVERSALS, 404)
    assert not [p for p, r in answers.items() if b"secret" in r.body]


def test_foreign_host_headers_are_refused(preview: Preview) -> None:
    """DNS rebinding: a page on evil.example resolving to 127.0.0.1 must not read the project."""
    assert preview.request("/files/letter.ccm", {"Host": "evil.example:80"}).status == 403
    assert preview.request("/_ccm/state", {"Host": "evil.example"}).status == 403
    assert preview.request("/", {"Host": f"localhost:{preview.server.port}"}).status == 200


def test_binds_loopback_by_default(preview: Preview) -> None:
    assert preview.server.httpd.server_address[0] == "127.0.0.1"
    assert preview.server.url.startswith("http://127.0.0.1:")


def test_project_file_resolution(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b.txt").write_text("ok")
    assert project_file(tmp_path, "a/b.txt") == (tmp_path / "a" / "b.txt").resolve()
    for bad in ("", "/a/b.txt", "a/../a/b.txt", "./a/b.txt", "a//b.txt", "a", "a/.b", "a\\b.txt"):
        assert project_file(tmp_path, bad) is None, bad
