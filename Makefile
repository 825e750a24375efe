# vnplan: `make demo` and `make test` do all set-up on a fresh machine (Python 3.11+ with venv).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SAMPLE := data/samples/hanoi-2023-101-KH-UBND.txt

.PHONY: install servers demo test notebooks bench vocab clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/vnplan build $(SAMPLE) -o out/sample.ttl --store out/store
	$(BIN)/vnplan validate --graph out/sample.ttl
	$(BIN)/vnplan query documents --store out/store
	$(BIN)/vnplan query legal-documents --store out/store
	$(BIN)/vnplan query agencies --store out/store --format csv > out/agencies.csv
	$(BIN)/vnplan query tasks --store out/store --format csv > out/tasks.csv
	$(BIN)/vnplan query feedback --store out/store --format csv > out/feedback.csv
	$(BIN)/vnplan query coordination --store out/store --format csv > out/coordination.csv
	$(BIN)/vnplan trace I.5 --store out/store
	$(BIN)/vnplan network --store out/store --html out/coordination.html --gexf out/coordination.gexf --metrics out/metrics.csv
	@echo "wrote out/sample.ttl, out/store, out/{tasks,agencies,feedback,coordination,metrics}.csv and out/coordination.{html,gexf}"
	@echo "open out/coordination.html in a browser: it needs no network"

# Virtuoso and Chromium for the tests against real servers and a real browser (apt, when root or
# password-less sudo; otherwise it says what to install and those tests are skipped).
servers:
	.ci/install-servers

test: install servers
	$(BIN)/python ontology/generate_vocab.py --check
	$(BIN)/pytest

# Open the walkthroughs in JupyterLab (installed into .venv on first use).
notebooks: install
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[notebooks]'
	$(BIN)/jupyter lab notebooks/

# Benchmarks on synthetic corpora of 10, 100 and 1,000 plans: writes benchmarks/RESULTS.md and
# benchmarks/results.json (minutes, not seconds; never part of `make test`).
bench: install
	$(BIN)/python benchmarks/run.py --sizes 10 100 1000

vocab: install
	$(BIN)/python ontology/generate_vocab.py

clean:
	rm -rf out .vnplan
