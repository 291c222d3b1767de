"""Loading data: JSON with Decimal numbers, JSON Lines record by record, CSV with a schema."""

from __future__ import annotations

import io
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from ccmlang.data import DataError, iter_records, load_json, parse_json, select_record

SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "account": {
            "type": "object",
            "properties": {
                "number": {"type": "string"},
                "balance": {"type": "number"},
                "points": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
                "active": {"type": "boolean"},
                "opened": {"type": "string", "format": "date"},
                "owner": {"$ref": "#/$defs/Owner"},
            },
        },
    },
    "$defs": {"Owner": {"type": "object", "properties": {"age": {"type": "integer"}}}},
}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_json_floats_are_decimals_and_integers_ints() -> None:
    value = load_json(b'{"a": 0.1, "b": 2, "c": 1e2, "d": [19.99]}')
    assert value == {"a": Decimal("0.1"), "b": 2, "c": Decimal("1E+2"), "d": [Decimal("19.99")]}
    assert isinstance(value["a"], Decimal) and type(value["b"]) is int
    assert value["a"] + Decimal("0.2") == Decimal("0.3")


def test_json_errors_have_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.json", '{\n  "a": 1,\n  "b": ,\n}')
    with pytest.raises(DataError) as caught:
        load_json(path)
    error = caught.value
    assert (error.path, error.line, error.col) == (str(path), 3, 8)
    assert str(error).startswith(f"{path}:3:8: ")


@pytest.mark.parametrize("text", ["NaN", '{"a": Infinity}'])
def test_non_standard_json_numbers_are_refused(text: str) -> None:
    with pytest.raises(DataError):
        parse_json(text)


def test_missing_file_and_bad_utf8(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="cannot read"):
        load_json(tmp_path / "nope.json")
    (tmp_path / "latin.json").write_bytes(b'{\n"a": "caf\xe9"}')
    with pytest.raises(DataError) as caught:
        load_json(tmp_path / "latin.json")
    assert (caught.value.line, caught.value.col) == (2, 10)


def test_json_object_is_one_record_and_array_many(tmp_path: Path) -> None:
    one = list(iter_records(write(tmp_path, "one.json", '{"a": 1.5}')))
    assert [(r.number, r.value) for r in one] == [(1, {"a": Decimal("1.5")})]
    many = list(iter_records(write(tmp_path, "many.json", '[{"a": 1}, {"a": 2}]')))
    assert [(r.number, r.value, r.ok) for r in many] == [(1, {"a": 1}, True), (2, {"a": 2}, True)]


def test_jsonl_reports_a_bad_line_and_keeps_going(tmp_path: Path) -> None:
    path = write(tmp_path, "r.jsonl", '{"n": 1}\n\n{"n": 2,}\n   \n{"n": 3.50}\n')
    records = list(iter_records(path))
    assert [r.number for r in records] == [1, 2, 3]
    assert [r.line for r in records] == [1, 3, 5]
    assert records[0].value == {"n": 1} and records[2].value == {"n": Decimal("3.50")}
    bad = records[1]
    assert bad.value is None and bad.error is not None
    assert (bad.error.line, bad.error.col) == (3, 9)


def test_jsonl_bad_encoding_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'{"n": 1}\n{"n": "\xff"}\n{"n": 3}\n')
    records = list(iter_records(path))
    assert [r.ok for r in records] == [True, False, True]
    assert records[1].error is not None and records[1].error.line == 2


def test_jsonl_is_streamed(tmp_path: Path) -> None:
    path = write(tmp_path, "r.jsonl", '{"n": 1}\n{"n": 2}\n' + "{bad\n" * 3)
    records = iter_records(path)
    assert next(records).value == {"n": 1}  # read before the rest of the file is looked at


def test_format_is_sniffed_for_unknown_extensions(tmp_path: Path) -> None:
    array = write(tmp_path, "data.txt", '  [{"a": 1}, {"a": 2}]')
    assert len(list(iter_records(array))) == 2
    lines = write(tmp_path, "data.log", '{"a": 1}\n{"a": 2}\n')
    assert [r.value for r in iter_records(lines)] == [{"a": 1}, {"a": 2}]


def test_standard_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b'{"a": 1}\n{"a": 2.5}\n'))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert [r.value for r in iter_records("-")] == [{"a": 1}, {"a": Decimal("2.5")}]


def test_csv_dotted_columns_and_schema_coercion(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "r.csv",
        "id,account.number,account.balance,account.points,account.active,account.opened,"
        "account.owner.age\n"
        'A1,0042,"1234.50",7,yes,2025-01-31,41\n'
        "A2,0043,abc,,false,,\n",
    )
    first, second = iter_records(path, schema=SCHEMA)
    assert first.value == {
        "id": "A1",
        "account": {
            "number": "0042",
            "balance": Decimal("1234.50"),
            "points": 7,
            "active": True,
            "opened": "2025-01-31",
            "owner": {"age": 41},
        },
    }
    # a cell that does not convert stays text (validation names it); empty cells are left out
    assert second.value == {
        "id": "A2",
        "account": {"number": "0043", "balance": "abc", "active": False},
    }
    assert (first.line, second.line) == (2, 3)


def test_csv_without_schema_is_text(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "a.b,c\n1.5,\n")
    (record,) = iter_records(path)
    assert record.value == {"a": {"b": "1.5"}, "c": ""}


def test_csv_row_with_wrong_cell_count_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "a,b\n1,2\n1,2,3\n\n4,5\n")
    records = list(iter_records(path))
    assert [r.ok for r in records] == [True, False, True]
    assert records[1].error is not None and records[1].error.line == 3


def test_csv_conflicting_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "a,a.b\n1,2\n")
    with pytest.raises(DataError, match="makes it a record"):
        list(iter_records(path))


def test_select_record(tmp_path: Path) -> None:
    lines = write(tmp_path, "r.jsonl", '{"n": 1}\n{"n": 2}\n{"n": 3}\n')
    assert select_record(lines, 2) == {"n": 2}
    array = write(tmp_path, "r.json", '[{"n": 1}, {"n": 2}]')
    assert select_record(array, 2) == {"n": 2}
    with pytest.raises(DataError, match="the file has 2 record"):
        select_record(array, 3)
    with pytest.raises(DataError, match="from 1"):
        select_record(array, 0)
    bad = write(tmp_path, "bad.jsonl", '{"n": 1}\n{oops}\n')
    with pytest.raises(DataError) as caught:
        select_record(bad, 2)
    assert caught.value.line == 2


def test_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="unknown data format"):
        list(iter_records(write(tmp_path, "a.json", "{}"), "xml"))  # type: ignore[arg-type]


def test_csv_with_crlf_bom_and_quoted_newlines(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes('\ufeffname,note\r\n"Ann","two\r\nlines"\r\nBob,x\r\n'.encode())
    first, second = iter_records(path)
    assert first.value == {"name": "Ann", "note": "two\r\nlines"}
    assert second.value == {"name": "Bob", "note": "x"}
    assert (first.line, second.line) == (2, 4)


def test_an_unfinished_json_line_is_reported_on_its_own_line(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text('{"a": 1}\n{"a": 2\n{"a": 3}\n', encoding="utf-8")
    records = list(iter_records(path))
    bad = records[1]
    assert bad.value is None and bad.error is not None
    assert bad.error.line == 2 and bad.line == 2
    assert [r.value for r in (records[0], records[2])] == [{"a": 1}, {"a": 3}]
