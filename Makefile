# Two commands for a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/linli db upgrade
	$(BIN)/linli db seed
	$(BIN)/linli staff demo --activity
	$(BIN)/linli serve --host 127.0.0.1 --port 8080

test: $(STAMP)
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) var
