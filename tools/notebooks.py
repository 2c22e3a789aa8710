"""Run the notebooks in a real Jupyter kernel, and compare a fresh run with the committed outputs.

``python tools/notebooks.py`` (``make notebooks``) executes every ``notebooks/*.ipynb`` in place,
in a kernel of this interpreter, with the notebook's folder as working directory, so the
committed files carry their outputs and figures (PNG) and read on a web page without running.
It commits nothing. ``python tools/notebooks.py --check`` runs them from a copy and reports
outputs that differ from the committed ones (what ``tests/test_notebooks.py`` does).

What "stale" means (:func:`differences`): for each code cell, in order, the text of its outputs
after :func:`normalise` (``text/plain``, stdout, and of ``text/html`` the cells of its tables,
:func:`html_text`, not the markup; stderr is left out: library warnings differ between
versions), and whether it shows a figure (``image/png``: the bytes are not compared, they differ
between machines and library versions).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
from pathlib import Path
import re
import shutil
import sys
import tempfile
import time

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
KERNEL = "breach-sim"
TIMEOUT = 300  # seconds a cell may run

# (pattern, replacement): what differs between runs or machines without the code changing.
VOLATILE = [
    (re.compile(r" at 0x[0-9a-fA-F]+"), " at 0x…"),                   # object reprs' addresses
    (re.compile(r"\bT_[0-9a-f]{5}(?=[_\"' ])"), "T_…"),               # pandas Styler's random ids
    (re.compile(r"^(CPU times|Wall time):.*$", re.M), r"\1: …"),        # %time
]


def normalise(text: str, workdir: Path | None = None) -> str:
    """``text`` with the volatile parts of :data:`VOLATILE` masked, and this checkout's absolute
    path (or the ``workdir`` a copy ran in) written as ``<ROOT>``, the home folder as ``<HOME>``."""
    for root in filter(None, (workdir, ROOT)):
        text = text.replace(str(root), "<ROOT>")
    text = text.replace(str(Path.home()), "<HOME>")
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def _write_kernelspec(folder: Path) -> None:
    """A kernelspec under ``folder`` that runs this interpreter (with this checkout first on
    ``sys.path``), so that no ``python3`` kernelspec installed elsewhere is picked up instead."""
    spec = folder / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
            "--IPKernelApp.log_level=ERROR"]  # not the kernel's start-up chatter on stderr
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    (spec / "kernel.json").write_text(json.dumps(
        {"argv": argv, "display_name": "Python 3 (breach-sim)", "language": "python",
         "env": {"PYTHONPATH": path}}))


def _workdir_copy(path: Path, workdir: Path) -> Path:
    """``path`` copied to ``workdir/notebooks/``, beside links to the checkout's other top-level
    folders (``../scenarios`` resolves as from ``notebooks/``); the copy's path."""
    (workdir / "notebooks").mkdir(parents=True, exist_ok=True)
    for entry in ROOT.iterdir():
        if entry.name not in ("notebooks", ".git") and not (workdir / entry.name).exists():
            (workdir / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    copy = workdir / "notebooks" / path.name
    shutil.copyfile(path, copy)
    return copy


def execute(path: Path, timeout: int = TIMEOUT, workdir: Path | None = None):
    """The notebook at ``path`` run top to bottom in a fresh kernel, its folder the working
    directory; with ``workdir``, a copy of it run there (:func:`_workdir_copy`). The file at
    ``path`` is not written.

    Raises ``nbclient.exceptions.CellExecutionError`` at the first cell that fails.
    """
    import nbclient
    import nbformat

    path = Path(path).resolve()
    if workdir is not None:
        path = _workdir_copy(path, workdir)
    nb = nbformat.read(path, as_version=4)
    old = os.environ.get("JUPYTER_PATH")
    with tempfile.TemporaryDirectory(prefix="breach-sim-kernel-") as specs:
        _write_kernelspec(Path(specs))
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [specs, old]))
        try:
            nbclient.NotebookClient(nb, timeout=timeout, kernel_name=KERNEL, record_timing=False,
                                    resources={"metadata": {"path": str(path.parent)}}).execute()
        finally:
            if old is None:
                os.environ.pop("JUPYTER_PATH", None)
            else:
                os.environ["JUPYTER_PATH"] = old
    # The file names the usual kernel: a reader's Jupyter has no "breach-sim" kernelspec.
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


_ROW, _CELL = re.compile(r"<tr[^>]*>(.*?)</tr>", re.S), re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)
_TAG = re.compile(r"<[^>]+>")


def html_text(html: str) -> str:
    """What a reader sees of an HTML output: a table's cells row by row (``a | b``), or the text
    without tags. Markup (a pandas version's attributes, a Styler's CSS and ids) is not compared."""
    rows = _ROW.findall(html)
    if not rows:
        return " ".join(_TAG.sub(" ", html).split())
    return "\n".join(" | ".join(" ".join(_TAG.sub(" ", c).split()) for c in _CELL.findall(r))
                     for r in rows)


