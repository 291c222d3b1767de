"""Make the Northwind example's "Brand Sans" fonts from Debian's DejaVu Sans.

Run from the repository root:  .venv/bin/python examples/brand/fonts/make_fonts.py

Each face is subset with fontTools (the same as `pyftsubset`, see README.md) to the characters
business letters need, keeping the kerning and ligature features, then renamed to "Brand Sans"
in the name table (the Bitstream Vera licence requires modified fonts to be renamed).
"""

from __future__ import annotations

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

SOURCE = Path("/usr/share/fonts/truetype/dejavu")
HERE = Path(__file__).resolve().parent
FAMILY = "Brand Sans"

# (source file, output file, subfamily name)
FACES = [
    ("DejaVuSans.ttf", "BrandSans-Regular.ttf", "Regular"),
    ("DejaVuSans-Bold.ttf", "BrandSans-Bold.ttf", "Bold"),
    ("DejaVuSans-Oblique.ttf", "BrandSans-Italic.ttf", "Italic"),
    ("DejaVuSans-BoldOblique.ttf", "BrandSans-BoldItalic.ttf", "Bold Italic"),
]

# Basic Latin, Latin-1 Supplement, Latin Extended-A, general punctuation used by CLDR number
# and date formats (thin and narrow no-break spaces, U+2011 no-break hyphen), typographic
# quotes and dashes, bullet, ellipsis, per mille, €, ™, minus sign, a check mark and an arrow.
UNICODES = (
    "U+0020-007E,U+00A0-00FF,U+0100-017F,U+0192,U+02C6,U+02C7,U+02D8-02DD,"
    "U+2002-200B,U+2010-2015,U+2018-201E,U+2020-2022,U+2026,U+202F,U+2030,U+2032,U+2033,"
    "U+2039,U+203A,U+20AC,U+2116,U+2122,U+2190-2193,U+2212,U+2713,U+FB01,U+FB02"
)

OPTIONS = [
    f"--unicodes={UNICODES}",
    "--layout-features=kern,liga,clig,calt,ccmp,locl,mark,mkmk",
    "--name-IDs=*",
    "--name-languages=*",
    "--notdef-outline",
    "--desubroutinize",
]


def rename(font: TTFont, subfamily: str) -> None:
    """Family "Brand Sans" in every name record that carries a family or font name."""
    full = FAMILY if subfamily == "Regular" else f"{FAMILY} {subfamily}"
    postscript = "BrandSans-" + subfamily.replace(" ", "")
    table = font["name"]
    for record in list(table.names):
        if record.nameID in (16, 17, 18, 21, 22):
            table.removeNames(nameID=record.nameID)
    values = {
        1: FAMILY,
        2: subfamily,
        3: f"{postscript};ccmlang examples;derived from DejaVu Sans 2.37",
        4: full,
        6: postscript,
    }
    for name_id, value in values.items():
        table.removeNames(nameID=name_id)
        table.setName(value, name_id, 3, 1, 0x409)
        table.setName(value, name_id, 1, 0, 0)
    font["OS/2"].usWeightClass = 700 if "Bold" in subfamily else 400


def main() -> None:
    for source, target, subfamily in FACES:
        args = [str(SOURCE / source), *OPTIONS, f"--output-file={HERE / target}"]
        subset.main(args)
        font = TTFont(HERE / target)
        rename(font, subfamily)
        font.save(HERE / target)
        print(f"{target}: {(HERE / target).stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
