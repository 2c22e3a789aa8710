"""Classify every fuzz case on this checkout's code: ``python tests/fuzz_report.py [-v] [-k TEXT]
[--list]`` from anywhere (it imports the ``sim`` next to it, not an installed one).

Prints how many cases fall in each class (clear error, sane result, traceback or other
exception, wrong or insane numbers, accepted invalid input, refused valid input, error not
naming the field, timeout, memory, crash), then each failing case with its signature, grouped.
"""
from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from pathlib import Path
import re
import sys
import time


def _signature(detail: str) -> str:
    """The detail with numbers, paths and quoted values blanked, to group alike failures."""
    text = re.sub(r"/[^\s'\"]+", "<path>", detail)
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "<q>", text)
    return re.sub(r"-?\d[\d_.,e+-]*", "<n>", text)[:160]


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve().parent
    sys.path[:0] = [str(here), str(here.parent)]   # this checkout's sim, not an installed one
    from fuzz_cases import generate
    from fuzz_harness import CLASSES, run_isolated, warm_up

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", action="store_true", help="print every failing case, not one per signature")
    parser.add_argument("-k", default="", help="only cases whose id contains this text")
    parser.add_argument("--list", action="store_true", help="print every case's class as it runs")
    args = parser.parse_args(argv)
    cases = [c for c in generate() if args.k in c.id]
    start = time.monotonic()
    warm_up()
    warm = time.monotonic() - start
    counts, fails = Counter(), defaultdict(list)
    by_kind: dict[str, Counter] = defaultdict(Counter)
    slowest, grew = [], []
    for case in cases:
        outcome = run_isolated(case)
        counts[outcome.cls] += 1
        by_kind[case.kind][outcome.cls] += 1
        slowest.append((outcome.seconds, case.id))
        grew.append((outcome.grew_mb, case.id))
        if args.list:
            mark = "ok  " if outcome.passed else "FAIL"
            print(f"{mark} {outcome.seconds:5.2f}s {case.id}: {case.desc[:80]} -> [{outcome.cls}] "
                  f"{outcome.detail[:150]}", flush=True)
        if not outcome.passed:
            fails[(outcome.cls, _signature(outcome.detail))].append((case, outcome))
    total = time.monotonic() - start
    import sim

    print(f"sim from {Path(sim.__file__).parent}")
    print(f"{len(cases)} cases in {total:.1f} s (warm-up {warm:.1f} s); slowest: "
          + ", ".join(f"{cid} {s:.1f} s" for s, cid in sorted(slowest)[::-1][:3]))
    print("largest memory growth: " + ", ".join(f"{cid} {mb:.0f} MB" for mb, cid in sorted(grew)[::-1][:3]))
    kinds = sorted(by_kind)
    print(f"{'class':30s} {'all':>5s} " + " ".join(f"{k:>9s}" for k in kinds))
    for cls in CLASSES:
        print(f"{cls:30s} {counts[cls]:5d} " + " ".join(f"{by_kind[k][cls]:9d}" for k in kinds))
    n_fail = sum(len(v) for v in fails.values())
    print(f"\n{n_fail} failing cases, {len(fails)} signatures:")
    for (cls, sig), items in sorted(fails.items(), key=lambda kv: (kv[0][0], -len(kv[1]))):
        shown = items if args.v else items[:1]
        for case, outcome in shown:
            extra = f" (+{len(items) - 1} more)" if not args.v and len(items) > 1 else ""
            print(f"  [{cls}] {case.id}{extra}: {case.desc[:70]} -> {outcome.detail[:200]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
