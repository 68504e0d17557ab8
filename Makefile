# The two commands: `make run` serves the corpus, `make test` runs every test (`make test-fast`: the
# unit tests only). `make cluster` starts a local Sphinx cluster holding the corpus (issue 18).
# `make bench` measures both against the usual Whoosh + jieba setup (bench/RESULTS.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2
CHROMIUM := /usr/bin/chromium
SEARCHD := /usr/bin/searchd

.PHONY: install browser documents sphinx cluster cluster-stop index run test test-fast bench bench-cluster load realpages clean-index crawl-demo

# The virtual environment, rebuilt whenever requirements.txt changes.
$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

# The browser tests drive Debian's Chromium (never a downloaded one), with CJK fonts so pages
# render Chinese; installed with apt only when missing, as root or through sudo.
browser:
	@if [ ! -x $(CHROMIUM) ] || { command -v dpkg-query >/dev/null 2>&1 && \
			! dpkg-query -W -f='$${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'ok installed'; }; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=; \
		elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
		else echo "error: the browser tests need chromium and fonts-noto-cjk; run as root or install sudo, or: apt-get install -y chromium fonts-noto-cjk" >&2; exit 1; fi; \
		$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; \
	fi

# Reports published as documents are read with Debian's tools: poppler-utils (pdftoppm renders a
# scanned page), tesseract-ocr with its simplified Chinese data (OCR), antiword and catdoc (Word
# 97–2003 .doc); installed with apt only when missing, as the browser is. Without them the cleaner
# names each file it cannot read and why.
DOCUMENT_TOOLS := /usr/bin/pdftoppm /usr/bin/tesseract /usr/share/tesseract-ocr/5/tessdata/chi_sim.traineddata /usr/bin/antiword /usr/bin/catdoc
documents:
	@missing=; for tool in $(DOCUMENT_TOOLS); do [ -e $$tool ] || missing=1; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=; \
		elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
		else echo "error: reading PDF scans and .doc files needs poppler-utils, tesseract-ocr, tesseract-ocr-chi-sim, antiword and catdoc; run as root or install sudo, or: apt-get install -y poppler-utils tesseract-ocr tesseract-ocr-chi-sim antiword catdoc" >&2; exit 1; fi; \
		$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils tesseract-ocr tesseract-ocr-chi-sim antiword catdoc; \
	fi

# The cluster backend runs Debian's Sphinx (searchd 2.2.11, package sphinxsearch), installed with
# apt only when missing, as the browser is; its service stays off: nodes are started by us.
sphinx:
	@if [ ! -x $(SEARCHD) ]; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=; \
		elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
		else echo "error: the cluster needs sphinxsearch; run as root or install sudo, or: apt-get install -y sphinxsearch" >&2; exit 1; fi; \
		$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sphinxsearch; \
	fi

# A local Sphinx cluster (two shard nodes, a mirror of both, a front node) on free loopback ports in
# a temporary folder, holding the corpus; prints how to serve and search it. CLUSTER_DIR picks the folder.
cluster: install sphinx
	@layout=$$($(PY) -m search.cluster.local start $(if $(CLUSTER_DIR),--folder $(CLUSTER_DIR))) && \
	$(PY) -m indexer push --cluster $$layout && \
	echo "serve it:  SEARCH_BACKEND=cluster SEARCH_CLUSTER=$$layout make run" && \
	echo "stop it:   make cluster-stop LAYOUT=$$layout"

cluster-stop:
	$(PY) -m search.cluster.local stop $(LAYOUT)

# Builds the index when it is missing or older than the corpus (honours CORPUS_DIR, INDEX_DIR).
index: install documents
	$(PY) -m indexer rebuild --if-stale
	@# One search opens the live generation: what opening it works out is kept (search/opened.py), so the
	@# server's start and its workers map it instead of working it out again (some 10 s at 10^6 paragraphs).
	-$(PY) -m search --limit 1 > /dev/null

run: index
	$(VENV)/bin/gunicorn --config gunicorn.conf.py --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - 'app:create_app()'

# Every test, property tests drawing all their examples (tests/conftest.py: examples), in two
# processes (one per core), each taking whole test files so that a module's server is started once.
test: install browser documents sphinx
	PROPERTY_EXAMPLES=all $(PY) -m pytest -n 2 --dist loadfile

# The inner loop: every test but the integration (commands, rebuilds, live servers) and browser
# ones, property tests drawing an eighth of their examples: under 45 s of CPU, measured 40.0 s (median of 3,
# 1,547 tests, load 1.3-3.3; bench/RESULTS.md "The fast test tier").
test-fast: install documents
	$(PY) -m pytest -q -m "not integration and not browser and not slow"

# Synthetic corpora of 10,000 and 100,000 paragraphs: takes tens of minutes, not part of test.
# Then the embedded engine, the cluster and SQLite FTS5 trigram side by side at 1,000,000 paragraphs
# (bench-cluster, one table): some hours more (the full rebuild from raw pages alone is about an hour).
bench: install sphinx
	$(PY) -m bench.run $(BENCH_ARGS)
	$(PY) -m bench.crawl_list
	$(PY) -m bench.cluster $(BENCH_CLUSTER_ARGS)

bench-cluster: install sphinx
	$(PY) -m bench.cluster $(BENCH_CLUSTER_ARGS)

# 20 concurrent clients for 30 s against the real server (127.0.0.1 only); results in bench/RESULTS.md.
load: install
	$(PY) -m bench.load $(LOAD_ARGS)

# The whole path from a website to a paragraph link on this machine: serves the bundled test
# sites on 127.0.0.1, crawls them into a temporary corpus, rebuilds and searches it.
crawl-demo: install browser documents
	$(PY) tests/fixtures/sites/crawl_demo.py

# The cleaner scored on the labelled real report pages in ../shared/realpages (read at run time,
# never copied): every miss, then fields right / fields labelled. Skipped when they are not there.
REALPAGES ?= ../shared/realpages
REALPAGES_SCORE ?= ../shared/tools/realpages-score
realpages: install
	@if [ -d $(REALPAGES) ] && [ -x $(REALPAGES_SCORE) ]; then $(REALPAGES_SCORE) $(REALPAGES); \
	else echo "realpages: $(REALPAGES) or $(REALPAGES_SCORE) not found; nothing to score"; fi

clean-index:
	rm -rf instance/index
