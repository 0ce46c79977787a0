"""`pulje library ...`: every command, its formats, a library moved between machines, and the errors a user meets."""

from __future__ import annotations

import json
import math
import socket
import subprocess
from pathlib import Path

import pytest
from library_backends import COPENHAGEN, LABOUR, MAX_REACH, example

from optimizer import format_kr
from scenarios import load_scenario, run
from scenarios.cli import main
from scenarios.library import cli as library_cli
from scenarios.library.store import Library

ROOT = Path(__file__).resolve().parent.parent
PULJE = ROOT / ".venv" / "bin" / "pulje"


@pytest.fixture(autouse=True)
def _no_real_library(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never the user's library or cache: the default locations point into the test's folder."""
    monkeypatch.delenv("PULJE_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    monkeypatch.setenv("PULJE_CACHE_DIR", str(tmp_path / "cache"))


def pulje(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    """Run `pulje argv...` in process: (exit code, stdout, stderr); argparse's own exits count too."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def saved(capsys, url: str, path: Path, name: str, author: str = "Kim") -> None:
    code, _, err = pulje(capsys, "library", "save", path, "--name", name, "--author", author, "--database", url)
    assert code == 0, err


def listed(capsys, url: str) -> list[dict]:
    code, out, err = pulje(capsys, "library", "list", "--format", "json", "--database", url)
    assert code == 0, err
    return json.loads(out)


def test_list_and_show_write_danish_values_and_escape_what_anyone_saved(capsys, library_url: str, workspace: Path):
    """A shared library holds text anyone typed: an escape sequence in an author is shown, not acted on; the
    objective reads the Danish way (7.550,00), as in every other text output."""
    saved(capsys, library_url, example(workspace, LABOUR), "Plan", author="Kim\x1b[2J")
    objective = Library(library_url).versions("Plan")[0].objective
    for argv in (("list",), ("show", "Plan")):
        code, out, err = pulje(capsys, "library", *argv, "--database", library_url)
        assert code == 0, err
        assert "\x1b" not in out and "Kim\\x1b[2J" in out
    code, out, _ = pulje(capsys, "library", "list", "--database", library_url)
    whole, decimals = f"{objective:.2f}".split(".")
    assert f"{int(whole):,}".replace(",", ".") + "," + decimals in out


def test_save_then_list_shows_name_version_author_time_and_objective(capsys, library_url: str, workspace: Path):
    code, out, err = pulje(
        capsys,
        "library",
        "save",
        example(workspace, LABOUR),
        "--name",
        "Plan",
        "--author",
        "Kim",
        "--database",
        library_url,
    )
    assert (code, err) == (0, "")
    expected = run(load_scenario(example(workspace, LABOUR))).result.objective  # an independent run of the file
    assert out.startswith(f"Saved Plan@1 (optimal, objective {library_cli._number(expected)})")
    saved(capsys, library_url, example(workspace, MAX_REACH), "Plan", "Ole")
    rows = listed(capsys, library_url)
    assert [(r["name"], r["version"], r["author"]) for r in rows] == [("Plan", 1, "Kim"), ("Plan", 2, "Ole")]
    infos = Library(library_url).versions("Plan")
    for row, info in zip(rows, infos, strict=True):
        assert row["created_at"] == info.created_at.isoformat() and math.isclose(row["objective"], info.objective)
    code, out, _ = pulje(capsys, "library", "list", "--database", library_url)
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["name", "version", "author", "saved"]
    second = run(load_scenario(example(workspace, MAX_REACH))).result.objective  # an independent run
    assert "Plan" in lines[2] and "Ole" in lines[2] and library_cli._number(second) in lines[2]


def test_list_of_an_empty_library_says_so(capsys, library_url: str):
    assert pulje(capsys, "library", "list", "--database", library_url)[1].startswith("No saved versions in ")
    assert listed(capsys, library_url) == []


def test_show_gives_files_allocation_and_scenario_in_every_format(capsys, library_url: str, workspace: Path):
    saved(capsys, library_url, example(workspace, LABOUR), "Plan")
    saved(capsys, library_url, example(workspace, MAX_REACH), "Plan")
    summary = Library(library_url).summary("Plan", 1)
    show = ["library", "show", "Plan", "--version", "1", "--database", library_url]
    assert pulje(capsys, *show, "--format", "toml")[1] == summary.scenario_toml
    out = pulje(capsys, *show, "--format", "json")[1]
    data = json.loads(out)
    assert (data["name"], data["version"], data["author"]) == ("Plan", 1, "Kim")
    assert data["result"]["allocation"] == pytest.approx(summary.result.allocation)
    assert [f["sha256"] for f in data["files"]] == [f.sha256 for f in summary.info.files]
    out = pulje(capsys, *show)[1]
    assert out.startswith("Plan@1: saved by Kim at ")
    kvinder = summary.result.allocation["fb21-kvinder-i-job"]  # kroner as stored, shown the Danish way
    for expected in (
        "handleplan_2021_2022.csv",
        summary.info.files[0].sha256,
        "fb21-kvinder-i-job",
        format_kr(kvinder, unit=""),
    ):
        assert expected in out
    assert out.rstrip().endswith(summary.scenario_toml.rstrip())
    newest = pulje(capsys, "library", "show", "Plan", "--database", library_url)[1]  # no --version
    assert newest.startswith("Plan@2: ")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "Plam"], "error: the library holds no scenario named 'Plam'; did you mean 'Plan'?"),
        (["show", "Budget"], "error: the library holds no scenario named 'Budget'\n"),
        (["show", "Plan", "--version", "9"], "error: 'Plan' has no version 9 (it has versions 1 to 1)"),
        (["restore", "Plan", "--version", "4", "--author", "Kim"], "error: 'Plan' has no version 4"),
        (["compare", "Plan@1", "Plan@3"], "error: 'Plan' has no version 3"),
        (["compare", "Plan@1"], "error: compare needs two or more versions"),
        (["save", "missing.toml", "--name", "X", "--author", "Kim"], "error: missing.toml: 1 problem"),
        (["save", "{example}", "--name", "X", "--author", " "], "error: author: expected one line"),
    ],
)
def test_a_wrong_name_version_or_file_is_one_error_line_and_exit_2(
    capsys, library_url: str, workspace: Path, argv: list[str], message: str
):
    saved(capsys, library_url, example(workspace, LABOUR), "Plan")
    argv = [a.format(example=example(workspace, LABOUR)) for a in argv]
    code, out, err = pulje(capsys, "library", *argv, "--database", library_url)
    assert (code, out) == (2, "")
    assert err.startswith(message) and "Traceback" not in err


