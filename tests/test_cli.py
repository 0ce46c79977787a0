"""The `pulje` command line, in process and once as the installed script: every command, format and bad input."""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import shutil
import subprocess
from functools import cache
from pathlib import Path

import highspy
import openpyxl
import pytest

from tests.conftest import pulje

ROOT = Path(__file__).resolve().parent.parent
PULJE = ROOT / ".venv" / "bin" / "pulje"
CATALOG = "data/frederiksberg/handleplan_2021_2022.csv"
EXAMPLES = "scenarios/examples"
MAX_REACH = f"{EXAMPLES}/frederiksberg_max_reach.toml"
LABOUR = f"{EXAMPLES}/frederiksberg_labour_market_first.toml"
FARVEL, AABEN = "fb21-farvel-til-farvede-forventninger", "fb21-aaben-raadgivning"
ASSUME = ["--assume-reach", f"{FARVEL}=40", "--assume-reach", f"{AABEN}=250"]
FIXED_LINE = 40_000.0  # "Integrationspriser, netværksdannelse mv." comes off the top every year


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root, so the paths read as in the README."""
    monkeypatch.chdir(ROOT)


@cache
def catalog_rows() -> dict[str, dict[str, float]]:
    """cost and value at full funding (reach × goals served, evidence unrated) per indsats, from the CSV."""
    assumed = {FARVEL: 40.0, AABEN: 250.0}
    rows = {}
    with (ROOT / CATALOG).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["fixed"] == "true":
                continue
            reach = assumed.get(row["id"]) or float(row["reach"] or row["reach_min"])
            rows[row["id"]] = {"cost": float(row["cost_kr"]), "value": reach * len(row["goals"].split(";"))}
    return rows


@cache
def best_all_or_nothing(room: float) -> float:
    """The best value of funding indsatser at full cost or not at all within `room` kroner (all 2^8 subsets)."""
    rows = list(catalog_rows().values())
    best = 0.0
    for chosen in itertools.product((0, 1), repeat=len(rows)):
        if sum(r["cost"] for r, c in zip(rows, chosen, strict=True) if c) <= room:
            best = max(best, sum(r["value"] for r, c in zip(rows, chosen, strict=True) if c))
    return best


def solve_json(capsys: pytest.CaptureFixture[str], *budget: str) -> dict:
    code, out, err = pulje(capsys, "solve", CATALOG, *budget, *ASSUME, "--format", "json")
    assert code == 0, err
    return json.loads(out)


# --- solve ---------------------------------------------------------------------------------------


def test_solve_json_has_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    data = solve_json(capsys, "--budget", "700000")
    assert {"status", "objective", "allocation", "shadow_price_budget"} <= set(data)
    assert data["status"] == "optimal"
    assert {entry["id"] for entry in data["allocation"]} == set(catalog_rows())
    for entry in data["allocation"]:
        assert {"id", "amount_kr", "share"} <= set(entry)
        cost = catalog_rows()[entry["id"]]["cost"]
        assert math.isclose(entry["share"], entry["amount_kr"] / cost, abs_tol=1e-6)
        assert entry["amount_kr"] in (0.0, cost)  # scalability unstated: all or nothing
    assert isinstance(data["shadow_price_budget"], float)


def test_solve_allocates_within_the_pulje_less_the_fixed_line(capsys: pytest.CaptureFixture[str]) -> None:
    data = solve_json(capsys, "--budget", "700000")
    total = sum(entry["amount_kr"] for entry in data["allocation"])
    assert total <= 700_000 - FIXED_LINE + 0.5
    assert math.isclose(data["objective"], best_all_or_nothing(700_000 - FIXED_LINE), rel_tol=1e-9)


@pytest.mark.parametrize("budget", ["700000", "700.000", "700.000 kr.", "0,7 mio.", "700 t.kr."])
def test_danish_budget_formats(budget: str, capsys: pytest.CaptureFixture[str]) -> None:
    data = solve_json(capsys, "--budget", budget)
    assert math.isclose(data["objective"], best_all_or_nothing(700_000 - FIXED_LINE), rel_tol=1e-9)
    assert sum(entry["amount_kr"] for entry in data["allocation"]) <= 660_000 + 0.5


def test_multi_year_budget(capsys: pytest.CaptureFixture[str]) -> None:
    data = solve_json(capsys, "--budget", "2021=722000", "--budget", "2022=700.000")
    expected = best_all_or_nothing(722_000 - FIXED_LINE) + best_all_or_nothing(700_000 - FIXED_LINE)
    assert math.isclose(data["objective"], expected, rel_tol=1e-9)
    for year, pulje_kr in (("2021", 722_000), ("2022", 700_000)):
        assert sum(entry["by_year"][year] for entry in data["allocation"]) <= pulje_kr - FIXED_LINE + 0.5
    for entry in data["allocation"]:
        assert math.isclose(entry["amount_kr"], entry["by_year"]["2021"] + entry["by_year"]["2022"], abs_tol=0.01)
    assert set(data["shadow_price_budget"]) == {"2021", "2022"}


def test_solve_csv_is_parseable(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = pulje(capsys, "solve", CATALOG, "--budget", "700000", *ASSUME, "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {row["id"] for row in rows} == set(catalog_rows())
    amounts = [float(row["amount_kr"]) for row in rows]
    assert sum(amounts) <= 660_000 + 0.5
    funded_value = sum(
        catalog_rows()[row["id"]]["value"] * float(row["amount_kr"]) / float(row["cost_kr"]) for row in rows
    )
    assert math.isclose(funded_value, best_all_or_nothing(660_000), rel_tol=1e-9)


def test_solve_table_mentions_the_assumptions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = pulje(capsys, "solve", CATALOG, "--budget", "700000", *ASSUME)
    assert code == 0, err
    assert "Assumptions" in out
    assert f"Assumed reach of {FARVEL}: 40" in out
    assert f"Assumed reach of {AABEN}: 250" in out
    assert "Scalability is not stated" in out


def test_solve_writes_a_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "out.xlsx"
    code, out, err = pulje(
        capsys, "solve", CATALOG, "--budget", "700000", *ASSUME, "--format", "json", "--excel", str(path)
    )
    assert code == 0, err
    data = json.loads(out)
    book = openpyxl.load_workbook(path)
    assert "Fordeling" in book.sheetnames
    sheet = book["Fordeling"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("Tilskud") + 1
    total = next(cell.row for cell in sheet["A"] if cell.value == "I alt")
    assert math.isclose(
        sheet.cell(total, column).value, sum(entry["amount_kr"] for entry in data["allocation"]), abs_tol=0.01
    )


def test_solve_writes_a_model_an_auditor_can_re_solve(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "model.lp"
    code, out, err = pulje(
        capsys, "solve", CATALOG, "--budget", "700000", *ASSUME, "--format", "json", "--write-model", str(path)
    )
    assert code == 0, err
    text = path.read_text()
    assert "Subject To" in text or "SUBJECT TO" in text.upper()
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    assert highs.readModel(str(path)) == highspy.HighsStatus.kOk
    highs.run()
    assert highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    assert math.isclose(highs.getInfo().objective_function_value, json.loads(out)["objective"], rel_tol=1e-6)


def test_write_model_refuses_an_unknown_extension(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = pulje(
        capsys, "solve", CATALOG, "--budget", "700000", *ASSUME, "--write-model", str(tmp_path / "m.txt")
    )
    assert code == 2
    assert ".lp" in err and "Traceback" not in err


# --- every command in every format -----------------------------------------------------------------

COMMANDS = {
    "run": ["run", MAX_REACH],
    "run-compare-baseline": ["run", MAX_REACH, "--compare-baseline"],
    "compare": ["compare", MAX_REACH, LABOUR],
    "compare-baseline": ["compare", MAX_REACH, "--baseline"],
    "sweep": ["sweep", MAX_REACH, "--from", "0", "--to", "2000000", "--step", "500000", "--quiet"],
    "robustness": ["robustness", MAX_REACH, "-n", "50", "--seed", "1", "--quiet"],
    "frontier": ["frontier", MAX_REACH, "arbejdsmarked", "sundhed", "--points", "4", "--quiet"],
    "validate": ["validate", CATALOG],
}
FORMATS = ["table", "json", "csv"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_command_works_in_each_format(command: str, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = pulje(capsys, *COMMANDS[command], "--format", fmt)
    assert code == 0, err
    assert "Traceback" not in err
    if fmt == "json":
        assert isinstance(json.loads(out), dict)
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert len(rows) >= 2 and all(len(row) == len(rows[0]) for row in rows)
    else:
        assert out.strip()
        with pytest.raises(json.JSONDecodeError):
            json.loads(out)


def test_validate_without_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = pulje(capsys, "validate", CATALOG)
    assert code == 0, err
    assert "handleplan_2021_2022.csv" in out and "9 rows" in out


def _json(capsys: pytest.CaptureFixture[str], command: str, *extra: str) -> dict:
    code, out, err = pulje(capsys, *COMMANDS[command], *extra, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def test_run_json_spends_each_years_pulje(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, "run")
    assert data["status"] == "optimal"
    for year, pulje_kr in (("2021", 722_000), ("2022", 700_000)):
        assert sum(entry["by_year"][year] for entry in data["allocation"]) <= pulje_kr - FIXED_LINE + 0.5
    assert any("illustrative" in note for note in data["assumptions"])  # the reasons travel with the numbers


def test_run_compare_baseline_json_has_the_comparison(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, "run-compare-baseline")
    runs = data["comparison"]["runs"]
    assert runs[0].endswith(": baseline") and len(runs) == 2
    assert data["comparison"]["is_empty"] is False


def test_compare_baseline_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, "compare-baseline")
    assert len(data["runs"]) == 2 and data["runs"][0].endswith(": baseline")
    statuses = [row["status"] for row in data["objective"]]
    assert statuses == ["evaluated", "optimal"]
    changed = {row["id"] for row in data["differences"]}
    assert changed == {row["id"] for row in data["gains"]} | {row["id"] for row in data["losses"]}


def test_compare_two_scenarios_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, "compare")
    assert [row["run"] for row in data["objective"]] == data["runs"]
    assert len(data["runs"]) == 2


def test_compare_writes_the_comparison_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cmp.xlsx"
    code, _, err = pulje(capsys, *COMMANDS["compare-baseline"], "--excel", str(path))
    assert code == 0, err
    assert "Sammenligning" in openpyxl.load_workbook(path).sheetnames


def test_sweep_json(capsys: pytest.CaptureFixture[str]) -> None:
    points = _json(capsys, "sweep")["sweep"]
    assert [p["budget_kr"] for p in points] == [0, 500_000, 1_000_000, 1_500_000, 2_000_000]
    assert points[0]["status"] == "infeasible"  # 0 kr. cannot pay the 40.000 kr. fixed line
    objectives = [p["objective"] for p in points[1:]]
    assert all(b >= a - 1e-9 for a, b in itertools.pairwise(objectives))


@pytest.mark.parametrize(
    ("command", "sheets"),
    [("sweep", ["sweep", "entries"]), ("robustness", ["robusthed"]), ("frontier", ["frontier", "amounts"])],
    ids=["sweep", "robustness", "frontier"],
)
def test_table_commands_write_a_workbook(
    command: str, sheets: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / f"{command}.xlsx"
    code, out, err = pulje(capsys, *COMMANDS[command], "--excel", str(path), "--format", "json")
    assert code == 0, err
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == sheets
    first = book[sheets[0]]
    data = json.loads(out)
    records = data[sheets[0]] if sheets[0] in data else data["indsatser"]
    assert first.max_row == len(records) + 1  # a header and one row per record


def test_robustness_json_is_reproducible(capsys: pytest.CaptureFixture[str]) -> None:
    first = _json(capsys, "robustness")
    assert first["draws"] == 50 and first["seed"] == 1
    assert len(first["indsatser"]) == 8
    assert all(0 <= row["core_index"] <= 1 for row in first["indsatser"])
    assert _json(capsys, "robustness") == first
    code, out, _ = pulje(capsys, "robustness", MAX_REACH, "-n", "50", "--seed", "2", "--quiet", "--format", "json")
    assert code == 0
    assert json.loads(out)["objective_mean"] != first["objective_mean"]


def test_frontier_json(capsys: pytest.CaptureFixture[str]) -> None:
    points = _json(capsys, "frontier")["frontier"]
    assert 1 <= len(points) <= 4
    values_b = [p["value_b"] for p in points]
    assert values_b == sorted(values_b)
    values_a = [p["value_a"] for p in points]
    assert values_a == sorted(values_a, reverse=True)


# --- bad input -------------------------------------------------------------------------------------


def _fails_cleanly(code: int, err: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    assert err.strip()


def test_missing_reach_names_the_indsatser(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = pulje(capsys, "solve", CATALOG, "--budget", "700000", "--format", "json")
    _fails_cleanly(code, err)
    assert FARVEL in err and AABEN in err
    assert out == ""


def test_unknown_goal_in_goal_weight(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = pulje(capsys, "solve", CATALOG, "--budget", "700000", *ASSUME, "--goal-weight", "lykke=2")
    _fails_cleanly(code, err)
    assert "lykke" in err and "arbejdsmarked" in err  # names the goal and the goals there are


@pytest.mark.parametrize("value", ["sundhed", "sundhed=abc", "sundhed=-1"])
def test_malformed_goal_weight(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = pulje(capsys, "solve", CATALOG, "--budget", "700000", *ASSUME, "--goal-weight", value)
    _fails_cleanly(code, err)
    assert "--goal-weight" in err


@pytest.mark.parametrize(
    "budget",
    [["abc"], ["2021:700000"], ["-700000"], ["2021=abc"], ["2021=722000", "700000"], ["tjue=700000"], ["2021=-5"]],
    ids=["text", "colon", "negative", "year-text", "mixed", "word-year", "negative-year"],
)
def test_malformed_budget(budget: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    argv = [arg for value in budget for arg in ("--budget", value)]
    code, out, err = pulje(capsys, "solve", CATALOG, *argv, *ASSUME)
    _fails_cleanly(code, err)
    assert "--budget" in err
    assert out == ""


def test_unknown_solver(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = pulje(capsys, "solve", CATALOG, "--budget", "700000", *ASSUME, "--solver", "gurobi")
    _fails_cleanly(code, err)
    assert "gurobi" in err


def test_bad_scenario_file_names_the_key_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        f'name = "x"\ncatalog = "{(ROOT / CATALOG).as_posix()}"\nbudget = -1\n'
        '[[constraints]]\nkind = "udvalg_max"\nudvalg = "AUU"\nshare = 1.5\n',
        encoding="utf-8",
    )
    for command in (["run", str(path)], ["sweep", str(path), "--from", "0", "--to", "1", "--step", "1"]):
        code, _, err = pulje(capsys, *command)
        _fails_cleanly(code, err)
        assert "bad.toml: 2 problems" in err
        assert "budget:" in err and "constraints[0]" in err


def test_missing_scenario_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = pulje(capsys, "run", str(tmp_path / "nowhere.toml"))
    _fails_cleanly(code, err)
    assert "nowhere.toml" in err


BAD_CATALOG = """\
a,A,AUU,arbejdsmarked,abc,,,10,,,borgere,,,,,,,src,q,
b,B,AUU,nosuchgoal,1000,,,-5,,,borgere,,,,,,,src,q,
a,C,AUU,arbejdsmarked,1000,,,10,,,borgere,7,maybe,,,,,src,q,
"""


def test_validate_lists_every_problem_with_row_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(ROOT / "data" / "frederiksberg" / "goals.csv", tmp_path / "goals.csv")
    header = (ROOT / CATALOG).read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "bad.csv"
    path.write_text(header + "\n" + BAD_CATALOG, encoding="utf-8")
    code, _, err = pulje(capsys, "validate", str(path))
    _fails_cleanly(code, err)
    expected = [(2, "cost_kr"), (3, "goals"), (3, "reach"), (4, "scalable"), (4, "stars"), (4, "id")]
    problems = [line for line in err.splitlines() if line.startswith("  - ")]
    assert len(problems) == len(expected), err
    for row, column in expected:
        assert sum(f"row {row}, column {column}:" in line for line in problems) == 1, (row, column, err)
    assert "6 problems" in err


@pytest.mark.parametrize(
    "command",
    [
        ["solve", CATALOG, "--budget", "700000", *ASSUME],
        ["run", MAX_REACH],
        ["compare", MAX_REACH, "--baseline"],
        ["sweep", MAX_REACH, "--from", "0", "--to", "1000000", "--step", "500000", "--quiet"],
        ["robustness", MAX_REACH, "-n", "5", "--quiet"],
        ["frontier", MAX_REACH, "arbejdsmarked", "sundhed", "--points", "2", "--quiet"],
    ],
    ids=["solve", "run", "compare", "sweep", "robustness", "frontier"],
)
def test_unwritable_excel_path(command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "no" / "such" / "folder" / "out.xlsx"
    code, _, err = pulje(capsys, *command, "--excel", str(target))
    _fails_cleanly(code, err)
    assert str(target) in err
    assert not target.exists()


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["compare", MAX_REACH], "two"),
        (["sweep", MAX_REACH, "--from", "0", "--to", "1000000", "--step", "0"], "--step"),
        (["sweep", MAX_REACH, "--from", "1000000", "--to", "0", "--step", "1"], "--to"),
        (["sweep", MAX_REACH, "--from", "abc", "--to", "1", "--step", "1"], "--from"),
        (["frontier", MAX_REACH, "arbejdsmarked", "lykke", "--quiet"], "lykke"),
        (["frontier", MAX_REACH, "arbejdsmarked", "arbejdsmarked", "--quiet"], "two different goals"),
        (["robustness", MAX_REACH, "-n", "0", "--quiet"], "draw"),
        (["validate", "data/no_such_catalog.csv"], "no_such_catalog.csv"),
    ],
    ids=[
        "compare-one",
        "sweep-step-0",
        "sweep-backwards",
        "sweep-text",
        "frontier-goal",
        "frontier-same",
        "robust-0",
        "missing-catalog",
    ],
)
def test_other_bad_arguments_fail_cleanly(argv: list[str], needle: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = pulje(capsys, *argv)
    _fails_cleanly(code, err)
    assert needle in err


# --- the installed console script ------------------------------------------------------------------


def test_console_script_help() -> None:
    done = subprocess.run([str(PULJE), "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    for command in ("solve", "run", "compare", "sweep", "robustness", "frontier", "validate"):
        assert command in done.stdout


def test_console_script_prints_pure_json() -> None:
    done = subprocess.run(
        [str(PULJE), "solve", CATALOG, "--budget", "700000", *ASSUME, "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("{") and "HiGHS" not in done.stdout
    data = json.loads(done.stdout)  # the whole of stdout is one JSON document
    assert math.isclose(data["objective"], best_all_or_nothing(660_000), rel_tol=1e-9)
