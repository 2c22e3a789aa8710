"""Monte Carlo throughput: ``sim.simulate`` against a plain-NumPy implementation of the same model
and terms, in the same run. Prints figures (ratios first); asserts only that both agree.

    python benchmarks/bench_simulate.py [--years 20000000] [--brochure-years 2000000] [--repeat 3]

peer_compound: Poisson(0.5) x lognormal(ln 1e7, 1.5), deductible 1e6, limit 1e8, aggregate 1e8.
The NumPy version draws whole chunks of years at once, caps per event and per year with array
operations and reads mean, standard deviation and quantiles from the kept per-year arrays.
brochure: the AIG scenario (one 100,000-record event a year, six policies on the same events).
"""
from __future__ import annotations

import argparse
from pathlib import Path
import statistics
import sys
import time

import numpy as np

import sim
from sim.components import COMPONENT_INDEX, DEFAULT_INCIDENT, INCIDENT_INDEX, N_COMPONENTS
from sim.data import jfba_fee_tiers
from sim.events import EventArrays
from sim.policy import stack_policies

sys.path.insert(0, str(Path(__file__).parent))
from bench_policy_engine import numpy_apply  # noqa: E402  (the same terms in plain NumPy)

ROOT = Path(__file__).resolve().parents[1]
CHUNK = 1 << 20


def numpy_peer(n_years: int, seed: int) -> dict[str, np.ndarray]:
    """Per-year gross, paid and retained of peer_compound, plain NumPy, in chunks."""
    rng = np.random.default_rng(seed)
    out = {k: [] for k in ("gross", "paid", "retained")}
    for start in range(0, n_years, CHUNK):
        n = min(CHUNK, n_years - start)
        counts = rng.poisson(0.5, n)
        year = np.repeat(np.arange(n), counts)
        x = rng.lognormal(np.log(1e7), 1.5, year.size)
        paid_event = np.clip(x - 1e6, 0, 1e8)
        gross = np.bincount(year, x, minlength=n)
        paid = np.minimum(np.bincount(year, paid_event, minlength=n), 1e8)
        for k, v in (("gross", gross), ("paid", paid), ("retained", gross - paid)):
            out[k].append(v)
    return {k: np.concatenate(v) for k, v in out.items()}


def numpy_aig_events(n: int, rng: np.random.Generator) -> EventArrays:
    """The AIG brochure model (scenarios/aig_brochure_100k.toml), vectorised."""
    losses = np.zeros((n, N_COMPONENTS))
    m, cv = 0.10, 0.3  # claimant rate Beta with mean 10%, cv 0.3
    total = m * (1 - m) / (cv * m) ** 2 - 1
    a, b = m * total, (1 - m) * total
    k = rng.binomial(100_000, rng.beta(a, b, n))
    damages = k * rng.lognormal(np.log(10_000), 0.3, n)
    tiers, minimum = jfba_fee_tiers()
    t = np.searchsorted(tiers[:, 1], damages)
    t = np.minimum(t, len(tiers) - 1)
    fee = (np.maximum(tiers[t, 2] * damages + tiers[t, 3], minimum) + tiers[t, 4] * damages + tiers[t, 5])
    losses[:, COMPONENT_INDEX["damages"]] = damages
    losses[:, COMPONENT_INDEX["litigation"]] = np.where(damages > 0, 1.3 * fee, 0.0)
    for comp, fixed, per_record, sigma in (("consulting", 5e6, 0, 0.3), ("letters", 0, 100, 0.2),
                                          ("call_center", 1e7, 0, 0.3),
                                          ("newspaper_notice", 1.3e7, 0, 0.2),
                                          ("legal_consultation", 1e6, 0, 0.5),
                                          ("investigation", 1e6, 0, 0.5)):
        losses[:, COMPONENT_INDEX[comp]] = (fixed + per_record * 100_000) * rng.lognormal(0, sigma, n)
    return EventArrays(losses, np.full(n, 1e5), np.zeros(n), np.ones(n, bool), np.zeros(n, np.int64),
                       np.full(n, INCIDENT_INDEX[DEFAULT_INCIDENT]), np.zeros(n))  # every event a leak


def numpy_brochure(scn, n_years: int, seed: int) -> np.ndarray:
    """Per-year paid of every policy (one event a year), plain NumPy, in chunks."""
    rng = np.random.default_rng(seed)
    terms = stack_policies([p.compiled for p in scn.policies])
    starts = terms.policy_section_start
    out = []
    for start in range(0, n_years, CHUNK):
        n = min(CHUNK, n_years - start)
        events = numpy_aig_events(n, rng)
        paid = numpy_apply(terms, events, np.arange(n + 1))
        out.append(np.add.reduceat(paid, starts[:-1], axis=1))
    return np.concatenate(out)


