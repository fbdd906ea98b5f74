# uaap — the two commands of the README: `make demo` and `make test`.
VENV    ?= .venv
UAAP    := $(VENV)/bin/uaap
PY      := $(VENV)/bin/python
export UAAP_HOME ?= $(CURDIR)/.uaap

.PHONY: setup demo test test-all bench clean

setup:
	@bash scripts/setup.sh $(VENV)

demo: setup
	@bash scripts/demo.sh

test: setup
	$(PY) -m pytest -q

test-all: setup
	$(PY) -m pytest -q -m ""

bench: setup
	$(PY) benchmarks/score_bench.py

clean:
	rm -rf .uaap
