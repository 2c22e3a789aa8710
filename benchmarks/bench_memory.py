"""Peak memory of a long run: 1 billion policy years of peer_compound (default).

    python benchmarks/bench_memory.py [--years 1000000000]

Prints the run's time, throughput and the process's peak resident memory (ru_maxrss), which
must stay far below 1 GB: tallies do not grow with the number of years.
"""
from __future__ import annotations

import argparse
from pathlib import Path
import resource
import time

import sim

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=1_000_000_000)
    parser.add_argument("--scenario", default=str(ROOT / "scenarios/peer_compound.toml"))
    args = parser.parse_args()
    scn = sim.load_scenario(args.scenario)
    start = time.perf_counter()
    res = sim.simulate(scn, n_years=args.years, seed=1)
    seconds = time.perf_counter() - start
    summary = res.summary()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.years:,} years of {Path(args.scenario).name} in {seconds:.1f} s "
          f"({args.years / seconds / 1e6:.1f} M years/s); peak resident memory {peak_mb:.0f} MB")
    print(summary[["mean", "sem", "var_99", "var_99_5", "tvar_99"]].to_string())


if __name__ == "__main__":
    main()
