"""The placeholder Streamlit page, run headless with AppTest on the bundled data and on a broken copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import ui_text

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
TIMEOUT = 60  # seconds for one script run; the first run loads all three catalogs


@pytest.fixture(scope="module")
def app() -> AppTest:
    """The page as drawn on the bundled data."""
    return AppTest.from_file(APP, default_timeout=TIMEOUT).run()


def table_of(at: AppTest, key: str) -> pd.DataFrame:
    """The table drawn under the header of catalog `key` (tables follow the headers one to one)."""
    headers = [header.value for header in at.header]
    return at.table[headers.index(ui_text.CATALOG_NAMES[key])].value


def test_runs_without_exception_or_error(app: AppTest) -> None:
    assert not app.exception
    assert not app.error
    assert app.title[0].value == ui_text.PAGE_TITLE


@pytest.mark.parametrize("key", list(ui_text.CATALOG_NAMES))
def test_each_catalog_has_header_table_and_source(app: AppTest, key: str) -> None:
    assert ui_text.CATALOG_NAMES[key] in [header.value for header in app.header]
    assert len(table_of(app, key)) > 0
    assert any(ui_text.SOURCE_TITLES[key] in caption.value for caption in app.caption)


@pytest.mark.parametrize(("key", "indsatser"), [("fb2021", 8), ("fb2019", 12), ("kk2019", 30)])
def test_counts_of_indsatser(app: AppTest, key: str, indsatser: int) -> None:
    expected = ui_text.COUNT.format(indsatser=indsatser)
    assert any(markdown.value.startswith(expected) for markdown in app.markdown)


def test_frederiksberg_2019_costs_show_mangler(app: AppTest) -> None:
    costs = table_of(app, "fb2019")[ui_text.COLUMNS["cost"]]
    assert list(costs) == [ui_text.MISSING] * 13  # 12 indsatser and the fixed line: the transcript lost every amount


def test_frederiksberg_2021_costs_are_danish_kroner(app: AppTest) -> None:
    frame = table_of(app, "fb2021")
    assert frame.loc["fb21-kvinder-i-job", ui_text.COLUMNS["cost"]] == "150.000 kr."
    assert ui_text.MISSING not in set(frame[ui_text.COLUMNS["cost"]])


@pytest.mark.parametrize(
    ("key", "indsats", "reach"),
    [
        ("fb2021", "fb21-farvel-til-farvede-forventninger", ui_text.MISSING),  # the document gives no figure
        ("fb2021", "fb21-kvinder-i-job", "20-30 borgere (kvinder)"),
        ("fb2021", "fb21-borgerservice-to-go", "min. 400 borgere pr. år (en-til-en vejledning)"),
        ("kk2019", "kk-forebyggelse-diskrimination-unge", "min. 3.000 elever"),
    ],
)
def test_reach_is_shown_as_the_document_gives_it(app: AppTest, key: str, indsats: str, reach: str) -> None:
    assert table_of(app, key).loc[indsats, ui_text.COLUMNS["reach"]] == reach


def broken_copy(tmp_path: Path, how: str) -> Path:
    """A copy of data/ with the Frederiksberg 2021 catalog broken: a renamed column, or the file removed."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("sources"))
    catalog = data / "frederiksberg" / "handleplan_2021_2022.csv"
    if how == "bad column":
        text = catalog.read_text(encoding="utf-8")
        catalog.write_text(text.replace(",cost_kr,", ",cost,", 1), encoding="utf-8")
    else:
        catalog.unlink()
    return data


@pytest.mark.parametrize(("how", "message"), [("bad column", "cost_kr"), ("missing file", "file not found")])
def test_broken_catalog_shows_error_and_the_others_still_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str, message: str
) -> None:
    monkeypatch.setenv("PULJE_DATA_DIR", str(broken_copy(tmp_path, how)))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert len(at.error) == 1
    error = at.error[0].value
    assert ui_text.LOAD_FAILED.format(name=ui_text.CATALOG_NAMES["fb2021"]) in error
    assert message in error
    assert [table.value.index[0].split("-")[0] for table in at.table] == ["fb19", "kk"]
