"""The engine's imports flow one way: no import cycle runs through it (issue 14)."""
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from import_graph import cycles, import_graph  # noqa: E402

# today's engine modules, and where they lived before they had a package of their own
ENGINE = ("sim.engine", "sim.runner", "sim.distributed", "sim.tally", "sim.results",
          "sim._kernels", "sim._memory")


def test_no_import_cycle_runs_through_the_engine():
    graph = import_graph()
    through = [c for c in cycles(graph) if any(m.startswith(ENGINE) for m in c)]
    assert through == []
    assert "sim.engine.runner" not in graph["sim.engine.distributed"]  # Dask drives blocks only
    assert "sim.engine.distributed" not in graph["sim.engine.blocks"]
