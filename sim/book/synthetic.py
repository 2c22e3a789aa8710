"""A SYNTHETIC book of SME members with the industry and size mix of public enterprise
statistics (``sim/data/synthetic_book_mix.csv`` says which share is sourced and which is a
modelling choice). Not a real portfolio."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .._errors import InputError, check_count
from ..calibration.frequency import REVENUE_BANDS
from ..data import read_table
from ..pricing import JCCI_PREMIUM_EXAMPLES
from ..products.jcci import SET_LIMITS
from ..rate_table import IT_OPTION_INDUSTRIES, firm
from .members import Book

GROUP_DISCOUNT = 0.2   # the brochure's quoted premiums include JCCI's 20% group discount
EXAMPLE_OF_SET = {"A": "restaurants", "B": "internet_services", "C": "manufacturing", "D": "wholesale"}


def _mix() -> tuple[dict, float, dict, dict]:
    t = read_table("synthetic_book_mix.csv")

    def shares(kind):
        rows = t[t["kind"] == kind]
        return dict(zip(rows["value"], rows["share"].astype(float)))

    sme = read_table("frequency_counts.csv").set_index("series")["value"].astype(float)
    mean_revenue = sme["sales_sme"] / sme["enterprises_sme"]
    sd = float(t.loc[t["kind"] == "revenue_log_sd", "value"].iloc[0])
    return shares("industry"), mean_revenue, sd, {"set": shares("set"), "plan": shares("plan")}


def example_premium(coverage_set: str, plan: str, revenue: float, it_work: bool) -> float:
    """A member's synthetic premium (see the module's data notes): the brochure's set C example
    (manufacturing, 10億 revenue) times sqrt(revenue / 10億) times sqrt(liability limit / set C's);
    with the IT option, times the brochure's IT load (its set B example, which carries the
    option, over this formula at that example)."""
    def formula(s, rev):
        c = JCCI_PREMIUM_EXAMPLES[EXAMPLE_OF_SET["C"]]
        return c[plan] * math.sqrt(rev / c["revenue"]) * math.sqrt(SET_LIMITS[s][0] / SET_LIMITS["C"][0])

    premium = formula(coverage_set, revenue)
    if it_work:
        b = JCCI_PREMIUM_EXAMPLES[EXAMPLE_OF_SET["B"]]
        premium *= b[plan] / formula("B", b["revenue"])
    return premium


def band(revenue: float) -> float:
    """The revenue band (``REVENUE_BANDS``) nearest on a log scale."""
    bands = np.array(REVENUE_BANDS)
    return float(bands[np.argmin(np.abs(np.log(bands / revenue)))])


def synthetic_book(n: int = 10_000, seed: int = 1) -> Book:
    """``n`` SYNTHETIC SME members (member ids ``S00001``...), drawn with ``seed``.

    Industry, revenue (log-normal with the SME mean), JCCI set and plan as in
    ``sim/data/synthetic_book_mix.csv``; records held and data classes from
    :func:`sim.rate_table.firm` at the revenue band (so members of a band share a loss model);
    the IT option for information and communications firms; premium from the brochure examples.
    """
    n = check_count("n", n)
    if n == 0:
        raise InputError("n", "0 is not allowed; expected a whole number of members > 0")
    seed = check_count("seed", seed)
    industries, mean_revenue, sd, mix = _mix()
    rng = np.random.default_rng(seed)
    ind = rng.choice(list(industries), size=n, p=np.array(list(industries.values())) / sum(industries.values()))
    revenue = np.round(np.exp(rng.normal(math.log(mean_revenue) - sd * sd / 2, sd, size=n)), -4)
    revenue = np.maximum(revenue, 1e6)   # whole 10,000s of yen; at least 1 million yen
    sets = rng.choice(list(mix["set"]), size=n, p=list(mix["set"].values()))
    plans = rng.choice(list(mix["plan"]), size=n, p=list(mix["plan"].values()))
    rows = []
    for i in range(n):
        records, data = firm(ind[i], band(revenue[i]))
        it = ind[i] in IT_OPTION_INDUSTRIES
        rows.append({"member_id": f"S{i + 1:05d}", "industry": ind[i], "revenue": float(revenue[i]),
                     "records_held": records, "data": ";".join(data), "product": "jcci", "plan": plans[i],
                     "coverage_set": sets[i], "it_work": it, "discount": GROUP_DISCOUNT,
                     "premium": round(example_premium(sets[i], plans[i], float(revenue[i]), it), -1)})
    return Book.from_frame(pd.DataFrame(rows), "synthetic_book")
