# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    := out
SHARED ?= ../shared/drafts

.PHONY: run test lint bench eval install clean sample-drafts readme

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@# An editable install leaves cop_diff without bytecode, which a wheel install has.
	$(BIN)/python -m compileall -q cop_diff
	touch $(STAMP)

install: $(STAMP)

# The main job on the bundled sample drafts: compare each version with the next, as JSON,
# text and an HTML redline; follow each provision through all three (history); then one
# pass of the scheduled job over drafts/ (out/site).
# cop-diff exits 1 when it finds changes, as diff(1) does; that is success here.
run: $(STAMP)
	@mkdir -p $(OUT)
	@for pair in "v1 v2" "v2 v3"; do \
		set -- $$pair; \
		report=$(OUT)/sample-$$1-$$2; \
		$(BIN)/cop-diff compare drafts/sample-$$1.pdf drafts/sample-$$2.pdf \
			-o $$report.json -o $$report.txt -o $$report.html; \
		status=$$?; [ $$status -le 1 ] || exit $$status; \
	done
	@echo "HTML redline of the sample drafts: $(OUT)/sample-v2-v3.html (open it in a browser)"
	@$(BIN)/cop-diff history drafts/sample-v1.pdf drafts/sample-v2.pdf drafts/sample-v3.pdf \
		-o $(OUT)/sample-history.html -o $(OUT)/sample-history.json; \
		status=$$?; [ $$status -le 1 ] || exit $$status
	@echo "Each provision through v1, v2 and v3: $(OUT)/sample-history.html"
	@$(BIN)/cop-diff watch drafts --match '^sample-v[0-9]+\.pdf$$' --once --quiet \
		--state $(OUT)/watch.db --out $(OUT)/site
	@echo "The same drafts as the scheduled job publishes them: $(OUT)/site/index.html"

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check cop_diff tests scripts
	$(BIN)/ruff format --check cop_diff tests scripts
	$(BIN)/mypy

# Timings of compare (cold, warm, 10x) against pdfminer.six's pdf2txt.py on the real drafts (#7).
bench: $(STAMP)
	$(BIN)/python scripts/bench.py $(SHARED)

# Accuracy against our gold annotations of the real drafts (tests/gold/).
eval: $(STAMP)
	$(BIN)/python scripts/eval_alignment.py $(SHARED)
	$(BIN)/python scripts/eval_findings.py $(SHARED)
	$(BIN)/python scripts/eval_mutations.py $(SHARED)

# Rewrite the README's example outputs from the current code (tests/test_readme.py checks them).
readme: $(STAMP)
	$(BIN)/python -m tests.readme_examples

# Re-print the sample drafts from their sources (needs fpdf2, a test extra).
sample-drafts: $(STAMP)
	$(BIN)/python scripts/build_sample_drafts.py

clean:
	rm -rf $(VENV) $(OUT) build dist *.egg-info
