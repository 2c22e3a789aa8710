"""The insurer's view: a book of insureds simulated together, with common-cause events,
dependence, capital by tier, reinsurance and ORD-style loss tables."""
from .catalogue import DEPENDENCE, Catalogue
from .members import Book
from .reinsurance import Reinsurance
from .results import BookResult
from .run import estimate_book_memory, simulate_book

__all__ = ["Book", "BookResult", "Catalogue", "DEPENDENCE", "Reinsurance", "estimate_book_memory",
           "simulate_book"]
