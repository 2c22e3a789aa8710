"""Atomic reference-count updates per simulated year in the block kernel (needs ``gdb``).

    python benchmarks/refcounts.py [--scenario scenarios/peer_compound.toml] [--years 2000]

Numba copies an array (or a ``Generator``) handed to an inlined helper and updates the copy's
reference count on entry and exit, atomically, unless its optimiser proves the pair useless. In
the year loop such pairs cost more than the work around them: before they were removed,
peer_compound made about 6.5 increfs a simulated year and the AIG brochure scenario about 8
(after the Generator had already been replaced by its bit generator), and peer_compound ran
about 25% slower. Whether a pair survives depends on the helper's shape (loops,
calls, raises) in ways that are hard to foresee, so check with this script after changing a
kernel: it counts calls to ``NRT_incref`` with a gdb breakpoint (slow: keep ``--years`` small)
over one block of ``years`` and one of twice as many, after warm-up blocks, and prints the
difference per year. Expected now: about 0.9 a year for peer_compound and 2.1 for the AIG
brochure scenario (two per year with events, at ``_year_values``: the year's slot list).
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path
import re
import shutil
import signal
import subprocess
import sys
import tempfile

ROOT = Path(__file__).resolve().parents[1]


def child(scenario: str, n_years: int, gdb_commands: str) -> None:
    """Warm the kernel up, write the breakpoint, stop for gdb, then run one block."""
    import numpy as np

    import sim
    from sim.engine.block_kernel import QUEUE, simulate_block
    from sim.engine.blocks import _run_block, compile_run
    from sim.engine.tally import new_tally
    from sim.events import empty_events
    from sim.policy.compile import new_state
    from numba.core.runtime import rtsys

    run = compile_run(sim.load_scenario(scenario), 16384 * 40, 1)
    n_slots = run.layout.n_slots
    tally, state = new_tally(n_slots), new_state(run.terms)
    hits = np.zeros((2, run.terms.n_nodes), np.int64)
    events = empty_events(run.event_capacity, len(run.columns))
    pending = np.empty((n_slots, QUEUE))
    moments, no_years = np.zeros((2, n_slots)), np.zeros((0, n_slots))
    components = np.zeros((2, len(run.columns)))
    for b in range(30):  # heaps full and histograms warm, as in a long run
        _run_block(run, b, tally, pending, hits, state, events, moments, no_years, components)
    Path(gdb_commands).write_text(f"break *{rtsys.library.get_pointer_to_function('NRT_incref')}\n")
    os.kill(os.getpid(), signal.SIGTRAP)
    simulate_block(np.random.PCG64(5), n_years, run.freq, run.model, run.terms, run.layout.slots,
                   state, events, tally, pending, hits, moments, no_years, components)


def increfs(scenario: str, n_years: int, tmp: Path) -> int:
    """Calls to NRT_incref in one block of ``n_years`` (gdb stops at the child's SIGTRAP)."""
    script = tmp / "count.gdb"
    breakpoint_file = tmp / "break.gdb"
    script.write_text("set pagination off\nset confirm off\nhandle SIGTRAP stop nopass\nrun\n"
                      f"source {breakpoint_file}\nignore 1 1000000000\ncontinue\n"
                      "info breakpoints\n")
    out = subprocess.run(["gdb", "-q", "-batch", "-x", str(script), "--args", sys.executable,
                          __file__, "--child", scenario, str(n_years), str(breakpoint_file)],
                         capture_output=True, text=True, cwd=ROOT).stdout
    found = re.search(r"already hit (\d+) time", out)
    return int(found.group(1)) if found else 0


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=str(ROOT / "scenarios/peer_compound.toml"))
    parser.add_argument("--years", type=int, default=2000)
    args = parser.parse_args()
    if shutil.which("gdb") is None:
        sys.exit("refcounts.py needs gdb (apt-get install gdb)")
    with tempfile.TemporaryDirectory() as tmp:
        one, two = (increfs(args.scenario, n, Path(tmp)) for n in (args.years, 2 * args.years))
    print(f"{Path(args.scenario).name}: {(two - one) / args.years:.2f} NRT_incref calls a simulated "
          f"year ({one:,} in {args.years:,} years, {two:,} in {2 * args.years:,})")


if __name__ == "__main__":
    main()
