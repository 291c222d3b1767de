"""Data Matrix ECC 200 (ISO/IEC 16022:2006), square symbols 10x10 to 144x144.

Implemented here rather than wrapped: ECC 200 is a few well-specified steps, and the pure-Python
encoder on PyPI (ppf-datamatrix 0.2) emits codeword 0 where the pad algorithm yields 254. Outside
that case its symbols agree with ours for every size (checked when this was written):

* ASCII encodation with digit pairs and Upper Shift; text outside Latin-1 (the default
  interpretation) is sent as UTF-8 behind ECI 000026;
* pad codewords with the 253-state randomising algorithm (Annex B);
* Reed–Solomon over GF(256) with field polynomial 301, generator roots α¹..αⁿ, blocks
  interleaved every ``blocks``-th codeword; symbol attributes from Table 7;
* module placement from Annex F, then finder and alignment patterns around each data region.
"""

from __future__ import annotations

from dataclasses import dataclass

from ccmlang.graphics.svg import GraphicError, SvgGraphic, matrix_svg

QUIET_ZONE = 2  # modules; the standard requires at least 1, two is kinder to printers

PAD = 129
UPPER_SHIFT = 235
ECI = 241
ECI_UTF8 = 26


@dataclass(frozen=True, slots=True)
class SymbolSize:
    """One row of ISO/IEC 16022 Table 7 (square ECC 200 symbols)."""

    size: int  # modules per side, finder pattern included
    regions: int  # data regions per side
    data_codewords: int
    ecc_codewords: int  # total over all blocks
    blocks: int  # interleaved Reed–Solomon blocks

    @property
    def region_size(self) -> int:
        return (self.size - 2 * self.regions) // self.regions

    @property
    def mapping_size(self) -> int:
        return self.region_size * self.regions


SYMBOL_SIZES: tuple[SymbolSize, ...] = (
    SymbolSize(10, 1, 3, 5, 1),
    SymbolSize(12, 1, 5, 7, 1),
    SymbolSize(14, 1, 8, 10, 1),
    SymbolSize(16, 1, 12, 12, 1),
    SymbolSize(18, 1, 18, 14, 1),
    SymbolSize(20, 1, 22, 18, 1),
    SymbolSize(22, 1, 30, 20, 1),
    SymbolSize(24, 1, 36, 24, 1),
    SymbolSize(26, 1, 44, 28, 1),
    SymbolSize(32, 2, 62, 36, 1),
    SymbolSize(36, 2, 86, 42, 1),
    SymbolSize(40, 2, 114, 48, 1),
    SymbolSize(44, 2, 144, 56, 1),
    SymbolSize(48, 2, 174, 68, 1),
    SymbolSize(52, 2, 204, 84, 2),
    SymbolSize(64, 4, 280, 112, 2),
    SymbolSize(72, 4, 368, 144, 4),
    SymbolSize(80, 4, 456, 192, 4),
    SymbolSize(88, 4, 576, 224, 4),
    SymbolSize(96, 4, 696, 272, 4),
    SymbolSize(104, 4, 816, 336, 6),
    SymbolSize(120, 6, 1050, 408, 6),
    SymbolSize(132, 6, 1304, 496, 8),
    SymbolSize(144, 6, 1558, 620, 10),
)


# ---------------------------------------------------------------- ASCII encodation


def encode_ascii(data: str) -> list[int]:
    """Data codewords in ASCII encodation: digit pairs as 130+nn, bytes >127 behind Upper Shift.

    Latin-1 text is the default interpretation; anything else is sent as UTF-8 after the
    ECI 000026 designator (codewords 241, 27).
    """
    if not isinstance(data, str) or data == "":
        raise GraphicError("Data Matrix data must be a non-empty string")
    words: list[int] = []
    try:
        raw = data.encode("latin-1")
    except UnicodeEncodeError:
        try:
            raw = data.encode("utf-8")
        except UnicodeEncodeError as exc:  # lone surrogates
            raise GraphicError(f"Data Matrix data cannot be encoded: {exc.reason}") from None
        words = [ECI, ECI_UTF8 + 1]
    i = 0
    while i < len(raw):
        byte = raw[i]
        if 48 <= byte <= 57 and i + 1 < len(raw) and 48 <= raw[i + 1] <= 57:
            words.append(130 + (byte - 48) * 10 + (raw[i + 1] - 48))
            i += 2
            continue
        if byte > 127:
            words.extend((UPPER_SHIFT, byte - 127))
        else:
            words.append(byte + 1)
        i += 1
    return words


