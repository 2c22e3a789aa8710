from pathlib import Path

import pytest

import sim.data

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"

MAN = 10_000          # 万
OKU = 100_000_000     # 億


@pytest.fixture
def scenarios_dir() -> Path:
    return SCENARIOS


@pytest.fixture
def tables_read(monkeypatch):
    """``(names, read_table)``: the names of the ``sim/data`` tables read while the test runs,
    in order, and the unwrapped reader (the frequency fits are refitted so that they read their
    tables again)."""
    from sim.calibration import frequency
    from sim.calibration.minor import minor_fit

    read = []
    original = sim.data.read_table

    def recording(name):
        read.append(name)
        return original(name)

    monkeypatch.setattr(sim.data, "read_table", recording)
    frequency._fit.cache_clear()
    minor_fit.cache_clear()
    yield read, original
    frequency._fit.cache_clear()
    minor_fit.cache_clear()
