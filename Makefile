# One command each; CI calls the same ones (.ci/run).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTHON ?= python3
PYTEST_ARGS ?=

.PHONY: run messages install install-dev chromium lint test test-clock test-fast bench bench-notify bench-workdays clean

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	@touch $@
	@$(MAKE) --no-print-directory messages

$(VENV)/.dev-installed: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install -q -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

## messages: compile the English catalogue (needs gettext's msgfmt; without it pages stay Vietnamese)
messages:
	@if command -v msgfmt >/dev/null 2>&1; then $(PY) manage.py compilemessages -l en --ignore=.venv -v0; \
	else echo "msgfmt not found: English pages fall back to Vietnamese (apt-get install gettext)"; fi

install-dev: $(VENV)/.dev-installed

## run: migrate, load units and demo data (idempotent), then serve on 127.0.0.1:$(PORT) with the task worker
run: install messages
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_units
	$(PY) manage.py load_demo
	@echo "Mở http://127.0.0.1:$(PORT)/ — Ctrl-C để dừng máy chủ và worker."
	PATH="$(abspath $(VENV))/bin:$$PATH" $(VENV)/bin/honcho -f Procfile.dev start -p $(PORT)

## chromium: Debian's chromium for the browser tests (no browser download)
chromium:
	@if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian chromium…"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	fi

.PHONY: dovecot
## dovecot: Debian's dovecot-imapd, the real IMAP server the feedback mail tests start on a free port
dovecot:
	@if ! command -v dovecot >/dev/null 2>&1 && [ ! -x /usr/sbin/dovecot ]; then \
	  echo "Installing Debian dovecot-imapd…"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq dovecot-imapd >/dev/null; \
	fi

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) tools/private_api.py cqtt
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

## test: lint + the whole suite (browser tests included); DATABASE_URL selects the database
test: install-dev chromium dovecot messages lint
	$(VENV)/bin/pytest -q $(PYTEST_ARGS)

## test-clock: the non-browser suite again with the real clock a year ahead (CI), so a test that reads "now"
## without freezing it fails today, not next month
test-clock: install-dev messages
	$(VENV)/bin/pytest -q -m "not browser" -n 2 --clock-shift-days=365 $(PYTEST_ARGS)

## bench: provincial-scale benchmark on PostgreSQL (SCALE dossiers, default 10000; 1000000 for the targets)
SCALE ?= 10000
bench: install-dev
	@command -v pgbench >/dev/null 2>&1 || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql-contrib >/dev/null; }
	SCALE=$(SCALE) $(PY) bench/run.py

## bench-notify: the notices' sender on PostgreSQL (database cqtt_bench_notify, recreated): NOTIFY_BENCH_MESSAGES
## SMS (default 100000) written at NOTIFY_BENCH_RATE/s (default 1000) while two notify_worker processes send them
## to a local gateway; prints messages_per_s, p95_enqueue_to_accepted_ms, lost, duplicates, reposts
NOTIFY_BENCH_MESSAGES ?= 100000
bench-notify: install-dev
	NOTIFY_BENCH_MESSAGES=$(NOTIFY_BENCH_MESSAGES) $(PY) bench/notify.py

## bench-feedback: feedback submissions through the public API against DATABASE_URL (FEEDBACK_BENCH_N, default
## 1000); prints p95_ms (target < 100 at 1,000,000 dossiers)
.PHONY: bench-feedback
FEEDBACK_BENCH_N ?= 1000
bench-feedback: install
	FEEDBACK_BENCH_N=$(FEEDBACK_BENCH_N) $(PY) bench/feedback.py

## bench-complaints: the case book of a commune with COMPLAINTS_BENCH_CASES cases (default 100000) on PostgreSQL
## (database cqtt_bench_complaints, recreated, unless DATABASE_URL is set); prints p95_ms per view (target < 200)
.PHONY: bench-complaints
COMPLAINTS_BENCH_CASES ?= 100000
bench-complaints: install
	COMPLAINTS_BENCH_CASES=$(COMPLAINTS_BENCH_CASES) $(PY) bench/complaints.py

## bench-evaluation: the evaluation read model on PostgreSQL (database cqtt_bench_evaluation, recreated): rebuild
## time over EVALUATION_BENCH_DOSSIERS generated dossiers (default 1000000; target < 2 min), then p95 of the commune
## scorecard and indicators (< 100 ms) and the province ranking (< 300 ms) over EVALUATION_BENCH_FACTS dossiers' worth
.PHONY: bench-evaluation
EVALUATION_BENCH_DOSSIERS ?= 1000000
EVALUATION_BENCH_FACTS ?= 10000000
bench-evaluation: install
	EVALUATION_BENCH_DOSSIERS=$(EVALUATION_BENCH_DOSSIERS) EVALUATION_BENCH_FACTS=$(EVALUATION_BENCH_FACTS) $(PY) bench/evaluation.py

bench-workdays: install
	$(PY) manage.py bench_due_dates

clean:
	rm -rf var test-artifacts
