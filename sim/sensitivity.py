"""One-at-a-time sensitivity of a statistic to each parameter of the loss model and frequency.

Every run uses the same seed, so the low, base and high runs draw the same random numbers in
the same order (common random numbers): where a parameter only scales or shifts a drawn value
(a median, a per-record cost, a litigation factor, an award level) each simulated year is the
same year with that one input changed, and the differences between runs are the parameter's
effect, not noise between separate simulations. A parameter that changes how many draws a year
makes (the event rate, an on/off probability of exactly 1) shifts the later draws of its block,
so its effect carries some simulation noise. To keep the response costs aligned, the sensitivity
runs draw the on/off of every cost, also of those incurred with probability 1 (as the
probability just below 1, which changes nothing a simulation can show), so lowering one
probability leaves every other draw where it was.

>>> import sim
>>> from sim.sensitivity import parameters
>>> parameters(sim.load_scenario("scenarios/peer_compound.toml"))["value"].round(3).to_dict()
{'frequency.rate': 0.5, 'reporting.probability': 1.0, 'direct.damages.median': 10000000.0, 'direct.damages.sigma': 1.5}
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
import math

import pandas as pd

from ._errors import InputError, check_choice, check_count, check_fraction, check_names
from .losses import Frequency, LossModel
from .losses.distributions import Discrete, Fixed, Gamma, LogNormal, LogNormalPareto, Pareto, Severity
from .losses.parts import Claimants, Cost, Reporting, Suits
from .engine.results import STATISTICS
from .scenario import Scenario

Knob = tuple[str, float, Callable[[float], object]]  # (name, value, rebuild with a new value)
CHANGE = 0.2  # default relative change, down and up (a modelling choice)
COLUMNS = ("value", "low_value", "high_value", "base", "low", "high", "swing", "swing_se",
           "within_noise")
NOISE_K = 2.0       # a swing within 2 standard errors of high - low is marked as noise (~95%)
NOISE_BATCHES = 20  # batches of years for the standard error (batch means; a modelling choice)
# Parameters that are probabilities or shares: a relative change never takes them above 1.
FRACTIONS = ("probability", "rate_mean", "p_min", "p_max")


def parameters(scenario: Scenario) -> pd.DataFrame:
    """Every parameter of ``scenario``'s loss model and frequency that sensitivity can vary.

    Parameters are named by where they sit in a scenario file, in the user's terms
    (``size.median``, ``claimants.award.sigma``, ``costs.letters.per_record``,
    ``frequency.rate``). :func:`one_at_a_time` varies the non-zero ones unless told otherwise
    (a relative change would not move a zero); ``ranges`` can move any of them.

    Returns
    -------
    DataFrame
        Indexed by ``parameter``, one column ``value`` (its value in the scenario).
    """
    knobs = _scenario_knobs(scenario)
    return pd.DataFrame({"value": [v for _, v, _ in knobs]},
                        index=pd.Index([n for n, _, _ in knobs], name="parameter"))


def one_at_a_time(scenario: Scenario, policy: str | None = None, measure: str = "retained",
                  statistic: str = "tvar_99", *, parameters: Sequence[str] | None = None,
                  change: float = CHANGE, ranges: Mapping[str, tuple[float, float]] | None = None,
                  n_years: int = 100_000, seed: int = 1, threads: int | None = None) -> pd.DataFrame:
    """The statistic with each parameter moved down and up, the others at their base values.

    Parameters
    ----------
    scenario : Scenario
        With a ``[model]`` and ``[frequency]``.
    policy : str, optional
        Default: the scenario's first policy.
    measure : str
        A measure of ``res.summary()``: ``"gross"``, ``"paid"``, ``"retained"`` or
        ``"paid:<section>"``.
    statistic : str
        A column of ``res.summary()``, e.g. ``"mean"``, ``"var_99"``, ``"tvar_99"``.
    parameters : sequence of str, optional
        Names from :func:`parameters` (default: every non-zero one, plus those in ``ranges``).
    change : float
        Relative change, between 0 and 1: low = value x (1 - change), high = value x
        (1 + change). Probabilities and shares are not raised above 1 (the value used is shown
        in ``high_value``).
    ranges : mapping name -> (low, high), optional
        Explicit low and high values for some parameters (e.g. a published range), instead of
        ``change``.
    n_years, seed, threads
        As for :func:`sim.simulate`; every run uses the same ``seed``.

    Returns
    -------
    DataFrame
        Indexed by ``parameter``, largest ``swing`` first: ``value`` (base value of the
        parameter), ``low_value``, ``high_value``, ``base`` (the statistic at base values, the
        same in every row), ``low`` and ``high`` (the statistic with this parameter at its low
        or high value), ``swing`` = ``|high - low|``, ``swing_se`` (the simulation's standard
        error of ``high - low``) and ``within_noise`` (``swing <= NOISE_K x swing_se``, k = 2:
        the swing could be simulation noise). ``frame.attrs`` records the policy, measure,
        statistic, ``change``, ``n_years``, ``seed``, ``noise_k``, ``noise_batches``,
        ``scenario``, ``scenario_content_sha256`` and ``version``.
        :func:`sim.plot.tornado` draws it.

    Notes
    -----
    ``swing_se`` is estimated by batch means on common random numbers: the low and high runs
    keep their years (same seed, so year ``y`` of both is the same draw with one input
    changed), the years are cut into ``NOISE_BATCHES`` (20) contiguous batches, the statistic
    is computed on each batch of both runs (VaR as the order statistic of rank
    ``ceil(q n)``, TVaR as the mean of the worst ``n (1 - q)`` years), and ``swing_se`` is the
    standard deviation of the 20 batch differences over ``sqrt(20)`` (the variance of these
    statistics falls as 1 / years, so a batch's is 20 times the whole run's). Because the
    years are paired, the noise the runs share cancels, as it does in ``high - low`` itself.
    Tail statistics on a batch rest on few years (VaR 99.9% of 100,000 / 20 years: 5), so
    their error is itself rough. With fewer than 40 years, ``swing_se`` is 0.

    Raises
    ------
    InputError
        Before any simulation, for an unknown parameter, policy, measure or statistic, or a
        low or high value the model does not allow.
    """
    from .engine.runner import simulate

    check_count("n_years", n_years)
    scenarios, frame = _plan(scenario, policy, measure, statistic, parameters, change, ranges)
    policy = frame.attrs["policy"]

    def value(scn: Scenario, keep_years: bool = False) -> tuple[float, object]:
        res = simulate(scn, n_years=n_years, seed=seed, threads=threads, keep_years=keep_years)
        years = None
        if keep_years:
            years = res.to_frame().iloc[:, res.measure_index(policy, measure)].to_numpy()
        return res.statistic(policy, measure, statistic), years

    frame["base"] = value(_aligned(scenario))[0]
    lows, highs, errors = [], [], []
    for low_scn, high_scn in zip(scenarios["low"], scenarios["high"]):
        (low, low_years), (high, high_years) = value(low_scn, True), value(high_scn, True)
        lows.append(low)
        highs.append(high)
        errors.append(swing_error(low_years, high_years, statistic))
    frame["low"], frame["high"] = lows, highs
    frame["swing"] = (frame["high"] - frame["low"]).abs()
    frame["swing_se"] = errors
    frame["within_noise"] = frame["swing"] <= NOISE_K * frame["swing_se"]
    from ._output import package_version
    from .engine.persist import scenario_content_sha256

    frame.attrs.update(n_years=n_years, seed=seed, noise_k=NOISE_K, noise_batches=NOISE_BATCHES,
                       scenario=scenario.name, scenario_content_sha256=scenario_content_sha256(scenario),
                       version=package_version())
    return frame.sort_values("swing", ascending=False, kind="stable")[list(COLUMNS)]


def swing_error(low_years, high_years, statistic: str, batches: int = NOISE_BATCHES) -> float:
    """Standard error of ``statistic(high) - statistic(low)`` by batch means over the paired
    years (see :func:`one_at_a_time`, Notes); 0 with fewer than ``2 x batches`` years."""
    import numpy as np

    n = len(low_years)
    if n < 2 * batches:
        return 0.0
    bounds = np.linspace(0, n, batches + 1).astype(int)
    name = "std" if statistic == "sem" else statistic
    diffs = [batch_statistic(high_years[a:b], name) - batch_statistic(low_years[a:b], name)
             for a, b in zip(bounds[:-1], bounds[1:])]
    se = float(np.std(diffs, ddof=1) / math.sqrt(batches))
    return se / math.sqrt(n) if statistic == "sem" else se


def batch_statistic(values, statistic: str) -> float:
    """A column of ``res.summary()`` computed from one batch of years' values."""
    import numpy as np

    from .engine.results import LEVELS

    n = len(values)
    if statistic in ("mean", "std"):
        return float(values.mean() if statistic == "mean" else values.std(ddof=1))
    if statistic == "p_nonzero":
        return float((values > 0).mean())
    kind, _, level = statistic.partition("_")
    q, ordered = LEVELS[level], np.sort(values)
    if kind == "var":
        return float(ordered[max(math.ceil(n * q - 1e-9), 1) - 1])
    m = n * (1 - q)
    whole = math.floor(m + 1e-9)
    worst = ordered[::-1]
    if m <= 1:
        return float(worst[0])
    return float((worst[:whole].sum() + (m - whole) * (worst[whole] if whole < n else 0.0)) / m)


