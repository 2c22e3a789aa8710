"""Command line: ``sim explain``, ``sim run``, ``sim report``, ``sim sensitivity``,
``sim rate-table`` (also ``python -m sim``)."""
from __future__ import annotations

import argparse
import os
from pathlib import Path
import sys

from ._errors import InputError

SAME_AS_YEARS = object()  # --per-event without N: as many events as --years


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sim", description="Data-breach insurance simulator.")
    sub = parser.add_subparsers(dest="command", required=True)
    explain = sub.add_parser("explain", help="one fixed event through every policy, section by section")
    explain.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="scenario .toml file(s)")
    explain.add_argument("--plain", action="store_true", help="amounts as plain digits, not 億/万円")
    _lang_option(explain)
    run = sub.add_parser("run", help="simulate policy years and compare the policies")
    run.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="scenario .toml file(s)")
    _simulation_options(run)
    run.add_argument("--json", action="store_true", help="print the summary as JSON")
    run.add_argument("--out", metavar="DIR", help="write <scenario>_summary.csv (and .parquet) there")
    run.add_argument("--events", metavar="PATH",
                     help="write every simulated event (an event loss table) to PATH, .csv or .parquet")
    run.add_argument("--force", action="store_true",
                     help="replace result files that exist in --out (and the --events file)")
    run.add_argument("--plain", action="store_true", help="tables in plain digits, not 億/万円 (JSON is always plain)")
    run.add_argument("--per-event", nargs="?", type=int, const=SAME_AS_YEARS, default=None, metavar="N",
                     help="also the per-breach view: N trials of exactly one event each (default N: "
                          "--years), printed after the annual view, in JSON as per_event and in "
                          "--out as <scenario>_per_event_summary.csv")
    report = sub.add_parser("report", help="simulate and write a self-contained HTML report")
    report.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="scenario .toml file(s)")
    report.add_argument("--out", metavar="DIR", required=True, help="write <scenario>.html there")
    report.add_argument("--force", action="store_true", help="replace reports that exist in --out")
    _simulation_options(report)
    report.add_argument("--plain", action="store_true", help="amounts in plain digits, not 億/万円")
    _lang_option(report)
    report.add_argument("--no-sensitivity", action="store_true",
                        help="leave out the sensitivity section (two simulations per parameter)")
    sens = sub.add_parser("sensitivity", help="one-at-a-time sensitivity of a statistic")
    sens.add_argument("scenarios", nargs=1, metavar="SCENARIO", help="scenario .toml file")
    sens.add_argument("--policy", help="policy name (default: the first)")
    sens.add_argument("--measure", default="retained", help="gross, paid, retained or paid:<section>")
    sens.add_argument("--statistic", default="tvar_99", help="a summary column, e.g. mean, var_99")
    sens.add_argument("--change", type=float, default=0.2, help="relative change (default 0.2)")
    sens.add_argument("--parameters", help="comma-separated names (default: every non-zero one)")
    _simulation_options(sens)
    sens.add_argument("--json", action="store_true", help="print the table as JSON")
    table = sub.add_parser("rate-table", help="technical premiums by industry x revenue x set x plan "
                           "from the independent frequency (.csv or .parquet)")
    table.add_argument("--out", metavar="PATH", required=True, help="the table's file: .csv or .parquet")
    table.add_argument("--force", action="store_true", help="replace the file if it exists")
    table.add_argument("--events", type=int, default=100_000,
                       help="simulated events per cell (default 100,000)")
    table.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    table.add_argument("--industries", help="comma-separated industries (default: all)")
    table.add_argument("--revenues", help="comma-separated revenues in yen (default: the bands)")
    table.add_argument("--kind", default="poisson", help="poisson or negative_binomial")
    table.add_argument("--minor", action="store_true",
                       help="also count minor cyber incidents (IPA's SME survey, each a claim): "
                            "an upper bound on small claims; default: publicised-scale events, a floor")
    return parser


