"""Per-person damages by what was leaked, under two views.

- ``"jnsa"`` ("everyone claims"): JNSA's damage operation model (JO model), the basis of its
  yearly 想定損害賠償額: every victim claims ``500 x (10^(x-1) + 5^(y-1)) x identifiability x
  social responsibility x handling`` yen (``sim/data/jo_model.csv``). With no data classes
  named, each incident's levels (x, y) are drawn from JNSA's 2005 mix of incidents
  (``jo_ep_2005.csv``), a :class:`~sim.losses.distributions.Discrete` award whose mean is
  :func:`jo_mean_per_person` (29,157 yen with the default factors, inside JNSA's published
  23,601-79,431); naming classes gives one amount (name and address: 6,000 yen).
- ``"courts"`` ("actual litigation"): the few who sue (two stages: :mod:`.litigation`) get what
  courts have awarded for that kind of data (``court_awards.csv``), and everyone may get the
  customary consolation (``consolation.csv``, :func:`consolation_costs`).

Which tables a kind of data uses is in ``data_classes.csv``; several kinds leaked together
take the most severe of each (the JO model's own rule for its levels).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
import numpy as np

from .._errors import InputError, check_bool, check_choice, check_name_list, check_names
from ..data import default, read_table
from ..losses.distributions import Discrete, Fixed, LogNormal, Severity
from ..losses.parts import Cost

VIEWS = ("courts", "jnsa")


@lru_cache(maxsize=None)
def _table(name: str):
    return read_table(name)


def data_classes() -> tuple[str, ...]:
    """The kinds of data a scenario can name (``data_classes.csv``)."""
    return tuple(_table("data_classes.csv")["data_class"])


def jo_factor(factor: str, level: str) -> float:
    """A multiplier of the JO model (``jo_model.csv``), e.g. ``("identifiability", "easy")``."""
    t = _table("jo_model.csv")
    rows = t[t["factor"] == factor]
    if rows.empty:
        raise InputError("jo", f"{factor!r} is not a factor; allowed: {sorted(set(t['factor']))}")
    check_choice(f"jo.{factor}", level, tuple(rows["level"]))
    return float(rows.loc[rows["level"] == level, "value"].iloc[0])


def jo_sensitivity(x: int, y: int) -> float:
    """``10^(x-1) + 5^(y-1)``: the JO model's sensitivity of emotional level x, economic y."""
    for name, level in (("jo_x", x), ("jo_y", y)):
        check_choice(name, level, (1, 2, 3))
    return 10.0 ** (x - 1) + 5.0 ** (y - 1)


JO_FACTORS = ("identifiability", "social_responsibility", "handling")


def jo_per_person(x: int, y: int, identifiability: str | None = None,
                  social_responsibility: str | None = None, handling: str | None = None) -> float:
    """Damages per person under the JO model (yen). A factor not given takes its
    ``jo_<factor>`` default from ``sim/data/defaults.csv`` (easy, normal, appropriate).

    Examples
    --------
    >>> jo_per_person(1, 1)   # name and address: 500 x 2 x 6
    6000.0
    >>> jo_per_person(3, 3, social_responsibility="high", handling="inappropriate")
    1500000.0
    """
    given = {"identifiability": identifiability, "social_responsibility": social_responsibility,
             "handling": handling}
    levels = {k: v if v is not None else str(default(f"jo_{k}")) for k, v in given.items()}
    product = jo_factor("base", "all") * jo_sensitivity(x, y)
    for factor in JO_FACTORS:
        product *= jo_factor(factor, levels[factor])
    return product


def jo_mean_per_person(**factors: str) -> float:
    """Mean JO damages per person over JNSA's 2005 mix of incidents by (x, y) cell
    (``jo_ep_2005.csv``), with the same other factors for every incident."""
    check_names("factors", factors, JO_FACTORS)
    cells = _table("jo_ep_2005.csv")
    weights = cells["incidents"].to_numpy(float)
    values = [jo_per_person(int(x), int(y), **factors) for x, y in zip(cells["x"], cells["y"])]
    return float(np.average(values, weights=weights))


def award_level(data_class: str) -> LogNormal:
    """Award per plaintiff (lawyer-fee part included) for a kind of data: a lognormal fitted to
    the used court awards of its ``award_class`` (median = geometric mean, sigma = standard
    deviation of the log awards)."""
    awards = _table("court_awards.csv")
    cls = _class_row(data_class)["award_class"]
    used = awards[(awards["data_class"] == cls) & (awards["used"] == 1)]
    logs = np.log(used["award_per_plaintiff"].to_numpy(float))
    if len(logs) < 2:
        raise ValueError(f"court_awards.csv: {cls!r} needs two or more used awards to fit a spread")
    return LogNormal(float(logs.mean()), float(logs.std(ddof=1)))


EVERYONE = 1.0  # the JNSA view's claimant rate: its damage model has every person affected claim