def _plan(scenario: Scenario, policy: str | None, measure: str, statistic: str,
          names: Sequence[str] | None, change: float,
          ranges: Mapping[str, tuple[float, float]] | None):
    """Check everything and build every varied scenario before any simulation."""
    scenario.check_simulable()
    policy = scenario.policies[0].name if policy is None else policy
    check_choice("policy", policy, [p.name for p in scenario.policies])
    sections = [s.name for s in scenario.policy(policy).sections]
    check_choice("measure", measure, ["gross", "paid", "retained"] + [f"paid:{s}" for s in sections])
    check_choice("statistic", statistic, STATISTICS)
    change = check_fraction("change", change)
    values = {n: v for n, v, _ in _scenario_knobs(scenario)}
    knobs = {n: (values[n], rebuild) for n, _, rebuild in _scenario_knobs(_aligned(scenario))}
    names = [n for n, (v, _) in knobs.items() if v != 0] if names is None else list(names)
    ranges = dict(ranges or {})
    check_names("parameters", names, knobs)
    check_names("ranges", ranges, knobs)
    for name, pair in ranges.items():
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2
                and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in pair)):
            raise InputError(f"ranges.{name}", f"{pair!r}: expected (low, high), two numbers")
    names += [n for n in ranges if n not in names]
    rows, varied = [], {"low": [], "high": []}
    for name in names:
        value, rebuild = knobs[name]
        low, high = ranges.get(name, _relative(name, value, change))
        for side, x in (("low", low), ("high", high)):
            try:
                varied[side].append(rebuild(x))
            except (InputError, TypeError, ValueError) as err:
                raise InputError(f"ranges.{name}" if name in ranges else "change",
                                 f"{name} = {x!r} is not allowed: {err}") from None
        rows.append((name, value, low, high))
    frame = pd.DataFrame(rows, columns=["parameter", "value", "low_value", "high_value"])
    frame = frame.set_index("parameter")
    frame.attrs = {"policy": policy, "measure": measure, "statistic": statistic,
                   "change": change}
    return varied, frame