def choose_size(count: int) -> SymbolSize:
    """The smallest square symbol with room for ``count`` data codewords."""
    for symbol in SYMBOL_SIZES:
        if symbol.data_codewords >= count:
            return symbol
    largest = SYMBOL_SIZES[-1].data_codewords
    raise GraphicError(
        f"data needs {count} Data Matrix codewords; the largest symbol holds {largest}"
    )


def pad(words: list[int], capacity: int) -> list[int]:
    """Fill to capacity: first pad 129, then the 253-state randomised pads (Annex B.1)."""
    result = list(words)
    if len(result) < capacity:
        result.append(PAD)
    while len(result) < capacity:
        position = len(result) + 1  # 1-based position of this pad in the data stream
        value = PAD + ((149 * position) % 253) + 1
        result.append(value - 254 if value > 254 else value)
    return result


# ---------------------------------------------------------------- Reed–Solomon

_EXP = [0] * 512
_LOG = [0] * 256


def _init_field() -> None:
    value = 1
    for power in range(255):
        _EXP[power] = value
        _LOG[value] = power
        value <<= 1
        if value & 0x100:
            value ^= 301  # x^8 + x^5 + x^3 + x^2 + 1
    for power in range(255, 512):
        _EXP[power] = _EXP[power - 255]


_init_field()


def gf_mul(a: int, b: int) -> int:
    """Multiplication in GF(256) with field polynomial 301."""
    if a == 0 or b == 0:
        return 0
    return _EXP[_LOG[a] + _LOG[b]]


def gf_pow(power: int) -> int:
    """α to the given power."""
    return _EXP[power % 255]


def generator(degree: int) -> list[int]:
    """Coefficients (highest power first) of (x - α)(x - α²)…(x - αⁿ)."""
    poly = [1]
    for root in range(1, degree + 1):
        factor = gf_pow(root)
        nxt = [*poly, 0]
        for i, coef in enumerate(poly):
            nxt[i + 1] ^= gf_mul(coef, factor)
        poly = nxt
    return poly


def rs_encode(data: list[int], degree: int) -> list[int]:
    """The ``degree`` check codewords: remainder of data·x^degree divided by the generator."""
    gen = generator(degree)
    remainder = [0] * degree
    for word in data:
        factor = word ^ remainder[0]
        remainder = [*remainder[1:], 0]
        if factor:
            for i in range(degree):
                remainder[i] ^= gf_mul(gen[i + 1], factor)
    return remainder


def codewords(data: str) -> tuple[SymbolSize, list[int]]:
    """The symbol size and its full codeword stream: data, pads, interleaved check words."""
    words = encode_ascii(data)
    symbol = choose_size(len(words))
    stream = pad(words, symbol.data_codewords)
    blocks = symbol.blocks
    per_block = symbol.ecc_codewords // blocks
    ecc = [0] * symbol.ecc_codewords
    for block in range(blocks):
        # Interleaving: block b holds every blocks-th codeword starting at b.
        checks = rs_encode(stream[block::blocks], per_block)
        for i, word in enumerate(checks):
            ecc[block + i * blocks] = word
    return symbol, stream + ecc


# ---------------------------------------------------------------- placement (Annex F)


