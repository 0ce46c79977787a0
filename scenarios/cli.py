"""The `pulje` command line: solve a catalog, run, compare, sweep and stress-test scenarios.

This module only parses: each command's code (scenarios/commands.py) is imported when the command runs, so
that `pulje --help` answers without loading pandas, openpyxl, PuLP, HiGHS or the scenario modules.
Errors are printed as one clear message on stderr with exit code 2, never a traceback; a solver that
stopped without a proven answer exits with 1.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import warnings
from collections.abc import Callable, Sequence

from optimizer.errors import PuljeError, SolverError
from optimizer.files import EncodingNote
from optimizer.limits import MAX_DRAWS, MAX_FRONTIER_POINTS, MAX_SWEEP_POINTS
from scenarios.library import cli as library_cli

FORMATS = ("table", "json", "csv")
DEFAULT_TIME_LIMIT = 60.0  # seconds per solve (optimizer.highs.DEFAULT_TIME_LIMIT, not imported here: it loads HiGHS)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `pulje` console script; notes on how input files were read go to stderr."""
    parser = _parser()
    args = parser.parse_args(argv)
    with warnings.catch_warnings(record=True) as notes:
        warnings.simplefilter("always", EncodingNote)
        code = _command(args)
    for note in notes:
        if issubclass(note.category, EncodingNote):
            print(f"note: {note.message}", file=sys.stderr)
        else:
            warnings.showwarning(note.message, note.category, note.filename, note.lineno)
    return code


def _command(args: argparse.Namespace) -> int:
    """Run the chosen command; a PuljeError or an OSError becomes one line on stderr and exit code 2 (1 for a
    solver without a proven answer)."""
    command: Callable[[argparse.Namespace], int] = args.command  # set by each subparser
    try:
        return command(args)
    except BrokenPipeError:  # e.g. `pulje ... | head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except SolverError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except PuljeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2


