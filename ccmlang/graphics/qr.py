"""QR codes (ISO/IEC 18004) as vector SVG.

segno does the hard, well-tested part (mode selection, Reed–Solomon, masking); we only turn its
module matrix into one compact ``<path>`` with the 4-module quiet zone ISO/IEC 18004 requires.
"""

from __future__ import annotations

import segno

from ccmlang.graphics.svg import GraphicError, SvgGraphic, matrix_svg

QUIET_ZONE = 4  # modules, the ISO/IEC 18004 minimum for QR Code (not Micro QR)
ERROR_LEVELS = ("L", "M", "Q", "H")


def qr_matrix(
    data: str,
    *,
    error: str = "M",
    encoding: str | None = None,
    mode: str | None = None,
) -> tuple[bytearray, ...]:
    """The module matrix (1 = dark) without quiet zone, from segno.

    ``boost_error=False`` keeps the requested level: a caller who asks for M gets M.
    """
    if not isinstance(data, str) or data == "":
        raise GraphicError("QR code data must be a non-empty string")
    level = error.upper() if isinstance(error, str) else error
    if level not in ERROR_LEVELS:
        raise GraphicError(f"QR error level must be one of L, M, Q, H, got {error!r}")
    try:
        qr = segno.make_qr(data, error=level, encoding=encoding, mode=mode, boost_error=False)
    except ValueError as exc:  # segno.DataOverflowError and encoding errors are ValueErrors
        raise GraphicError(f"cannot encode QR code: {exc}") from exc
    return tuple(qr.matrix)


def qr_code(
    data: str, *, size: str = "25mm", error: str = "M", color: str = "#000000"
) -> SvgGraphic:
    """A QR code of ``data`` as a square SVG of ``size`` including the quiet zone."""
    matrix = qr_matrix(data, error=error)
    return matrix_svg(matrix, quiet=QUIET_ZONE, size=size, fill=color, data=data)
