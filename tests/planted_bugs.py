"""Plant single-line bugs in a scratch copy of the project, one at a time, and check that the
tests meant to catch each one fail (a mutation check, not part of the test suite).

    python tests/planted_bugs.py [--scratch DIR] [--only NAME ...] [--old COMMIT]

Each bug is (name, file under sim/, text, replacement, tests that must fail). With ``--old``,
the same bugs are run against the pre-existing test files of each area (``OLD_TESTS``) as they
were at COMMIT, to show which survived before. Bugs in kernel sources force a Numba recompile
(about a minute each).
"""
from __future__ import annotations

import argparse
from pathlib import Path
import shutil
import subprocess
import sys

ROOT = Path(__file__).resolve().parents[1]
STATS = "tests/engine/test_statistics_independent.py"
OCC = "tests/engine/test_occurrence_independent.py"
DEFAULTS = "tests/test_pricing_defaults.py"
COMPARE = "tests/test_compare.py"
PRICING_AIG = "tests/test_pricing.py::test_aig_options_trend_at_every_grid_point"
EVENTS = "tests/engine/test_events_table.py"

BUGS = [
    ("sem over sqrt(n - 1)", "engine/results.py", "self.moments.std[i] / math.sqrt(n)",
     "self.moments.std[i] / math.sqrt(n - 1)", [STATS]),
    ("std with ddof=0", "engine/tally.py", "np.sqrt(m2 / (n - 1))", "np.sqrt(m2 / n)", [STATS]),
    ("std without the between-block term", "engine/tally.py",
     "m2 = m2_b.sum(axis=0) + (n_b * (mean_b - mean) ** 2).sum(axis=0)", "m2 = m2_b.sum(axis=0)",
     [STATS]),
    ("VaR rank floor instead of ceil", "engine/tally.py", "max(math.ceil(n_years * q - 1e-9), 1)",
     "max(math.floor(n_years * q + 1e-9), 1)", [STATS]),
    ("VaR rank rounded", "engine/tally.py", "max(math.ceil(n_years * q - 1e-9), 1)",
     "max(round(n_years * q), 1)", [STATS]),
    ("TVaR drops the fractional year", "engine/tally.py", "frac = m - whole", "frac = 0.0", [STATS]),
    ("TVaR counts the fractional year in full", "engine/tally.py", "whole = math.floor(m + 1e-9)",
     "whole = math.ceil(m - 1e-9)", [STATS]),
    ("histogram VaR forgets the zero years", "engine/tally.py",
     "b = int(np.searchsorted(cum, rank - zeros))", "b = int(np.searchsorted(cum, rank))", [STATS]),
    ("p_nonzero over n - 1", "engine/results.py", "self.tally.nonzero[i] / n",
     "self.tally.nonzero[i] / (n - 1)",
     [STATS]),
    ("last year of each block not simulated", "engine/blocks.py",
     "simulate_block(block_generator(run.seed, b), int(run.block_years[b]), ",
     "simulate_block(block_generator(run.seed, b), int(run.block_years[b]) - 1, ",
     [STATS]),
    ("block sizes off by one in the last block", "engine/blocks.py",
     "np.minimum(BLOCK_YEARS, n_years - BLOCK_YEARS * np.arange(n_blocks))",
     "np.minimum(BLOCK_YEARS, n_years - BLOCK_YEARS * np.arange(n_blocks) + 1)", [STATS]),
    ("OEP read as AEP", "engine/results.py", '{"aep": "aggregate", "oep": "occurrence"}',
     '{"aep": "aggregate", "oep": "aggregate"}', [OCC]),
    ("paid occurrence reads the several-events total", "engine/layout.py",
     'Measure(name, "paid", "occurrence", (paid[0], paid[2]))',
     'Measure(name, "paid", "occurrence", (paid[0], paid[1]))', [OCC]),
    ("retained occurrence misses the one-event years", "engine/layout.py",
     'Measure(name, "retained", "occurrence", (retained[0], retained[2]))',
     'Measure(name, "retained", "occurrence", (retained[1], retained[2]))', [OCC]),
    ("default Wang lambda 0.25 -> 0.3", "pricing.py", '"wang": {"lam": 0.25}',
     '"wang": {"lam": 0.3}',
     [DEFAULTS]),
    ("default k 0.20 -> 0.25", "pricing.py", '"sd": {"k": 0.20}', '"sd": {"k": 0.25}', [DEFAULTS]),
    ("default q 0.99 -> 0.995", "pricing.py", '"q": 0.99,', '"q": 0.995,', [DEFAULTS]),
    ("default cost of capital 10% -> 12%", "pricing.py", '"coc_rate": 0.10}', '"coc_rate": 0.12}',
     [DEFAULTS]),
    ("default expenses 35% -> 30%", "pricing.py", "EXPENSE_RATIO = 0.35", "EXPENSE_RATIO = 0.30",
     [DEFAULTS]),
    ("default loss ratio 50% -> 60%", "implied_rates.py",
     'LOSS_RATIO = float(default("target_loss_ratio"))', "LOSS_RATIO = 0.6", [DEFAULTS]),
    ("default method coc -> sd", "pricing.py", 'method: Method = "coc"', 'method: Method = "sd"',
     [DEFAULTS]),
    ("ranking cost of capital 10% -> 15%", "compare.py", "COC_RATE = 0.10", "COC_RATE = 0.15",
     [DEFAULTS]),
    ("cheapest_under strict", "compare.py", 'ok = frame["retained_var_99"] <= bearable',
     'ok = frame["retained_var_99"] < bearable', [COMPARE]),
    ("capital score on TVaR 99.5%", "compare.py",
     'frame["premium"] + coc_rate * frame["retained_tvar_99"]',
     'frame["premium"] + coc_rate * frame["retained_tvar_99_5"]', [COMPARE]),
    ("grid drops coinsurance with a deductible", "pricing.py",
     "aig(limit, deductible=d, coinsurance=c,",
     "aig(limit, deductible=d, coinsurance=0.0 if d else c,",
     [PRICING_AIG]),
    ("grid drops the deductible without coinsurance", "pricing.py",
     "aig(limit, deductible=d, coinsurance=c,", "aig(limit, deductible=d if c else 0, coinsurance=c,",
     [PRICING_AIG]),
    ("events joined in the order threads finished their blocks", "engine/blocks.py",
     "[events_of_blocks.pop(b) for b in kept_blocks]", "list(events_of_blocks.values())", [EVENTS]),
    ("an event's paid counts only its policy's first section", "engine/event_table.py",
     "for s in range(starts[p], starts[p + 1]):", "for s in range(starts[p], starts[p] + 1):",
     [EVENTS]),
    ("events numbered from 1 in each block", "engine/blocks.py", "block_events(run.terms, b * BLOCK_YEARS,",
     "block_events(run.terms, b * BLOCK_YEARS + 1,", [EVENTS]),
    ("retained is paid less gross", "engine/event_table.py",
     'f"retained:{name}": kept.gross - kept.paid[:, p]', 'f"retained:{name}": kept.paid[:, p] - kept.gross',
     [EVENTS]),
    ("kept events counted once in the memory estimate, not twice", "engine/_memory.py",
     "kept_events=(2 * expected_events", "kept_events=(1 * expected_events", [EVENTS]),
    # kernel sources (recompile)
    ("occurrence paid summed, not maximal", "engine/block_kernel.py", "occ_paid[p] = max(occ_paid[p], paid)",
     "occ_paid[p] = occ_paid[p] + paid", [OCC]),
    ("retained occurrence is the year's largest gross less its largest paid", "engine/block_kernel.py",
     "occ_retained[p] = max(occ_retained[p], event_gross - paid)",
     "occ_retained[p] = max(occ_retained[p], event_gross) - max(occ_paid[p], paid)", [OCC]),
    ("last year of each block has no events", "engine/block_kernel.py",
     "    for y in range(counts.shape[0]):\n        years[n] = y",
     "    for y in range(counts.shape[0] - 1):\n        years[n] = y", [STATS]),
]


