"""Imports inside sim/ flow one way (issue 14): no cycle, imports inside functions and under
TYPE_CHECKING included. The graph is read by benchmarks/import_graph.py (standard library)."""
import importlib.util

from conftest import ROOT

spec = importlib.util.spec_from_file_location("import_graph", ROOT / "benchmarks" / "import_graph.py")
import_graph = importlib.util.module_from_spec(spec)
spec.loader.exec_module(import_graph)


def test_the_package_has_no_import_cycle():
    graph = import_graph.import_graph()
    assert len(graph) > 40 and "sim.engine.runner" in graph
    assert import_graph.cycles(graph) == []


def test_the_cycle_finder_finds_a_planted_cycle():
    graph = import_graph.import_graph()
    graph["sim.components"] = graph["sim.components"] | {"sim.engine.runner"}  # runner reaches components
    assert any("sim.components" in c and "sim.engine.runner" in c for c in import_graph.cycles(graph))


def test_imports_inside_functions_count(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from . import b\n")
    (package / "b.py").write_text("def f():\n    from .a import x\n")
    graph = import_graph.import_graph(package)
    assert import_graph.cycles(graph) == [["pkg.a", "pkg.b"]]
