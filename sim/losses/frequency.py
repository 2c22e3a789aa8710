"""Number of breach events in a policy year: Poisson, negative binomial, or exactly one.

Exactly one event a year is the *conditional* mode of the brochure scenarios: the distribution of
one event's loss given that it happened.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import math

import numpy as np
from scipy import stats

from .._dtypes import records
from .._errors import InputError, check_amount, check_choice, check_names, short_repr, within
from .params import FREQUENCY_DTYPE, FREQUENCY_KINDS as KINDS
from .params import NEGATIVE_BINOMIAL, ONE, POISSON  # noqa: F401 (defined here before)
from .sampling import sample_year_counts


@dataclass(frozen=True)
class Frequency:
    """Events per policy year. Build with :meth:`one`, :meth:`poisson` or
    :meth:`negative_binomial`; ``code`` and ``params`` feed the Numba sampler."""

    kind: str
    mean: float
    cv: float = 0.0

    @classmethod
    def one(cls) -> "Frequency":
        """Exactly one event every year."""
        return cls("one", 1.0)

    @classmethod
    def poisson(cls, rate: float) -> "Frequency":
        """Poisson with ``rate`` events a year."""
        check_amount("rate", rate, positive=True)
        return cls("poisson", float(rate), 1 / math.sqrt(rate))

    @classmethod
    def negative_binomial(cls, mean: float, cv: float) -> "Frequency":
        """Negative binomial with ``mean`` events a year and coefficient of variation ``cv``;
        over-dispersed, so ``cv`` must exceed Poisson's ``1 / sqrt(mean)``."""
        check_amount("mean", mean, positive=True)
        check_amount("cv", cv, positive=True)
        if (cv * mean) ** 2 <= mean:
            raise InputError("cv", f"{cv!r} is not allowed; a negative binomial with mean {mean} needs "
                             f"cv > {1 / math.sqrt(mean):.4g} (use kind = \"poisson\" otherwise)")
        return cls("negative_binomial", float(mean), float(cv))

    @property
    def code(self) -> int:
        return KINDS.index(self.kind)

    @property
    def params(self) -> tuple[float, float]:
        """Poisson: (rate, 0); negative binomial: numpy's (n, p); one: (1, 0)."""
        if self.kind == "negative_binomial":
            var = (self.cv * self.mean) ** 2
            n = self.mean ** 2 / (var - self.mean)
            return (n, n / (n + self.mean))
        return (self.mean, 0.0)

    @property
    def p_zero(self) -> float:
        """Probability of a year without events."""
        if self.kind == "one":
            return 0.0
        if self.kind == "poisson":
            return math.exp(-self.mean)
        n, p = self.params
        return p ** n

    def to_array(self) -> np.ndarray:
        """One record of :data:`~sim.losses.params.FREQUENCY_DTYPE`, for the kernels."""
        out = np.zeros(1, dtype=FREQUENCY_DTYPE)
        out["code"], (out["p0"], out["p1"]), out["p_zero"] = self.code, self.params, self.p_zero
        return records(out)

    def sample(self, size: int, rng: np.random.Generator | int | None = None) -> np.ndarray:
        """``size`` independent yearly counts (by the simulation's own sampler)."""
        out = np.empty(int(size), dtype=np.int64)
        sample_year_counts(np.random.default_rng(rng).bit_generator, self.to_array(), out)
        return out

    def to_scipy(self):
        if self.kind == "poisson":
            return stats.poisson(self.mean)
        if self.kind == "negative_binomial":
            return stats.nbinom(*self.params)
        return stats.randint(1, 2)


def frequency_from_dict(table: Mapping[str, object], field: str = "frequency") -> Frequency:
    """``{kind = "poisson", rate = 0.5}``, ``{kind = "negative_binomial", mean = 0.5, cv = 2}``
    or ``{kind = "one"}``."""
    if not isinstance(table, Mapping):
        raise InputError(field, f"{short_repr(table)} is not a table with kind = \"poisson\" | "
                         "\"negative_binomial\" | \"one\"")
    kind = table.get("kind")
    check_choice(f"{field}.kind", kind, KINDS)
    keys = {"one": (), "poisson": ("rate",), "negative_binomial": ("mean", "cv")}[kind]
    check_names(field, set(table) - {"kind"}, keys)
    for key in keys:
        if key not in table:
            raise InputError(f"{field}.{key}", f"missing; kind {kind!r} needs {', '.join(keys)}")
    with within(field):
        return {"one": Frequency.one, "poisson": Frequency.poisson,
                "negative_binomial": Frequency.negative_binomial}[kind](*(table[k] for k in keys))