# --old: the pre-existing test files that cover each group of bugs
OLD_TESTS = {STATS: ["tests/engine/test_results.py", "tests/engine/test_simulate.py"],
             OCC: ["tests/engine/test_results.py", "tests/engine/test_simulate.py"],
             DEFAULTS: ["tests/test_pricing.py", "tests/test_compare.py",
                        "tests/test_sensitivity.py"],
             COMPARE: ["tests/test_compare.py"], PRICING_AIG: ["tests/test_pricing.py"],
             EVENTS: ["tests/engine/test_simulate.py"]}


def scratch_copy(dest: Path) -> None:
    """A copy of the tracked files (and untracked ones not ignored), keeping its own Numba cache."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.split()
    for name in files:
        target = dest / name
        if (ROOT / name).is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target)


def run_tests(dest: Path, tests: list[str]) -> tuple[int, list[str]]:
    """pytest's exit status and the tests that failed."""
    cmd = [sys.executable, "-m", "pytest", "-q", "-rf", "-p", "no:cacheprovider", *tests]
    done = subprocess.run(cmd, cwd=dest, env={"PYTHONPATH": str(dest), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True)
    failed = [line.split()[1].split("::", 1)[1] for line in done.stdout.splitlines()
              if line.startswith("FAILED ")]
    return done.returncode, failed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scratch", default="/tmp/breach-sim-planted")
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--old", help="run the test files as they were at this commit")
    args = parser.parse_args()
    dest = Path(args.scratch)
    scratch_copy(dest)
    if args.old:
        for name in {t for files in OLD_TESTS.values() for t in files}:
            old = subprocess.run(["git", "show", f"{args.old}:{name}"], cwd=ROOT,
                                 capture_output=True)
            if old.returncode:
                (dest / name).unlink(missing_ok=True)   # the file did not exist then
            else:
                (dest / name).write_bytes(old.stdout)
    survived = 0
    for name, path, text, replacement, tests in BUGS:
        if args.only and not any(o in name for o in args.only):
            continue
        source = dest / "sim" / path
        original = source.read_text()
        assert original.count(text) == 1, (name, "text not found exactly once")
        source.write_text(original.replace(text, replacement))
        try:
            if args.old:
                tests = sorted({t for group in tests for t in OLD_TESTS[group]})
            rc, failed = run_tests(dest, tests)
        finally:
            source.write_text(original)
        caught = rc == 1  # tests failed (not: a crash, no tests, an error collecting them)
        survived += not caught
        print(f"{'caught  ' if caught else f'SURVIVED (rc {rc})'}  {name}: "
              f"{', '.join(sorted(set(f.split('[')[0] for f in failed))) or ', '.join(tests)}",
              flush=True)
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
