"""The scenario library's API on SQLite and PostgreSQL: save, versions, open after the files changed, restore,
compare, and the errors a user meets."""

from __future__ import annotations

import dataclasses
import hashlib
import math
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from library_backends import COPENHAGEN, LABOUR, MAX_REACH, example
from sqlalchemy import func, select

from optimizer.errors import PuljeError
from scenarios import load_scenario, run
from scenarios.library import core
from scenarios.library.engine import session
from scenarios.library.errors import LibraryError, VersionNotFound
from scenarios.library.schema import FileRow, VersionFileRow
from scenarios.library.store import Library

EXAMPLES = [LABOUR, MAX_REACH, COPENHAGEN, "frederiksberg_baseline.toml", "copenhagen_evidence_first.toml"]


def test_a_save_keeps_who_when_the_files_and_the_result(library: Library, workspace: Path) -> None:
    path = example(workspace, LABOUR)
    before = datetime.now(UTC)
    info = library.save(path, name="Plan", author="Kim Hansen", note="first draft")
    expected = run(load_scenario(path)).result
    assert (info.name, info.version, info.author, info.note) == ("Plan", 1, "Kim Hansen", "first draft")
    assert before - timedelta(seconds=1) <= info.created_at <= datetime.now(UTC)
    assert info.created_at.tzinfo is not None and info.created_at.utcoffset() == timedelta(0)
    assert info.status == expected.status.value and math.isclose(info.objective, expected.objective)
    data = workspace / "data" / "frederiksberg"
    files = {f.role: (f.file_name, f.sha256, f.size) for f in info.files}
    for role, name in [
        ("catalog", "handleplan_2021_2022.csv"),
        ("goals", "goals.csv"),  # not named by the scenario: the goals.csv the catalog is read with
        ("baseline", "handleplan_2021_2022_tilskud.csv"),
    ]:
        content = (data / name).read_bytes()
        assert files[role] == (name, hashlib.sha256(content).hexdigest(), len(content))
    assert library.info("Plan") == info  # what the database gives back is what the save reported


def test_the_summary_holds_the_allocation_per_indsats_and_per_year(library: Library, workspace: Path) -> None:
    path = example(workspace, LABOUR)
    saved = library.summary("Plan", library.save(path, "Plan", "Kim").version).result
    allocation = run(load_scenario(path)).result.allocation.set_index("id")
    assert saved.allocation == pytest.approx(allocation["amount_kr"].to_dict())
    assert sorted(saved.allocation_by_year) == ["2021", "2022"]
    for year, amounts in saved.allocation_by_year.items():
        assert amounts == pytest.approx(allocation[f"amount_kr_{year}"].to_dict())
    for key, total in saved.allocation.items():
        assert math.isclose(sum(year[key] for year in saved.allocation_by_year.values()), total, abs_tol=1e-6)


def test_a_one_year_scenario_has_no_allocation_by_year(library: Library, workspace: Path) -> None:
    saved = library.summary("KK", library.save(example(workspace, COPENHAGEN), "KK", "Kim").version)
    assert saved.result.allocation and saved.result.allocation_by_year == {}


def test_saving_a_name_again_adds_a_version_and_changes_no_earlier_one(library: Library, workspace: Path) -> None:
    first = library.save(example(workspace, LABOUR), "Plan", "Kim")
    before = library.summary("Plan", 1)
    second = library.save(example(workspace, MAX_REACH), "Plan", "Ole")
    third = library.save(example(workspace, MAX_REACH), "Plan", "Ole")
    assert [first.version, second.version, third.version] == [1, 2, 3]
    assert library.summary("Plan", 1) == before
    assert library.info("Plan").version == 3
    assert [v.author for v in library.versions("Plan")] == ["Kim", "Ole", "Ole"]
    assert not math.isclose(second.objective, first.objective)