def test_an_unreachable_server_is_named_with_its_password_masked(capsys):
    with socket.socket() as probe:  # a local port with no server behind it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql+psycopg://kim:hemmelig@127.0.0.1:{port}/pulje"
    code, out, err = pulje(capsys, "library", "list", "--database", url)
    assert code == 2 and out == ""
    assert err.startswith(f"error: library database postgresql+psycopg://kim:***@127.0.0.1:{port}/pulje: ")
    assert "hemmelig" not in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "error: not a database URL: 'not a url'"),
        ("mysql://kim:hemmelig@db/pulje", "error: mysql://kim:***@db/pulje: the library runs on sqlite or postgresql"),
        ("sqlite://", "error: sqlite://: give the SQLite library a file"),
    ],
)
def test_a_database_url_that_cannot_be_used_is_refused(capsys, url: str, message: str):
    code, _, err = pulje(capsys, "library", "list", "--database", url)
    assert code == 2 and err.startswith(message) and "hemmelig" not in err


def test_the_library_is_a_sqlite_file_in_the_data_folder_by_default(capsys, workspace: Path, tmp_path: Path):
    code, _, err = pulje(capsys, "library", "save", example(workspace, LABOUR), "--name", "Plan", "--author", "Kim")
    assert code == 0, err
    assert (tmp_path / "data-home" / "pulje" / "library.db").is_file()
    assert [r["name"] for r in json.loads(pulje(capsys, "library", "list", "--format", "json")[1])] == ["Plan"]


