"""JSON arrays stream element by element (ccmlang.json_array): same values as a whole parse,
memory bounded by one element, positions for every error, a bad element is one bad record."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccmlang import json_array
from ccmlang.data import DataError, iter_records


def split(text: str | bytes) -> list[json_array.Element]:
    raw = text.encode() if isinstance(text, str) else text
    return list(json_array.elements(io.BufferedReader(io.BytesIO(raw))))  # type: ignore[arg-type]


@pytest.fixture(params=[7, 1 << 16], ids=["tiny-chunks", "default-chunks"])
def chunk(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Every test also runs with 7-byte reads, so every token meets a chunk boundary."""
    monkeypatch.setattr(json_array, "CHUNK_BYTES", request.param)
    return int(request.param)


def test_strings_hide_brackets_commas_and_quotes(chunk: int) -> None:
    text = '[ {"a": "x, ] } [ \\" \\\\", "b": [1, {"c": []}]},\n  "é,]",\r\n  2.50 , null ]\n'
    found = split(text)
    assert [e.value for e in found] == [
        {"a": 'x, ] } [ " \\', "b": [1, {"c": []}]},
        "é,]",
        Decimal("2.50"),
        None,
    ]
    assert [(e.line, e.col) for e in found] == [(1, 3), (2, 3), (3, 3), (3, 10)]


def test_empty_array_and_a_byte_order_mark(chunk: int) -> None:
    assert split(" [ ] \n") == []
    assert [e.value for e in split(b"\xef\xbb\xbf[1]")] == [1]


@pytest.mark.parametrize(
    ("text", "message", "where"),
    [
        ('[{"a": 1}, {"a": 2}', "the array is not closed", (1, 20)),
        ('[{"a": 1}, "open', "a string is not closed", (1, 12)),
        ("[1, 2, ]", "trailing comma", (1, 8)),
        ("[1, 2]\n x", "text after the array", (2, 2)),
        ("[\n1,", "the array is not closed", (2, 3)),
    ],
)
def test_what_cannot_be_split_says_where(
    chunk: int, text: str, message: str, where: tuple[int, int]
) -> None:
    with pytest.raises(json_array.ArrayError, match=message) as caught:
        split(text)
    assert (caught.value.line, caught.value.col) == where


def test_invalid_utf8_says_where(chunk: int) -> None:
    with pytest.raises(json_array.ArrayError, match="not valid UTF-8") as caught:
        split(b'[\n  "caf\xe9"]')
    assert (caught.value.line, caught.value.col) == (2, 7)


def test_memory_holds_one_element(chunk: int) -> None:
    """While element k is handed out, the reader has read at most one chunk past its end."""
    items = [{"n": i, "text": "x" * (i % 50)} for i in range(3000)]
    raw = json.dumps(items).encode()
    stream = io.BytesIO(raw)
    reader = io.BufferedReader(stream, buffer_size=max(chunk, 8))
    offset = 1
    for i, element in enumerate(json_array.elements(reader)):  # type: ignore[arg-type]
        assert element.value == items[i]
        text = json.dumps(items[i]).encode()
        offset = raw.index(text, offset) + len(text)
        assert stream.tell() <= offset + 2 * max(chunk, 8) + 2
    assert i == len(items) - 1


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=15,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(JSON, max_size=6), st.sampled_from([None, 0, 2]), st.integers(1, 9))
def test_split_parses_like_the_whole_array(
    values: list[Any], indent: int | None, size: int
) -> None:
    text = json.dumps(values, indent=indent, ensure_ascii=False)
    whole = json.loads(text, parse_float=Decimal)
    original = json_array.CHUNK_BYTES
    json_array.CHUNK_BYTES = size
    try:
        parts = [e.value for e in split(text)]
    finally:
        json_array.CHUNK_BYTES = original
    assert parts == whole


def test_a_bad_element_is_one_bad_record_with_its_position(tmp_path: Path, chunk: int) -> None:
    path = tmp_path / "records.json"
    path.write_text('[\n  {"n": 1.50},\n  {"n": ,},\n  {"n": 3}\n]\n', encoding="utf-8")
    records = list(iter_records(path))
    assert [r.number for r in records] == [1, 2, 3]
    assert records[0].value == {"n": Decimal("1.50")} and records[2].value == {"n": 3}
    bad = records[1]
    assert bad.value is None and bad.error is not None and bad.line == 3
    assert (bad.error.line, bad.error.col) == (3, 9)


def test_a_document_that_is_not_an_array_is_one_record(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text('\n  {"a": [1, 2]}\n', encoding="utf-8")
    assert [r.value for r in iter_records(path)] == [{"a": [1, 2]}]
    broken = tmp_path / "broken.json"
    broken.write_text('[{"a": 1}, {"a": 2}', encoding="utf-8")
    with pytest.raises(DataError, match="not closed") as caught:
        list(iter_records(broken))
    assert caught.value.line == 1


@pytest.mark.parametrize(
    ("bad", "message", "col"),
    [
        ('{"a": 1} x', "Extra data", 13),
        ("NaN", "NaN is not valid JSON", 5),
        ("{oops}", "Expecting property name", 6),
        ("", "Expecting value", 5),
        ("12 34", "Extra data", 7),
    ],
)
def test_bad_elements_fail_alone(chunk: int, bad: str, message: str, col: int) -> None:
    found = split(f"[1, {bad}, 2.5]")
    assert [e.value for e in found] == [1, None, Decimal("2.5")]
    assert found[1].error is not None
    assert message in found[1].error[0]
    assert found[1].error[1:] == (1, col)


def test_a_number_cut_by_a_read_is_read_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_array, "CHUNK_BYTES", 3)
    assert [e.value for e in split("[123456789, -0.125e-2]")] == [123456789, Decimal("-0.00125")]
