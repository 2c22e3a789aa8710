from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"

MAN = 10_000          # 万
OKU = 100_000_000     # 億


@pytest.fixture
def scenarios_dir() -> Path:
    return SCENARIOS