def check(scenario: Scenario, policy: str | None = None, measure: str = "retained",
          statistic: str = "tvar_99", *, parameters: Sequence[str] | None = None,
          change: float = CHANGE, ranges: Mapping[str, tuple[float, float]] | None = None) -> None:
    """Raise the error :func:`one_at_a_time` would raise for these arguments, without running
    anything (for callers that simulate other things first)."""
    _plan(scenario, policy, measure, statistic, parameters, change, ranges)


def _relative(name: str, value: float, change: float) -> tuple[float, float]:
    high = value * (1 + change)
    if name.rsplit(".", 1)[-1] in FRACTIONS:
        high = min(high, 1.0)
    return value * (1 - change), high


# --- where each parameter lives: (name, value, rebuild with a new value) ----------------------

def _scenario_knobs(scenario: Scenario) -> list[Knob]:
    model, frequency = scenario.model, scenario.frequency
    knobs = _prefixed("", _frequency_knobs(frequency), lambda f: replace(scenario, frequency=f))
    knobs += _prefixed("", _model_knobs(model), lambda m: replace(scenario, model=m))
    return knobs


def _frequency_knobs(f: Frequency) -> list[Knob]:
    if f.kind == "poisson":
        return [("frequency.rate", f.mean, Frequency.poisson)]
    if f.kind == "negative_binomial":
        return [("frequency.mean", f.mean, lambda v: Frequency.negative_binomial(v, f.cv)),
                ("frequency.cv", f.cv, lambda v: Frequency.negative_binomial(f.mean, v))]
    return []  # exactly one event a year: nothing to vary


