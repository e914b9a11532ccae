# Laget — the two commands a newcomer needs are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help demo test test-sqlite test-postgres lint bench backup venv vendor messages

help:
	@echo "make demo    run Laget with synthetic Oslo on SQLite (http://127.0.0.1:8000)"
	@echo "make test    install what the tests need and run the whole suite on SQLite and PostgreSQL"
	@echo "make fuzz    schemathesis over the API and the parsers' property tests, many examples"
	@echo "make lint    ruff, import layers"
	@echo "make bench   benchmarks (see bench/README.md); make bench QUICK=1: a reduced run, under 5 minutes"
	@echo "make backup  back up the database and uploaded files (README: Running it for real)"

demo:
	@scripts/demo.sh

test:
	@scripts/test.sh

test-sqlite:
	@scripts/test.sh sqlite

test-postgres:
	@scripts/test.sh postgres

# The fuzz tests with LAGET_FUZZ_EXAMPLES examples per operation and per property (default 1000;
# `make test` runs 25, derandomized) on SQLite, or on the database DATABASE_URL names.
fuzz: venv
	LAGET_FUZZ_EXAMPLES=$${LAGET_FUZZ_EXAMPLES:-1000} HYPOTHESIS_PROFILE=fuzz \
		.venv/bin/python -m pytest -p no:xdist -q tests/fuzz

# The code is laid out by hand within ruff check's rules (line length 100); ruff's formatter is
# not used, so `ruff format --check` is not part of lint.
lint: venv
	.venv/bin/ruff check .
	.venv/bin/lint-imports

bench: venv
	@scripts/bench.sh $(if $(filter 1 yes true,$(QUICK)),--quick)

backup: venv
	.venv/bin/python manage.py backup

venv:
	@scripts/bootstrap.sh

vendor:
	scripts/vendor-assets.sh

messages: venv
	.venv/bin/python manage.py makemessages -l nb -l en --no-obsolete --no-location \
		--ignore=.venv --ignore=var --ignore=node_modules --ignore=laget/web/static
	.venv/bin/python manage.py compilemessages --ignore=.venv
