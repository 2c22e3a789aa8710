"""Command line: ``sim explain SCENARIO...`` (and ``python -m sim``)."""
from __future__ import annotations

import argparse
import sys

from ._errors import InputError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sim", description="Data-breach insurance simulator.")
    sub = parser.add_subparsers(dest="command", required=True)
    explain = sub.add_parser("explain", help="one fixed event through every policy, section by section")
    explain.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="scenario .toml file(s)")
    explain.add_argument("--plain", action="store_true", help="amounts as plain digits, not 億/万円")
    return parser


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
    style = "plain" if args.plain else "ja"
    print("\n\n".join(explain(scn, style) for scn in scenarios), end="")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