def placement(nrow: int, ncol: int) -> list[list[int]]:
    """Annex F "ECC 200 symbol character placement" for a mapping matrix of nrow x ncol.

    Each cell holds ``codeword_index * 8 + bit`` (bit 0 = most significant), or -1 for a dark
    and -2 for a light fixed module in the unused corner.
    """
    grid = [[-3] * ncol for _ in range(nrow)]

    def module(row: int, col: int, index: int, bit: int) -> None:
        if row < 0:
            row += nrow
            col += 4 - ((nrow + 4) % 8)
        if col < 0:
            col += ncol
            row += 4 - ((ncol + 4) % 8)
        grid[row][col] = index * 8 + bit

    def utah(row: int, col: int, index: int) -> None:
        module(row - 2, col - 2, index, 0)
        module(row - 2, col - 1, index, 1)
        module(row - 1, col - 2, index, 2)
        module(row - 1, col - 1, index, 3)
        module(row - 1, col, index, 4)
        module(row, col - 2, index, 5)
        module(row, col - 1, index, 6)
        module(row, col, index, 7)

    def corner(index: int, cells: tuple[tuple[int, int], ...]) -> None:
        for bit, (row, col) in enumerate(cells):
            module(row, col, index, bit)

    corner1 = (
        (nrow - 1, 0), (nrow - 1, 1), (nrow - 1, 2), (0, ncol - 2),
        (0, ncol - 1), (1, ncol - 1), (2, ncol - 1), (3, ncol - 1),
    )  # fmt: skip
    corner2 = (
        (nrow - 3, 0), (nrow - 2, 0), (nrow - 1, 0), (0, ncol - 4),
        (0, ncol - 3), (0, ncol - 2), (0, ncol - 1), (1, ncol - 1),
    )  # fmt: skip
    corner3 = (
        (nrow - 3, 0), (nrow - 2, 0), (nrow - 1, 0), (0, ncol - 2),
        (0, ncol - 1), (1, ncol - 1), (2, ncol - 1), (3, ncol - 1),
    )  # fmt: skip
    corner4 = (
        (nrow - 1, 0), (nrow - 1, ncol - 1), (0, ncol - 3), (0, ncol - 2),
        (0, ncol - 1), (1, ncol - 3), (1, ncol - 2), (1, ncol - 1),
    )  # fmt: skip

    index = 0
    row, col = 4, 0
    while True:
        if row == nrow and col == 0:
            corner(index, corner1)
            index += 1
        if row == nrow - 2 and col == 0 and ncol % 4:
            corner(index, corner2)
            index += 1
        if row == nrow - 2 and col == 0 and ncol % 8 == 4:
            corner(index, corner3)
            index += 1
        if row == nrow + 4 and col == 2 and not ncol % 8:
            corner(index, corner4)
            index += 1
        while True:  # sweep up and to the right
            if row < nrow and col >= 0 and grid[row][col] == -3:
                utah(row, col, index)
                index += 1
            row -= 2
            col += 2
            if not (row >= 0 and col < ncol):
                break
        row += 1
        col += 3
        while True:  # sweep down and to the left
            if row >= 0 and col < ncol and grid[row][col] == -3:
                utah(row, col, index)
                index += 1
            row += 2
            col -= 2
            if not (row < nrow and col >= 0):
                break
        row += 3
        col += 1
        if not (row < nrow or col < ncol):
            break
    if grid[nrow - 1][ncol - 1] == -3:  # the fixed pattern in the lower right corner
        grid[nrow - 1][ncol - 1] = grid[nrow - 2][ncol - 2] = -1
        grid[nrow - 1][ncol - 2] = grid[nrow - 2][ncol - 1] = -2
    return grid


def symbol_matrix(data: str) -> list[list[int]]:
    """The complete symbol (1 = dark), finder and alignment patterns included, no quiet zone."""
    symbol, stream = codewords(data)
    mapping = placement(symbol.mapping_size, symbol.mapping_size)
    region = symbol.region_size
    block = region + 2
    size = symbol.size
    matrix = [[0] * size for _ in range(size)]
    for y in range(size):
        for x in range(size):
            by, bx = y % block, x % block
            if bx == 0 or by == block - 1:
                matrix[y][x] = 1  # solid left and bottom edges of each region
            elif by == 0:
                matrix[y][x] = 1 if bx % 2 == 0 else 0  # clock track on top
            elif bx == block - 1:
                matrix[y][x] = 1 if by % 2 == 1 else 0  # clock track on the right
            else:
                cell = mapping[(y // block) * region + by - 1][(x // block) * region + bx - 1]
                if cell >= 0:
                    matrix[y][x] = (stream[cell // 8] >> (7 - cell % 8)) & 1
                else:
                    matrix[y][x] = 1 if cell == -1 else 0
    return matrix


def datamatrix(data: str, *, size: str = "20mm") -> SvgGraphic:
    """A square Data Matrix ECC 200 symbol of ``data``; ``size`` includes the quiet zone."""
    return matrix_svg(symbol_matrix(data), quiet=QUIET_ZONE, size=size, fill="#000000", data=data)