def test_pulje_database_url_chooses_the_library(capsys, workspace: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("PULJE_DATABASE_URL", f"sqlite:///{tmp_path / 'team.db'}")
    code, _, err = pulje(capsys, "library", "save", example(workspace, LABOUR), "--name", "Plan", "--author", "Kim")
    assert code == 0, err
    assert (tmp_path / "team.db").is_file() and not (tmp_path / "data-home").exists()


def test_compare_and_restore(capsys, library_url: str, workspace: Path):
    saved(capsys, library_url, example(workspace, LABOUR), "Plan")
    saved(capsys, library_url, example(workspace, MAX_REACH), "Plan")
    code, out, err = pulje(
        capsys, "library", "compare", "Plan@1", "Plan", "--format", "json", "--database", library_url
    )
    assert code == 0, err
    objectives = {row["run"]: row["objective"] for row in json.loads(out)["objective"]}
    infos = {i.ref: i.objective for i in Library(library_url).versions("Plan")}
    assert objectives == pytest.approx(infos)
    code, out, _ = pulje(capsys, "library", "compare", "Plan@1", "Plan@2", "--database", library_url)
    assert "Plan@1" in out and "Plan@2" in out
    code, out, _ = pulje(
        capsys, "library", "restore", "Plan", "--version", "1", "--author", "Ole", "--database", library_url
    )
    first = run(load_scenario(example(workspace, LABOUR))).result.objective
    assert out.startswith(f"Restored Plan@1 as Plan@3 (optimal, objective {library_cli._number(first)})")
    assert [(r["version"], r["note"]) for r in listed(capsys, library_url)][-1] == (3, "restored from version 1")


# --- a library moved between machines -----------------------------------------------------------


def filled(capsys, url: str, workspace: Path) -> None:
    saved(capsys, url, example(workspace, LABOUR), "Plan A", "Kim")
    saved(capsys, url, example(workspace, MAX_REACH), "Plan A", "Ole")
    saved(capsys, url, example(workspace, COPENHAGEN), "København", "Ida")


def test_export_then_import_moves_every_version(capsys, library_url: str, workspace: Path, tmp_path: Path):
    filled(capsys, library_url, workspace)
    code, out, err = pulje(capsys, "library", "export", tmp_path / "moved", "--database", library_url)
    assert code == 0, err
    assert out.startswith(f"Exported 3 versions to {tmp_path / 'moved'}")
    target = f"sqlite:///{tmp_path / 'other' / 'library.db'}"
    code, out, err = pulje(capsys, "library", "import", tmp_path / "moved", "--database", target)
    assert (code, out.strip()) == (0, f"Imported 3 versions from {tmp_path / 'moved'}."), err
    assert listed(capsys, target) == listed(capsys, library_url)
    source, copy = Library(library_url), Library(target)
    for info in source.versions("Plan A") + source.versions("København"):
        assert copy.summary(info.name, info.version) == source.summary(info.name, info.version)


def test_importing_twice_adds_nothing_the_second_time(capsys, library_url: str, workspace: Path, tmp_path: Path):
    filled(capsys, f"sqlite:///{tmp_path / 'source.db'}", workspace)
    pulje(capsys, "library", "export", tmp_path / "moved", "--database", f"sqlite:///{tmp_path / 'source.db'}")
    assert pulje(capsys, "library", "import", tmp_path / "moved", "--database", library_url)[0] == 0
    before = listed(capsys, library_url)
    code, out, _ = pulje(capsys, "library", "import", tmp_path / "moved", "--database", library_url)
    assert (code, out.strip()) == (0, f"Imported 0 versions from {tmp_path / 'moved'}; 3 were already here.")
    assert listed(capsys, library_url) == before


def test_an_exported_scenario_runs_where_it_lies(capsys, workspace: Path, tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'source.db'}"
    filled(capsys, url, workspace)
    pulje(capsys, "library", "export", tmp_path / "moved", "--database", url)
    manifest = json.loads((tmp_path / "moved" / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["versions"]:
        code, out, err = pulje(capsys, "run", tmp_path / "moved" / entry["scenario"], "--format", "json")
        assert code == 0, err
        assert math.isclose(json.loads(out)["objective"], entry["result"]["objective"])
        assert [f["sha256"] for f in entry["files"]] == [
            f.sha256 for f in Library(url).info(entry["name"], entry["version"]).files
        ]


def test_an_import_that_clashes_is_refused_whole(capsys, library_url: str, workspace: Path, tmp_path: Path):
    source = f"sqlite:///{tmp_path / 'source.db'}"
    filled(capsys, source, workspace)
    pulje(capsys, "library", "export", tmp_path / "moved", "--database", source)
    saved(capsys, library_url, example(workspace, COPENHAGEN), "Plan A", "Bo")  # Plan A@1, other content
    code, out, err = pulje(capsys, "library", "import", tmp_path / "moved", "--database", library_url)
    assert (code, out) == (2, "")
    assert err.startswith("error: import refused, nothing was imported:\n  - Plan A@1 is held here with other content")
    assert [(r["name"], r["author"]) for r in listed(capsys, library_url)] == [("Plan A", "Bo")]


@pytest.mark.parametrize("damage", ["catalog", "scenario", "manifest path", "manifest"])
def test_a_damaged_export_is_refused_naming_what_is_wrong(capsys, workspace: Path, tmp_path: Path, damage: str):
    source = f"sqlite:///{tmp_path / 'source.db'}"
    filled(capsys, source, workspace)
    folder = tmp_path / "moved"
    pulje(capsys, "library", "export", folder, "--database", source)
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    n, entry = next((n, e) for n, e in enumerate(manifest["versions"]) if e["name"] == "Plan A")
    if damage == "catalog":
        catalog = folder / entry["files"][0]["path"]
        catalog.write_text(catalog.read_text(encoding="utf-8").replace("150000", "90000"), encoding="utf-8")
        expected = f"versions[{n}]: {entry['files'][0]['path']}: its content does not match its hash"
    elif damage == "scenario":
        toml = folder / entry["scenario"]
        toml.write_text(toml.read_text(encoding="utf-8").replace("arbejdsmarked = 3", "arbejdsmarked = 9"))
        expected = f"versions[{n}]: {entry['scenario']}: its content does not match its hash"
    elif damage == "manifest path":
        entry["files"][0]["path"] = "../source.db"
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
        expected = f"versions[{n}]: '../source.db': expected a path inside the folder"
    else:
        manifest_path.unlink()
        expected = f"{manifest_path}: not found"
    target = f"sqlite:///{tmp_path / 'target.db'}"
    code, _, err = pulje(capsys, "library", "import", folder, "--database", target)
    assert code == 2 and expected in err, err
    assert listed(capsys, target) == []


def test_export_wants_a_new_or_empty_folder(capsys, library_url: str, tmp_path: Path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine", encoding="utf-8")
    code, _, err = pulje(capsys, "library", "export", tmp_path / "full", "--database", library_url)
    assert code == 2 and "export into a new or empty folder" in err
    assert sorted(p.name for p in (tmp_path / "full").iterdir()) == ["notes.txt"]


def test_the_installed_script_has_the_library_commands(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'library.db'}"
    done = subprocess.run(
        [PULJE, "library", "list", "--format", "json", "--database", url], capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, json.loads(done.stdout), done.stderr) == (0, [], "")
    done = subprocess.run([PULJE, "library"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "LIBRARY_COMMAND" in done.stderr
