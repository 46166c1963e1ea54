# The two commands of the README: `make run` and `make test`. Everything else is a step they use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# The suite runs in this many processes (pytest-xdist); each has its own test database and Redis
# database (smeportal/settings/test.py). Tests are handed out in the order pytest-django sorts
# them, so each process runs the tests that empty the database (transactional ones) after the
# others, as one process would; handing out whole files would break that order. The walks that
# build a module fixture (the seeded demo, marked xdist_group) go whole to one process, first.
# TEST_PROCESSES=0 runs the suite in one process.
TEST_PROCESSES ?= 2

.PHONY: run test bench install system-deps assets messages makemessages static migrate seed lint format clean

run: install messages static migrate seed  ## Set up and serve the portal on the embedded default
	@echo ""
	@echo "Serving the SME-dialog portal at http://$(HOST):$(PORT)/ (Ctrl+C stops it)."
	@echo "Demo logins: utvecklare, processledare, radsmedlem, admin (password printed above, or DEMO_PASSWORD)."
	$(MANAGE) runserver $(HOST):$(PORT)

test: install messages  ## Run the whole suite (Postgres/Redis when DATABASE_URL/REDIS_URL are set)
	$(BIN)/pytest -n $(TEST_PROCESSES) --dist loadgroup $(PYTEST_ARGS)

# Outside the suite: every page at demo size and at 100,000 interviews (BENCH_INTERVIEWS) on
# Postgres, against gunicorn; the table is printed and kept in var/bench/ (tests/bench/run.sh).
bench: install messages
	bash tests/bench/run.sh

install: $(VENV)/.installed assets system-deps

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

assets: node_modules/.installed

# --ignore-scripts: vnu-jar's install script would download a Java runtime from GitHub; Java comes
# from apt instead (system-deps), and no other package needs a script.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# gettext compiles the message files; Chromium runs the browser tests; redis-server (a private
# broker the fault tests stop), LibreOffice (opens the report workbook), Java (runs the Nu Html
# Checker from the vnu-jar npm package) and poppler-utils (pdftotext reads the report PDF) serve
# tests. Installed when missing and we may (root on Debian); otherwise say what to install.
system-deps:
	@command -v msgfmt >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; \
	  else echo "Please install gettext (msgfmt)."; exit 1; fi; }
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Note: install Debian's chromium for the browser tests."; fi; }
	@command -v redis-server >/dev/null 2>&1 && command -v soffice >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      redis-server libreoffice-calc-nogui; \
	  else echo "Note: install redis-server and libreoffice-calc-nogui for the fault and workbook tests."; fi; }
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; \
	  else echo "Note: install Java (default-jre-headless) for the HTML checker test (vnu-jar)."; fi; }
	@command -v pdftotext >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils; \
	  else echo "Note: install poppler-utils (pdftotext) for the report PDF tests."; fi; }

messages:
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules >/dev/null

# Refresh the message files after changing strings; English msgids are copied to the English
# catalogue with msgen so it is complete, Swedish is translated by hand in locale/sv.
makemessages:
	$(MANAGE) makemessages -l sv -l en --no-obsolete --ignore=.venv --ignore=node_modules --ignore=var
	msgen locale/en/LC_MESSAGES/django.po -o locale/en/LC_MESSAGES/django.po

static:
	$(MANAGE) collectstatic --noinput --verbosity 0

migrate:
	$(MANAGE) migrate --noinput

seed:
	$(MANAGE) seed_demo

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules var
