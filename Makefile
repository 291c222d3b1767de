# Everything a fresh machine needs: `make demo` and `make test` create .venv and install into it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest golden bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/ccm check examples/
	$(BIN)/ccm demo --out out/

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check ccmlang tests benchmarks
	$(BIN)/ruff format --check ccmlang tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

golden: $(STAMP)
	$(BIN)/pytest tests/examples tests/fo tests/typst --update-golden -q
	@echo "golden files refreshed under tests/golden/ (html, tree, fo): review them with git diff"
	@echo "page images for review: tests/golden/png/<example>-<data>-p<N>.png (every page, not committed)"
	@echo "                        tests/golden/png/typst/<example>-<data>-<engine>.png (page 1, Typst vs WeasyPrint)"

bench: $(STAMP)
	$(BIN)/python benchmarks/compile.py

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
