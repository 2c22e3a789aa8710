"""Numeric types, fixed in code (never read from the environment)."""
import numpy as np

FLOAT = np.float64
INT = np.int64
