"""Input fields: values checked like data (E3001, ``input.<name>: …``), or their defaults."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ccmlang.compiler.evaluate import RenderError

from .conftest import Render
from .helpers import paragraphs

FIELDS = """
field reason {
  type: string
  label: "Reason"
  required: true
  choices: ["Address change", "Complaint"]
  default: "Complaint"
}
field note { type: text label: "Note" max-length: 10 }
field ref { type: string label: "Ref" pattern: "^[A-Z][A-Z]-[0-9][0-9][0-9]$" min-length: 6 }
field goodwill { type: money label: "Goodwill" min: 0 max: 500 }
field copies { type: integer label: "Copies" min: 1 max: 3 }
field urgent { type: bool label: "Urgent" }
field callback { type: date label: "Call back" min: 2025-01-01 max: 2030-12-31 }
"reason={input.reason} note={input.note ?? '-'} ref={input.ref ?? '-'}"
"goodwill={input.goodwill ?? 0} copies={input.copies ?? 1} urgent={input.urgent ?? false}"
"callback={input.callback ?? '-'}"
"""


def test_defaults_when_no_inputs(render: Render) -> None:
    assert paragraphs(render(FIELDS)) == [
        "reason=Complaint note=- ref=-",
        "goodwill=0 copies=1 urgent=false",
        "callback=-",
    ]


def test_valid_inputs_are_normalised(render: Render) -> None:
    inputs = {
        "reason": "Address change",
        "note": "Hi",
        "ref": "AB-123",
        "goodwill": "12.50",
        "copies": "2",
        "urgent": "true",
        "callback": "2025-06-01",
    }
    assert paragraphs(render(FIELDS, inputs=inputs)) == [
        "reason=Address change note=Hi ref=AB-123",
        "goodwill=12.50 copies=2 urgent=true",
        "callback=2025-06-01",
    ]


def test_money_input_is_decimal(render: Render) -> None:
    doc = render(
        FIELDS + "\"{input.goodwill ?? 0 | money('GBP')}\"", inputs={"goodwill": Decimal("0.1")}
    )
    assert paragraphs(doc)[-1] == "£0.10"


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"reason": ""}, "input.reason: a value is required"),
        ({"reason": "Other"}, "input.reason: 'Other' is not one of Address change, Complaint"),
        ({"note": "x" * 11}, "input.note: must be at most 10 characters (got 11)"),
        ({"ref": "ab-123"}, "input.ref: 'ab-123' does not match the pattern"),
        ({"goodwill": "501"}, "input.goodwill: must be at most 500 (got 501)"),
        ({"goodwill": "-1"}, "input.goodwill: must be at least 0"),
        ({"goodwill": "lots"}, "input.goodwill: expected a number"),
        ({"copies": "1.5"}, "input.copies: expected a whole number"),
        ({"copies": 4}, "input.copies: must be at most 3"),
        ({"urgent": "maybe"}, "input.urgent: expected true or false"),
        ({"callback": "2024-12-31"}, "input.callback: must be at least 2025-01-01"),
        ({"callback": "31/12/2025"}, "input.callback: expected a date"),
        ({"nickname": "x"}, "input.nickname: not a field of this template"),
    ],
)
def test_invalid_inputs_are_e3001(render: Render, inputs: dict[str, Any], message: str) -> None:
    with pytest.raises(RenderError) as caught:
        render(FIELDS, inputs=inputs)
    (d,) = caught.value.diagnostics
    assert d.code == "E3001" and d.message.startswith(message), d.message


def test_every_bad_input_is_reported_at_once(render: Render) -> None:
    with pytest.raises(RenderError) as caught:
        render(FIELDS, inputs={"reason": "Other", "note": "x" * 20, "copies": 0})
    assert [d.message.split(":")[0] for d in caught.value.diagnostics] == [
        "input.reason",
        "input.note",
        "input.copies",
    ]
