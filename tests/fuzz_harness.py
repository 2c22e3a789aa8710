"""Run one fuzz case in a forked child under a time and a memory cap, and classify what happened.

A case either must end in a clear error (``sim._errors.InputError`` naming the field, one line;
for the command line a non-zero exit with one ``error:`` line naming it and no traceback) or must
give a result that passes the sanity checks of ``fuzz_checks.py``; ``expect`` says which of the two it may end in.

The child is forked from a process that has already loaded the Numba kernels, so a case costs a
few milliseconds on top of its own work. Its address space is capped with ``RLIMIT_AS`` (a
per-process limit, so it caps the case alone, native and Numba allocations included) and it is
killed at the time cap; neither can harm the test process.
"""
from __future__ import annotations

from collections.abc import Callable
import contextlib
from dataclasses import dataclass
import io
import json
import os
from pathlib import Path
import resource
import select
import shutil
import signal
import tempfile
import time
import warnings

from fuzz_checks import (Applied, CliRun, Expected, problems_of, summary_problems,  # noqa: F401
                         text_problems)

TIME_CAP_S = 20.0            # cases run 200 to 200,000 small years; ~0.1 s is typical
MEMORY_CAP = 2 << 30         # bytes of address space a case may add to what the fork starts with

CLEAR, SANE = "clear error", "sane result"
TRACEBACK, INSANE = "traceback/other exception", "wrong/insane numbers"
TIMEOUT, MEMORY = "timeout", "memory"
ACCEPTED_BAD, REFUSED_GOOD = "accepted invalid input", "refused valid input"
UNNAMED, CRASH = "error not naming the field", "crash"
CLASSES = (CLEAR, SANE, TRACEBACK, INSANE, ACCEPTED_BAD, REFUSED_GOOD, UNNAMED, TIMEOUT, MEMORY,
           CRASH)
PASSING = {CLEAR: ("error", "either"), SANE: ("ok", "either")}


@dataclass(frozen=True)
class Case:
    """One generated input.

    ``thunk(workdir)`` does the work in the child and returns what to check (a result, a policy,
    a :class:`CliRun`, an :class:`Applied`, or a list of them). ``expect`` is ``"error"`` (must be
    refused), ``"ok"`` (must be accepted) or ``"either"``; ``field`` holds names of which an error
    message must contain one.
    """

    id: str
    kind: str
    thunk: Callable[[Path], object]
    expect: str = "either"
    field: tuple[str, ...] = ()
    desc: str = ""
    forbid: tuple[str, ...] = ()    # an error message must contain none of these


@dataclass(frozen=True)
class Outcome:
    cls: str
    detail: str
    seconds: float
    expect: str
    grew_mb: float = 0.0     # the child's peak resident memory beyond the parent's at the fork

    @property
    def passed(self) -> bool:
        return self.expect in PASSING.get(self.cls, ())



def run_cli(argv: list[str], out_dir: Path | None = None, min_files: int = 0) -> CliRun:
    """Run the command line in-process; an exception escaping ``main`` propagates (a traceback)."""
    from sim.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = main(argv)
        except SystemExit as exc:
            rc = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    files = tuple(sorted(p.name for p in out_dir.iterdir())) if out_dir and out_dir.is_dir() else ()
    return CliRun(int(rc or 0), out.getvalue(), err.getvalue(), files, min_files)


# --- classification (in the child) -------------------------------------------------------------

def classify(case: Case, workdir: Path) -> tuple[str, str]:
    """(class, detail) of running ``case`` here, in this process."""
    from sim._errors import InputError

    try:
        obj = case.thunk(workdir)
    except MemoryError as err:
        return MEMORY, f"MemoryError: {_line(err)}"
    except InputError as err:
        return _error(case, str(err))
    except RecursionError as err:
        return TRACEBACK, f"RecursionError: {_line(err)}"
    except TypeError as err:
        if _raised_at_call(err):  # Python's own check of the call's arguments, before any work
            return _error(case, str(err))
        return TRACEBACK, f"TypeError: {_line(err)}"
    except Exception as err:
        return TRACEBACK, f"{type(err).__name__}: {_line(err)}"
    if isinstance(obj, CliRun) and obj.rc != 0:
        return _cli_error(case, obj)
    problems = problems_of(obj)
    if problems:
        return INSANE, problems[0]
    if case.expect == "error":
        return ACCEPTED_BAD, "accepted without an error"
    return SANE, ""


