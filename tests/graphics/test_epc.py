from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import segno

from ccmlang.graphics import GraphicError, epc_payload, epc_qr
from ccmlang.graphics.epc import normalize_iban

from .svgtools import find, matrix_modules, parse, path_modules

BASE: dict[str, Any] = {
    "name": "Red Cross of Belgium",
    "iban": "BE72000000001616",
    "bic": "BPOTBEB1",
    "amount": Decimal("12.30"),
}


def test_payload_field_order_with_text() -> None:
    """The EPC069-12 sample (Red Cross of Belgium), in version 002."""
    payload = epc_payload(**BASE, purpose="CHAR", text="Urgency fund", info="Sample EPC QR code")
    assert payload.split("\n") == [
        "BCD",  # service tag
        "002",  # version
        "1",  # character set UTF-8
        "SCT",  # identification
        "BPOTBEB1",  # BIC
        "Red Cross of Belgium",  # name
        "BE72000000001616",  # IBAN
        "EUR12.30",  # amount
        "CHAR",  # purpose
        "",  # structured reference (absent: text is used)
        "Urgency fund",  # unstructured text
        "Sample EPC QR code",  # beneficiary to originator info
    ]


def test_payload_with_reference_and_empty_purpose() -> None:
    payload = epc_payload(**BASE, reference="RF18 5390 0754 7034", info="Thanks")
    assert payload.split("\n") == [
        "BCD", "002", "1", "SCT", "BPOTBEB1", "Red Cross of Belgium", "BE72000000001616",
        "EUR12.30", "", "RF18539007547034", "", "Thanks",
    ]  # fmt: skip


def test_trailing_empty_fields_are_dropped() -> None:
    payload = epc_payload(name="A", iban="BE72000000001616", amount=None)
    assert payload == "BCD\n002\n1\nSCT\n\nA\nBE72000000001616"
    assert not payload.endswith("\n")


@pytest.mark.parametrize(
    ("amount", "field"),
    [
        (Decimal("12.3"), "EUR12.30"),
        (Decimal("12.300"), "EUR12.30"),
        (Decimal("0.01"), "EUR0.01"),
        (Decimal("1E+2"), "EUR100.00"),
        (Decimal("999999999.99"), "EUR999999999.99"),
        (7, "EUR7.00"),
    ],
)
def test_amount_format(amount: Decimal, field: str) -> None:
    assert epc_payload(name="A", iban="BE72000000001616", amount=amount).split("\n")[7] == field


def test_iban_is_normalised() -> None:
    assert normalize_iban("de89 3704 0044 0532 0130 00") == "DE89370400440532013000"
    assert normalize_iban("GB29 NWBK 6016 1331 9268 19") == "GB29NWBK60161331926819"


@pytest.mark.parametrize(
    ("iban", "message"),
    [
        ("BE72000000001617", "checksum"),
        ("DE89370400440532013001", "checksum"),
        ("DE8937040044053201300", "DE IBANs have 22"),
        ("1234", "malformed"),
        ("BEXX000000001616", "malformed"),
    ],
)
def test_iban_validation(iban: str, message: str) -> None:
    with pytest.raises(GraphicError, match=message):
        epc_payload(name="A", iban=iban, amount=None)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "x" * 71}, "name is 71 characters"),
        ({"name": "  "}, "name .* required"),
        ({"name": "Line\nbreak"}, "line breaks"),
        ({"amount": Decimal("0")}, "between 0.01"),
        ({"amount": Decimal("1000000000.00")}, "between 0.01"),
        ({"amount": Decimal("1.234")}, "at most 2 decimals"),
        ({"amount": Decimal("NaN")}, "finite"),
        ({"amount": 12.3}, "Decimal"),
        ({"reference": "RF18539007547034", "text": "both"}, "not both"),
        ({"reference": "RF19539007547034"}, "ISO 11649"),
        ({"reference": "x" * 36}, "reference is 36"),
        ({"text": "x" * 141}, "text is 141"),
        ({"text": "€" * 100}, "bytes; the maximum is 331"),
        ({"bic": "BPOT"}, "BIC"),
        ({"currency": "eur"}, "ISO 4217"),
        ({"purpose": "CHARITY"}, "purpose is 7"),
    ],
)
def test_invalid_input(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(GraphicError, match=message):
        epc_payload(**{**BASE, **changes})


def test_qr_matches_segno_byte_mode_utf8_level_m() -> None:
    graphic = epc_qr(**BASE, text="Grüße € Spende")
    expected = segno.make_qr(
        graphic.data, error="M", mode="byte", encoding="utf-8", boost_error=False
    )
    assert expected.error == "M"
    root = parse(graphic.svg)
    modules = path_modules(find(root, "path")[0].get("d", ""))
    assert modules == matrix_modules(expected.matrix, offset=4)
    assert graphic.data == epc_payload(**BASE, text="Grüße € Spende")
    assert (graphic.width, graphic.height) == ("30mm", "30mm")


def test_largest_payload_fits_version_13() -> None:
    graphic = epc_qr(
        name="N" * 70, iban="BE72000000001616", bic="BPOTBEB1", amount=Decimal("999999999.99"),
        purpose="CHAR", text="T" * 140, info="I" * 57,
    )  # fmt: skip
    assert len(graphic.data.encode()) == 331
    root = parse(graphic.svg)
    side = max(x for x, _ in path_modules(find(root, "path")[0].get("d", ""))) - 3
    assert side <= 17 + 4 * 13  # version 13 is 69 modules wide


def test_deterministic() -> None:
    assert epc_qr(**BASE).svg == epc_qr(**BASE).svg