def stabilise(nb, name: str):
    """``nb`` with the volatile parts of its outputs made the same on every run, so that ``make
    notebooks`` rewrites a file only where an output changed: each pandas Styler's random id
    replaced by one derived from (notebook, cell, output), object addresses masked (``text/plain``
    of a Styler). What a reader sees is unchanged."""
    styler_id, address = VOLATILE[1][0], VOLATILE[0][0]
    for i, cell in enumerate(nb.cells):
        for j, o in enumerate(cell.get("outputs", [])):
            data = o.get("data", {})
            if "text/html" in data:
                stable = "T_" + hashlib.sha1(f"{name}:{i}:{j}".encode()).hexdigest()[:5]
                data["text/html"] = styler_id.sub(stable, data["text/html"])
            if "text/plain" in data:
                data["text/plain"] = address.sub(" at 0x…", data["text/plain"])
    return nb


def outputs(cell, workdir: Path | None = None) -> list[tuple[str, str]]:
    """What the stale check compares of one code cell: (kind, normalised text) per output, and
    ``("image/png", "")`` for each figure."""
    out = []
    for o in cell.get("outputs", []):
        kind = o["output_type"]
        if kind == "stream":
            if o["name"] == "stdout":
                out.append(("stdout", normalise(o["text"], workdir)))
        elif kind in ("execute_result", "display_data"):
            data = o["data"]
            for mime in ("text/plain", "text/html"):
                if mime in data:
                    text = data[mime] if isinstance(data[mime], str) else "".join(data[mime])
                    text = html_text(text) if mime == "text/html" else text
                    out.append((mime, normalise(text, workdir)))
            if "image/png" in data:
                out.append(("image/png", ""))
        elif kind == "error":
            out.append(("error", f"{o['ename']}: {o['evalue']}"))
    # Consecutive stdout chunks split differently from run to run: join them.
    merged: list[tuple[str, str]] = []
    for kind, text in out:
        if merged and kind == "stdout" and merged[-1][0] == "stdout":
            merged[-1] = ("stdout", merged[-1][1] + text)
        else:
            merged.append((kind, text))
    return merged


def differences(committed, fresh, workdir: Path | None = None) -> list[str]:
    """One line per code cell whose committed outputs differ from a fresh run's (empty: none);
    ``workdir``: where the fresh run's copy ran (its path reads as ``<ROOT>``)."""
    old = [c for c in committed.cells if c.cell_type == "code"]
    new = [c for c in fresh.cells if c.cell_type == "code"]
    if [c.source for c in old] != [c.source for c in new]:
        return ["the code cells differ (not the same notebook)"]
    lines = []
    for i, (a, b) in enumerate(zip(old, new), start=1):
        oa, ob = outputs(a), outputs(b, workdir)
        if oa == ob:
            continue
        if not oa:
            lines.append(f"code cell {i} has no committed outputs")
            continue
        kinds_a, kinds_b = [k for k, _ in oa], [k for k, _ in ob]
        if kinds_a != kinds_b:
            lines.append(f"code cell {i}: committed outputs {kinds_a}, a fresh run gives {kinds_b}")
            continue
        for (kind, ta), (_, tb) in zip(oa, ob):
            if ta != tb:
                first = next(j for j, (x, y) in enumerate(zip(ta + "\0", tb + "\0")) if x != y)
                lines.append(f"code cell {i} {kind} differs from character {first}: committed "
                             f"{ta[max(0, first - 40):first + 60]!r}, fresh {tb[max(0, first - 40):first + 60]!r}")
                break
    return lines


def main(argv: list[str] | None = None) -> int:
    import nbformat

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: notebooks/*.ipynb)")
    parser.add_argument("--check", action="store_true",
                        help="run from a copy and report stale outputs instead of writing them")
    args = parser.parse_args(argv)
    paths = args.paths or sorted(NOTEBOOKS.glob("*.ipynb"))
    status = 0
    for path in paths:
        start = time.perf_counter()
        if args.check:
            with tempfile.TemporaryDirectory(prefix="breach-sim-notebooks-") as workdir:
                fresh = execute(path, workdir=Path(workdir))
                stale = differences(nbformat.read(path, as_version=4), fresh, Path(workdir))
            took = time.perf_counter() - start
            status |= bool(stale)
            print(f"{path.name}: {took:.1f} s, " + ("stale:\n  " + "\n  ".join(stale) if stale else "up to date"))
        else:
            fresh = execute(path)
            took = time.perf_counter() - start
            stabilise(fresh, path.name)
            nbformat.validate(fresh)
            nbformat.write(fresh, path)
            print(f"{path.name}: {took:.1f} s, written")
    return status


if __name__ == "__main__":
    sys.exit(main())