def test_names_are_versioned_independently(library: Library, workspace: Path) -> None:
    library.save(example(workspace, LABOUR), "A", "Kim")
    library.save(example(workspace, LABOUR), "A", "Kim")
    assert library.save(example(workspace, LABOUR), "B", "Kim").version == 1
    assert library.names() == ("A", "B")


def test_list_shows_every_version_with_author_time_and_objective(library: Library, workspace: Path) -> None:
    saved = [
        library.save(example(workspace, LABOUR), "Plan", "Kim"),
        library.save(example(workspace, COPENHAGEN), "KK", "Ole"),
        library.save(example(workspace, MAX_REACH), "Plan", "Ole"),
    ]
    table = library.list()
    assert list(table.columns) == ["name", "version", "author", "created_at", "objective", "status", "note"]
    rows = {(r.name, r.version): r for r in table.itertuples()}
    assert sorted(rows) == [("KK", 1), ("Plan", 1), ("Plan", 2)]
    for info in saved:
        row = rows[(info.name, info.version)]
        assert (row.author, row.created_at, row.status) == (info.author, info.created_at, info.status)
        assert math.isclose(row.objective, info.objective)
    assert list(library.list("KK")["name"]) == ["KK"]


def test_an_empty_library_lists_nothing(library: Library) -> None:
    assert library.list().empty and library.names() == ()


def test_the_stamp_changes_with_every_version_added_and_only_then(library: Library, workspace: Path) -> None:
    """The app keeps its list of versions until the stamp changes: a save and a restore each change it, reading
    does not."""
    stamps = [library.stamp()]
    library.save(example(workspace, LABOUR), "Plan", "Kim")
    stamps.append(library.stamp())
    library.list(), library.summary("Plan", 1), library.versions("Plan")
    assert library.stamp() == stamps[-1]
    library.save(example(workspace, LABOUR), "Plan", "Kim")
    stamps.append(library.stamp())
    library.restore("Plan", 1, "Ole")
    stamps.append(library.stamp())
    assert len(set(stamps)) == 4 and stamps[0] == (0, None, None)


def edit_a_reach(catalog: Path) -> None:
    """Change a figure the value depends on (a reach; a cost would be overridden by the per-year asks)."""
    text = catalog.read_text(encoding="utf-8")
    assert ",15000,,,20," in text
    catalog.write_text(text.replace(",15000,,,20,", ",15000,,,90,"), encoding="utf-8")


def test_a_version_opens_after_its_catalog_changed_and_its_goals_are_gone(library: Library, workspace: Path) -> None:
    path = example(workspace, LABOUR)
    saved = library.save(path, "Plan", "Kim")
    catalog = workspace / "data" / "frederiksberg" / "handleplan_2021_2022.csv"
    edit_a_reach(catalog)
    (workspace / "data" / "frederiksberg" / "goals.csv").unlink()
    opened = library.open("Plan", 1)
    assert math.isclose(run(opened).result.objective, saved.objective)
    assert opened.catalog_path.read_bytes() != catalog.read_bytes()
    assert hashlib.sha256(opened.catalog_path.read_bytes()).hexdigest() == saved.files[0].sha256


def test_a_version_opens_after_its_files_are_deleted(library: Library, workspace: Path) -> None:
    saved = library.save(example(workspace, LABOUR), "Plan", "Kim")
    original = load_scenario(example(workspace, LABOUR)).catalog
    shutil.rmtree(workspace / "data")
    opened = library.open("Plan")
    assert opened.catalog.attrs["goals"] == original.attrs["goals"]  # read with the same goals
    assert math.isclose(run(opened).result.objective, saved.objective)


def test_an_edited_catalog_saved_again_gets_its_own_stored_copy(library: Library, workspace: Path) -> None:
    path = example(workspace, LABOUR)
    first = library.save(path, "Plan", "Kim")
    catalog = workspace / "data" / "frederiksberg" / "handleplan_2021_2022.csv"
    edit_a_reach(catalog)
    second = library.save(path, "Plan", "Kim")
    assert first.files[0].sha256 != second.files[0].sha256
    assert not math.isclose(first.objective, second.objective)
    assert math.isclose(run(library.open("Plan", 1)).result.objective, first.objective)
    assert math.isclose(run(library.open("Plan", 2)).result.objective, second.objective)


