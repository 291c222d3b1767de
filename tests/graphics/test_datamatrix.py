from __future__ import annotations

from collections.abc import Sequence

import pytest

from ccmlang.graphics import GraphicError, datamatrix
from ccmlang.graphics.datamatrix import (
    SYMBOL_SIZES,
    SymbolSize,
    codewords,
    encode_ascii,
    pad,
    placement,
    symbol_matrix,
)

from .svgtools import find, matrix_modules, parse, path_modules, view_box

# Cross-checked with an independent encoder (ppf-datamatrix 0.2, ASCII codec) when written.
KNOWN = {
    "123456": [
        "1010101010",
        "1100101101",
        "1100000100",
        "1100011101",
        "1100001000",
        "1000001111",
        "1110110000",
        "1111011001",
        "1001110100",
        "1111111111",
    ],
    "Invoice 2024-0042": [
        "101010101010101010",
        "101111110100010101",
        "110101000101111110",
        "111110110100101011",
        "110101000010101000",
        "101000001000011011",
        "111001010010100100",
        "100101100110100011",
        "110011101001000010",
        "110010000101100111",
        "101011111100110010",
        "111011000111110001",
        "100011000111101100",
        "110110001001010001",
        "110100100100000000",
        "100011010011000101",
        "111110010100000100",
        "111111111111111111",
    ],
}


# ---------------------------------------------------------------- an independent GF(256) check


def gf_mul(a: int, b: int) -> int:
    """Shift-and-add multiplication modulo x^8 + x^5 + x^3 + x^2 + 1 (301)."""
    result = 0
    while b:
        if b & 1:
            result ^= a
        a <<= 1
        if a & 0x100:
            a ^= 301
        b >>= 1
    return result


def syndromes(block: Sequence[int], count: int) -> list[int]:
    """C(α^j) for j = 1..count (Horner), with α = 2."""
    result = []
    alpha_j = 1
    for _ in range(count):
        alpha_j = gf_mul(alpha_j, 2)
        acc = 0
        for word in block:
            acc = gf_mul(acc, alpha_j) ^ word
        result.append(acc)
    return result


