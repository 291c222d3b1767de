"""Fixtures for the Typst engine tests (spec/typst.md); the document is in typst_helpers.

This directory has no ``__init__.py`` on purpose: a package named ``typst`` would hide the
Typst compiler's own module.
"""

from __future__ import annotations

import os

import pytest

if os.environ.get("CI"):
    import typst  # noqa: F401  - CI installs the `dev` extra, which has it: never skip there
else:
    pytest.importorskip("typst", reason="the Typst engine needs `pip install ccmlang[typst]`")

from typst_helpers import DEJAVU, Project, make_project, statement

if not DEJAVU.is_file() and not os.environ.get("CI"):  # CI installs fonts-dejavu-core
    pytest.skip("DejaVu Sans is the test project's font", allow_module_level=True)


@pytest.fixture(scope="package")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = make_project(tmp_path_factory.mktemp("typst-project"))
    return Project(root, statement(root))
