"""``ccm doctor`` checks."""

from __future__ import annotations

import os
import shutil

import pytest

from ccmlang import doctor


def test_run_checks_on_this_machine() -> None:
    checks = {c.name: c for c in doctor.run_checks()}
    assert list(checks) == [
        "pango", "harfbuzz-subset", "fontconfig", "fop", "chromium", "poppler-utils", "qpdf",
    ]  # fmt: skip
    assert checks["pango"].ok and checks["pango"].detail.startswith("Pango 1.")
    assert checks["fontconfig"].ok
    assert checks["qpdf"].ok and "qpdf" in checks["qpdf"].detail
    assert checks["poppler-utils"].ok
    assert checks["chromium"].ok == os.access(doctor.CHROMIUM, os.X_OK)
    assert not checks["chromium"].required and not checks["fop"].required
    for check in checks.values():
        assert check.ok or check.fix.startswith("apt-get install ")


def test_missing_tools_say_how_to_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(doctor, "CHROMIUM", "/nonexistent/chromium")
    checks = {c.name: c for c in doctor.run_checks()}
    assert checks["qpdf"] == doctor.Check(
        "qpdf", False, "qpdf on PATH not found", "apt-get install qpdf"
    )
    assert checks["poppler-utils"].fix == "apt-get install poppler-utils"
    assert checks["fop"].fix == "apt-get install fop"
    assert not checks["chromium"].ok and checks["chromium"].fix == "apt-get install chromium"


def test_harfbuzz_subset_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor.ctypes.util, "find_library", lambda name: None)
    check = doctor.check_harfbuzz_subset()
    assert not check.ok and check.fix == "apt-get install libharfbuzz-subset0"


def test_a_crashing_check_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom() -> doctor.Check:
        raise RuntimeError("kaput")

    monkeypatch.setattr(doctor, "CHECKS", (boom,))
    [check] = doctor.run_checks()
    assert not check.ok and "kaput" in check.detail
