"""``load_book``: a book run described in a TOML file.

.. code-block:: toml

    [portfolio]
    members = "members.csv"          # relative to this file
    dependence = "none"              # none / default / comonotone
    frailty_variance = 0.25          # only for "default"
    catalogue = "default"            # "default" (sim/data/accumulation_catalogue.csv), "none" or a CSV path

    [reinsurance]                    # optional: sim.book.Reinsurance's fields
    quota_share = 0.5
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
import os
from pathlib import Path
import tomllib

from .._errors import InputError
from .catalogue import Catalogue, check_dependence
from .members import Book
from .reinsurance import Reinsurance

PORTFOLIO_KEYS = ("members", "dependence", "frailty_variance", "catalogue")


@dataclass(frozen=True)
class BookRun:
    """A loaded book run: pass ``**run.settings()`` to :func:`sim.book.simulate_book`."""

    book: Book
    catalogue: Catalogue
    dependence: str = "none"
    frailty_variance: float | None = None
    reinsurance: Reinsurance = field(default_factory=Reinsurance)

    def settings(self) -> dict:
        return {"catalogue": self.catalogue, "dependence": self.dependence,
                "frailty_variance": self.frailty_variance, "reinsurance": self.reinsurance}


def load_book(path: str | os.PathLike) -> BookRun:
    """Read a book TOML (see the module note); errors name the file and the key, and a member
    error its CSV row and column."""
    path = Path(path)
    name = path.name
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(name, "the file does not exist") from None
    except tomllib.TOMLDecodeError as err:
        raise InputError(name, f"not valid TOML: {err}") from None
    unknown = [k for k in doc if k not in ("portfolio", "reinsurance")]
    if unknown:
        raise InputError(f"{name}: {unknown[0]}", "unknown table; allowed: portfolio, reinsurance")
    port = doc.get("portfolio")
    if not isinstance(port, dict):
        raise InputError(f"{name}: portfolio", "missing; expected a [portfolio] table with members = \"members.csv\"")
    for key in port:
        if key not in PORTFOLIO_KEYS:
            raise InputError(f"{name}: portfolio.{key}", f"unknown key; allowed: {', '.join(PORTFOLIO_KEYS)}")
    if not isinstance(port.get("members"), str):
        raise InputError(f"{name}: portfolio.members", "missing; expected the path of the members CSV")
    book = Book.from_csv(path.parent / port["members"])
    try:
        dependence, _ = check_dependence(port.get("dependence", "none"), port.get("frailty_variance"))
    except InputError as err:
        raise err.within(f"{name}: portfolio") from None
    cat = port.get("catalogue", "default")
    if cat == "default":
        catalogue = Catalogue.default()
    elif cat == "none":
        catalogue = Catalogue.empty()
    elif isinstance(cat, str) and (path.parent / cat).exists():
        import pandas as pd

        catalogue = Catalogue.from_frame(pd.read_csv(path.parent / cat, comment="#"), cat)
    else:
        raise InputError(f"{name}: portfolio.catalogue", f"{cat!r} is not allowed; expected \"default\", "
                         "\"none\" or the path of a catalogue CSV")
    ri = doc.get("reinsurance", {})
    allowed = [f.name for f in fields(Reinsurance)]
    for key in ri:
        if key not in allowed:
            raise InputError(f"{name}: reinsurance.{key}", f"unknown key; allowed: {', '.join(allowed)}")
    try:
        treaty = Reinsurance(**ri)
    except InputError as err:
        raise err.within(f"{name}: reinsurance") from None
    return BookRun(book, catalogue, dependence, port.get("frailty_variance"), treaty)
