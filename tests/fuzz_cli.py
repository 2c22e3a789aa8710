"""Fuzz cases for the command line: ``sim run``, ``sim explain``, ``sim report`` and ``sim
sensitivity`` with bad flags, paths and files, run in-process through ``sim.cli.main(argv)``.

Each case runs in its own scratch directory (the child's working directory), so an output
written to a relative or empty ``--out`` lands there.
"""
from __future__ import annotations

from pathlib import Path

from fuzz_cases import ROOT, SCENARIOS, to_toml
from fuzz_extremes import _peer
from fuzz_harness import Case, run_cli

PEER = str(SCENARIOS / "peer_compound.toml")
AIG = str(SCENARIOS / "aig_brochure_100k.toml")
JCCI = str(SCENARIOS / "jcci_brochure_100k.toml")
FAST = ["--years", "2000", "--threads", "2"]
OUT = ("--out", "out:")     # how an error may name the --out option
FILES = {
    "bad.toml": b"name = \"\xff\xfe\"\n" + Path(PEER).read_bytes(),
    "deep.toml": b"x = " + b"[" * 20_000 + b"]" * 20_000 + b"\n",
    "explain_only.toml": to_toml({"name": "x", "event": {"losses": {"damages": 1e6}},
                                  "policies": [{"product": "basic"}]}).encode(),
    "alpha.toml": to_toml(_peer({"dist": "pareto", "minimum": 1e6, "alpha": 0.8})).encode(),
    "guard.toml": to_toml(_peer({"dist": "lognormal", "median": 1e7, "sigma": 10})).encode(),
    "rate.toml": to_toml(_peer(frequency={"kind": "poisson", "rate": 1e4})).encode(),
    "overflow.toml": to_toml(_peer({"dist": "lognormal", "median": 5e14, "sigma": 0.05},
                                   {"kind": "one"})).encode(),
    "huge_event.toml": to_toml(_peer(event={"losses": {"damages": 1e308, "litigation": 1e308},
                                            "victims": 1})).encode(),
    "nan_event.toml": b"name = \"x\"\nevent = {losses = {damages = nan}}\n"
                      b"policies = [{product = \"basic\"}]\n",
    "a/x.toml": Path(PEER).read_bytes(),
    "b/x.toml": Path(PEER).read_bytes(),
}


def _prepare(workdir: Path, argv: list[str]) -> list[str]:
    """Write the scratch files named in ``argv`` (as ``@name``) and return the real argv."""
    for name, data in FILES.items():
        path = workdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (workdir / "dest_file").write_text("not a directory")
    (workdir / "dest_full").mkdir()
    (workdir / "dest_full" / "peer_compound_summary.csv").write_text("old result\n")
    (workdir / "dest_full" / "peer_compound.html").write_text("old report\n")
    return [str(workdir / a[1:]) if a.startswith("@") else a for a in argv]


def _case(name: str, argv: list[str], expect: str = "either", field: tuple = (),
          out: str | None = None, min_files: int = 0) -> Case:
    def thunk(workdir: Path):
        real = _prepare(workdir, argv)
        return run_cli(real, workdir / out if out else None, min_files)
    return Case(f"cli-{name}", "cli", thunk, expect, field, " ".join(argv))


def _run_cases() -> list[Case]:
    c = [_case("run-json", ["run", PEER, *FAST, "--json"], "ok"),
         _case("run-text-plain", ["run", PEER, *FAST, "--plain"], "ok"),
         _case("run-two-json", ["run", PEER, AIG, *FAST, "--json"], "ok"),
         _case("run-years-underscore", ["run", PEER, "--years", "2_000", "--threads", "2"], "either",
               ("--years",))]
    for flag, values in (
            ("--years", (("0", "error"), ("-5", "error"), ("abc", "error"), ("1e3", "error"),
                         ("2.5", "error"), ("", "error"), ("10" * 10, "error"))),
            ("--seed", (("-1", "error"), ("abc", "error"), ("1.5", "error"), (str(2 ** 64), "either"))),
            ("--threads", (("0", "error"), ("-3", "error"), ("abc", "error"), ("1000000", "ok")))):
        for v, expect in values:
            argv = _set(["run", PEER, "--json", *FAST], flag, v)
            c.append(_case(f"run{flag}={v}", argv, expect, (flag.strip("-"),)))
    c += [_case("run-unknown-flag", ["run", PEER, "--yeers", "5"], "error", ("--yeers",)),
          _case("run-no-scenario", ["run"], "error", ("SCENARIO",)),
          _case("run-missing-file", ["run", "missing.toml", *FAST], "error", ("missing.toml",)),
          _case("run-directory", ["run", str(SCENARIOS), *FAST], "error", ("scenarios",)),
          _case("run-readme", ["run", str(ROOT / "README.md"), *FAST], "error", ("README.md",)),
          _case("run-csv", ["run", str(ROOT / "sim" / "data" / "defaults.csv"), *FAST], "error",
                ("defaults.csv",)),
          _case("run-not-utf8", ["run", "@bad.toml", *FAST], "error", ("bad.toml",)),
          _case("run-deep", ["run", "@deep.toml", *FAST], "error", ("deep.toml",)),
          _case("run-explain-only", ["run", "@explain_only.toml", *FAST], "error", ("model",)),
          _case("run-pareto-alpha", ["run", "@alpha.toml", *FAST], "error", ("alpha",)),
          _case("run-guard", ["run", "@guard.toml", *FAST, "--json"], "either", ("damages",)),
          _case("run-rate-1e4", ["run", "@rate.toml", "--years", "200", "--threads", "2", "--json"]),
          _case("run-tally-overflow", ["run", "@overflow.toml", "--years", "200000", "--threads", "2",
                                       "--json"])]
    return c


