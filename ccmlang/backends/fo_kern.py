"""A legacy ``kern`` table from a font's OpenType kerning, so Apache FOP kerns like WeasyPrint.

FOP 2.8 applies OpenType ``GPOS`` only to complex scripts (Arabic, Indic…); for Latin text it
kerns from the TrueType ``kern`` table alone. Modern fonts (and subsets made with fontTools, like
the examples' Brand Sans) carry kerning in ``GPOS`` only, so FOP sets their text a little wider
than WeasyPrint (HarfBuzz) does, and now and then breaks a line one word sooner. Giving FOP a
copy of the font with the same pairs in a ``kern`` table makes both engines measure text alike;
the glyphs, metrics and names are untouched (spec/backends-fo.md, "Fonts and kerning").

Only Latin text is covered (:data:`RANGES`), and a format-0 subtable holds at most 10,920 pairs
(its length is 16-bit); pairs are kept in character order, Basic Latin first.
"""

from __future__ import annotations

import io
from typing import Any

from fontTools.ttLib import TTFont, TTLibError, newTable
from fontTools.ttLib.tables._k_e_r_n import KernTable_format_0

MAX_PAIRS = 10_920


RANGES = ((0x20, 0x24F), (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x214F))
"""Latin, general punctuation (dashes, quotes), currency and letterlike symbols: the text of
statements and invoices. Other scripts keep their kerning in WeasyPrint only."""


def _pair_lookups(gpos: Any) -> list[list[Any]]:
    """Pair-adjustment subtables of the ``kern`` feature, grouped by lookup, in lookup order."""
    indices: set[int] = set()
    for record in gpos.FeatureList.FeatureRecord if gpos.FeatureList else []:
        if record.FeatureTag == "kern":
            indices.update(record.Feature.LookupListIndex)
    lookups = []
    for index in sorted(indices):
        lookup = gpos.LookupList.Lookup[index]
        subtables = []
        for subtable in lookup.SubTable:
            if lookup.LookupType == 9:
                subtable = subtable.ExtSubTable
            if getattr(subtable, "LookupType", lookup.LookupType) == 2:
                subtables.append(subtable)
        lookups.append(subtables)
    return lookups


def _advance(value: Any) -> int:
    return int(getattr(value, "XAdvance", 0) or 0) if value is not None else 0


def kerning_pairs(font: TTFont) -> dict[tuple[str, str], int]:
    """Horizontal kerning between glyphs of the Latin :data:`RANGES`, as a shaper applies it:
    within a lookup the first subtable that applies to a pair decides, lookups add up."""
    cmap = font.getBestCmap() or {}
    order: list[str] = []
    for code in sorted(cmap):
        if any(low <= code <= high for low, high in RANGES) and cmap[code] not in order:
            order.append(cmap[code])
    mapped = set(order)
    rank = {glyph: i for i, glyph in enumerate(order)}
    pairs: dict[tuple[str, str], int] = {}
    for lookup in _pair_lookups(font["GPOS"].table):
        decided: set[tuple[str, str]] = set()
        closed: set[str] = set()  # first glyphs a class-based subtable already handled
        for subtable in lookup:
            coverage = [g for g in subtable.Coverage.glyphs if g in mapped and g not in closed]
            if subtable.Format == 1:
                index_of = {g: i for i, g in enumerate(subtable.Coverage.glyphs)}
                for first in coverage:
                    for record in subtable.PairSet[index_of[first]].PairValueRecord:
                        pair = (first, record.SecondGlyph)
                        if record.SecondGlyph in mapped and pair not in decided:
                            decided.add(pair)
                            pairs[pair] = pairs.get(pair, 0) + _advance(record.Value1)
            elif subtable.Format == 2:
                by_class: dict[int, list[str]] = {}
                second_classes = subtable.ClassDef2.classDefs
                for glyph in order:
                    by_class.setdefault(second_classes.get(glyph, 0), []).append(glyph)
                first_classes = subtable.ClassDef1.classDefs
                for first in coverage:
                    closed.add(first)
                    row = subtable.Class1Record[first_classes.get(first, 0)].Class2Record
                    for klass, seconds in by_class.items():
                        value = _advance(row[klass].Value1) if klass < len(row) else 0
                        if not value:
                            continue
                        for second in seconds:
                            pair = (first, second)
                            if pair not in decided:
                                pairs[pair] = pairs.get(pair, 0) + value
    kept = [(p, v) for p, v in pairs.items() if v]
    kept.sort(key=lambda item: (rank[item[0][0]], rank[item[0][1]]))
    return dict(kept)


def with_kern_table(data: bytes) -> bytes | None:
    """The font with a ``kern`` table added from its ``GPOS`` kerning; ``None`` when FOP needs
    no help (the font has a ``kern`` table already, or no OpenType kerning) or it cannot be read.
    """
    try:
        font = TTFont(io.BytesIO(data), lazy=False)
    except (TTLibError, OSError, ValueError, AssertionError):
        return None
    if "kern" in font or "GPOS" not in font or "glyf" not in font:
        return None
    pairs = kerning_pairs(font)
    if not pairs:
        return None
    subtable = KernTable_format_0()
    subtable.version = 0
    subtable.format = 0
    subtable.coverage = 1  # horizontal kerning values
    subtable.tupleIndex = None
    subtable.kernTable = dict(list(pairs.items())[:MAX_PAIRS])
    table = newTable("kern")
    table.version = 0
    table.kernTables = [subtable]
    font["kern"] = table
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
