# The two commands of the README. Everything they need is installed here, so a
# fresh Debian machine needs nothing else (root installs Chromium with apt).
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: serve test setup test-setup

serve: setup
	$(VENV)/bin/invoke livereload

test: test-setup
	$(VENV)/bin/invoke test

setup: $(STAMP)

$(STAMP): requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

test-setup: setup
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Cần Chromium: sudo apt-get install chromium" >&2; exit 1; fi; }
	@command -v java >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; \
	  else echo "Cần Java cho trình kiểm tra HTML: sudo apt-get install default-jre-headless" >&2; exit 1; fi; }
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; \
	  else echo "Cần Node.js: sudo apt-get install nodejs npm" >&2; exit 1; fi; }
	$(MAKE) --no-print-directory node_modules/.package-lock.json

# The quality gates' tools (package-lock.json). --ignore-scripts: vnu-jar's install
# script would fetch a Java runtime, and no tool may download a browser.
node_modules/.package-lock.json: package.json package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund
