"""Templates for the two brochure products, built from :mod:`sim.policy` terms.

>>> from sim import products
>>> products.aig(limit=3e8, execution=True).section_names
('liability', 'consulting', 'execution')
"""
from .aig import aig
from .jcci import jcci

PRODUCTS = {"jcci": jcci, "aig": aig}

__all__ = ["PRODUCTS", "aig", "jcci"]