def _line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0][:300] if text else ""


def _raised_at_call(err: TypeError) -> bool:
    """Whether the TypeError came from binding the arguments of a call made by the case itself."""
    tb = err.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and Path(tb.tb_frame.f_code.co_filename).name.startswith("fuzz_")


def _error(case: Case, message: str) -> tuple[str, str]:
    text = message.strip()
    if case.expect == "ok":
        return REFUSED_GOOD, text[:300]
    if (not text or "\n" in text or (case.field and not any(f in text for f in case.field))
            or any(f in text for f in case.forbid)):
        return UNNAMED, f"{text[:300]!r} (expected a name from {case.field})"
    return CLEAR, text[:300]


def _cli_error(case: Case, run: CliRun) -> tuple[str, str]:
    if "Traceback" in run.err:
        return TRACEBACK, "traceback on stderr: " + run.err.strip().splitlines()[-1][:300]
    # argparse prints its usage lines before its one error line; count the other lines.
    lines = [ln for ln in run.err.splitlines() if ln.strip()]
    body = [ln for ln in lines if not ln.startswith(("usage:", " "))]
    if len(body) != 1 or "error" not in body[0]:
        return UNNAMED, f"stderr is not one error line: {run.err.strip()[:300]!r}"
    return _error(case, body[0])


# --- isolation ----------------------------------------------------------------------------------

def _vm_size() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


def _rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def run_isolated(case: Case, time_cap: float = TIME_CAP_S, memory_cap: int = MEMORY_CAP) -> Outcome:
    """Run ``case`` in a forked child; classify it, or call it a timeout, memory or crash."""
    workdir = Path(tempfile.mkdtemp(prefix="fuzz-"))
    base_rss_kb = _rss_kb()
    read_end, write_end = os.pipe()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: never return into the caller
        payload = [CRASH, "child failed before classifying"]
        try:
            os.close(read_end)
            limit = _vm_size() + memory_cap
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            os.chdir(workdir)
            warnings.simplefilter("ignore")  # numbers are checked, not warnings
            payload = list(classify(case, workdir))
        except BaseException as err:  # noqa: BLE001 - report anything, then leave
            payload = [MEMORY if isinstance(err, MemoryError) else CRASH, repr(err)[:300]]
        finally:
            try:
                os.write(write_end, json.dumps(payload).encode())
            finally:
                os._exit(0)
    os.close(write_end)
    data, timed_out = b"", False
    try:
        while True:
            left = time_cap - (time.monotonic() - start)
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([read_end], [], [], left)
            if not ready:
                continue
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            data += chunk
    finally:
        os.close(read_end)
        if timed_out:
            os.kill(pid, signal.SIGKILL)
        _, status, usage = os.wait4(pid, 0)
        shutil.rmtree(workdir, ignore_errors=True)
    seconds = time.monotonic() - start
    grew = max(0.0, (usage.ru_maxrss - base_rss_kb) / 1024)
    if timed_out:
        return Outcome(TIMEOUT, f"killed after {time_cap:.0f} s", seconds, case.expect, grew)
    if not data:
        sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        return Outcome(CRASH, f"child died (signal {sig}, status {status})", seconds, case.expect, grew)
    cls, detail = json.loads(data)
    return Outcome(cls, detail, seconds, case.expect, grew)


def warm_up() -> None:
    """Load every kernel once in this process, so that forked cases do not compile them again."""
    import sim
    from sim.explain import explain

    root = Path(__file__).resolve().parents[1] / "scenarios"
    for name in ("peer_compound", "jcci_brochure_100k", "aig_brochure_100k", "calibrated_100k"):
        scn = sim.load_scenario(root / f"{name}.toml")
        sim.simulate(scn, n_years=200, seed=1, threads=2, keep_years=True).summary()
        if scn.event is not None:
            explain(scn, "plain")