def test_a_file_used_by_many_versions_is_stored_once(library: Library, workspace: Path) -> None:
    for _ in range(3):
        library.save(example(workspace, LABOUR), "Plan", "Kim")
    library.save(example(workspace, MAX_REACH), "Other", "Kim")
    with session(library.engine) as current:
        assert current.scalar(select(func.count()).select_from(FileRow)) == 4  # catalog, goals, asks, baseline
        assert current.scalar(select(func.count()).select_from(VersionFileRow)) == 16  # 4 versions × 4 files


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_stored_toml_reads_back_to_the_same_scenario(library: Library, workspace: Path, name: str) -> None:
    path = example(workspace, name)
    saved = library.summary("S", library.save(path, "S", "Kim").version)
    opened = library.open("S")
    assert core.stored_toml(opened, {f.role: f.file_name for f in saved.info.files}) == saved.scenario_toml
    original = load_scenario(path)
    paths = {"catalog_path": None, "goals_path": None, "asks_path": None, "baseline_path": None}
    assert dataclasses.replace(opened, **paths) == dataclasses.replace(original, **paths)
    assert f'catalog = "{original.catalog_path.name}"' in saved.scenario_toml  # the bare file name, no folder


def test_a_scenario_object_saves_like_its_file(library: Library, workspace: Path) -> None:
    path = example(workspace, MAX_REACH)
    from_file = library.summary("F", library.save(path, "F", "Kim").version)
    from_object = library.summary("O", library.save(load_scenario(path), "O", "Kim").version)
    assert from_object.scenario_toml == from_file.scenario_toml
    assert from_object.result == from_file.result


