"""The notebooks run in a real Jupyter kernel and their committed outputs are not stale.

Each notebook is copied to a temporary folder (beside links to the checkout's scenarios) and run
top to bottom in a fresh kernel of this interpreter (nbclient + ipykernel: what ``make
notebooks`` does in place). The test fails on any cell's error, and when the committed outputs
differ from the fresh run's: per code cell, text/plain, stdout and the cells of HTML tables (not
their markup) after masking object addresses, pandas Styler ids, ``%time`` lines and absolute
paths (``tools/notebooks.py``, ``normalise``, ``html_text``), and whether the cell shows a PNG figure (not its bytes, which differ between
machines). Stderr is not compared (library warnings differ between versions). Run ``make
notebooks`` after changing the code or a notebook, and commit the result.
"""
import importlib.util
import re

import nbformat
import pytest

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("notebook_tools", ROOT / "tools" / "notebooks.py")
nbtools = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(nbtools)

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_the_four_walk_throughs_are_there():
    assert [p.name for p in NOTEBOOKS] == ["01_risk_manager.ipynb", "02_actuary_pricing.ipynb",
                                          "03_model_tour.ipynb", "04_book.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_with_outputs_and_figures(path):
    """Reads on a web page without running: every code cell has run and left an output, and
    the notebook holds figures (PNG)."""
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), f"{path.name}: a code cell was not run"
    assert all(c.outputs for c in code), f"{path.name}: a code cell has no output"
    pngs = sum("image/png" in o.get("data", {}) for c in code for o in c.outputs)
    assert pngs >= 1, f"{path.name} has no figure"
    assert not any(o.output_type == "error" for c in code for o in c.outputs)
    # tables for people: no 4.545455e+07 in any table or printed line
    text = "".join(o.get("text", "") + o.get("data", {}).get("text/html", "")
                   for c in code for o in c.outputs)
    assert "e+0" not in text, f"{path.name} prints a number in e-notation"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_in_a_kernel_and_outputs_are_current(path, tmp_path):
    fresh = nbtools.execute(path, workdir=tmp_path)   # raises CellExecutionError on an error
    stale = nbtools.differences(nbformat.read(path, as_version=4), fresh, tmp_path)
    assert not stale, (f"{path.name}: committed outputs are stale (run `make notebooks`):\n"
                       + "\n".join(stale))


# The stale check itself, on a committed notebook (no kernel).

def _committed():
    return nbformat.read(ROOT / "notebooks" / "01_risk_manager.ipynb", as_version=4)


def _first_output(nb, kind):
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if kind == "stdout" and o.output_type == "stream" and o.name == "stdout":
                return o
            if kind in o.get("data", {}):
                return o
    raise AssertionError(f"no {kind} output")


def test_identical_outputs_are_not_stale():
    assert nbtools.differences(_committed(), _committed()) == []


@pytest.mark.parametrize("kind", ["stdout", "text/html", "text/plain"])
def test_a_changed_figure_in_a_table_or_line_is_stale(kind):
    changed = _committed()
    o = _first_output(changed, kind)
    if kind == "stdout":
        o.text = o.text.replace("0", "1", 1)
    elif kind == "text/html":   # a figure in a table cell, not the markup
        o.data[kind] = re.sub(r"(<td[^>]*>\s*)(\d)", lambda m: m[1] + str((int(m[2]) + 1) % 10),
                              o.data[kind], count=1)
    else:
        o.data[kind] = o.data[kind].replace("0", "1", 1)
    stale = nbtools.differences(_committed(), changed)
    assert len(stale) == 1 and kind in stale[0]


def test_a_figure_that_went_missing_is_stale():
    changed = _committed()
    cell = next(c for c in changed.cells if c.cell_type == "code"
                and any("image/png" in o.get("data", {}) for o in c.outputs))
    cell.outputs = [o for o in cell.outputs if "image/png" not in o.get("data", {})]
    assert nbtools.differences(changed, _committed())


def test_png_bytes_and_volatile_text_are_not_compared():
    changed = _committed()
    o = _first_output(changed, "image/png")
    o.data["image/png"] = o.data["image/png"][::-1]
    s = _first_output(changed, "stdout")
    s.text += "\n<object at 0x7f3a2b1c> in " + str(ROOT / "x") + "\nWall time: 1.2 s"
    fresh = _committed()
    t = _first_output(fresh, "stdout")
    t.text += "\n<object at 0x55aa00ff> in <ROOT>/x\nWall time: 3.4 s"
    assert nbtools.differences(changed, fresh) == []


def test_table_markup_is_not_compared_only_what_a_reader_sees():
    changed = _committed()
    o = _first_output(changed, "text/html")
    o.data["text/html"] = o.data["text/html"].replace("<td ", '<td data-pandas-version="9" ')
    assert "data-pandas-version" in o.data["text/html"]
    assert nbtools.differences(changed, _committed()) == []


def test_styler_ids_are_masked():
    a = '<style type="text/css">\n#T_1a2b3_row0_col0 {}</style><table id="T_1a2b3">'
    b = '<style type="text/css">\n#T_9f8e7_row0_col0 {}</style><table id="T_9f8e7">'
    assert nbtools.normalise(a) == nbtools.normalise(b)
    assert nbtools.normalise("T_1a2b3_row0 5") != nbtools.normalise("T_1a2b3_row0 6")