def _model_knobs(m: LossModel) -> list[Knob]:
    knobs: list[Knob] = []
    if math.isfinite(m.records_held):
        knobs.append(("records_held", m.records_held, lambda v: replace(m, records_held=v)))
    if m.size is not None:
        knobs += _prefixed("size", _severity_knobs(m.size), lambda s: replace(m, size=s))
    for cause, sev in m.size_by_cause.items():
        knobs += _prefixed(f"size_by_cause.{cause}", _severity_knobs(sev),
                           lambda s, c=cause: replace(m, size_by_cause={**m.size_by_cause, c: s}))
    for cause, p in m.whole_records.items():
        knobs.append((f"whole_records.{cause}", p, lambda v, c=cause: replace(
            m, whole_records={**m.whole_records, c: v})))
    knobs += _prefixed("reporting", _reporting_knobs(m.reporting),
                       lambda r: replace(m, reporting=_drawn(r)))
    if m.claimants is not None:
        knobs += _prefixed("claimants", _claimant_knobs(m.claimants),
                           lambda c: replace(m, claimants=c))
        knobs += _claims_cost_knobs(m)
    for comp, cost in m.costs.items():
        names = ("fixed", "per_record", "sigma") + (("probability",) if cost.follows is None else ())
        if cost.alt_probability > 0 or cost.follows is not None:  # its own or the followed one's
            names += tuple(n for n in ("alt_fixed", "alt_per_record") if getattr(cost, n) is not None)
        if cost.alt_probability > 0:
            names += ("alt_probability",)
        knobs += _prefixed(f"costs.{comp}", _fields(cost, names),
                           lambda c, k=comp: replace(m, costs={**m.costs, k: _drawn(c)}))
    for comp, sev in m.direct.items():
        knobs += _prefixed(f"direct.{comp}", _severity_knobs(sev),
                           lambda s, k=comp: replace(m, direct={**m.direct, k: s}))
    return knobs


ALMOST_ONE = math.nextafter(1.0, 0.0)


def _aligned(scenario: Scenario) -> Scenario:
    """The scenario with every on/off drawn: costs and reporting (see the module docstring)."""
    m = scenario.model
    costs = {k: _drawn(c) for k, c in m.costs.items()}
    return replace(scenario, model=replace(m, costs=costs, reporting=_drawn(m.reporting)))


