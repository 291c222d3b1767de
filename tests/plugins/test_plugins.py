"""Third-party backends, installed for real (spec/backends.md, "Registry").

``ccm_markdown/`` and ``ccm_broken/`` beside this file are two small distributions. They are
installed once per module with ``pip install --no-deps --no-build-isolation --target <tmp>/site``
(a copy of their folders is built, so the build never writes into the source tree), and the
``ccm`` command is then run in a subprocess with ``PYTHONPATH=<tmp>/site``, exactly as a user with
the plugins installed would run it:

* ``ccm backends`` lists ``markdown`` next to the built-in backends and reports ``ccm_broken``,
  whose module raises ``ImportError``, with its error, and still exits 0;
* ``ccm render … --to markdown`` renders the statement through the plugin (the broken plugin
  being installed does not get in the way), and the Markdown escapes what the data holds;
* ``ccm render … --to ccm_broken`` is a usage error that names the import error.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
STATEMENT = ROOT / "examples" / "statement"
PLUGINS = ("ccm_markdown", "ccm_broken")
CCM = Path(sys.executable).with_name("ccm")
"""The console script (``ccmlang.cli`` has no ``__main__`` guard, so ``python -m`` would not run)."""

HOSTILE = 'TRANSFER TO "A|B" <b>*NOW*</b> _x_ [y](javascript:1) # 1'
"""A transaction description that means something in Markdown and in HTML."""


@dataclass(frozen=True)
class Installed:
    site: Path
    env: dict[str, str]

    def ccm(self, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
        command = (
            [str(CCM), *map(str, args)]
            if CCM.is_file()
            else [
                sys.executable,
                "-c",
                "from ccmlang.cli import main; main()",
                *map(str, args),
            ]
        )
        return subprocess.run(
            command, cwd=cwd, env=self.env, capture_output=True, text=True, timeout=120
        )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """Both plugins pip-installed into a fresh folder (pip is slow: once per module)."""
    work = tmp_path_factory.mktemp("plugins")
    sources = []
    for name in PLUGINS:
        ignore = shutil.ignore_patterns("build", "*.egg-info", "__pycache__")
        sources.append(shutil.copytree(HERE / name, work / name, ignore=ignore))
    site = work / "site"
    pip = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation"]
    pip += ["--no-index", "--disable-pip-version-check", "--quiet", "--target", str(site)]
    result = subprocess.run([*pip, *map(str, sources)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "NO_COLOR"}}
    env.update(PYTHONPATH=str(site), NO_COLOR="1", COLUMNS="200", PYTHONIOENCODING="utf-8")
    return Installed(site, env)


def test_the_plugins_are_real_distributions(installed: Installed) -> None:
    for dist, group_entry in (
        ("ccm_markdown-0.1.0.dist-info", "markdown = ccm_markdown:MarkdownBackend"),
        ("ccm_broken-0.1.0.dist-info", "ccm_broken = ccm_broken:BrokenBackend"),
    ):
        entry_points = (installed.site / dist / "entry_points.txt").read_text(encoding="utf-8")
        assert "[ccmlang.backends]" in entry_points
        assert group_entry in entry_points


def test_backends_lists_the_plugin_and_reports_the_broken_one(
    installed: Installed, tmp_path: Path
) -> None:
    result = installed.ccm("backends", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    listed, _, broken = out.partition("Broken plugins")
    assert broken, f"no broken plugins reported:\n{out}"
    for name in ("html", "pdf", "text", "tree", "markdown"):
        assert f" {name} " in listed, f"{name} is not listed:\n{out}"
    assert "ccm_markdown.MarkdownBackend" in listed
    assert "text/markdown" in listed
    assert "ccm_broken" in broken and "ccm_broken" not in listed
    assert "ImportError" in " ".join(broken.split())
    assert "imaginary-pdf-engine" in "".join(broken.split())


def test_render_through_the_markdown_plugin(installed: Installed, tmp_path: Path) -> None:
    record = json.loads((STATEMENT / "data" / "sample.json").read_text(encoding="utf-8"))
    first, second = record["account"]["transactions"][:2]
    second["description"] = HOSTILE
    data = tmp_path / "hostile.json"
    data.write_text(json.dumps(record), encoding="utf-8")

    result = installed.ccm(
        "render",
        STATEMENT / "statement.ccm",
        "--data",
        data,
        "--to",
        "markdown",
        "-o",
        "out.md",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    markdown = (tmp_path / "out.md").read_text(encoding="utf-8")
    lines = markdown.splitlines()

    assert "# Your Everyday Current Account statement" in lines
    assert "## Transactions" in lines
    header = lines.index("| Date | Description | Money in | Money out | Balance |")
    assert lines[header + 1] == "| :--- | :--- | ---: | ---: | ---: |"
    assert lines[header + 2] == f"| 2 Mar | {first['description']} | £2,875.50 |  | £4,395.90 |"
    escaped = r'TRANSFER TO "A\|B" \<b\>\*NOW\*\</b\> \_x\_ \[y\](javascript:1) \# 1'
    assert lines[header + 3] == f"| 2 Mar | {escaped} |  | £50.91 | £4,344.99 |"
    assert r"| 3 Mar | CARD PAYMENT AMAZON.CO.UK\*2R4KL |  | £85.67 | £3,023.48 |" in lines
    assert "| Totals and closing balance |  | £3,283.00 | £4,607.49 | £195.91 |" in lines
    assert "Statement date **1 April 2025**  " in lines  # bold, then a hard line break
    assert "![Machine-readable account reference]()" in lines  # a graphic: alt text, no source
    assert "<b>" not in markdown and "|A|" not in markdown
    assert "Page" not in markdown  # page headers and footers are left out
    assert markdown.endswith("\n") and not markdown.endswith("\n\n")


def test_a_broken_plugin_is_a_usage_error_naming_the_cause(
    installed: Installed, tmp_path: Path
) -> None:
    result = installed.ccm(
        "render",
        STATEMENT / "statement.ccm",
        "--data",
        STATEMENT / "data" / "sample.json",
        "--to",
        "ccm_broken",
        cwd=tmp_path,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "broken" in result.stderr and "ImportError" in result.stderr
    assert not list(tmp_path.iterdir())  # nothing written
