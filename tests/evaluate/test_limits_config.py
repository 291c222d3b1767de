"""Limits from the project's ccm.toml ([limits]) and --limit NAME=VALUE (spec/limits.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccmlang.compiler.limits import LIMIT_NAMES, LimitError, Limits, parse_limit_options
from ccmlang.engine import configured_limits


def test_defaults_without_a_config(tmp_path: Path) -> None:
    assert configured_limits(tmp_path) == Limits()
    assert configured_limits(None) == Limits()


def test_ccm_toml_then_command_line(tmp_path: Path) -> None:
    (tmp_path / "ccm.toml").write_text(
        "[limits]\nmax_pages = 2_000\nmax-render-seconds = 90\nmax_image_pixels = 1e8\n"
    )
    limits = configured_limits(tmp_path)
    assert (limits.max_pages, limits.max_render_seconds) == (2000, 90.0)
    assert limits.max_image_pixels == 100_000_000 and limits.max_nodes == Limits().max_nodes
    overridden = configured_limits(tmp_path, {"max_pages": "3000", "max_nodes": "1_000_000"})
    assert (overridden.max_pages, overridden.max_nodes) == (3000, 1_000_000)
    assert overridden.max_render_seconds == 90.0  # the file's value stays


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[limits]\nmax_pagez = 5\n", "unknown limit `max_pagez`"),
        ('[limits]\nmax_pages = "many"\n', "must be a whole number"),
        ("[limits]\nmax_pages = 2.5\n", "must be a whole number"),
        ("[limits]\nmax_pages = 0\n", "must be above zero"),
        ("[limits]\nmax_render_seconds = -1\n", "must be above zero"),
        ("[limits]\nmax_render_seconds = nan\n", "must be above zero"),
        ("[limits]\nmax_pages = true\n", "must be a whole number"),
        ("limits = 3\n", "[limits] must be a table"),
        ("[limits\n", "not valid TOML"),
    ],
)
def test_bad_configuration_names_the_file(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "ccm.toml").write_text(text)
    with pytest.raises(LimitError) as caught:
        configured_limits(tmp_path)
    assert message in str(caught.value) and "ccm.toml" in str(caught.value)


def test_every_limit_is_known_by_name() -> None:
    assert set(LIMIT_NAMES) == set(Limits.__dataclass_fields__)
    with pytest.raises(LimitError) as caught:
        configured_limits(None, {"x": "1"})
    assert all(name in str(caught.value) for name in LIMIT_NAMES)


def test_limit_options() -> None:
    assert parse_limit_options(["max_pages=2000", " max-render-seconds = 90 "]) == {
        "max_pages": "2000",
        "max-render-seconds": "90",
    }
    assert parse_limit_options(None) == {}
    with pytest.raises(LimitError, match="expected NAME=VALUE"):
        parse_limit_options(["max_pages"])
