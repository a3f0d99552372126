# cxdash: the two set-up commands are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501

.PHONY: run test lint bench sample clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.run-deps: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.run-deps

## run: start the app on http://localhost:8501 (loads the sample data into an empty workspace)
run: $(VENV)/.run-deps
	$(PY) -m streamlit run app.py --server.port $(PORT) --server.headless true

## test: lint and run the whole test suite (unit, AppTest and browser tests)
test: $(VENV)/.dev-deps
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

lint: $(VENV)/.dev-deps
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

## bench: print the benchmark table
bench: $(VENV)/.dev-deps
	$(PY) -m benchmarks $(BENCH_ARGS)

## sample: regenerate the committed sample workbooks from the seeded generator
sample: $(VENV)/.run-deps
	$(PY) -m cxdash.sample sample_data

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
