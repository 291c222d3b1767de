"""Every example of spec/diagnostics-render.md renders as it says.

Each ``### E3xxx name`` section has a ```` ```ccm fail ```` block (or ```` ```ccm fail-backend ````
for codes a backend raises) followed by a ```` ```json ```` data record, and a ```` ```ccm ok ````
block, optionally followed by its own record. Blocks are compiled as files in ``spec/`` (the
project root) and rendered with ``Template.render``, so data validation runs too. A comment
``(limits: name=value, …)`` in a block renders it with those limits. ``fail-backend`` blocks go
on through the backend that raises their code (PDF, or HTML for the output-size example) in a
copy of the project that also holds the hostile assets they name (a PNG header announcing
20,000 × 20,000 pixels, an SVG with an entity declaration), made here rather than committed.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ccmlang.backends.base import BackendError, RenderOptions, load_backends
from ccmlang.compiler.codes import CODES
from ccmlang.compiler.compile import compile_source
from ccmlang.compiler.evaluate import RenderError
from ccmlang.compiler.limits import Limits
from ccmlang.data import parse_json

SPEC = Path(__file__).resolve().parents[2] / "spec"
DOC = SPEC / "diagnostics-render.md"
_SECTION = re.compile(r"^### (E3\d{3}) (\S+)$", re.MULTILINE)
_FENCE = re.compile(
    r"^```(ccm fail-backend|ccm fail|ccm ok|json)[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S
)
_LIMITS = re.compile(r"\(limits: ([^)]*)\)")


@dataclass
class Example:
    code: str
    name: str
    fail: str = ""
    fail_data: Any = None
    backend: bool = False
    ok: str = ""
    ok_data: Any = None


def _examples() -> list[Example]:
    text = DOC.read_text(encoding="utf-8")
    starts = list(_SECTION.finditer(text))
    examples = []
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        example = Example(match.group(1), match.group(2))
        last = ""
        for fence in _FENCE.finditer(text, match.end(), end):
            kind, body = fence.group(1), fence.group(2)
            if kind in ("ccm fail", "ccm fail-backend"):
                example.fail, example.backend = body, kind == "ccm fail-backend"
            elif kind == "ccm ok":
                example.ok = body
            elif last in ("ccm fail", "ccm fail-backend"):
                example.fail_data = parse_json(body)
            elif last == "ccm ok":
                example.ok_data = parse_json(body)
            last = kind
        examples.append(example)
    return examples


EXAMPLES = _examples()


def _limits(source: str) -> Limits:
    match = _LIMITS.search(source)
    if match is None:
        return Limits()
    values = {}
    for item in match.group(1).split(","):
        name, value = (part.strip() for part in item.split("="))
        values[name] = float(value) if "." in value or name == "max_render_seconds" else int(value)
    return Limits(**values)  # type: ignore[arg-type]


def _render(example: Example, source: str, data: Any) -> None:
    template = compile_source(source, path=str(SPEC / f"{example.code}.ccm"), project_root=SPEC)
    template.render(data, limits=_limits(source))


def test_every_render_code_has_a_section_in_order() -> None:
    documented = [(e.code, e.name) for e in EXAMPLES]
    expected = [(c.code, c.name) for c in CODES.values() if c.code.startswith("E3")]
    assert documented == expected


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.code)
def test_each_section_has_a_failing_and_a_fixed_example(example: Example) -> None:
    assert example.fail and example.ok and example.fail_data is not None
    assert example.fail.lstrip().startswith(f"// {example.code}")


def _hostile_project(root: Path) -> Path:
    """``spec/examples`` plus the assets the backend examples refuse."""
    examples = root / "examples"
    examples.mkdir(parents=True)
    for name in ("diagnostics.schema.json", "logo.svg"):
        (examples / name).write_bytes((SPEC / "examples" / name).read_bytes())
    ihdr = struct.pack(">IIBBBBB", 20_000, 20_000, 8, 6, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    png = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk
    png += struct.pack(">I", zlib.crc32(chunk)) + b"\x00" * 16
    (examples / "huge.png").write_bytes(png)
    (examples / "entities.svg").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE svg [ <!ENTITY a "aaaaaaaaaa"> ]>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&a;</text></svg>\n',
        encoding="utf-8",
    )
    return root


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.backend], ids=lambda e: e.code)
def test_the_failing_backend_example_fails_with_its_code(example: Example, tmp_path: Path) -> None:
    root = _hostile_project(tmp_path)
    template = compile_source(
        example.fail, path=str(root / f"{example.code}.ccm"), project_root=root
    )
    limits = _limits(example.fail)
    document = template.render(example.fail_data, limits=limits)
    backend = load_backends().get("html" if example.code == "E3005" else "pdf")
    with pytest.raises(BackendError) as caught:
        backend.render(document, RenderOptions.from_limits(limits))
    assert caught.value.code == example.code, str(caught.value)


@pytest.mark.parametrize("example", [e for e in EXAMPLES if not e.backend], ids=lambda e: e.code)
def test_the_failing_example_fails_with_its_code(example: Example) -> None:
    with pytest.raises(RenderError) as caught:
        _render(example, example.fail, example.fail_data)
    codes = {d.code for d in caught.value.diagnostics}
    assert codes == {example.code}, [d.message for d in caught.value.diagnostics]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.code)
def test_the_fixed_example_renders(example: Example) -> None:
    data = example.ok_data if example.ok_data is not None else example.fail_data
    _render(example, example.ok, data)
