# Two entry points (see README): `make demo` runs the main job, `make test` the test suite.
# Each creates the virtualenv and installs what it needs on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
BROCHURES := scenarios/jcci_brochure_100k.toml scenarios/aig_brochure_100k.toml
SCENARIOS := $(BROCHURES) scenarios/calibrated_100k.toml

# Headless Chromium for the report test (tests/test_report.py): Debian's package, because test
# tools' own browser downloads are refused on closed networks. SIM_CHROMIUM names another binary.
CHROMIUM ?= $(or $(SIM_CHROMIUM),/usr/bin/chromium)
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT      := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get

.PHONY: demo explain report notebooks test test-python-kernels bench clean

demo: $(STAMP)
	$(BIN)/sim run $(SCENARIOS)

explain: $(STAMP)
	$(BIN)/sim explain $(BROCHURES)

report: $(STAMP)
	$(BIN)/sim report $(SCENARIOS) --out reports --force

# Run every notebooks/*.ipynb top to bottom in a Jupyter kernel and write its outputs and figures
# (PNG) back into the file (about 70 s); commits nothing. tests/test_notebooks.py fails when the
# committed outputs are stale: run this after changing the code or a notebook, then commit.
notebooks: $(STAMP)
	$(BIN)/python tools/notebooks.py

# The kernels must be right as plain Python too: these tests run again with Numba's JIT off
# (about 90 s; the record arrays and draws are built to work both ways).
PYTHON_KERNEL_TESTS := tests/policy tests/products tests/losses tests/engine/test_layout.py \
                       tests/engine/test_occurrence_independent.py

# Two workers (pytest-xdist): CI machines have two cores, and no test depends on another's order
# (fixed seeds; the only shared state is Numba's on-disk cache).
test: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest -n 2
	NUMBA_DISABLE_JIT=1 $(BIN)/python -m pytest -q -n 2 $(PYTHON_KERNEL_TESTS)

test-python-kernels: $(STAMP)
	NUMBA_DISABLE_JIT=1 $(BIN)/python -m pytest -q -n 2 $(PYTHON_KERNEL_TESTS)

$(CHROMIUM):
	$(APT) install -y -q chromium || ($(APT) update -q && $(APT) install -y -q chromium)

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_policy_engine.py
	$(BIN)/python benchmarks/bench_simulate.py
	$(BIN)/python benchmarks/bench_memory.py

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is required, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
	find . -name __pycache__ -prune -exec rm -rf {} +
