"""Hostile command-line flags: a key given twice, non-finite or absurd numbers, run sizes beyond the caps, and
outputs that cannot be written. Each exits 2 with one `error:` line naming the flag; a failed write never
leaves a half-written file and never cuts the printed output short."""

from __future__ import annotations

import errno
import json
import re
from pathlib import Path

import pulp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import pulje
from tests.hostile.builders import csv_text, fails_cleanly, rows, write_bytes

ROOT = Path(__file__).resolve().parents[2]
CATALOG = str(ROOT / "data" / "frederiksberg" / "handleplan_2021_2022.csv")
SCENARIO = str(ROOT / "scenarios" / "examples" / "frederiksberg_max_reach.toml")
FARVEL, AABEN, CRICKET = "fb21-farvel-til-farvede-forventninger", "fb21-aaben-raadgivning", "fb21-cricket"
SOLVE = ["solve", CATALOG, "--assume-reach", f"{FARVEL}=40", "--assume-reach", f"{AABEN}=250"]


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


# --- a key given twice -----------------------------------------------------------------------------

REPEATED = {
    "--lock": (
        [f"{CRICKET}=100000", f"{CRICKET}=0"],
        f"{CRICKET} is given twice \\({CRICKET}=100000 and {CRICKET}=0\\)",
    ),
    "--budget": (["2021=500000", "2021=0"], r"2021 is given twice \(2021=500000 and 2021=0\)"),
    "--goal-weight": (["sundhed=3", "sundhed=0"], r"sundhed is given twice \(sundhed=3 and sundhed=0\)"),
    "--assume-reach": ([f"{AABEN}=10", f"{AABEN}=250"], f"{AABEN} is given twice"),
    "--assume-cost": ([f"{CRICKET}=10000", f"{CRICKET}=20000"], f"{CRICKET} is given twice"),
    "--intensity": ([f"{CRICKET}=2", f" {CRICKET} =2"], f"{CRICKET} is given twice; give each once"),
    "--udvalg-min": (["SU=10000", "SU=10%"], r"SU is given twice \(SU=10000 and SU=10%\)"),
    "--udvalg-max": (["AUU=40%", "AUU=0"], r"AUU is given twice \(AUU=40% and AUU=0\)"),
    "--goal-min": (["sundhed=1000", "sundhed=2000"], r"sundhed is given twice"),
    "--exclude": ([CRICKET, CRICKET], f"{CRICKET} is given twice; give each once"),
    "--scalable": (["*", "*"], r"\* is given twice; give each once"),
}


