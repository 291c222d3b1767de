"""The README's one-minute template compiles clean, renders, and its error output is real."""

from __future__ import annotations

import re
from pathlib import Path

from ccmlang.backends import RenderOptions, load_backends
from ccmlang.compiler.compile import check_file
from ccmlang.data import load_json
from ccmlang.diagnostics_render import render

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
FIXTURES = Path(__file__).parent / "readme"


def _template(tmp_path: Path) -> Path:
    source = re.search(r"```ccm\n(.*?)```", README, re.DOTALL)
    assert source is not None
    for name in ("ccm.toml", "reminder.schema.json"):
        (tmp_path / name).write_bytes((FIXTURES / name).read_bytes())
    path = tmp_path / "reminder.ccm"
    path.write_text(source.group(1), encoding="utf-8")
    return path


def test_readme_template_is_clean_and_renders(tmp_path: Path) -> None:
    result = check_file(_template(tmp_path))
    assert result.diagnostics == []
    assert result.template is not None
    document = result.template.render(load_json(FIXTURES / "r.json"))
    text = load_backends().get("text").render(document, RenderOptions()).decode()
    assert "Dear Ada <script>," in text
    assert "£120.50" in text


def test_readme_error_output_is_what_ccm_prints(tmp_path: Path) -> None:
    path = _template(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("customer.name}", "customer.nmae}"))
    result = check_file(path)
    shown = render(result.diagnostics, "human", color=False, root=tmp_path)
    expected = re.search(r"```text\n(error\[E2001\].*?)```", README, re.DOTALL)
    assert expected is not None
    assert expected.group(1).split("\nerror: could not compile")[0].strip() in shown