def read_codewords(matrix: list[list[int]], symbol: SymbolSize) -> list[int]:
    """Strip finder/alignment patterns and read the codewords back via Annex F placement."""
    region, block = symbol.region_size, symbol.region_size + 2
    mapping = [
        [matrix[y][x] for x in range(symbol.size) if 0 < x % block < block - 1]
        for y in range(symbol.size)
        if 0 < y % block < block - 1
    ]
    assert len(mapping) == symbol.regions * region
    total = symbol.data_codewords + symbol.ecc_codewords
    words = [0] * total
    for row, cells in zip(mapping, placement(len(mapping), len(mapping)), strict=True):
        for bit, cell in zip(row, cells, strict=True):
            if cell >= 0:
                words[cell // 8] |= bit << (7 - cell % 8)
    return words


def decode_ascii(words: Sequence[int]) -> str:
    out: list[str] = []
    upper = False
    for word in words:
        if word == 129:
            break
        if upper:
            out.append(chr(word + 127))
            upper = False
        elif word == 235:
            upper = True
        elif 130 <= word <= 229:
            out.append(f"{word - 130:02d}")
        else:
            out.append(chr(word - 1))
    return "".join(out)


# ---------------------------------------------------------------- tests


def test_iso_example_codewords() -> None:
    """ISO/IEC 16022 Annex O example: "123456" -> data 142 164 186, check 114 25 5 88 102."""
    symbol, words = codewords("123456")
    assert symbol.size == 10
    assert words == [142, 164, 186, 114, 25, 5, 88, 102]


@pytest.mark.parametrize("data", sorted(KNOWN))
def test_known_vectors(data: str) -> None:
    assert ["".join(map(str, row)) for row in symbol_matrix(data)] == KNOWN[data]


def test_symbol_table_capacity_matches_mapping_matrix() -> None:
    for symbol in SYMBOL_SIZES:
        bits = symbol.mapping_size**2
        assert bits // 8 == symbol.data_codewords + symbol.ecc_codewords, symbol
        assert symbol.ecc_codewords % symbol.blocks == 0


@pytest.mark.parametrize(
    ("data", "size"),
    [
        ("1", 10),
        ("123456", 10),  # three digit pairs = 3 codewords
        ("1234567", 12),
        ("ABC", 10),
        ("ABCD", 12),
        ("ABCDEF", 14),
        ("A" * 12, 16),
        ("A" * 13, 18),
        ("A" * 44, 26),
        ("A" * 45, 32),
        ("A" * 204, 52),
        ("A" * 205, 64),
        ("0" * 408, 52),
        ("A" * 1558, 144),
    ],
)
def test_symbol_size_for_length(data: str, size: int) -> None:
    assert len(symbol_matrix(data)) == size


def test_too_long() -> None:
    with pytest.raises(GraphicError, match="largest symbol holds 1558"):
        datamatrix("A" * 1559)


@pytest.mark.parametrize("data", ["A", "Hello World", "x" * 60, "y" * 300, "9" * 2000])
def test_finder_and_alignment_patterns(data: str) -> None:
    matrix = symbol_matrix(data)
    symbol = next(s for s in SYMBOL_SIZES if s.size == len(matrix))
    n, block = symbol.size, symbol.region_size + 2
    assert all(matrix[y][0] == 1 for y in range(n)), "solid left edge"
    assert all(matrix[n - 1][x] == 1 for x in range(n)), "solid bottom edge"
    assert [matrix[0][x] for x in range(n)] == [1 - x % 2 for x in range(n)], "clock on top"
    assert [matrix[y][n - 1] for y in range(n)] == [y % 2 for y in range(n)], "clock on right"
    for k in range(1, symbol.regions):  # alignment patterns between regions
        left, right = k * block, k * block - 1
        assert all(matrix[y][left] == 1 for y in range(n))
        assert [matrix[y][right] for y in range(n)] == [y % 2 for y in range(n)]
        bottom, top = k * block - 1, k * block
        assert all(matrix[bottom][x] == 1 for x in range(n))
        assert [matrix[top][x] for x in range(n)] == [1 - x % 2 for x in range(n)]


@pytest.mark.parametrize(
    "data", ["123456", "Hello World", "Grüße €", "z" * 250, "Invoice 2024-0042 " * 40, "7" * 3000]
)
def test_reed_solomon_syndromes_are_zero(data: str) -> None:
    matrix = symbol_matrix(data)
    symbol = next(s for s in SYMBOL_SIZES if s.size == len(matrix))
    words = read_codewords(matrix, symbol)
    blocks = symbol.blocks
    per_block = symbol.ecc_codewords // blocks
    ndata = symbol.data_codewords
    for b in range(blocks):
        block = words[b:ndata:blocks] + words[ndata + b :: blocks]
        assert len(block) - len(words[b:ndata:blocks]) == per_block
        assert syndromes(block, per_block) == [0] * per_block
    if data.isascii():
        assert decode_ascii(words[:ndata]) == data


def test_ascii_encodation() -> None:
    assert encode_ascii("A") == [66]
    assert encode_ascii("12a3") == [142, 98, 52]
    assert encode_ascii("é") == [235, 0xE9 - 127]  # Upper Shift, Latin-1 default
    # outside Latin-1: ECI 000026 (UTF-8), then the UTF-8 bytes E2 82 AC via Upper Shift
    assert encode_ascii("€") == [241, 27, 235, 0xE2 - 127, 235, 0x82 - 127, 235, 0xAC - 127]


def test_padding() -> None:
    assert pad([66], 3) == [66, 129, 70]  # 129 + (149*3 mod 253) + 1 = 324 -> 324 - 254
    position = next(p for p in range(3, 300) if (149 * p) % 253 == 124)
    padded = pad([66] * (position - 2), position)  # the last one is a randomised pad
    assert padded[-1] == 254  # the randomised pad may be 254; it is never 0


def test_svg_matches_matrix() -> None:
    graphic = datamatrix("Invoice 2024-0042", size="15mm")
    root = parse(graphic.svg)
    assert view_box(root) == (22, 22)  # 18 modules + 2-module quiet zone each side
    assert (graphic.width, graphic.height, graphic.data) == ("15mm", "15mm", "Invoice 2024-0042")
    modules = path_modules(find(root, "path")[0].get("d", ""))
    assert modules == matrix_modules(symbol_matrix("Invoice 2024-0042"), offset=2)


def test_deterministic() -> None:
    assert datamatrix("abc").svg == datamatrix("abc").svg


@pytest.mark.parametrize(("data", "message"), [("", "non-empty"), ("\ud800", "cannot be encoded")])
def test_invalid_input(data: str, message: str) -> None:
    with pytest.raises(GraphicError, match=message):
        datamatrix(data)