def _set(argv: list[str], flag: str, value: str) -> list[str]:
    """``argv`` with ``flag``'s value replaced (or the flag added)."""
    if flag in argv:
        argv = list(argv)
        argv[argv.index(flag) + 1] = value
        return argv
    return [*argv, flag, value]


def _out_cases() -> list[Case]:
    return [
        _case("run-out-fresh", ["run", PEER, *FAST, "--out", "@dest_new"], "ok", out="dest_new",
              min_files=1),
        _case("run-out-nested", ["run", PEER, *FAST, "--out", "@n1/n2/n3"], "ok", out="n1/n2/n3",
              min_files=1),
        _case("run-out-empty", ["run", PEER, *FAST, "--out", ""], "either", OUT),
        _case("run-out-is-file", ["run", PEER, *FAST, "--out", "@dest_file"], "error",
              OUT + ("dest_file",)),
        _case("run-out-exists", ["run", PEER, *FAST, "--out", "@dest_full"], "error",
              OUT + ("--force", "dest_full")),
        _case("run-out-force", ["run", PEER, *FAST, "--out", "@dest_full", "--force"], "ok",
              out="dest_full", min_files=1),
        _case("run-out-same-stem", ["run", "@a/x.toml", "@b/x.toml", *FAST, "--out", "@dest_two"],
              "either", OUT + ("x.toml", "x_summary"), out="dest_two", min_files=2),
        _case("report-no-out", ["report", PEER, *FAST], "error", ("--out",)),
        _case("report-out-is-file", ["report", PEER, *FAST, "--no-sensitivity", "--out", "@dest_file"],
              "error", OUT + ("dest_file",)),
        _case("report-out-exists", ["report", PEER, *FAST, "--no-sensitivity", "--out", "@dest_full"],
              "error", OUT + ("--force", "dest_full")),
        _case("report-years-0", ["report", PEER, "--years", "0", "--out", "@dest_new"], "error",
              ("years",)),
        _case("report-explain-only", ["report", "@explain_only.toml", *FAST, "--out", "@dest_new"],
              "error", ("model",)),
        _case("report-ok", ["report", PEER, *FAST, "--no-sensitivity", "--out", "@dest_new"], "ok",
              out="dest_new", min_files=1),
    ]


def _explain_cases() -> list[Case]:
    return [
        _case("explain-aig", ["explain", AIG], "ok"),
        _case("explain-jcci-plain", ["explain", "--plain", JCCI], "ok"),
        _case("explain-no-event", ["explain", PEER], "error", ("event",)),
        _case("explain-missing", ["explain", "nothing.toml"], "error", ("nothing.toml",)),
        _case("explain-sum-past-float", ["explain", "@huge_event.toml"], "error",
              ("damages", "litigation", "losses")),
        _case("explain-nan", ["explain", "@nan_event.toml"], "error", ("damages",)),
        _case("explain-not-utf8", ["explain", "@bad.toml"], "error", ("bad.toml",)),
        _case("explain-unknown-flag", ["explain", "--bogus", AIG], "error", ("--bogus",)),
        _case("explain-nothing", ["explain"], "error", ("SCENARIO",)),
        _case("no-command", [], "error", ("command",)),
        _case("unknown-command", ["simulate", PEER], "error", ("simulate",)),
    ]


def _sensitivity_cases() -> list[Case]:
    base = ["sensitivity", PEER, *FAST, "--parameters", "frequency.rate"]
    return [_case(f"sensitivity{flag}={v}", _set(base, flag, v), "error", (flag.strip("-"),))
            for flag, v in (("--statistic", "bogus"), ("--measure", "bogus"), ("--policy", "nobody"),
                            ("--change", "nan"), ("--change", "-2"), ("--parameters", "bogus"))]


def cli_cases() -> list[Case]:
    return _run_cases() + _out_cases() + _explain_cases() + _sensitivity_cases()
