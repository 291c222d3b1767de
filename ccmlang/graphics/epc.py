"""EPC QR codes ("GiroCode"): SEPA credit transfer data for banking apps to scan.

Implements EPC069-12 "Quick Response Code: Guidelines to Enable Data Capture for the Initiation of
a SEPA Credit Transfer", section 2: version 002, character set 1 (UTF-8), error correction
level M. The payload is up to twelve LF-separated data elements, nothing after the last
populated one, at most 331 bytes (what fits the maximum version 13-M QR code).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation, localcontext

from ccmlang.graphics.qr import QUIET_ZONE, qr_matrix
from ccmlang.graphics.svg import GraphicError, SvgGraphic, matrix_svg

MAX_PAYLOAD_BYTES = 331
MIN_AMOUNT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999.99")
_CENT = Decimal("0.01")

# ISO 13616 IBAN lengths of the SEPA countries (SWIFT IBAN registry). Unknown countries fall back
# to the generic 15..34 range so that a newly joined country is not rejected.
IBAN_LENGTHS = {
    "AD": 24, "AL": 28, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22,
    "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GI": 23, "GL": 18,
    "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MT": 31, "NL": 18, "NO": 15, "PL": 28,
    "PT": 25, "RO": 24, "RS": 22, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "VA": 22,
}  # fmt: skip

_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
_BIC = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")  # ISO 9362
_CURRENCY = re.compile(r"^[A-Z]{3}$")  # ISO 4217 alphabetic code
_PURPOSE = re.compile(r"^[A-Z0-9]{4}$")  # ISO 20022 ExternalPurpose1Code
_CREDITOR_REF = re.compile(r"^RF[0-9]{2}[A-Z0-9]{1,21}$")  # ISO 11649
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")


def _mod97(text: str) -> int:
    """ISO 7064 MOD 97-10 over an alphanumeric string (letters count as 10..35)."""
    digits = "".join(str(int(ch, 36)) for ch in text)
    return int(digits) % 97


def normalize_iban(iban: str) -> str:
    """Electronic format of an IBAN (no spaces, upper case) after checking ISO 13616.

    Checks the shape, the country's length where known, and the MOD 97-10 check digits.
    """
    compact = re.sub(r"\s+", "", iban).upper() if isinstance(iban, str) else ""
    if not _IBAN.match(compact):
        raise GraphicError(
            f"IBAN {iban!r} is malformed: expected 2 letters, 2 check digits and up to 30 "
            "letters or digits"
        )
    expected = IBAN_LENGTHS.get(compact[:2])
    if expected is not None and len(compact) != expected:
        raise GraphicError(
            f"IBAN {iban!r} has {len(compact)} characters; {compact[:2]} IBANs have {expected}"
        )
    if _mod97(compact[4:] + compact[:4]) != 1:
        raise GraphicError(f"IBAN {iban!r} has a wrong checksum (ISO 13616 mod-97 check failed)")
    return compact


def _check_text(value: str, field: str, limit: int) -> str:
    if not isinstance(value, str):
        raise GraphicError(f"{field} must be a string, got {type(value).__name__}")
    value = value.strip()
    if _LINE_BREAKS.search(value):
        raise GraphicError(f"{field} must not contain line breaks or control characters")
    if len(value) > limit:
        raise GraphicError(f"{field} is {len(value)} characters long; the maximum is {limit}")
    return value


def _format_amount(amount: Decimal | None, currency: str) -> str:
    if amount is None:
        return ""
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise GraphicError(
            f"amount must be a Decimal (money is never a float), got {type(amount).__name__}"
        )
    value = Decimal(amount)
    if not value.is_finite():
        raise GraphicError(f"amount must be a finite number, got {amount}")
    if not MIN_AMOUNT <= value <= MAX_AMOUNT:
        raise GraphicError(f"amount must be between 0.01 and 999999999.99, got {amount}")
    with localcontext() as ctx:
        ctx.prec = 40
        try:
            cents = value.quantize(_CENT)
        except InvalidOperation as exc:  # pragma: no cover - prec 40 covers the range
            raise GraphicError(f"amount {amount} cannot be represented") from exc
        if cents != value:
            raise GraphicError(f"amount must have at most 2 decimals, got {amount}")
    return f"{currency}{cents:f}"


def epc_payload(
    *,
    name: str,
    iban: str,
    amount: Decimal | None,
    bic: str = "",
    reference: str = "",
    text: str = "",
    currency: str = "EUR",
    purpose: str = "",
    info: str = "",
) -> str:
    """The EPC069-12 v002 payload text, data elements in the order of the guideline's table.

    ``reference`` is the structured remittance information (an ISO 11649 ``RF`` creditor
    reference is checked), ``text`` the unstructured one; the standard allows one of them, not
    both. ``purpose`` (ISO 20022 purpose code) and ``info`` (beneficiary to originator
    information) are the optional fields 9 and 12.
    """
    name = _check_text(name, "name", 70)
    if not name:
        raise GraphicError("name (the beneficiary) is required")
    account = normalize_iban(iban)

    bic = _check_text(bic, "BIC", 11).upper()
    if bic and not _BIC.match(bic):
        raise GraphicError(f"BIC {bic!r} is malformed: expected 8 or 11 characters (ISO 9362)")

    currency = _check_text(currency, "currency", 3)
    if not _CURRENCY.match(currency):
        raise GraphicError(f"currency must be an ISO 4217 code like 'EUR', got {currency!r}")
    amount_field = _format_amount(amount, currency)

    purpose = _check_text(purpose, "purpose", 4).upper()
    if purpose and not _PURPOSE.match(purpose):
        raise GraphicError(f"purpose must be a 4-character ISO 20022 code, got {purpose!r}")

    reference = _check_text(reference, "reference", 35)
    text = _check_text(text, "text", 140)
    if reference and text:
        raise GraphicError(
            "give either reference (structured) or text (unstructured remittance), not both"
        )
    compact_ref = reference.replace(" ", "").upper()
    if compact_ref.startswith("RF"):
        if not _CREDITOR_REF.match(compact_ref) or _mod97(compact_ref[4:] + compact_ref[:4]) != 1:
            raise GraphicError(
                f"reference {reference!r} is not a valid ISO 11649 creditor reference"
            )
        reference = compact_ref
    info = _check_text(info, "info", 70)

    fields = [
        "BCD",  # 1 service tag
        "002",  # 2 version
        "1",  # 3 character set: UTF-8
        "SCT",  # 4 identification: SEPA credit transfer
        bic,  # 5 BIC of the beneficiary bank (optional in v002)
        name,  # 6 beneficiary name
        account,  # 7 beneficiary account
        amount_field,  # 8 amount, e.g. EUR12.30
        purpose,  # 9 purpose
        reference,  # 10 structured remittance information
        text,  # 11 unstructured remittance information
        info,  # 12 beneficiary to originator information
    ]
    while fields[-1] == "":  # nothing after the last populated element
        fields.pop()
    payload = "\n".join(fields)
    size = len(payload.encode("utf-8"))
    if size > MAX_PAYLOAD_BYTES:
        raise GraphicError(
            f"EPC QR payload is {size} bytes; the maximum is {MAX_PAYLOAD_BYTES} (EPC069-12)"
        )
    return payload


def epc_qr(
    *,
    name: str,
    iban: str,
    amount: Decimal | None,
    bic: str = "",
    reference: str = "",
    text: str = "",
    currency: str = "EUR",
    size: str = "30mm",
    purpose: str = "",
    info: str = "",
) -> SvgGraphic:
    """The EPC QR code: byte mode, UTF-8, error level M as the guideline mandates."""
    payload = epc_payload(
        name=name,
        iban=iban,
        amount=amount,
        bic=bic,
        reference=reference,
        text=text,
        currency=currency,
        purpose=purpose,
        info=info,
    )
    matrix = qr_matrix(payload, error="M", encoding="utf-8", mode="byte")
    label = f"SEPA payment QR code: {payload.splitlines()[5]}"
    return matrix_svg(
        matrix, quiet=QUIET_ZONE, size=size, fill="#000000", data=payload, label=label
    )
