# Mentorskap: `make run` starts everything, `make test` tests everything.
# Both install exactly the pinned versions in requirements/*.txt into .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check --require-virtualenv
CHROMIUM ?= /usr/bin/chromium

.PHONY: run prod-local load test bench install install-test browser lint messages clean

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  rm -rf $(VENV); \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing python3-venv (Debian/Ubuntu ship venv separately)..."; \
	    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null && $(PYTHON) -m venv $(VENV); \
	  else \
	    echo "Python's venv module is missing: run 'sudo apt-get install python3-venv' and try again."; exit 1; \
	  fi; }
	@$(PIP) install -q --upgrade pip

$(VENV)/.installed-base: requirements/base.txt | $(BIN)/python
	$(PIP) install -q -r requirements/base.txt
	@touch $@

$(VENV)/.installed-test: requirements/test.txt | $(BIN)/python
	$(PIP) install -q -r requirements/test.txt
	@touch $@ $(VENV)/.installed-base

install: $(VENV)/.installed-base
install-test: $(VENV)/.installed-test

# Headless Chromium for the browser tests and gettext for the catalogue check,
# from Debian's packages.
browser:
	@if [ ! -x $(CHROMIUM) ] || ! command -v xgettext >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium and gettext for the tests..."; \
	    apt-get update -qq && apt-get install -y -qq chromium gettext >/dev/null; \
	  else \
	    echo "No $(CHROMIUM) or gettext: those tests are skipped here (and fail in CI)."; \
	    echo "Install them with 'sudo apt-get install chromium gettext'."; \
	  fi; \
	fi

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	MENTORSKAP_DISPATCH_INTERVAL=$${MENTORSKAP_DISPATCH_INTERVAL:-15} $(BIN)/honcho -f Procfile.dev start

# The production setup (Procfile: gunicorn, Celery worker and beat) on this
# machine, on PostgreSQL and Redis; settings in docs/deploy.md, "make prod-local".
prod-local: install-test
	sh deploy/prod-local.sh

# 200 simulated people for 2 minutes against the production setup (locust);
# see docs/deploy.md, "Load test". Needs DATABASE_URL (a database it may empty).
load: install-test
	$(BIN)/python -m loadtest

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

test: install-test browser lint
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_DEBUG=false DJANGO_SECRET_KEY=check-deploy-$$(date +%s)-a-long-enough-random-looking-secret-value-xyz \
	  DJANGO_ALLOWED_HOSTS=mentorskap.example.org CACHE_URL=redis://127.0.0.1:6379/1 \
	  MENTORSKAP_NOTE_KEYS=$$($(BIN)/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/pytest -n auto

bench: install-test
	$(BIN)/python -m bench

# Recompile the translation catalogues after editing a .po file (needs gettext).
messages: install-test
	$(BIN)/python manage.py makemessages -l sv -l en --no-obsolete --ignore=.venv --ignore=var --ignore=tests
	$(BIN)/python manage.py makemessages -d djangojs -l sv -l en --no-obsolete --ignore=.venv --ignore=var --ignore=static/bootstrap --ignore=tests
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache .hypothesis
