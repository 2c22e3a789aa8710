"""The book simulation (sim.book) against a plain NumPy implementation of the same book.

    PYTHONPATH=. python benchmarks/bench_book.py [--members 10000] [--years 100000] [--threads 2]

Both draw the SYNTHETIC 10,000-member book (sim.book.synthetic_book) with the bundled
common-cause catalogue over the same years and report the book's mean, VaR and TVaR of the
insured (gross) annual loss. The NumPy version is what one writes without the book engine: per
member, its yearly counts for all years (``rng.poisson(rate, n_years)``), its events' losses
from its template's compiled loss model, its years through its own terms
(``sim.policy.engine.run_terms``), summed into an array of years; common-cause occurrences per
year, each hitting members by a uniform draw per member. It uses the project's loss sampler and
policy kernel (the same model and terms), so the ratio measures the book engine (templates,
one Poisson draw per event rather than per member-year, streaming tallies), not Numba against
Python. Both are timed after a warm-up run compiles the kernels; compiling the book (models and
terms of each template) is timed apart once, and again inside the timed ``sim.book`` run, which
compiles its book itself (about 0.7 s with the caches warm).

Peak memory: the process's resident peak (``ru_maxrss``) before and after each part.
"""
from __future__ import annotations

import argparse
import math
import resource
import time

import numpy as np

from sim.book import Catalogue, simulate_book, synthetic_book
from sim.book.catalogue import INCIDENT_KINDS
from sim.book.compile import compile_book
from sim.events import EventArrays, empty_events
from sim.losses.sampling import sample_events
from sim.policy.engine import run_terms


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def numpy_book(cb, n_years: int, seed: int) -> np.ndarray:
    """The book's gross years, member by member (see the module note)."""
    rng = np.random.default_rng(seed)
    book = cb.book
    n_members = len(book)
    years = np.zeros(n_years)
    cat = cb.catalogue
    industry = book.members["industry"].to_numpy()
    from sim.calibration.frequency import INDUSTRIES

    ind_index = np.array([INDUSTRIES.index(i) for i in industry])
    hits_of_member: list[list[tuple[int, int]]] = [[] for _ in range(n_members)]
    for c, row in enumerate(cat.events.itertuples()):
        occ = rng.poisson(row.rate, n_years)
        p_hit = cb.shares[c][ind_index]
        for y in np.flatnonzero(occ):
            for _ in range(occ[y]):
                for m in np.flatnonzero(rng.random(n_members) < p_hit):
                    hits_of_member[m].append((y, int(cb.event_kind[c])))
    for t in cb.templates:
        for local, m in enumerate(t.members):
            counts = rng.poisson(t.rates[local], n_years)
            own_years = np.repeat(np.arange(n_years), counts)
            hit = hits_of_member[m]
            hit_years = np.array([h[0] for h in hit], dtype=np.int64)
            hit_kinds = np.array([h[1] for h in hit], dtype=np.int64)
            n = len(own_years) + len(hit)
            if n == 0:
                continue
            ev = empty_events(n, len(t.columns))
            bitgen = np.random.PCG64(rng.integers(2**63))
            if len(own_years):
                sample_events(bitgen, t.model, EventArrays(*(x[:len(own_years)] for x in ev)))
            for k in range(len(INCIDENT_KINDS)):
                at = np.flatnonzero(hit_kinds == k)
                if len(at):
                    part = empty_events(len(at), len(t.columns))
                    sample_events(bitgen, t.kinds[k], part)
                    for x, y in zip(ev, part):
                        x[len(own_years) + at] = y
            year = np.concatenate([own_years, hit_years])
            order = np.argsort(year, kind="stable")
            ev = EventArrays(*(x[order] for x in ev))
            year = year[order]
            starts = np.searchsorted(year, np.arange(n_years + 1))
            paid, _ = run_terms(t.terms, ev, starts)
            np.add.at(years, year, paid.sum(axis=1))
    return years


def figures(years: np.ndarray) -> tuple[float, float, float]:
    x = np.sort(years)
    n = len(x)
    m = n * 0.01
    return float(x.mean()), float(x[math.ceil(n * 0.99) - 1]), float(x[-int(m):].sum() / m)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=10_000)
    ap.add_argument("--years", type=int, default=100_000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    book = synthetic_book(args.members, seed=args.seed)
    cat = Catalogue.default()
    t0 = time.perf_counter()
    cb = compile_book(book, cat)
    t_compile = time.perf_counter() - t0
    simulate_book(book, 2_000, seed=99, catalogue=cat, threads=1)            # warm-up (Numba)
    numpy_book(compile_book(synthetic_book(50, seed=2), cat), 100, seed=99)  # warm-up
    before = rss_mib()
    t0 = time.perf_counter()
    res = simulate_book(book, args.years, seed=args.seed, catalogue=cat, threads=args.threads)
    t_book = time.perf_counter() - t0
    after_book = rss_mib()
    t0 = time.perf_counter()
    one = simulate_book(book, args.years, seed=args.seed, catalogue=cat, threads=1)
    t_one = time.perf_counter() - t0
    assert one.summary().equals(res.summary())   # the same result on 1 thread
    t0 = time.perf_counter()
    years = numpy_book(cb, args.years, seed=args.seed)
    t_numpy = time.perf_counter() - t0
    after_numpy = rss_mib()
    s = res.summary(levels=(0.99,)).loc["gross"]
    mean, var, tvar = figures(years)
    print(f"book: {args.members:,} members ({len(cb.templates)} templates, {len(cb.tiers)} tiers), "
          f"{args.years:,} years, {res.n_events:,} member-events; compile {t_compile:.1f} s")
    print(f"memory estimate before the run: {res.memory.total / 2**20:,.0f} MiB {res.memory}")
    print(f"sim.book   {t_book:8.1f} s ({args.threads} threads)  mean {s['mean']:.4g}  VaR99 {s['VaR 0.99']:.4g}  "
          f"TVaR99 {s['TVaR 0.99']:.4g}  peak RSS {after_book:,.0f} MiB (+{after_book - before:,.0f})")
    print(f"plain NumPy {t_numpy:7.1f} s (1 thread)   mean {mean:.4g}  VaR99 {var:.4g}  TVaR99 {tvar:.4g}  "
          f"peak RSS {after_numpy:,.0f} MiB (+{after_numpy - after_book:,.0f})")
    print(f"sim.book   {t_one:8.1f} s (1 thread, identical result)")
    print(f"ratio NumPy / sim.book: {t_numpy / t_book:.1f}x ({args.threads} threads), "
          f"{t_numpy / t_one:.1f}x (1 thread each) (target >= 5x)")


if __name__ == "__main__":
    main()
