# The two commands: `make run` serves the corpus, `make test` runs every test.
# `make bench` measures both against the usual Whoosh + jieba setup (bench/RESULTS.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2

.PHONY: install index run test bench clean-index

# The virtual environment, rebuilt whenever requirements.txt changes.
$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

# Builds the index when it is missing or older than the corpus (honours CORPUS_DIR, INDEX_DIR).
index: install
	$(PY) -m indexer rebuild --if-stale

run: index
	$(VENV)/bin/gunicorn --config gunicorn.conf.py --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - 'app:create_app()'

test: install
	$(PY) -m pytest

# Synthetic corpora of 10,000 and 100,000 paragraphs: takes tens of minutes, not part of test.
bench: install
	$(PY) -m bench.run $(BENCH_ARGS)

clean-index:
	rm -rf instance/index
