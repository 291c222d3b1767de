"""Golden HTML and layout-tree files for every example and every record of its data.

For each case of :mod:`example_cases` (``statement-sample``, ``statement-records-3``,
``invoice-many-items``, ``renewal-de`` …) the HTML backend's output with the default
:class:`RenderOptions` and :func:`ccmlang.layout.to_json` of the layout tree are compared byte for
byte with ``tests/golden/html/<case>.html`` and ``tests/golden/tree/<case>.json``. Both outputs are
deterministic and hold no machine paths (assets and ``data-src`` are relative to the project), so a
difference is a real change: the failure shows a short unified diff. Review it, then refresh with
``make golden`` (``pytest --update-golden``); goldens are never rewritten without that flag.
"""

from __future__ import annotations

import difflib
from itertools import islice
from pathlib import Path

import pytest
from example_cases import CASES, GOLDEN, ROOT, Case

from ccmlang import layout
from ccmlang.backends import RenderOptions, load_backends

DIFF_LINES = 40


def check_golden(path: Path, actual: bytes, update: bool) -> None:
    """Compare ``actual`` with the golden file ``path``; with ``update``, rewrite it instead."""
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_bytes() != actual:
            path.write_bytes(actual)
        return
    rel = path.relative_to(ROOT)
    assert path.is_file(), f"no golden file {rel}: run `make golden` and review it"
    expected = path.read_bytes()
    if actual == expected:
        return
    diff = difflib.unified_diff(
        expected.decode("utf-8", "replace").splitlines(),
        actual.decode("utf-8", "replace").splitlines(),
        f"{rel} (golden)",
        f"{rel} (now)",
        lineterm="",
        n=2,
    )
    shown = list(islice(diff, DIFF_LINES))
    more = " (diff cut)" if len(shown) == DIFF_LINES else ""
    pytest.fail(
        f"{rel} differs from the current output{more}; review, then `make golden`:\n"
        + "\n".join(shown),
        pytrace=False,
    )


def test_every_example_and_data_file_is_a_case() -> None:
    names = {case.name for case in CASES}
    assert {
        "statement-sample",
        "invoice-sample",
        "invoice-many-items",
        "renewal-en",
        "renewal-de",
        "renewal-fr",
    } <= names
    assert {f"statement-records-{n}" for n in range(1, 6)} <= names
    assert not any(case.example == "brand" for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_html_matches_golden(case: Case, update_golden: bool) -> None:
    html = load_backends().get("html").render(case.document(), RenderOptions())
    assert str(ROOT).encode() not in html  # no machine paths: the golden holds on any checkout
    check_golden(GOLDEN / "html" / f"{case.name}.html", html, update_golden)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_tree_matches_golden(case: Case, update_golden: bool) -> None:
    tree = layout.to_json(case.document()).encode("utf-8")
    check_golden(GOLDEN / "tree" / f"{case.name}.json", tree, update_golden)


@pytest.mark.parametrize("kind, suffix", [("html", ".html"), ("tree", ".json")])
def test_no_golden_file_is_left_over(kind: str, suffix: str) -> None:
    """A golden whose example or data file is gone would otherwise rot unnoticed."""
    folder = GOLDEN / kind
    present = {p.name for p in folder.glob(f"*{suffix}")} if folder.is_dir() else set()
    assert present - {f"{case.name}{suffix}" for case in CASES} == set()
