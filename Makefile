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
	@# beside the server: the fake WeChat API (:8081), one outbound worker and the 督办 scheduler; Ctrl-C stops all
	$(BIN)/linli fakewechat --port 8081 & fake=$$!; \
	export LINLI_WECHAT_API_BASE=http://127.0.0.1:8081/cgi-bin/; \
	$(BIN)/linli worker & worker=$$!; \
	$(BIN)/linli supervise --loop & supervise=$$!; \
	trap 'kill $$fake $$worker $$supervise 2>/dev/null' EXIT INT TERM; \
	$(BIN)/linli serve --host 127.0.0.1 --port 8080

test: $(STAMP)
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) var
