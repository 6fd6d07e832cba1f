# Two commands on a fresh machine: `make build` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | sha256sum | cut -c1-12)

.PHONY: build test check lint clean

build: $(STAMP) guide_source/schema.json
	$(BIN)/rightguide build --source guide_source --out outputs

# The schema changes only with the source model (or the installed pydantic).
guide_source/schema.json: compiler/source_model.py $(STAMP)
	$(BIN)/rightguide schema --out $@

test: $(STAMP)
	$(BIN)/ruff check compiler tests benchmarks
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/rightguide check --source guide_source --strict

# Install once per pyproject.toml content; a rebuild with nothing changed skips this.
$(STAMP):
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/.javarosa_build
