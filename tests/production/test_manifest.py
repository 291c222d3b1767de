"""The manifest as an append-only log: torn tails, last line wins, CSV, batch state."""

from __future__ import annotations

import csv
from pathlib import Path

from ccmlang.production.manifest import (
    COLUMNS,
    ERROR,
    OK,
    BatchState,
    ManifestWriter,
    Row,
    key_hash,
    load_done,
    read_rows,
    repair,
    write_csv,
)

SHA = "ab" * 32


def ok(number: int, key: str = "") -> Row:
    key = key or f"r{number}"
    return Row(number, key, f"{key}.pdf", 2, 100, SHA, OK, "", "", 0.01)


def failed(number: int) -> Row:
    return Row(number, f"r{number}", "", None, None, "", ERROR, "E3008", "division by zero", 0.0)


def test_rows_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "manifest.jsonl"
    with ManifestWriter(path) as writer:
        writer.append(ok(1))
        writer.append(failed(2))
    assert list(read_rows(path)) == [ok(1), failed(2)]


def test_the_last_line_of_a_record_wins(tmp_path: Path) -> None:
    path = tmp_path / "manifest.jsonl"
    with ManifestWriter(path) as writer:
        writer.append(failed(1))
        writer.append(ok(2))
        writer.append(ok(1))
        writer.append(failed(3))
    done = load_done(path)
    assert done[1] is not None and done[1].key == key_hash("r1")
    assert done[1].sha256 == bytes.fromhex(SHA)
    assert done[2] is not None
    assert done[3] is None


def test_a_torn_last_line_is_cut_before_appending(tmp_path: Path) -> None:
    path = tmp_path / "manifest.jsonl"
    with ManifestWriter(path) as writer:
        writer.append(ok(1))
    whole = path.read_text()
    path.write_text(whole + '{"record": 2, "key": "r2", "out')  # killed mid-write
    assert set(load_done(path)) == {1}  # the torn line does not count
    with ManifestWriter(path) as writer:
        writer.append(ok(2))
    assert [r.record for r in read_rows(path)] == [1, 2]
    assert path.read_text().count("\n") == 2


def test_repair_of_a_file_with_no_newline_empties_it(tmp_path: Path) -> None:
    path = tmp_path / "manifest.jsonl"
    path.write_text('{"record": 1')
    repair(path)
    assert path.read_text() == ""


def test_csv_has_the_same_rows_and_columns(tmp_path: Path) -> None:
    path = tmp_path / "manifest.jsonl"
    with ManifestWriter(path) as writer:
        writer.append(ok(1))
        writer.append(failed(2))
    write_csv(path, tmp_path / "manifest.csv")
    with (tmp_path / "manifest.csv").open(newline="") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == COLUMNS
    assert rows[1][:3] == ["1", "r1", "r1.pdf"]
    assert rows[2][6:9] == ["error", "E3008", "division by zero"]
    assert rows[2][3] == ""  # no pages for a failed record


def test_batch_state_names_what_changed(tmp_path: Path) -> None:
    before = BatchState("t.ccm", "1" * 64, "pdf", "{id}")
    (tmp_path / "batch.json").write_text(before.to_json())
    assert BatchState.read(tmp_path / "batch.json") == before
    after = BatchState("t.ccm", "2" * 64, "html", "{id}")
    changes = after.differences(before)
    assert any("format was pdf, now html" in c for c in changes)
    assert any("changed" in c for c in changes)
    assert BatchState.read(tmp_path / "missing.json") is None
