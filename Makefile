# The two commands of the README. Everything they need is installed here, so a
# fresh Debian machine needs nothing else (as root, missing tools come from apt).
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# command:Debian package, for what the tests run besides Python. PostgreSQL's
# server commands are not on PATH: the glob names them where Debian puts them.
TEST_TOOLS := chromium:chromium rsync:rsync java:default-jre-headless npm:npm /usr/lib/postgresql/*/bin/pg_ctl:postgresql

.PHONY: serve test setup test-setup

serve: setup
	$(VENV)/bin/invoke livereload

test: test-setup
	$(VENV)/bin/invoke check
	$(VENV)/bin/invoke test

setup: $(STAMP)

$(STAMP): requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

test-setup: setup
	@missing=$$(for tool in $(TEST_TOOLS); do command -v $${tool%%:*} >/dev/null || echo $${tool#*:}; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "Cần cài: sudo apt-get install" $$missing >&2; exit 1; fi; \
	fi
	$(MAKE) --no-print-directory node_modules/.package-lock.json

# The test tools of package-lock.json. --ignore-scripts: vnu-jar's install script
# would fetch a Java runtime, and no tool may download a browser.
node_modules/.package-lock.json: package.json package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund
