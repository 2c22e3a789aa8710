"""Numeric types, fixed in code (never read from the environment)."""
import numpy as np

FLOAT = np.float64
INT = np.int64


def records(array: np.ndarray) -> np.ndarray:
    """A structured array as a record array: fields read as attributes (``node.limit``) in
    plain Python too, so the kernels run with ``NUMBA_DISABLE_JIT=1``; Numba types it as the
    same array."""
    return array.view(np.recarray)
