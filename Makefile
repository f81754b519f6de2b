# Two commands for a newcomer: `make demo` and `make test`. See README.md.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_SCHOOLS ?= 4
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint format migrate messages serve bench-city clean cluster cluster-down cluster-test

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

demo: $(VENV)/.installed
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput -v0
	DJANGO_DEBUG=1 $(BIN)/python manage.py demo_city --schools $(DEMO_SCHOOLS)
	DJANGO_DEBUG=1 $(BIN)/python manage.py demo_logins
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	@echo "Demo: the second factor is required of nobody (OTP_REQUIRED_ROLES=); staff may still set it up."
	OTP_REQUIRED_ROLES= DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(BIN)/pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Catalogs live in ejournal/locale; tests are not scanned. Fill the new `en` entries
# (and the three Russian plural forms), then run again to compile. Needs gettext.
messages: $(VENV)/.installed
	cd ejournal && ../$(BIN)/python ../manage.py makemessages -l en -l ru --no-obsolete \
		--ignore 'tests/*' --ignore '*/tests/*'
	cd ejournal && ../$(BIN)/python ../manage.py compilemessages

bench-city: $(VENV)/.installed
	$(BIN)/python bench/city_build.py

clean:
	rm -rf var/ejournal.sqlite3* var/test.sqlite3*

# The background worker with its beat schedule: sends the e-mail digests every few minutes
# (Redis at CELERY_BROKER_URL / REDIS_URL). Without Celery, run `manage.py notifications_send_due` from cron.
.PHONY: worker
worker: $(VENV)/.installed
	$(BIN)/celery -A ejournal worker -B --loglevel=INFO --concurrency=2

# Load-test tools of bench/journal_load.py (gunicorn, locust); not needed to run or test the app.
.PHONY: bench-deps
bench-deps: $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-bench.txt

# The production topology on this machine (docs/deploy.md): pg_auto_failover (monitor + primary + synchronous
# standby), pgBackRest, Redis, two gunicorn nodes, Celery, nginx on http://127.0.0.1:8080/. Installs its Debian
# packages; needs root (PostgreSQL runs as the postgres user). `make cluster-down PURGE=1` also deletes its data.
cluster: $(VENV)/.installed
	deploy/cluster.sh up

cluster-down:
	deploy/cluster.sh down $(if $(PURGE),--purge,)

# The drills of bench/cluster_drills.py: failover, backup and PITR, the diary spike, slow clients.
# DRILLS="failover backup" runs some of them (CI: .ci/run).
DRILLS ?= all
cluster-test: cluster
	$(BIN)/pip install --quiet -r requirements-bench.txt
	$(BIN)/python bench/cluster_drills.py $(DRILLS)
