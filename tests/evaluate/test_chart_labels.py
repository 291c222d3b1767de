"""Chart value labels keep the data's precision: money with cents stays with cents."""

from __future__ import annotations

import re
from decimal import Decimal

from ccmlang import compile_source, layout


def labels(values: list[str], locale: str = "en-GB") -> list[str]:
    template = compile_source(
        'template "x"\nchart xs as m kind: bar label: m.l value: m.v alt: "Balance"\n'
    )
    data = {"xs": [{"l": str(i), "v": Decimal(v)} for i, v in enumerate(values)]}
    graphic = template.render(data, locale=locale).body[0]
    assert isinstance(graphic, layout.Graphic)
    return re.findall(r">(-?[0-9][0-9.,\u202f\xa0]*)<", graphic.svg)


def test_money_values_keep_two_decimals() -> None:
    found = labels(["1520.40", "1215.00", "-1093.6"])
    assert "1,520.40" in found and "1,215.00" in found and "-1,093.60" in found


def test_whole_numbers_stay_whole() -> None:
    assert "1,520" in labels(["1520", "3"])


def test_locale_separators() -> None:
    assert "1.520,40" in labels(["1520.40"], "de-DE")