@pytest.mark.parametrize("flag", list(REPEATED))
def test_a_key_given_twice_is_an_error(flag: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The last one silently won: `--lock a0=100000 --lock a0=0` locked a0 at 0."""
    values, pattern = REPEATED[flag]
    budget = [] if flag == "--budget" else ["--budget", "700000"]
    err = fails_cleanly(capsys, tmp_path / "out", *SOLVE, *budget, *(arg for v in values for arg in (flag, v)))
    assert err.startswith(f"error: {flag}: "), err
    assert re.search(pattern, err), err


def test_different_keys_of_one_flag_are_fine(capsys: pytest.CaptureFixture[str]) -> None:
    borger = "fb21-borgerservice-to-go"  # asks 100.000 kr. in both years (cricket asks nothing in 2022)
    argv = [*SOLVE, "--budget", "2021=722000", "--budget", "2022=700000", "--lock", f"{borger}=100000"]
    code, out, err = pulje(capsys, *argv, "--exclude", AABEN, "--exclude", FARVEL, "--format", "json")
    assert code == 0, err
    amounts = {row["id"]: row["amount_kr"] for row in json.loads(out)["allocation"]}
    assert amounts[borger] == 200_000 and amounts[AABEN] == 0 and amounts[FARVEL] == 0  # two years of 100.000


# --- numbers ---------------------------------------------------------------------------------------

NUMBERS = {
    "evidence-inf": (["--evidence-weight", "inf"], r"--evidence-weight: 'inf' is not a number"),
    "evidence-nan": (["--evidence-weight", "nan"], r"--evidence-weight: expected a non-negative number, got 'nan'"),
    "evidence-huge": (["--evidence-weight", "10.000.000"],
        r"--evidence-weight must be a number of at most 1\.000\.000, got"),
    "evidence-negative": (["--evidence-weight", "-1"], r"--evidence-weight must be a non-negative number, got -1"),
    "lock-1e21": (["--lock", f"{CRICKET}=1.000.000.000.000.000.000.000"],
        r"--lock must be an amount in kroner of at most "
                  r"1\.000\.000\.000\.000, got 1e\+21"),
    "lock-400-digits": (["--lock", f"{CRICKET}={'9' * 400}"], r"--lock: .*\(400 characters\) is infinite or too large"),
    "goal-weight-inf": (["--goal-weight", "sundhed=inf"], r"--goal-weight: 'inf' is not a number"),
    "reach-huge": (["--assume-reach", f"{CRICKET}=2.000.000.000"],
        r"--assume-reach must be a number of at most 1\.000\.000\.000"),
    "cost-overflow": (["--assume-cost", f"{CRICKET}=1{'0' * 300} mia."], r"--assume-cost: .* is infinite or too large"),
    "intensity-huge": (["--intensity", f"{CRICKET}=2.000.000"], r"--intensity must be a number of at most 1\.000\.000"),
    "udvalg-150-percent": (["--udvalg-max", "AUU=150%"], r"--udvalg-max must be a percentage of at most 100"),
    "udvalg-nan-percent": (["--udvalg-max", "AUU=nan%"], r"--udvalg-max: expected a non-negative percentage"),
    "goal-min-huge": (["--goal-min", "sundhed=2.000.000.000.000"],
        r"--goal-min must be an amount in kroner of at most"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(NUMBERS))
def test_non_finite_or_absurd_number_flag(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--evidence-weight inf` gave "Optimal … objective nan"; `--lock a0=1e21` an IndexError in the solver."""
    argv, pattern = NUMBERS[case]
    err = fails_cleanly(capsys, tmp_path / "out", *SOLVE, "--budget", "700000", *argv)
    assert re.search(pattern, err), err


@pytest.mark.parametrize("budget", ["9" * 400, "2.000.000.000.000", "2021=inf", "1e400", "0202=5", "2021.0=5"])
def test_absurd_budget(budget: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = fails_cleanly(capsys, tmp_path / "out", *SOLVE, "--budget", budget)
    assert err.startswith("error: --budget"), err


# --- run sizes -------------------------------------------------------------------------------------

SIZES = {
    "robustness-n-0": (["robustness", SCENARIO, "-n", "0"], r"-n \(the number of draws\) must be at least 1, got 0"),
    "robustness-n-negative": (["robustness", SCENARIO, "-n", "-5"], r"must be at least 1, got -5"),
    "robustness-n-huge": (["robustness", SCENARIO, "-n", "100000000"], r"-n \(the number of draws\) is 100000000, "
                          r"more than the limit of 100\.000 \(pass --max-draws 100000000 if you mean it\)"),
    "robustness-seed-negative": (["robustness", SCENARIO, "-n", "3", "--seed", "-1"], r"--seed must be 0 or more"),
    "robustness-over-raised-cap": (["robustness", SCENARIO, "-n", "3", "--max-draws", "2"], r"limit of 2 "),
    "frontier-points-0": (["frontier", SCENARIO, "arbejdsmarked", "sundhed", "--points", "0"], r"--points must be "
                          r"at least 1"),
    "frontier-points-negative": (["frontier", SCENARIO, "arbejdsmarked", "sundhed", "--points", "-3"], r"at least 1"),
    "frontier-points-huge": (["frontier", SCENARIO, "arbejdsmarked", "sundhed", "--points", "100000000"],
                             r"--points is 100000000, more than the limit of 1\.000 \(pass --max-points"),
    "sweep-huge": (["sweep", SCENARIO, "--from", "0", "--to", "20.000.000", "--step", "1"], r"the number of budgets "
                   r"\(--from, --to, --step\) is 20000001, more than the limit of 1\.000 \(pass --max-points 20000001"),
    "sweep-over-raised-cap": (["sweep", SCENARIO, "--from", "0", "--to", "2000000", "--step", "500000",
                               "--max-points", "4"], r"is 5, more than the limit of 4"),
    "max-points-0": (["sweep", SCENARIO, "--from", "0", "--to", "1", "--step", "1", "--max-points", "0"],
                     r"argument --max-points: expected a whole number of at least 1, got '0'"),
    "max-draws-text": (["robustness", SCENARIO, "--max-draws", "many"], r"argument --max-draws: expected a whole"),
    "sweep-step-negative": (["sweep", SCENARIO, "--from", "0", "--to", "1", "--step", "-1"], r"--step"),
    "sweep-to-inf": (["sweep", SCENARIO, "--from", "0", "--to", "9" * 400, "--step", "1"], r"--to: .*too large"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(SIZES))
def test_run_size_outside_its_range(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`sweep --step 1 --to 20.000.000`, `frontier --points 100000000`, `robustness -n 100000000` ran until killed."""
    argv, pattern = SIZES[case]
    err = fails_cleanly(capsys, tmp_path / "out", *argv, "--quiet")
    assert re.search(pattern, err), err


@pytest.mark.parametrize(
    "argv",
    [
        ["robustness", SCENARIO, "-n", "3", "--max-draws", "3"],
        ["sweep", SCENARIO, "--from", "0", "--to", "2000000", "--step", "500000", "--max-points", "5"],
        ["frontier", SCENARIO, "arbejdsmarked", "sundhed", "--points", "3", "--max-points", "3"],
    ],
    ids=["robustness", "sweep", "frontier"],
)
def test_a_run_up_to_the_raised_cap_runs(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = pulje(capsys, *argv, "--quiet", "--format", "json")
    assert code == 0, err
    assert json.loads(out)


# --- outputs ---------------------------------------------------------------------------------------


def test_unwritable_model_still_prints_the_whole_result(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "no" / "such" / "folder" / "m.lp"
    code, out, err = pulje(capsys, *SOLVE, "--budget", "700000", "--format", "json", "--write-model", str(target))
    assert code == 2
    assert json.loads(out)["status"] == "optimal"  # the output is complete JSON
    assert err == f"error: No such file or directory: {target}\n"


def test_a_model_write_failing_midway_leaves_the_old_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk mid-write: the earlier model stays as it was, and no temporary file is left beside it."""
    target = tmp_path / "m.lp"
    target.write_text("the model of yesterday\n", encoding="utf-8")

    def full_disk(problem: object, filename: str, *args: object, **kwargs: object) -> None:
        Path(filename).write_text("\\* half a mod", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device", str(filename))

    monkeypatch.setattr(pulp.LpProblem, "writeLP", full_disk)  # the disk fills while PuLP writes the file
    code, out, err = pulje(capsys, *SOLVE, "--budget", "700000", "--format", "json", "--write-model", str(target))
    assert code == 2
    assert json.loads(out)["status"] == "optimal"
    assert err.startswith("error: No space left on device")
    assert target.read_text(encoding="utf-8") == "the model of yesterday\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.lp"]


def test_a_model_with_an_unknown_suffix_leaves_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = pulje(capsys, *SOLVE, "--budget", "700000", "--write-model", str(tmp_path / "m.txt"))
    assert code == 2 and "use a .lp or .mps file name" in err
    assert "Pulje: 700.000 kr." in out
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_unwritable_workbook_still_prints_the_whole_result(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "no" / "such" / "folder" / "out.xlsx"
    code, out, err = pulje(capsys, *SOLVE, "--budget", "700000", "--format", fmt, "--excel", str(target))
    assert code == 2
    assert str(target) in err
    full = pulje(capsys, *SOLVE, "--budget", "700000", "--format", fmt)[1]
    assert out == full


def test_cli_prints_which_encoding_it_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_bytes(
        tmp_path, "katalog.csv", csv_text(rows(), delimiter=";").replace("Indsats", "Æbleø").encode("cp1252")
    )
    code, out, err = pulje(capsys, "validate", str(path))
    assert code == 0, err
    assert "3 rows, no problems" in out
    assert "note: katalog.csv is not UTF-8; it was read as Windows-1252: check that æ, ø and å" in err


# --- generated flags ------------------------------------------------------------------------------

FLAGS = ["--budget", "--goal-weight", "--evidence-weight", "--assume-reach", "--assume-cost", "--intensity", "--lock"]
FLAGS += ["--exclude", "--scalable", "--udvalg-min", "--udvalg-max", "--goal-min", "--range-reach"]
VALUE = st.text(max_size=12) | st.sampled_from(
    [f"{CRICKET}=1", f"{CRICKET}=inf", "AUU=10%", "AUU=1e400%", "2021=5", "2021=-1", "sundhed=1", "*", "700.000",
     "1" + "0" * 400, "=", "a=b=c", f"{CRICKET}=0,5 mio.", "AUU=%", "SU=100%", "nan"]
)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flags=st.lists(st.tuples(st.sampled_from(FLAGS), VALUE), max_size=5))
def test_generated_flags_give_a_result_or_one_message(capsys: pytest.CaptureFixture[str], flags: list) -> None:
    """Whatever the flags: exit 0 or 1 with a result, or exit 2 with an `error:` line; never a traceback."""
    code, out, err = pulje(capsys, *SOLVE, "--budget", "700000", *(arg for pair in flags for arg in pair))
    if code == 2:
        assert "error: " in err and "Traceback" not in err, err
    else:
        assert code in (0, 1) and out.startswith("Scenario: handleplan_2021_2022"), (code, err)
