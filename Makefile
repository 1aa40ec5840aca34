# Every target sets itself up on a fresh machine: it creates .venv and installs what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: install run ingest test test-fast lint bench eval corpus clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch==2.13.0 is pinned in pyproject.toml so pip takes the CPU wheel on disk.
	$(BIN)/pip install --quiet -e '.[dev,llm]'
	touch $(STAMP)

install: $(STAMP)

run: install  ## install, ingest the bundled corpus (new or changed files only), serve the web chat
	$(BIN)/python app.py

ingest: install
	$(BIN)/rbp-assistant ingest corpus

test: install  ## all tests: unit, real model, real Chroma server, real browser
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "chromium could not be installed: browser tests will fail"
	$(BIN)/pytest -q

test-fast: install  ## unit tests only (fake embedder, no model, no browser)
	$(BIN)/pytest -q -m "not integration"

lint: install
	$(BIN)/ruff check assistant tests bench scripts app.py
	$(BIN)/ruff format --check assistant tests bench scripts app.py
	$(BIN)/mypy assistant
	$(BIN)/mypy bench

bench: install  ## print performance and quality figures
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

eval: install  ## the dev test set against the shared seed corpus
	$(BIN)/rbp-assistant eval ../shared/eval/dev-questions.jsonl --corpus ../shared/seed-corpus --answers --baseline naive

corpus: install  ## rebuild the bundled corpus from corpus/src
	$(BIN)/python scripts/build_corpus.py

clean:
	rm -rf $(VENV) .rbp-data .pytest_cache
