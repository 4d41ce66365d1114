# The two set-up commands: `make demo` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# npm ci writes this file once it has installed the Element client test's Node packages.
JS_STAMP := tests/js/node_modules/.package-lock.json

.PHONY: demo test unit test-fuzz test-chaos lint typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,postgres]'
	touch $(STAMP)

# Without npm the Element client test skips (saying so) instead of failing the whole run.
$(JS_STAMP): tests/js/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --prefix tests/js --no-audit --no-fund --loglevel=error; \
	else \
		echo "npm not found: tests/integration/test_element_client.py will skip"; \
	fi

demo: $(STAMP)
	$(BIN)/samverkan demo

test: $(STAMP) lint typecheck pytest

# Everything that needs no server (no homeserver, no PostgreSQL): the domain, renderers,
# services against fakes and SQLite; under a minute.
unit: $(STAMP)
	$(BIN)/pytest -q -n 2 -m "not integration and not postgres and not chaos" tests

# Hostile input at full volume: the tests in tests/fuzz with at least 10,000 examples each
# (`make test` runs a sample of them); hypothesis prints what it ran.
test-fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -q -m fuzz tests/fuzz --hypothesis-show-statistics

# The bot SIGKILLed at 20 seeded random points and restarted (`make test` runs 5 of them);
# ends with the line `chaos: N kills, L lost, D duplicated`. CHAOS_KILLS and CHAOS_SEED vary it.
test-chaos: $(STAMP)
	CHAOS_KILLS=$${CHAOS_KILLS:-20} $(BIN)/pytest -q -s -m chaos tests/integration/test_chaos.py

lint: $(STAMP)
	$(BIN)/ruff check bot commands storage tests bench
	$(BIN)/ruff format --check bot commands storage tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# Two workers, each with its own homeserver and PostgreSQL; a test file stays on one worker.
pytest: $(STAMP) $(JS_STAMP)
	$(BIN)/pytest -q -n 2 --dist loadfile --no-loadscope-reorder

bench: $(STAMP)
	$(BIN)/python -m bench.latency

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache tests/js/node_modules
