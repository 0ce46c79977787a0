"""The `pulje` command line: solve a catalog, run, compare, sweep and stress-test scenarios.

Errors are printed as one clear message on stderr with exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from optimizer import (
    Assumptions,
    Exclude,
    GoalMin,
    Inputs,
    Lock,
    PuljeError,
    Scalable,
    UdvalgMax,
    UdvalgMin,
    load_catalog,
)
from optimizer.catalog import as_written
from optimizer.explain import Explanation, budget_next_100k, explain
from optimizer.files import EncodingNote
from optimizer.limits import (
    MAX_DRAWS,
    MAX_FRONTIER_POINTS,
    MAX_KR,
    MAX_REACH,
    MAX_SWEEP_POINTS,
    MAX_WEIGHT,
    check_count,
    check_number,
    check_year,
)
from optimizer.numbers import NumberFormatError, parse_number
from optimizer.result import by_year
from scenarios import report
from scenarios.analysis_excel import (
    write_catalog_excel,
    write_frontier_excel,
    write_robustness_excel,
    write_sweep_excel,
    write_tables_excel,
)
from scenarios.compare import compare
from scenarios.export import write_csv, write_excel
from scenarios.frontier import frontier
from scenarios.library import cli as library_cli
from scenarios.robustness import robustness
from scenarios.run import ScenarioRun, baseline, run
from scenarios.spec import Scenario, load_scenario
from scenarios.sweep import sweep_budget

FORMATS = ("table", "json", "csv")
KRONER = "amount in kroner"


class UsageError(PuljeError):
    """A command-line argument that cannot be read."""


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
    """Run the chosen command; a PuljeError or an OSError becomes one line on stderr and exit code 2."""
    try:
        return args.command(args)
    except BrokenPipeError:  # e.g. `pulje ... | head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except PuljeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2


# --- commands -----------------------------------------------------------------------------------


def _solve(args: argparse.Namespace) -> int:
    catalog = load_catalog(args.catalog, goals=args.goals, sheet=args.sheet)
    inputs = Inputs(
        catalog,
        _budget(args.budget),
        goal_weights=_pairs(args.goal_weight, "--goal-weight", high=MAX_WEIGHT),
        evidence_weight=_float(args.evidence_weight, "--evidence-weight", high=MAX_WEIGHT),
        constraints=tuple(_constraints(args)),
        assumptions=Assumptions(
            reach=_pairs(args.assume_reach, "--assume-reach", high=MAX_REACH),
            cost=_pairs(args.assume_cost, "--assume-cost", high=MAX_KR, what=KRONER),
            intensity=_pairs(args.intensity, "--intensity", high=MAX_WEIGHT),
            extend=_extensions(args.extend),
            range_reach=args.range_reach,
        ),
    )
    scenario = Scenario(
        name=Path(args.catalog).stem,
        inputs=inputs,
        catalog_path=Path(args.catalog).resolve(),
        goals_path=Path(args.goals).resolve() if args.goals else None,
        solver=args.solver,
    )
    result = run(scenario)
    code = _emit_run(result, args)
    if args.write_model:  # after the output, so a failure to write it leaves the output complete
        result.result.write_model(args.write_model)  # written atomically
    return code


def _run(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    result = run(scenario)
    comparison = compare(baseline(scenario), result) if args.compare_baseline and scenario.optimize else None
    return _emit_run(result, args, comparison=comparison)


def _compare(args: argparse.Namespace) -> int:
    scenarios = [load_scenario(path) for path in args.scenarios]
    runs = [run(s) for s in scenarios]
    if args.baseline:
        runs.insert(0, baseline(scenarios[0]))
    if len(runs) < 2:
        raise UsageError("compare needs two scenarios, or one with --baseline")
    comparison = compare(*runs)
    return _emit(
        args,
        text=lambda: report.comparison_text(comparison),
        data=lambda: report.comparison_dict(comparison),
        table=comparison.by_indsats,
        excel=lambda path: write_excel(runs[-1], path, comparison=comparison),
    )


def _sweep(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    start, stop, step = (
        _money(v, flag) for v, flag in ((args.start, "--from"), (args.stop, "--to"), (args.step, "--step"))
    )
    if step <= 0 or stop < start:
        raise UsageError("--step must be positive and --to at least --from")
    count = int((stop - start) // step) + 1
    _check_count(count, "the number of budgets (--from, --to, --step)", cap=args.max_points, flag="--max-points")
    budgets = [start + k * step for k in range(count)]
    result = sweep_budget(scenario, budgets, progress=not args.quiet)
    tables = {"sweep": result.points, "entries": result.entries}
    return _emit(
        args,
        text=lambda: report.sweep_text(result),
        tables=tables,
        table=result.points,
        excel=lambda path: write_sweep_excel(result, path, name=scenario.name),
    )


def _robustness(args: argparse.Namespace) -> int:
    _check_count(args.n, "-n (the number of draws)", cap=args.max_draws, flag="--max-draws")
    if args.seed < 0:
        raise UsageError(f"--seed must be 0 or more, got {args.seed}")
    scenario = load_scenario(args.scenario)
    result = robustness(scenario, args.n, seed=args.seed, progress=not args.quiet)
    return _emit(
        args,
        text=lambda: report.robustness_text(result),
        data=lambda: report.robustness_dict(result),
        tables={"robusthed": result.table},
        table=result.table,
        excel=lambda path: write_robustness_excel(result, path, name=scenario.name),
    )


def _frontier(args: argparse.Namespace) -> int:
    _check_count(args.points, "--points", cap=args.max_points, flag="--max-points")
    scenario = load_scenario(args.scenario)
    result = frontier(scenario, args.goal_a, args.goal_b, points=args.points, progress=not args.quiet)
    tables = {"frontier": result.points, "amounts": result.amounts}
    return _emit(
        args,
        text=lambda: report.frontier_text(result),
        tables=tables,
        table=result.points,
        excel=lambda path: write_frontier_excel(result, path, name=scenario.name),
    )


def _validate(args: argparse.Namespace) -> int:
    catalog = load_catalog(args.catalog, goals=args.goals, sheet=args.sheet)
    flat = as_written(catalog)
    return _emit(
        args,
        text=lambda: report.validate_text(args.catalog, catalog),
        data=lambda: {"catalog": str(args.catalog), "rows": len(catalog), "problems": []},
        table=flat,
        tables={"katalog": flat},
        excel=lambda path: write_catalog_excel(catalog, path),
    )


# --- output -------------------------------------------------------------------------------------


def _emit_run(result: ScenarioRun, args: argparse.Namespace, *, comparison=None) -> int:
    """Print the run in the chosen format, then write --excel if asked (a failure to write exits 2 after it)."""
    explanation = None
    if result.result.status.is_proven and result.result.model is not None:
        wanted = getattr(args, "explain", False)  # what 100.000 kr. more buy is always shown; the rest on request
        explanation = explain(result.result) if wanted else Explanation(budget_next_100k(result.result))
    if args.format == "json":
        data = result.result.to_dict()
        if explanation is not None:
            data["budget_next_100k"] = by_year(explanation.budget_next_100k)
        if explanation is not None and getattr(args, "explain", False):
            gains = explanation.to_dict()
            for item in data["binding"]:
                item["gain_next_100k"] = gains["gain_next_100k"].get(item["constraint"])
            data["entry_thresholds"] = gains["entry_thresholds"]
        if comparison is not None:
            data["comparison"] = report.comparison_dict(comparison)
        _print_json(data)
    elif args.format == "csv":
        write_csv(result.result.allocation, sys.stdout)
    else:
        print(report.run_text(result, explanation=explanation))
        if comparison is not None:
            print()
            print(report.comparison_text(comparison))
    sys.stdout.flush()
    if args.excel:
        write_excel(result, args.excel, comparison=comparison)
    return 0 if result.result.status.is_proven else 1


def _emit(
    args: argparse.Namespace,
    *,
    text: Callable[[], str],
    table: pd.DataFrame,
    tables: dict[str, pd.DataFrame] | None = None,
    data: Callable[[], dict] | None = None,
    excel: Callable[[str], object] | None = None,
) -> int:
    """Print in the chosen format (JSON defaults to the tables as records), then write --excel if asked."""
    if args.format == "json":
        _print_json(data() if data else report.frames_dict(tables))
    elif args.format == "csv":
        write_csv(table, sys.stdout)
    else:
        print(text())
    sys.stdout.flush()
    if args.excel:
        (excel or (lambda path: write_tables_excel(tables, path)))(args.excel)
    return 0


def _print_json(data: dict) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


# --- argument parsing -----------------------------------------------------------------------------


def _money(text: str, flag: str) -> float:
    return _float(text, flag, high=MAX_KR, what=KRONER)


def _budget(values: list[str]) -> float | dict[int, float]:
    if len(values) == 1 and "=" not in values[0]:
        return _money(values[0], "--budget")
    budget = {}
    for key, amount in _keyed(values, "--budget", form="KR, or YEAR=KR for each year"):
        try:
            year = check_year(key, "--budget: YEAR")
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        budget[year] = _money(amount, f"--budget {year}")
    return budget


def _pairs(values: list[str] | None, flag: str, *, high: float, what: str = "number") -> dict[str, float]:
    """KEY=NUMBER flags (--goal-weight, --assume-reach, ...) as a dict; numbers from 0 to `high`."""
    return {key: _float(number, flag, high=high, what=what) for key, number in _keyed(values, flag)}


def _keyed(values: list[str] | None, flag: str, *, form: str = "KEY=VALUE") -> list[tuple[str, str]]:
    """The (KEY, VALUE) of each use of a repeatable flag; a key given twice is an error, not "the last wins"."""
    pairs = []
    for value in values or []:
        key, sep, rest = value.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"{flag}: expected {form}, got {value!r}")
        pairs.append((key.strip(), rest))
    _once([(key, f"{key}={rest}") for key, rest in pairs], flag)
    return pairs


def _ids(values: list[str] | None, flag: str) -> list[str]:
    """The ids of a repeatable id flag (--exclude, --scalable); an id given twice is an error, like a key."""
    _once([(value, value) for value in values or []], flag)
    return list(values or [])


def _once(given: list[tuple[str, str]], flag: str) -> None:
    """Refuse a key that occurs twice among (key, as given) pairs, naming it and both uses if they differ."""
    first: dict[str, str] = {}
    for key, shown in given:
        if key in first:
            both = f" ({first[key]} and {shown})" if first[key] != shown else ""
            raise UsageError(f"{flag}: {key} is given twice{both}; give each once")
        first[key] = shown


def _float(text: str, flag: str, *, high: float, what: str = "number") -> float:
    """A number from 0 to `high` from the command line, Danish formats accepted."""
    try:
        value = parse_number(text)
    except NumberFormatError as exc:
        raise UsageError(f"{flag}: {exc}") from None
    if value != value:
        raise UsageError(f"{flag}: expected a non-negative {what}, got {text!r}")
    try:
        return check_number(value, flag, high=high, noun=what)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _extensions(values: list[str] | None) -> dict[str, dict[int, float]]:
    """--extend ID:YEAR=KR (repeatable; an ID:YEAR given twice is an error): what an indsats may get in a year
    beyond what it asks for that year."""
    result: dict[str, dict[int, float]] = {}
    for key, amount in _keyed(values, "--extend", form="ID:YEAR=KR"):
        indsats_id, colon, year = key.partition(":")
        if not (colon and indsats_id.strip()):
            raise UsageError(f"--extend: expected ID:YEAR=KR, got {key}={amount}")
        try:
            number = check_year(year, "--extend: YEAR")
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        result.setdefault(indsats_id.strip(), {})[number] = _money(amount, "--extend")
    return result


def _check_count(value: int, what: str, *, cap: int, flag: str) -> None:
    try:
        check_count(value, what, cap=cap, flag=flag)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _limit(amount: str, flag: str) -> dict[str, float]:
    """The limit of --udvalg-min/--udvalg-max/--goal-min: kroner, or a percentage of the pulje."""
    amount = amount.strip()
    if amount.endswith("%"):
        return {"share": _float(amount[:-1], flag, high=100, what="percentage") / 100}
    return {"kr": _money(amount, flag)}


def _constraints(args: argparse.Namespace) -> list[object]:
    """The constraints given by flags; each flag names an id, udvalg or goal at most once."""
    constraints: list[object] = [Scalable(i) for i in _ids(args.scalable, "--scalable")]
    constraints += [Lock(key, kr) for key, kr in _pairs(args.lock, "--lock", high=MAX_KR, what=KRONER).items()]
    constraints += [Exclude(i) for i in _ids(args.exclude, "--exclude")]
    for values, cls, field in (
        (args.udvalg_min, UdvalgMin, "udvalg"),
        (args.udvalg_max, UdvalgMax, "udvalg"),
        (args.goal_min, GoalMin, "goal"),
    ):
        flag = f"--{cls.kind.replace('_', '-')}"
        for name, amount in _keyed(values, flag, form="NAME=KR or NAME=PCT%"):
            constraints.append(cls(**{field: name}, **_limit(amount, flag)))
    return constraints


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
        help="let an indsats get up to KR in YEAR, beyond what it asks for that year (an assumption, shown)",
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
    _output(p)
    p.set_defaults(command=_solve)

    p = sub.add_parser("run", help="run a scenario file")
    p.add_argument("scenario", help="scenario .toml")
    p.add_argument("--compare-baseline", action="store_true", help="compare with the scenario's baseline allocation")
    p.add_argument("--explain", action="store_true", help="also show what unfunded indsatser would need")
    _output(p)
    p.set_defaults(command=_run)

    p = sub.add_parser("compare", help="compare scenario files")
    p.add_argument("scenarios", nargs="+", help="scenario .toml files")
    p.add_argument("--baseline", action="store_true", help="include the first scenario's baseline allocation")
    _output(p)
    p.set_defaults(command=_compare)

    p = sub.add_parser("sweep", help="value against budget")
    p.add_argument("scenario")
    p.add_argument("--from", dest="start", required=True, metavar="KR")
    p.add_argument("--to", dest="stop", required=True, metavar="KR")
    p.add_argument("--step", required=True, metavar="KR")
    _cap(p, "--max-points", MAX_SWEEP_POINTS, "budgets in one sweep")
    _output(p, quiet=True)
    p.set_defaults(command=_sweep)

    p = sub.add_parser("robustness", help="Monte Carlo over uncertain weights and reaches")
    p.add_argument("scenario")
    p.add_argument("-n", type=int, default=10_000, help="number of draws (default 10000)")
    p.add_argument("--seed", type=int, default=0, help="seed of the random draws, 0 or more (default 0)")
    _cap(p, "--max-draws", MAX_DRAWS, "draws")
    _output(p, quiet=True)
    p.set_defaults(command=_robustness)

    p = sub.add_parser("frontier", help="Pareto frontier between two goals")
    p.add_argument("scenario")
    p.add_argument("goal_a")
    p.add_argument("goal_b")
    p.add_argument("--points", type=int, default=11, help="number of ε-steps (default 11)")
    _cap(p, "--max-points", MAX_FRONTIER_POINTS, "ε-steps")
    _output(p, quiet=True)
    p.set_defaults(command=_frontier)

    p = sub.add_parser("validate", help="check a catalog file and list every problem (csv: the validated rows)")
    p.add_argument("catalog")
    p.add_argument("--goals")
    p.add_argument("--sheet")
    _output(p)
    p.set_defaults(command=_validate)

    library_cli.add_parser(sub)
    return parser


def _cap(parser: argparse.ArgumentParser, flag: str, default: int, what: str) -> None:
    """A flag raising a run-size cap (see Limits in README.md), for those who mean a larger run."""
    parser.add_argument(
        flag, type=_positive, default=default, metavar="N", help=f"refuse more than N {what} (default {default})"
    )


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
