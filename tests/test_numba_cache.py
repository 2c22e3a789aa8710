"""A change to any kernel source drops Numba's cached code (tests/../sim/_numba_cache.py)."""
from __future__ import annotations

import shutil

from sim import _numba_cache

from conftest import ROOT


def test_cached_code_is_dropped_when_a_kernel_source_changes(tmp_path):
    root = tmp_path / "sim"
    for name in _numba_cache.KERNEL_SOURCES:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "sim" / name, root / name)
    cached = root / "losses" / "__pycache__" / "_kernels.sample_events-1.py311.nbi"
    cached.parent.mkdir()
    cached.write_bytes(b"old")
    assert _numba_cache.refresh(root) and not cached.exists()   # no stamp yet: dropped
    cached.write_bytes(b"new")
    assert not _numba_cache.refresh(root) and cached.exists()   # same sources: kept
    with (root / "components.py").open("a") as fh:
        fh.write("\n# an edit\n")
    assert _numba_cache.refresh(root) and not cached.exists()   # an inlined source changed


def test_every_module_a_kernel_imports_is_a_kernel_source():
    """A module a kernel imports from (and so may inline, or freeze constants of) must be in
    the cache key, or an edit to it would leave stale cached kernels running."""
    import ast
    from pathlib import PurePosixPath

    sources = set(_numba_cache.KERNEL_SOURCES)
    for name in sources:
        text = (ROOT / "sim" / name).read_text()
        if "@njit" not in text:
            continue
        package = PurePosixPath(name).parent
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and node.level > 0:
                base = package
                for _ in range(node.level - 1):
                    base = base.parent
                imported = str(base / (node.module.replace(".", "/") + ".py"))
                imported = imported.removeprefix("./")
                assert imported in sources, f"{name} imports {imported}, missing from KERNEL_SOURCES"