def _on_use(name: str) -> Callable[[argparse.Namespace], int]:
    """The command `name` of scenarios/commands.py, imported when it runs."""

    def command(args: argparse.Namespace) -> int:
        run: Callable[[argparse.Namespace], int] = getattr(importlib.import_module("scenarios.commands"), name)
        return run(args)

    return command


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pulje", description="Allocate a municipal pulje across indsatser, and explain it."
    )
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    p = sub.add_parser("solve", help="solve a catalog for a budget")
    p.add_argument("catalog", help="catalog file (.csv or .xlsx)")
    p.add_argument(
        "--budget",
        action="append",
        required=True,
        metavar="KR",
        help="the pulje in kroner, or YEAR=KR per year (repeat)",
    )
    p.add_argument("--goal-weight", action="append", metavar="KEY=W", help="weight of a goal (default 1)")
    p.add_argument("--evidence-weight", default="1", metavar="W", help="value × (1 + W × stars); default 1")
    p.add_argument(
        "--assume-reach", action="append", metavar="ID=N", help="reach per year for an indsats the catalog lacks"
    )
    p.add_argument(
        "--assume-cost", action="append", metavar="ID=KR", help="cost per year for an indsats the catalog lacks"
    )
    p.add_argument(
        "--intensity", action="append", metavar="ID=X", help="how much one person reached counts (default 1)"
    )
    p.add_argument(
        "--range-reach", choices=("low", "mid", "high"), default="low", help="how a stated reach range is read"
    )
    p.add_argument(
        "--extend",
        action="append",
        metavar="ID:YEAR=KR",
        help="an indsats may get up to KR in YEAR instead of its ask, counted as full funding (an assumption, shown)",
    )
    p.add_argument("--scalable", action="append", metavar="ID", help="allow partial funding ('*' for all)")
    p.add_argument("--lock", action="append", metavar="ID=KR", help="fund an indsats with exactly KR")
    p.add_argument("--exclude", action="append", metavar="ID", help="fund an indsats with nothing")
    p.add_argument("--udvalg-min", action="append", metavar="U=KR|U=PCT%", help="spend at least this on an udvalg")
    p.add_argument("--udvalg-max", action="append", metavar="U=KR|U=PCT%", help="spend at most this on an udvalg")
    p.add_argument("--goal-min", action="append", metavar="G=KR|G=PCT%", help="spend at least this on a goal")
    p.add_argument("--goals", help="goals file (default: goals.csv next to the catalog)")
    p.add_argument("--sheet", help="sheet of an Excel catalog (default: 'indsatser')")
    p.add_argument("--solver", choices=("highs", "cbc"), default="highs")
    p.add_argument("--write-model", metavar="FILE", help="write the model as .lp or .mps for an auditor")
    p.add_argument("--explain", action="store_true", help="also show what unfunded indsatser would need")
    _time_limit(p)
    _output(p)
    p.set_defaults(command=_on_use("solve_command"))

    p = sub.add_parser("run", help="run a scenario file")
    p.add_argument("scenario", help="scenario .toml")
    p.add_argument("--compare-baseline", action="store_true", help="compare with the scenario's baseline allocation")
    p.add_argument("--explain", action="store_true", help="also show what unfunded indsatser would need")
    _time_limit(p)
    _output(p)
    p.set_defaults(command=_on_use("run_command"))

    p = sub.add_parser("compare", help="compare scenario files")
    p.add_argument("scenarios", nargs="+", help="scenario .toml files")
    p.add_argument("--baseline", action="store_true", help="include the first scenario's baseline allocation")
    _output(p)
    p.set_defaults(command=_on_use("compare_command"))

    p = sub.add_parser("sweep", help="value against budget")
    p.add_argument("scenario")
    p.add_argument("--from", dest="start", required=True, metavar="KR")
    p.add_argument("--to", dest="stop", required=True, metavar="KR")
    p.add_argument("--step", required=True, metavar="KR")
    _cap(p, "--max-points", MAX_SWEEP_POINTS, "budgets in one sweep")
    _output(p, quiet=True)
    p.set_defaults(command=_on_use("sweep_command"))

    p = sub.add_parser("robustness", help="Monte Carlo over uncertain weights and reaches")
    p.add_argument("scenario")
    p.add_argument("-n", type=int, default=10_000, help="number of draws (default 10000)")
    p.add_argument("--seed", type=int, default=0, help="seed of the random draws, 0 or more (default 0)")
    _cap(p, "--max-draws", MAX_DRAWS, "draws")
    _time_limit(p)
    _output(p, quiet=True)
    p.set_defaults(command=_on_use("robustness_command"))

    p = sub.add_parser("frontier", help="Pareto frontier between two goals")
    p.add_argument("scenario")
    p.add_argument("goal_a")
    p.add_argument("goal_b")
    p.add_argument("--points", type=int, default=11, help="number of ε-steps (default 11)")
    _cap(p, "--max-points", MAX_FRONTIER_POINTS, "ε-steps")
    _output(p, quiet=True)
    p.set_defaults(command=_on_use("frontier_command"))

    p = sub.add_parser("validate", help="check a catalog file and list every problem (csv: the validated rows)")
    p.add_argument("catalog")
    p.add_argument("--goals")
    p.add_argument("--sheet")
    _output(p)
    p.set_defaults(command=_on_use("validate_command"))

    library_cli.add_parser(sub)
    return parser


def _cap(parser: argparse.ArgumentParser, flag: str, default: int, what: str) -> None:
    """A flag raising a run-size cap (see Limits in README.md), for those who mean a larger run."""
    parser.add_argument(
        flag, type=_positive, default=default, metavar="N", help=f"refuse more than N {what} (default {default})"
    )


def _time_limit(parser: argparse.ArgumentParser) -> None:
    help_text = f"stop each solve after this long, saying so (default {DEFAULT_TIME_LIMIT:g})"
    parser.add_argument("--time-limit", type=_seconds, default=DEFAULT_TIME_LIMIT, metavar="SECONDS", help=help_text)


def _seconds(text: str) -> float:
    """A positive, finite number of seconds, for argparse."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def _positive(text: str) -> int:
    """A whole number of at least 1, for argparse."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _output(parser: argparse.ArgumentParser, *, quiet: bool = False) -> None:
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default table)")
    parser.add_argument("--excel", metavar="OUT.xlsx", help="also write an Excel workbook")
    if quiet:
        parser.add_argument("--quiet", action="store_true", help="no progress bar")
