"""Command line: ``sim explain``, ``sim run``, ``sim report``, ``sim sensitivity`` (also
``python -m sim``)."""
from __future__ import annotations

import argparse
from pathlib import Path
import sys

from ._errors import InputError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sim", description="Data-breach insurance simulator.")
    sub = parser.add_subparsers(dest="command", required=True)
    explain = sub.add_parser("explain", help="one fixed event through every policy, section by section")
    explain.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="scenario .toml file(s)")
    explain.add_argument("--plain", action="store_true", help="amounts as plain digits, not 億/万円")
    run = sub.add_parser("run", help="simulate policy years and compare the policies")
    run.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="scenario .toml file(s)")
    _simulation_options(run)
    run.add_argument("--json", action="store_true", help="print the summary as JSON")
    run.add_argument("--out", metavar="DIR", help="write <scenario>_summary.csv (and .parquet) there")
    run.add_argument("--plain", action="store_true", help="tables in plain digits, not 億/万円 (JSON is always plain)")
    report = sub.add_parser("report", help="simulate and write a self-contained HTML report")
    report.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="scenario .toml file(s)")
    report.add_argument("--out", metavar="DIR", required=True, help="write <scenario>.html there")
    _simulation_options(report)
    report.add_argument("--plain", action="store_true", help="amounts in plain digits, not 億/万円")
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
    return parser


def _simulation_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--years", type=int, default=100_000, help="policy years (default 100,000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--threads", type=int, default=None, help="worker threads (default: all cores)")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    from .explain import explain
    from .scenario import load_scenario

    try:
        scenarios = [load_scenario(path) for path in args.scenarios]  # all checked before any work
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
        print("\n\n".join(explain(scn, style) for scn in scenarios), end="")
        return 0
    commands = {"run": _run, "report": _report, "sensitivity": _sensitivity}
    try:
        return commands[args.command](args, scenarios, style)
    except InputError as err:
        print(f"sim: error: {err}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace, scenarios: list, style: str) -> int:
    import json
    import time

    from .report_text import run_report, side_by_side
    from .runner import simulate

    for scn in scenarios:  # check every scenario can be simulated before running any
        scn.check_simulable()
    results = []
    for scn in scenarios:
        start = time.perf_counter()
        res = simulate(scn, n_years=args.years, seed=args.seed, threads=args.threads)
        seconds = time.perf_counter() - start
        summary = res.summary()
        if args.json:
            records = summary.reset_index().to_dict(orient="records")
            print(json.dumps({"scenario": scn.name, "source": scn.source, "n_years": res.n_years,
                              "seed": res.seed, "summary": records}, ensure_ascii=False))
        else:
            print(run_report(res, seconds, style))
        if args.out:
            _write(summary, Path(args.out), Path(scn.source).stem)
        results.append(res)
    if len(results) > 1 and not args.json:
        print(side_by_side(results, style))
    return 0


def _report(args: argparse.Namespace, scenarios: list, style: str) -> int:
    from .report_html import write_report

    for scn in scenarios:
        scn.check_simulable()
    for scn in scenarios:
        path = write_report(scn, args.out, n_years=args.years, seed=args.seed, yen=style,
                            sensitivity=not args.no_sensitivity, threads=args.threads)
        print(path)
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



def _write(summary, out: Path, stem: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    summary.to_csv(out / f"{stem}_summary.csv")
    try:
        summary.to_parquet(out / f"{stem}_summary.parquet")
    except ImportError:
        print(f"sim: note: {stem}_summary.parquet not written (install pyarrow)", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
