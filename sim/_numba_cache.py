"""Keep Numba's on-disk cache in step with the kernel sources.

Numba (``cache=True``) recompiles a cached function only when *its own* file changes. The block
kernel in ``engine/block_kernel.py`` inlines the samplers, their draws and the policy engine from other
files, and the kernels freeze constants and record layouts from ``components.py``,
``losses/params.py`` and ``data/__init__.py``:
after an edit to any of those, a stale cached block kernel would go on running the old code. So
the cache is keyed here by a hash of all of them, and dropped when it changes.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
import tempfile

KERNEL_SOURCES = ("engine/block_kernel.py", "losses/sampling.py", "losses/draws.py",
                  "losses/claims.py", "losses/_random.py",
                  "losses/params.py", "data/__init__.py", "policy/limit_kernel.py", "components.py",
                  "_limits.py", "events.py", "book/kernel.py")
STAMP = "__pycache__/kernel_sources.sha256"


def sources_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for name in KERNEL_SOURCES:
        digest.update((root / name).read_bytes())
    return digest.hexdigest()


def refresh(root: Path = Path(__file__).parent) -> bool:
    """Drop the package's cached Numba code if the kernel sources changed since it was
    stamped; returns whether it was dropped. A read-only install is left as it is."""
    try:
        current = sources_hash(root)
        stamp = root / STAMP
        if stamp.exists() and stamp.read_text() == current:
            return False
        for path in root.rglob("__pycache__/*.nb[ic]"):
            path.unlink(missing_ok=True)
        stamp.parent.mkdir(exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=stamp.parent, delete=False) as fh:
            fh.write(current)
        os.replace(fh.name, stamp)
        return True
    except OSError:
        return False