def numpy_stats(values: np.ndarray) -> tuple:
    return (values.mean(), values.std(ddof=1), *np.quantile(values, [0.99, 0.995], method="inverted_cdf"))


def _z(row, numpy_mean: float, numpy_std: float, n: int) -> float:
    """|sim mean - NumPy mean| in standard errors of their difference (independent runs);
    asserts the two implementations agree (under 5 standard errors)."""
    z = abs(row["mean"] - numpy_mean) / np.hypot(row["sem"], numpy_std / np.sqrt(n))
    assert z < 5, f"sim and NumPy disagree: {row['mean']:.6e} vs {numpy_mean:.6e} ({z:.1f} se)"
    return z


def timed(fn, repeat: int):
    """``fn()``'s result and its run times, fastest first (``repeat`` runs: the machines here
    are shared, so a figure is the best of a few)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return result, sorted(times)


def _rate(n: int, times: list[float], unit: str) -> str:
    """Best rate, and the median rate of the runs when there were several."""
    best = f"{n / times[0] / 1e6:7.2f} M {unit}/s"
    if len(times) == 1:
        return best
    return f"{best} (best of {len(times)}; median {statistics.median(n / t for t in times) / 1e6:.2f})"


def peer(n_years: int, repeat: int) -> None:
    scn = sim.load_scenario(ROOT / "scenarios/peer_compound.toml")
    sim.simulate(scn, n_years=20_000, seed=1)  # load the compiled kernels
    res, t_sim = timed(lambda: sim.simulate(scn, n_years=n_years, seed=1).summary(), repeat)
    _, t_sim1 = timed(lambda: sim.simulate(scn, n_years=n_years, seed=1, threads=1).summary(), repeat)
    ref, t_np = timed(lambda: {k: numpy_stats(v) for k, v in numpy_peer(n_years, 2).items()}, repeat)
    print(f"peer_compound, {n_years:,} policy years")
    print(f"  sim.simulate, all cores: {_rate(n_years, t_sim, 'years')}")
    print(f"  sim.simulate, 1 thread:  {_rate(n_years, t_sim1, 'years')}")
    print(f"  plain NumPy (1 thread):  {_rate(n_years, t_np, 'years')}")
    print(f"  ratio sim (all cores) / NumPy: {t_np[0] / t_sim[0]:.1f}x;  "
          f"sim 1 thread / NumPy: {t_np[0] / t_sim1[0]:.1f}x")
    for measure in ("gross", "paid", "retained"):
        row = res.loc[("basic XL", measure)]
        mean, std, v99, v995 = ref[measure]
        print(f"  {measure:8s} mean {row['mean']:.4e} (NumPy {mean:.4e}, {_z(row, mean, std, n_years):.1f} se)"
              f"  VaR99 {row['var_99']:.4e} ({v99:.4e})  VaR99.5 {row['var_99_5']:.4e} ({v995:.4e})")


def brochure(n_years: int, repeat: int) -> None:
    scn = sim.load_scenario(ROOT / "scenarios/aig_brochure_100k.toml")
    sim.simulate(scn, n_years=20_000, seed=1)
    res, t_sim = timed(lambda: sim.simulate(scn, n_years=n_years, seed=1).summary(), repeat)
    _, t_sim1 = timed(lambda: sim.simulate(scn, n_years=n_years, seed=1, threads=1).summary(), repeat)
    paid, t_np = timed(lambda: numpy_brochure(scn, n_years, 2), repeat)
    stats = [numpy_stats(paid[:, i]) for i in range(paid.shape[1])]
    print(f"AIG brochure scenario, {n_years:,} events (one a year), {len(scn.policies)} policies")
    print(f"  sim.simulate, all cores: {_rate(n_years, t_sim, 'events')}")
    print(f"  sim.simulate, 1 thread:  {_rate(n_years, t_sim1, 'events')}")
    print(f"  plain NumPy (1 thread):  {_rate(n_years, t_np, 'events')}")
    print(f"  ratio sim (all cores) / NumPy: {t_np[0] / t_sim[0]:.1f}x;  "
          f"sim 1 thread / NumPy: {t_np[0] / t_sim1[0]:.1f}x")
    for policy, s in zip(scn.policies, stats):
        row = res.loc[(policy.name, "paid")]
        print(f"  {policy.name:18s} paid mean {row['mean']:.4e} (NumPy {s[0]:.4e}, "
              f"{_z(row, s[0], s[1], n_years):.1f} se)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=20_000_000)
    parser.add_argument("--brochure-years", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each timing; the best is reported (default %(default)s)")
    args = parser.parse_args()
    peer(args.years, max(1, args.repeat))
    print()
    brochure(args.brochure_years, max(1, args.repeat))


if __name__ == "__main__":
    main()
