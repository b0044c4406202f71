VENV ?= .venv
PY ?= $(VENV)/bin/python

.PHONY: install test check golden bench plan-dev constructs
install:  ## fresh virtualenv with iac and its test tools, from the registries
	python3 -m venv $(VENV) && $(PY) -m pip install -q -e '.[test]'
test:
	$(PY) -m pytest
check:
	$(PY) -m ruff check iac tests modules environments && $(PY) -m mypy
golden:   ## rewrite every golden file; review the diff before committing
	IAC_UPDATE_GOLDEN=1 $(PY) -m pytest -q tests
constructs:  ## regenerate iac/constructs/generated from the schemas in iac/data; review the diff
	$(PY) -m iac.constructs._generate
bench:
	$(PY) -m bench.run
plan-dev:
	$(VENV)/bin/iac plan dev