def test_a_run_at_hand_is_stored_without_solving_again(
    library: Library, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = load_scenario(example(workspace, MAX_REACH))
    done = run(scenario)

    def refuse(_scenario):
        raise AssertionError("the library solved again although a run was given")

    monkeypatch.setattr(core, "run", refuse)
    info = library.save(scenario, "Plan", "Kim", result=done)
    assert math.isclose(info.objective, done.result.objective)


def test_an_infeasible_scenario_is_saved_with_its_status_and_no_amounts(library: Library, workspace: Path) -> None:
    path = example(workspace, COPENHAGEN)
    text = path.read_text(encoding="utf-8") + '\n[[constraints]]\nkind = "udvalg_min"\nudvalg = "BIU"\nkr = 1e12\n'
    path.write_text(text, encoding="utf-8")
    info = library.save(path, "Too much", "Kim")
    assert info.status == "infeasible" and info.objective is None
    assert library.summary("Too much").result.allocation == {}
    assert run(library.open("Too much")).result.status.value == "infeasible"


def test_restore_saves_the_old_content_as_the_newest_version(library: Library, workspace: Path) -> None:
    library.save(example(workspace, LABOUR), "Plan", "Kim")
    library.save(example(workspace, MAX_REACH), "Plan", "Ole")
    restored = library.restore("Plan", 1, author="Ole")
    assert (restored.version, restored.author, restored.note) == (3, "Ole", "restored from version 1")
    old, new = library.summary("Plan", 1), library.summary("Plan", 3)
    assert new.scenario_toml == old.scenario_toml and new.result == old.result
    assert [f.sha256 for f in new.info.files] == [f.sha256 for f in old.info.files]
    assert [v.version for v in library.versions("Plan")] == [1, 2, 3]  # nothing deleted


def test_compare_runs_saved_versions_labelled_by_name_and_version(library: Library, workspace: Path) -> None:
    first = library.save(example(workspace, LABOUR), "Plan", "Kim")
    second = library.save(example(workspace, MAX_REACH), "Plan", "Ole")
    comparison = library.compare("Plan@1", "Plan")
    assert comparison.names == ["Plan@1", "Plan@2"]
    objectives = dict(zip(comparison.objective["run"], comparison.objective["objective"], strict=True))
    assert math.isclose(objectives["Plan@1"], first.objective)
    assert math.isclose(objectives["Plan@2"], second.objective)
    assert library.compare(("Plan", 2), ("Plan", 1)).names == ["Plan@2", "Plan@1"]


def test_compare_needs_two_versions(library: Library, workspace: Path) -> None:
    library.save(example(workspace, LABOUR), "Plan", "Kim")
    with pytest.raises(LibraryError, match="two or more"):
        library.compare("Plan@1")


def test_an_unknown_name_is_reported_with_close_names(library: Library, workspace: Path) -> None:
    library.save(example(workspace, LABOUR), "Budget 2025", "Kim")
    with pytest.raises(VersionNotFound, match=r"no scenario named 'Budget 2026'.*did you mean 'Budget 2025'"):
        library.open("Budget 2026")
    with pytest.raises(VersionNotFound, match=r"no scenario named 'Nothing like it'$"):
        library.versions("Nothing like it")


def test_an_unknown_version_is_reported_with_the_versions_there_are(library: Library, workspace: Path) -> None:
    library.save(example(workspace, LABOUR), "Plan", "Kim")
    library.save(example(workspace, LABOUR), "Plan", "Kim")
    for call in (library.open, library.info, library.summary):
        with pytest.raises(VersionNotFound, match=r"'Plan' has no version 7 \(it has versions 1 to 2\)"):
            call("Plan", 7)


@pytest.mark.parametrize(
    ("name", "author", "problem"),
    [
        ("", "Kim", "name"),
        ("   ", "Kim", "name"),
        ("Plan", "", "author"),
        ("x" * 201, "Kim", "name"),
        ("Plan", "Kim\nHansen", "author"),
    ],
)
def test_a_blank_or_overlong_name_or_author_is_refused(
    library: Library, workspace: Path, name: str, author: str, problem: str
) -> None:
    with pytest.raises(LibraryError, match=f"^{problem}: expected one line"):
        library.save(example(workspace, LABOUR), name, author)
    assert library.list().empty


def test_names_and_authors_keep_danish_letters_and_lose_surrounding_spaces(library: Library, workspace: Path) -> None:
    info = library.save(example(workspace, LABOUR), "  Ældre- og Omsorgsudvalget: forslag ", " Søren Ø. ")
    assert (info.name, info.author) == ("Ældre- og Omsorgsudvalget: forslag", "Søren Ø.")
    assert library.info("Ældre- og Omsorgsudvalget: forslag").author == "Søren Ø."


def test_a_scenario_that_cannot_be_read_is_not_saved(library: Library, workspace: Path) -> None:
    (workspace / "data" / "frederiksberg" / "handleplan_2021_2022_tilskud.csv").unlink()
    with pytest.raises(PuljeError, match="baseline: file not found"):
        library.save(example(workspace, LABOUR), "Plan", "Kim")
    assert library.list().empty


def test_a_damaged_cache_file_is_written_again_from_the_library(library: Library, workspace: Path) -> None:
    saved = library.save(example(workspace, LABOUR), "Plan", "Kim")
    opened = library.open("Plan")
    opened.catalog_path.write_text("id,name\nbroken,broken\n", encoding="utf-8")
    again = library.open("Plan")
    assert hashlib.sha256(again.catalog_path.read_bytes()).hexdigest() == saved.files[0].sha256
    assert math.isclose(run(again).result.objective, saved.objective)


def test_a_library_opened_twice_in_a_process_shares_one_engine(library_url: str, tmp_path: Path) -> None:
    assert Library(library_url, cache=tmp_path).engine is Library(library_url, cache=tmp_path).engine
