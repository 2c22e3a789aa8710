"""The insurer's view: a book of insureds simulated together, with common-cause events,
dependence, capital by tier, reinsurance and ORD-style loss tables."""
from .catalogue import DEPENDENCE, Catalogue
from .load import BookRun, load_book
from .members import Book
from .ord import alt, ept, melt, plt, selt, write_ord
from .reinsurance import Reinsurance
from .results import BookResult
from .synthetic import synthetic_book
from .run import estimate_book_memory, simulate_book, what_if

__all__ = ["Book", "BookResult", "BookRun", "Catalogue", "DEPENDENCE", "Reinsurance", "alt", "ept",
           "estimate_book_memory", "load_book", "melt", "plt", "selt", "simulate_book", "synthetic_book", "what_if",
           "write_ord"]