def _drawn(part: Cost | Reporting) -> Cost | Reporting:
    """A probability of 1 as the probability just below 1, so that its on/off is drawn."""
    if isinstance(part, Reporting):
        return replace(part, p_min=min(part.p_min, ALMOST_ONE), p_max=min(part.p_max, ALMOST_ONE))
    if part.follows is not None:
        return part  # its on/off is the followed cost's
    return replace(part, probability=min(part.probability, ALMOST_ONE))


def _claims_cost_knobs(m: LossModel) -> list[Knob]:
    """Litigation and court days: only a model with claimants has them."""
    knobs = [(f"court_days.{who}", m.court_days[i],
              lambda v, i=i: replace(m, court_days=_with(m.court_days, i, v)))
             for i, who in enumerate(("officer", "employee"))]
    if m.litigation != "none":
        key = "litigation.ratio" if m.litigation == "ratio" else "litigation.factor"
        knobs.insert(0, (key, m.litigation_factor, lambda v: replace(m, litigation_factor=v)))
    return knobs


def _reporting_knobs(r: Reporting) -> list[Knob]:
    if r.rule == "2022":
        return _fields(r, ("threshold", "theft_share"))
    if math.isclose(r.p_min, r.p_max, rel_tol=0, abs_tol=1e-15):
        return [("probability", r.p_min, lambda v: Reporting(v, v, r.n50, r.steepness))]
    return _fields(r, ("p_min", "p_max", "n50", "steepness"))


def _claimant_knobs(c: Claimants | Suits) -> list[Knob]:
    if isinstance(c, Suits):
        knobs = _fields(c, ("p_max", "n50", "steepness", "per_claimant_sigma"))
        knobs += _prefixed("share", _severity_knobs(c.share), lambda a: replace(c, share=a))
    else:
        knobs = _fields(c, ("rate_mean", "rate_cv", "per_claimant_sigma"))
    knobs += _prefixed("award", _severity_knobs(c.award), lambda a: replace(c, award=a))
    if c.claimed is not None:
        knobs += _prefixed("claimed", _severity_knobs(c.claimed), lambda a: replace(c, claimed=a))
    return knobs


def _severity_knobs(sev: Severity) -> list[Knob]:
    if isinstance(sev, (LogNormal, LogNormalPareto)):
        median = ("median", math.exp(sev.mu), lambda v: replace(sev, mu=_log(v)))
        names = ("sigma", "threshold", "alpha") if isinstance(sev, LogNormalPareto) else ("sigma",)
        return [median] + _fields(sev, names)
    if isinstance(sev, Gamma):
        return [("mean", sev.mean_, lambda v: Gamma(v, sev.cv))] + _fields(sev, ("cv",))
    if isinstance(sev, (Pareto, Fixed)):
        return _fields(sev, ("minimum", "alpha") if isinstance(sev, Pareto) else ("value",))
    if isinstance(sev, Discrete):
        return []  # a mix of known amounts (JNSA's data types): varied through its source table
    raise TypeError(f"no sensitivity parameters for {type(sev).__name__}")  # pragma: no cover


def _fields(obj, names: Sequence[str]) -> list[Knob]:
    """Dataclass fields varied by :func:`dataclasses.replace` (which re-runs the checks)."""
    return [(n, float(getattr(obj, n)), lambda v, n=n: replace(obj, **{n: v})) for n in names]


def _prefixed(prefix: str, knobs: list[Knob], wrap: Callable[[object], object]) -> list[Knob]:
    """Knobs of a part, renamed under ``prefix`` and rebuilding the whole via ``wrap``."""
    return [(f"{prefix}.{n}" if prefix else n, v, lambda x, f=f: wrap(f(x))) for n, v, f in knobs]


def _with(pair: tuple[float, float], i: int, value: float) -> tuple[float, float]:
    return (value, pair[1]) if i == 0 else (pair[0], value)


def _log(value: float) -> float:
    if not value > 0:
        raise InputError("median", f"{value!r} is not allowed; expected an amount > 0")
    return math.log(value)
