"""Hashes of every bundled scenario's results, to show a refactoring changed no number:
``summary()``, ``limits()`` and ``to_frame()`` (kept years) of each ``scenarios/*.toml``.

    python benchmarks/result_hashes.py > before.txt
    ... change the code ...
    python benchmarks/result_hashes.py | diff before.txt -
"""
from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

import sim

ROOT = Path(__file__).resolve().parent.parent


def result_hash(path: Path, n_years: int, seed: int) -> str:
    res = sim.simulate(sim.load_scenario(path), n_years=n_years, seed=seed, keep_years=True)
    digest = hashlib.sha256()
    for frame in (res.summary(), res.limits(), res.to_frame()):
        digest.update(frame.to_csv(float_format="%.17g").encode())
    return digest.hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=40_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    for path in sorted((ROOT / "scenarios").glob("*.toml")):
        scn = sim.load_scenario(path)
        if scn.model is None:
            print(f"{path.name}: no model (explain only)")
            continue
        print(f"{path.name}: {result_hash(path, args.years, args.seed)}")


if __name__ == "__main__":
    main()
