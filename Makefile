# Two commands for a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8080
FAKE_PORT ?= 8081

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
	@# beside the server: the fake WeChat API ($(FAKE_PORT)), one outbound worker and the 督办 scheduler;
	@# Ctrl-C stops them all, and the last of them to exit stops the embedded redis-server
	$(BIN)/linli fakewechat --port $(FAKE_PORT) & fake=$$!; \
	export LINLI_WECHAT_API_BASE=http://127.0.0.1:$(FAKE_PORT)/cgi-bin/; \
	$(BIN)/linli worker & worker=$$!; \
	$(BIN)/linli supervise --loop & supervise=$$!; \
	trap 'kill $$fake $$worker $$supervise 2>/dev/null' EXIT INT TERM; \
	$(BIN)/linli serve --host 127.0.0.1 --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) var
