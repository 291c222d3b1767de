"""Vector graphics for documents: barcodes, QR codes and charts as standalone SVG strings.

Every function is pure and deterministic (same input, byte-identical SVG) and returns an
:class:`SvgGraphic`; invalid input raises :class:`GraphicError` saying what is wrong. The SVG
uses only what WeasyPrint draws (rect, path, line, polyline, circle, text), so backends can embed
it inline or as a data URI.
"""

from ccmlang.graphics.charts import bar_chart, line_chart, pie_chart
from ccmlang.graphics.code128 import code128
from ccmlang.graphics.datamatrix import datamatrix
from ccmlang.graphics.epc import epc_payload, epc_qr
from ccmlang.graphics.qr import qr_code
from ccmlang.graphics.svg import GraphicError, SvgGraphic, with_font

__all__ = [
    "GraphicError",
    "SvgGraphic",
    "bar_chart",
    "code128",
    "datamatrix",
    "epc_payload",
    "epc_qr",
    "line_chart",
    "pie_chart",
    "qr_code",
    "with_font",
]
