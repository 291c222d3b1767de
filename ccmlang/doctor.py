"""``ccm doctor``: is this machine able to render? (spec/backends.md, "Doctor").

Each check says what it found and, when it fails, the exact command that fixes it on Debian or
Ubuntu. The CLI prints them; nothing here prints or exits. Checks never raise: a check that
cannot run is a failed check with the reason in ``detail``.
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass

PANGO_MINIMUM = (1, 44)
CHROMIUM = "/usr/bin/chromium"


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True
    """Optional checks (Chromium, FOP) only matter for some backends or tools."""


def _run(argv: list[str], timeout: float = 60) -> tuple[bool, str]:
    """Run a version command; ``(ok, first line of output)``."""
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.SubprocessError) as exc:
        return False, f"{argv[0]} failed: {exc}"
    output = (result.stdout.strip() or result.stderr.strip()).splitlines()
    first = next((line for line in output if line.strip()), "")
    return result.returncode == 0, first


def check_pango() -> Check:
    fix = "apt-get install libpango-1.0-0 libpangoft2-1.0-0"
    try:
        from weasyprint.text.ffi import pango
    except Exception as exc:  # OSError when the library is missing, anything else is as bad
        return Check("pango", False, f"WeasyPrint cannot load Pango: {exc}", fix)
    encoded = int(pango.pango_version())  # major * 10000 + minor * 100 + micro
    parts = (encoded // 10000, encoded // 100 % 100, encoded % 100)
    version = ".".join(map(str, parts))
    ok = parts[:2] >= PANGO_MINIMUM
    need = ".".join(map(str, PANGO_MINIMUM))
    return Check("pango", ok, f"Pango {version} (need {need} or later)", "" if ok else fix)


def check_harfbuzz_subset() -> Check:
    fix = "apt-get install libharfbuzz-subset0"
    found = ctypes.util.find_library("harfbuzz-subset")
    try:
        from weasyprint.text import ffi as weasy_ffi
    except Exception as exc:
        return Check("harfbuzz-subset", False, f"WeasyPrint cannot load: {exc}", fix)
    loaded = getattr(weasy_ffi, "harfbuzz_subset", None) is not None
    if found and loaded:
        return Check("harfbuzz-subset", True, f"{found}, used by WeasyPrint to subset fonts")
    detail = "not found" if not found else f"{found} found but WeasyPrint did not load it"
    return Check("harfbuzz-subset", False, f"{detail}: fonts are subset with slower fontTools", fix)


def check_fonts() -> Check:
    fix = "apt-get install fontconfig fonts-dejavu-core"
    try:
        from weasyprint.text.ffi import fontconfig
    except Exception as exc:
        return Check("fontconfig", False, f"WeasyPrint cannot load fontconfig: {exc}", fix)
    config = fontconfig.FcInitLoadConfigAndFonts()
    try:
        count = fontconfig.FcConfigGetFonts(config, fontconfig.FcSetSystem).nfont
    finally:
        fontconfig.FcConfigDestroy(config)
    if count > 0:
        return Check("fontconfig", True, f"{count} system fonts")
    return Check("fontconfig", False, "fontconfig finds no fonts", fix)


def _tool(
    name: str, argv: list[str], fix: str, *, required: bool = True, path: str | None = None
) -> Check:
    executable = path if path is not None else shutil.which(argv[0])
    if not executable or not os.access(executable, os.X_OK):
        where = path or f"{argv[0]} on PATH"
        return Check(name, False, f"{where} not found", fix, required)
    ok, line = _run([executable, *argv[1:]])
    return Check(name, ok, line or executable, "" if ok else fix, required)


def check_fop() -> Check:
    return _tool("fop", ["fop", "-version"], "apt-get install fop", required=False)


def check_chromium() -> Check:
    return _tool(
        "chromium",
        ["chromium", "--version"],
        "apt-get install chromium",
        required=False,
        path=CHROMIUM,
    )


def check_pdftotext() -> Check:
    return _tool("poppler-utils", ["pdftotext", "-v"], "apt-get install poppler-utils")


def check_qpdf() -> Check:
    return _tool("qpdf", ["qpdf", "--version"], "apt-get install qpdf")


CHECKS: tuple[Callable[[], Check], ...] = (
    check_pango,
    check_harfbuzz_subset,
    check_fonts,
    check_fop,
    check_chromium,
    check_pdftotext,
    check_qpdf,
)


def run_checks() -> list[Check]:
    """Every check, in a fixed order."""
    results = []
    for check in CHECKS:
        try:
            results.append(check())
        except Exception as exc:  # a doctor must report, never crash
            name = check.__name__.removeprefix("check_").replace("_", "-")
            results.append(Check(name, False, f"check failed: {type(exc).__name__}: {exc}"))
    return results