def _lang_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("ja", "en"), default="ja",
                        help="language of every word in the output (default ja)")


def _simulation_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--years", type=int, default=100_000, help="policy years (default 100,000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--threads", type=int, default=None, help="worker threads (default: all cores)")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (2: bad input, 130: Ctrl-C, 141: the
    reader of stdout went away)."""
    try:
        status = _main(argv)
        sys.stdout.flush()  # here, so that a closed pipe is met inside the try
        return status
    except KeyboardInterrupt:
        print("sim: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # https://docs.python.org/3/library/signal.html#note-on-sigpipe: no output is wanted any
        # more; point stdout at devnull so that the flush at exit does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 141


def _main(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "rate-table":
        try:
            return _rate_table(args)
        except InputError as err:
            print(f"sim: error: {err}", file=sys.stderr)
            return 2
    from ._output import file_sha256
    from .explain import explain
    from .scenario import load_scenario

    try:
        scenarios = [load_scenario(path) for path in args.scenarios]  # all checked before any work
        args.sha256 = [file_sha256(path) for path in args.scenarios]  # what was read, for outputs
    except (InputError, OSError) as err:
        print(f"sim: error: {err}", file=sys.stderr)
        return 2
    style = "plain" if getattr(args, "plain", False) else "ja"
    if args.command == "explain":
        for scn in scenarios:
            if scn.event is None:
                print(f"sim: error: {scn.source}: event: missing; sim explain needs an [event] "
                      "(use sim run for a [model])", file=sys.stderr)
                return 2
        print("\n\n".join(explain(scn, style, lang=args.lang) for scn in scenarios), end="")
        return 0
    commands = {"run": _run, "report": _report, "sensitivity": _sensitivity}
    try:
        _check_simulation_options(args)
        return commands[args.command](args, scenarios, style)
    except InputError as err:
        print(f"sim: error: {err}", file=sys.stderr)
        return 2


def _check_simulation_options(args: argparse.Namespace) -> None:
    """The numbers first, so that a bad one is reported before any question about files."""
    from ._errors import check_count

    per_event = getattr(args, "per_event", None)
    if per_event is SAME_AS_YEARS:
        args.per_event = per_event = args.years
    for field, value in (("n_years", args.years), ("seed", args.seed), ("threads", args.threads),
                         ("n_events", per_event)):
        if value is not None and check_count(field, value) == 0 and field != "seed":
            raise InputError(field, "0 is not allowed; expected a whole number > 0")


def _run(args: argparse.Namespace, scenarios: list, style: str) -> int:
    import json
    import time

    from ._output import check_out_dir, plan_outputs
    from .report_text import run_report, side_by_side
    from .engine.runner import simulate, simulate_events

    for scn in scenarios:  # check every scenario can be simulated before running any
        scn.check_simulable()
    if args.out:
        out = check_out_dir(args.out)
        kinds = ("summary", "per_event_summary") if args.per_event is not None else ("summary",)
        plan_outputs({scn.source: [out / f"{Path(scn.source).stem}_{kind}.{ext}" for kind in kinds
                                   for ext in ("csv", "parquet")] for scn in scenarios}, args.force)
    if args.events:
        _plan_events(Path(args.events), scenarios, args.force)
    results = []
    for scn, sha256 in zip(scenarios, args.sha256):
        start = time.perf_counter()
        res = simulate(scn, n_years=args.years, seed=args.seed, threads=args.threads,
                       keep_events=bool(args.events))
        seconds = time.perf_counter() - start
        summary = res.summary()
        meta = {**res.metadata(), "scenario_sha256": sha256}  # the bytes this command read
        per_event = None
        if args.per_event is not None:
            start = time.perf_counter()
            per_event = simulate_events(scn, args.per_event, seed=args.seed,
                                        threads=args.threads)
            per_event_seconds = time.perf_counter() - start
        if args.json:
            doc = {"scenario": scn.name, "source": scn.source, **meta,
                   "summary": summary.reset_index().to_dict(orient="records")}
            if per_event is not None:
                doc["per_event"] = {"n_events": per_event.n_trials, "summary": per_event.summary()
                                    .reset_index().to_dict(orient="records")}
            print(json.dumps(doc, ensure_ascii=False))
        else:
            print(run_report(res, seconds, style))
            if per_event is not None:
                print(_per_event_text(per_event, per_event_seconds, style))
        if args.out:
            _write(summary, meta, out, Path(scn.source).stem)
            if per_event is not None:
                _write(per_event.summary(), {**per_event.metadata(), "scenario_sha256": sha256},
                       out, Path(scn.source).stem, "per_event_summary")
        if args.events:
            _write_events(res.events(), meta, Path(args.events))
        results.append(res)
    if len(results) > 1 and not args.json:
        print(side_by_side(results, style))
    return 0


def _report(args: argparse.Namespace, scenarios: list, style: str) -> int:
    from ._output import check_out_dir, plan_outputs
    from .report_html import report_path, write_report

    for scn in scenarios:
        scn.check_simulable()
    out = check_out_dir(args.out)
    plan_outputs({scn.source: [report_path(scn, out)] for scn in scenarios}, args.force)
    for scn in scenarios:
        path = write_report(scn, out, n_years=args.years, seed=args.seed, yen=style,
                            lang=args.lang, sensitivity=not args.no_sensitivity, threads=args.threads,
                            force=args.force)
        print(path, flush=True)
    return 0


def _sensitivity(args: argparse.Namespace, scenarios: list, style: str) -> int:
    from .sensitivity import one_at_a_time

    scn = scenarios[0]
    scn.check_simulable()
    names = [n.strip() for n in args.parameters.split(",")] if args.parameters else None
    frame = one_at_a_time(scn, args.policy, args.measure, args.statistic, parameters=names,
                          change=args.change, n_years=args.years, seed=args.seed,
                          threads=args.threads)
    if args.json:
        print(frame.reset_index().to_json(orient="records", force_ascii=False))
    else:
        a = frame.attrs
        print(f"# {scn.name}: {a['policy']} {a['measure']} {a['statistic']}, "
              f"{a['n_years']:,} years a run, seed {a['seed']}")
        print(frame.to_string(float_format=lambda v: f"{v:,.6g}"))
    return 0


def _rate_table(args: argparse.Namespace) -> int:
    """``sim rate-table --out PATH``: everything checked before the table is computed."""
    from ._output import csv_header, package_version, plan_outputs, write_atomic
    from .calibration.frequency import INDUSTRIES, REVENUE_BANDS
    from .rate_table import rate_table

    out = Path(args.out)
    if out.suffix not in (".csv", ".parquet"):
        raise InputError("--out", f"{str(out)!r} is not allowed; expected a .csv or .parquet file")
    if out.is_dir() or (out.parent.exists() and not out.parent.is_dir()):
        raise InputError("--out", f"{str(out)!r} is not a file name in a folder")
    industries = tuple(args.industries.split(",")) if args.industries else INDUSTRIES
    try:
        revenues = tuple(float(r) for r in args.revenues.split(",")) if args.revenues else REVENUE_BANDS
    except ValueError:
        raise InputError("--revenues", f"{args.revenues!r} is not allowed; expected yen amounts "
                         "separated by commas, e.g. 5e7,3e8") from None
    plan_outputs({"rate-table": [out]}, args.force)
    table = rate_table(industries, revenues, n_events=args.events, seed=args.seed, kind=args.kind,
                       minor=args.minor)
    table.attrs = {"table": "rate table (sim.rate_table)", "n_events": args.events, "seed": args.seed,
                   "kind": args.kind, "minor": args.minor, "version": package_version()}
    if out.suffix == ".csv":  # read back with pandas.read_csv(path, comment="#")
        text = csv_header(table.attrs) + table.to_csv(index=False)
        write_atomic(out, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    else:
        write_atomic(out, lambda tmp: table.to_parquet(tmp, index=False))
    print(out, flush=True)
    return 0


def _plan_events(path: Path, scenarios: list, force: bool) -> None:
    """Refuse, before any work, an ``--events`` file that cannot or must not be written."""
    import importlib.util

    from ._output import check_out_dir, plan_outputs

    if len(scenarios) > 1:
        raise InputError("--events", f"one file for {len(scenarios)} scenarios; run one scenario "
                                     "at a time with --events")
    if path.suffix.lower() not in (".csv", ".parquet"):
        raise InputError("--events", f"{str(path)!r}: expected a file name ending in .csv or "
                                     ".parquet")
    if path.suffix.lower() == ".parquet" and not any(
            importlib.util.find_spec(m) for m in ("pyarrow", "fastparquet")):
        raise InputError("--events", "writing .parquet needs pyarrow (not installed); install it, "
                                     "or write a .csv file")
    if path.exists() and path.is_dir():
        raise InputError("--events", f"{str(path)!r} is a folder; expected a file name")
    check_out_dir(path.parent, "--events")
    plan_outputs({scenarios[0].source: [path]}, force, "--events")


def _write_events(events, meta: dict, path: Path) -> None:
    """The event table at ``path``: CSV with the run's metadata in leading ``# key: value``
    lines (``pandas.read_csv(path, comment="#")`` reads it back), or Parquet with it in
    ``DataFrame.attrs``."""
    import csv

    from ._output import csv_header, write_atomic

    if path.suffix.lower() == ".parquet":
        frame = events.copy(deep=False)
        frame.attrs = dict(meta)
        write_atomic(path, frame.to_parquet)
    else:
        table = events.to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC)  # a "#" in a name is safe
        write_atomic(path, lambda tmp: tmp.write_text(csv_header(meta) + table, encoding="utf-8"))


def _per_event_text(res, seconds: float, style: str) -> str:
    """The per-breach view as text: per policy, what one breach costs and what is kept."""
    from ._styling import yen_frame

    columns = {"mean": "mean", "var_90": "1 in 10", "var_99": "1 in 100", "tvar_99": "TVaR 99%"}
    summary = res.summary()[list(columns)].rename(columns=columns)
    table = yen_frame(summary, style="plain" if style == "plain" else "ja",
                      round_to=1 if style == "plain" else 10_000)
    return (f"# {res.scenario.name}: per breach (every trial exactly one event)\n"
            f"  {res.n_trials:,} events, seed {res.seed}, {seconds:.1f} s; figures per event, "
            f"not per year (1 in 100 = the loss 1 breach in 100 exceeds)\n\n"
            f"{table.to_string()}\n")


def _write(summary, meta: dict, out: Path, stem: str, kind: str = "summary") -> None:
    """``<stem>_summary.csv`` (the run's metadata in leading ``# key: value`` lines; strings
    quoted, so ``pandas.read_csv(path, comment="#", index_col=[0, 1])`` reads it back) and, with
    pyarrow, ``<stem>_summary.parquet`` (the metadata in ``DataFrame.attrs``)."""
    import csv

    from ._output import csv_header, write_atomic

    table = summary.to_csv(quoting=csv.QUOTE_NONNUMERIC)
    write_atomic(out / f"{stem}_{kind}.csv",
                 lambda tmp: tmp.write_text(csv_header(meta) + table, encoding="utf-8"))
    parquet = out / f"{stem}_{kind}.parquet"
    frame = summary.copy()
    frame.attrs = dict(meta)
    try:
        write_atomic(parquet, frame.to_parquet)
    except ImportError:
        note = "not written (install pyarrow)"
        if parquet.exists():  # only with --force: an older run's file must not pass for this one's
            parquet.unlink()
            note += "; the older one there was removed"
        print(f"sim: note: {parquet.name} {note}", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