@dataclass(frozen=True)
class Damages:
    """What one kind (or mix) of leaked data implies per event, in one view.

    Attributes
    ----------
    data : tuple of str
    view : {"courts", "jnsa"}
    claimant_rate : float or None
        Share of the people affected who claim: 1 in the JNSA view (everyone); ``None`` in the
        courts view, whose claims are drawn in two stages (:mod:`sim.calibration.litigation`;
        JNSA's pooled 0.02% of victims suing is held out to check them).
    award : Severity
        Award per claimant, one draw per event (lognormal in the courts view, fixed in the JNSA
        view).
    consolation : float
        Voluntary payment per person affected (0 in the JNSA view, which counts damages only).
    """

    data: tuple[str, ...]
    view: str
    claimant_rate: float | None
    award: Severity
    consolation: float


def jnsa_mix_award(**factors: str) -> Discrete:
    """JO damages per person of one incident drawn from JNSA's 2005 mix of incidents by (x, y)
    cell (``jo_ep_2005.csv``; cells without incidents left out), same factors for all."""
    check_names("factors", factors, JO_FACTORS)
    cells = _table("jo_ep_2005.csv")
    cells = cells[cells["incidents"] > 0]
    weights = cells["incidents"].to_numpy(float)
    values = [jo_per_person(int(x), int(y), **factors) for x, y in zip(cells["x"], cells["y"])]
    return Discrete(tuple(values), tuple(weights / weights.sum()))


def damages_for(data: Sequence[str] | None = None, view: str = "courts", **jo: str) -> Damages:
    """Award, consolation and (JNSA view) claimant rate for leaked ``data`` in ``view``.

    Several kinds leaked together: the JO view takes the highest levels (x, y) over them; the
    courts view the highest median award, claimant rate and consolation over them. ``data``
    ``None``: basic contact data in the courts view; JNSA's own mix of leaked data per incident
    (:func:`jnsa_mix_award`) in the JNSA view.
    """
    check_choice("view", view, VIEWS)
    if data is None and view == "jnsa":
        check_names("jo", jo, JO_FACTORS)
        return Damages((), view, EVERYONE, jnsa_mix_award(**jo), 0.0)
    data = ("basic_contact",) if data is None else data
    check_name_list("data", data, data_classes())
    rows = [_class_row(d) for d in data]
    if view == "jnsa":
        check_names("jo", jo, JO_FACTORS)
        x, y = max(int(r["jo_x"]) for r in rows), max(int(r["jo_y"]) for r in rows)
        per_person = jo_per_person(x, y, **jo)
        return Damages(tuple(data), view, EVERYONE, Fixed(per_person), 0.0)
    if jo:
        raise InputError("jo", "applies only to view = 'jnsa'")
    award = max((award_level(d) for d in data), key=lambda a: a.mu)
    consolation = max(_consolation(r["consolation_key"]) for r in rows)
    return Damages(tuple(data), view, None, award, consolation)


def _class_row(data_class: str):
    check_choice("data", data_class, data_classes())
    t = _table("data_classes.csv")
    return t[t["data_class"] == data_class].iloc[0]


def _consolation(key: str) -> float:
    t = _table("consolation.csv")
    return float(t.loc[t["key"] == key, "per_person"].iloc[0])


def consolation_handling() -> float:
    """Handling and shipping per consolation sent (yen)."""
    return _consolation("handling")


def consolation_costs(damages: Damages, uncertainty: bool = True) -> dict[str, Cost]:
    """Consolation to everyone affected and its handling, if the view pays any.

    ``uncertainty=False`` (the point view): the class's customary amount (500 yen for basic
    data), always paid. ``True``: paid by a share ``consolation_paid_share`` of firms, and for a
    500-yen class 1,000 yen instead by ``consolation_1000_share`` of the payers (both modelling
    choices, ``defaults.csv``). The handling is paid exactly when the gifts are
    (``Cost.follows``).
    """
    check_bool("uncertainty", uncertainty)
    if damages.consolation <= 0:
        return {}
    sigma = float(default("per_record_sigma"))
    if not uncertainty:
        p = float(default("consolation_probability"))
        return {"consolation": Cost(per_record=damages.consolation, sigma=sigma, probability=p),
                "consolation_shipping": Cost(per_record=consolation_handling(), sigma=sigma,
                                             probability=p)}
    p = float(default("consolation_paid_share"))
    common = _consolation("common_practice")
    alt = dict(alt_per_record=_consolation("upper_practice"), alt_probability=float(default("consolation_1000_share"))
               ) if damages.consolation == common else {}
    handling = consolation_handling()
    return {"consolation": Cost(per_record=damages.consolation, sigma=sigma, probability=p, **alt),
            "consolation_shipping": Cost(per_record=handling, sigma=sigma,
                                         follows="consolation")}
