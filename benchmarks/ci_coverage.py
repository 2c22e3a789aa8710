"""Coverage of the confidence intervals of ``SimulationResult.summary(ci=...)``: over many seeds,
the share of runs whose interval contains the exact value, for the exact peer_compound reference
(Poisson(0.5) x lognormal(ln 1e7, 1.5), XL 1e8 xs 1e6, aggregate 1e8; the exact distribution by
FFT in tests/exact_compound.py, computed without the simulator).

    python benchmarks/ci_coverage.py [--seeds 100] [--years 100000] [--ci 0.95]
    python benchmarks/ci_coverage.py --seeds 40 --years 1000003   # VaR/TVaR 99% from the histogram

An interval should contain the exact value in about ``ci`` of the seeds (binomial sd
sqrt(ci (1 - ci) / seeds): 2.2% for 100 seeds). The exact VaR and TVaR sit on the FFT's grid
(step 1e5 yen, about 1% of an interval's half-width), so a bound within one grid step of them
counts as containing them; the exact mean needs no such allowance (the FFT's gross mean is
within 12 yen of the closed form 0.5 x 1e7 x exp(1.5**2 / 2)). Paid VaR 99% and
99.5% are the aggregate limit (an atom): every interval contains it, as order-statistic bounds
must at an atom.
"""
from __future__ import annotations

import argparse
import math
from pathlib import Path
import sys
import time

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import sim  # noqa: E402
from exact_compound import H, exact_compound  # noqa: E402

POLICY = "basic XL"
MEASURES = ("gross", "paid", "retained")
FIGURES = {"mean": None, "var_99": 0.99, "var_99_5": 0.995, "tvar_99": 0.99, "tvar_99_5": 0.995}


def exact_figures() -> dict[tuple[str, str], float]:
    """The exact mean, VaR and TVaR of every measure, by FFT (no simulation)."""
    exact = exact_compound(0.5, math.log(1e7), 1.5, 1e6, 1e8, 1e8)
    out = {}
    for m in MEASURES:
        for name, q in FIGURES.items():
            out[m, name] = (exact.mean(m) if q is None else exact.var(m, q) if name.startswith("var")
                            else exact.tvar(m, q)[0])
    return out


def coverage(seeds: range, n_years: int, ci: float, exact: dict) -> dict[tuple[str, str], int]:
    """How many of the seeds' intervals contain each exact figure (within one grid step)."""
    scn = sim.load_scenario(ROOT / "scenarios" / "peer_compound.toml")
    hits = dict.fromkeys(exact, 0)
    for seed in seeds:
        summary = sim.simulate(scn, n_years, seed=seed).summary(ci=ci)
        for (m, name), value in exact.items():
            row = summary.loc[(POLICY, m)]
            slack = 0.0 if name == "mean" else H
            hits[m, name] += row[f"{name}_lo"] - slack <= value <= row[f"{name}_hi"] + slack
    return hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--years", type=int, default=100_000)
    parser.add_argument("--ci", type=float, default=0.95)
    args = parser.parse_args()
    start = time.perf_counter()
    exact = exact_figures()
    hits = coverage(range(args.seeds), args.years, args.ci, exact)
    sd = math.sqrt(args.ci * (1 - args.ci) / args.seeds)
    print(f"# python benchmarks/ci_coverage.py --seeds {args.seeds} --years {args.years} "
          f"--ci {args.ci}")
    print(f"# coverage of {args.ci:.0%} intervals over {args.seeds} seeds of {args.years:,} years "
          f"(binomial sd {sd:.1%}); {time.perf_counter() - start:.0f} s")
    print(f"{'measure':<10}" + "".join(f"{name:>11}" for name in FIGURES))
    for m in MEASURES:
        print(f"{m:<10}" + "".join(f"{hits[m, name] / args.seeds:>11.1%}" for name in FIGURES))


if __name__ == "__main__":
    main()
