"""The app and the scenario library (AppTest, a SQLite library of each test's own): saving what is shown as new
versions, opening a version (also after its catalog file changed and went), restoring an old one, and a link
naming a version. Every figure is checked against the library's own records and the core solving the same
settings or the stored scenario directly."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest
from library_backends import COPENHAGEN, LABOUR, example

import ui_text
from optimizer import Result
from scenarios import run
from scenarios.library.store import Library
from scenarios.settings_file import settings_from_scenario
from tests.app_helpers import (
    assert_amounts,
    assert_clean,
    danish,
    independent,
    metric,
    open_tab,
    run_app,
    shown_texts,
    slider,
    start,
)
from tests.app_library_helpers import T, app_library, button, pick, save, settings_of
from ui import library as panel

__all__ = ["app_library"]  # the fixture, used by name
VALUE = ui_text.RESULTS["value"]
RESULT_TAB = ui_text.RESULTS["tabs"][0]


def stored_amounts(result: Result) -> dict[str, float]:
    return result.allocation.set_index("id")["amount_kr"].to_dict()


def assert_shows(at, result: Result) -> None:
    """The tab "Fordeling" shows this result: every amount and the total value."""
    open_tab(at, RESULT_TAB)
    assert_amounts(at, result)
    assert math.isclose(danish(metric(at, VALUE)[0]), result.objective, abs_tol=0.005)


def test_saving_twice_under_one_name_adds_versions_1_and_2_with_what_was_shown(app_library: Library) -> None:
    at = run_app({"pulje.2021": "500000"})
    save(at, "Forslag B", note="første udkast")
    assert_clean(at)
    assert T["saved"].format(name="Forslag B", version=1) in shown_texts(at, "success")
    first = start("fb2021").with_budget(2021, 500_000)
    slider(at, "Pulje 2022").set_value(400_000).run()
    save(at, "Forslag B", author="Ole Berg")
    assert_clean(at)
    assert T["saved"].format(name="Forslag B", version=2) in shown_texts(at, "success")
    assert dict(at.query_params) == {"bibliotek": "Forslag B", "version": "2"}
    assert (at.selectbox(key=panel.PICK_NAME).value, at.selectbox(key=panel.PICK_VERSION).value) == ("Forslag B", 2)
    second = first.with_budget(2022, 400_000)
    infos = app_library.versions("Forslag B")
    assert [(i.version, i.author, i.note) for i in infos] == [(1, "Kim Hansen", "første udkast"), (2, "Ole Berg", "")]
    for version, settings in ((1, first), (2, second)):
        stored = app_library.summary("Forslag B", version).result
        expected = independent(settings, "fb2021")
        assert stored.allocation == pytest.approx(stored_amounts(expected), abs=0.5)
        assert math.isclose(stored.objective, expected.objective, rel_tol=1e-9)
        assert settings_from_scenario(app_library.open("Forslag B", version), "fb2021") == settings


def test_saving_needs_a_name_and_an_author_and_saves_nothing_without(app_library: Library) -> None:
    at = run_app()
    save(at, "  ", author="")
    assert_clean(at)
    errors = shown_texts(at, "error")
    assert "scenariets navn" in errors and "dit navn" in errors
    assert app_library.list().empty
    assert dict(at.query_params) == {"katalog": "fb2021"}


def test_opening_a_version_gives_its_settings_and_the_result_the_core_gives_for_it(
    app_library: Library, workspace: Path
) -> None:
    app_library.save(example(workspace, LABOUR), "Arbejdsmarked først", "Ole Berg")  # saved from the command line
    at = run_app({"katalog": "kk2019"})
    pick(at, "Arbejdsmarked først", 1)
    button(at, T["open"]).click().run()
    assert_clean(at)
    scenario = app_library.open("Arbejdsmarked først", 1)
    assert settings_of(at) == settings_from_scenario(scenario, "fb2021")  # the files are the bundled ones
    assert dict(at.query_params) == {"bibliotek": "Arbejdsmarked først", "version": "1"}
    assert_shows(at, run(scenario).result)


def changed_copenhagen(workspace: Path) -> Path:
    """The Copenhagen example over a catalog copy in which Fritidsjob reaches 100 times more people."""
    catalog = workspace / "data" / "copenhagen" / "bruttokatalog_2019_2022.csv"
    lines = catalog.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    reach = header.index("reach")
    for k, line in enumerate(lines):
        if line.startswith("kk-fritidsjob,"):
            cells = line.rstrip("\n").split(",")
            cells[reach] = str(int(float(cells[reach]) * 100))
            lines[k] = ",".join(cells) + "\n"
    catalog.write_text("".join(lines), encoding="utf-8")
    return example(workspace, COPENHAGEN)


def test_a_version_opens_from_its_stored_files_after_its_catalog_changed_and_went(
    app_library: Library, workspace: Path
) -> None:
    app_library.save(changed_copenhagen(workspace), "København", "Kim Hansen")
    expected = run(app_library.open("København", 1)).result
    bundled = independent(start("kk2019"), "kk2019")
    assert stored_amounts(expected) != pytest.approx(stored_amounts(bundled), abs=0.5)  # the change matters
    shutil.rmtree(workspace / "data")
    at = run_app({"bibliotek": "København", "version": "1"})
    assert_clean(at)
    assert at.session_state["source"].key.startswith("upload:")  # the stored copy, not the bundled file
    assert_shows(at, expected)


def test_restoring_an_old_version_saves_it_again_as_the_newest_and_opens_it(app_library: Library) -> None:
    at = run_app({"pulje.2021": "500000"})
    save(at, "Plan")
    slider(at, "Pulje 2021").set_value(650_000).run()
    save(at, "Plan")
    pick(at, "Plan", 1)
    button(at, T["restore"]).click().run()
    assert_clean(at)
    assert [i.version for i in app_library.versions("Plan")] == [1, 2, 3]
    one, three = app_library.summary("Plan", 1), app_library.summary("Plan", 3)
    assert (three.scenario_toml, three.result, three.info.files) == (one.scenario_toml, one.result, one.info.files)
    assert three.info.note == "restored from version 1"
    assert dict(at.query_params) == {"bibliotek": "Plan", "version": "3"}
    assert at.selectbox(key=panel.PICK_VERSION).value == 3  # the picker follows the version the page is on
    settings = start("fb2021").with_budget(2021, 500_000)
    assert settings_of(at) == settings
    assert_shows(at, independent(settings, "fb2021"))


@pytest.mark.parametrize(
    ("key", "change", "extra"),
    [
        ("fb2021", {"pulje.2021": "600000", "udeluk.fb21-cricket": "1"}, {}),
        ("fb2021", {"vaegt.sundhed": "2"}, {"pulje.2022": "300000"}),
        ("kk2019", {"pulje": "7000000", "vaegt.job": "3"}, {}),
        ("kk2019", {"evidens": "2"}, {"pulje": "4000000"}),
    ],
    ids=["fb2021 as saved", "fb2021 with a change on top", "kk2019 as saved", "kk2019 with a change on top"],
)
def test_a_link_naming_a_version_shows_the_same_in_a_fresh_session(
    app_library: Library, key: str, change: dict[str, str], extra: dict[str, str]
) -> None:
    at = run_app({"katalog": key, **change})
    save(at, "Forslag")
    for name, value in extra.items():  # a change made after saving: the link says it on top of the version
        label = "Pulje 2022" if name == "pulje.2022" else ui_text.CONTROLS["pulje"]
        slider(at, label).set_value(float(value)).run()
    assert_clean(at)
    link = dict(at.query_params)
    assert {k: link[k] for k in ("bibliotek", "version")} == {"bibliotek": "Forslag", "version": "1"}
    assert "katalog" not in link
    new = run_app(link)
    assert_clean(new)
    assert settings_of(new) == settings_of(at)
    assert dict(new.query_params) == link
    assert_shows(new, independent(settings_of(at), key))


def test_what_was_typed_is_kept_while_another_tab_is_open(app_library: Library) -> None:
    at = save(run_app(), "Forslag", author="Kim Hansen")
    open_tab(at, RESULT_TAB)  # the tab "Bibliotek" is not drawn now: its boxes must not forget
    slider(at, "Pulje 2021").set_value(600_000).run()
    open_tab(at, ui_text.RESULTS["tabs"][5])
    button(at, T["save"]).click().run()
    assert_clean(at)
    assert T["saved"].format(name="Forslag", version=2) in shown_texts(at, "success")
    assert app_library.info("Forslag", 2).author == "Kim Hansen"


def test_saves_leave_no_keys_of_earlier_widget_generations_behind(app_library: Library) -> None:
    """Each save re-keys the widgets (a new generation); the old generation's keys go, so the session does not
    grow with every save (Streamlit walks every key on every run)."""
    at = run_app()
    for k in range(4):
        slider(at, "Pulje 2021").set_value(600_000 - 10_000 * k).run()
        save(at, "Forslag")
        assert_clean(at)
    generation = at.session_state["gen"]
    assert generation >= 4
    stale = [k for k in at.session_state if k.split(":", 1)[0].isdigit() and int(k.split(":", 1)[0]) < generation]
    assert stale == []
    assert [i.version for i in app_library.versions("Forslag")] == [1, 2, 3, 4]
