"""Files in and out of the app (AppTest): a good and bad catalog uploads, the scenario file and the committee
workbook downloaded, and a scenario file uploaded to go on. A bad file is named with its row and column in
Danish and never loses what the user had; what is downloaded gives what the core gives for the settings."""

from __future__ import annotations

import io
import json
import math
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

import ui_text
from optimizer import load_catalog, solve
from scenarios.bundled import half_the_asks
from scenarios.settings import RowEdit, Settings
from tests.app_helpers import (
    AMOUNT,
    ROOT,
    assert_amounts,
    assert_clean,
    caught_downloads,
    independent,
    main_table,
    open_tab,
    run_app,
    shown_texts,
    start,
)
from tests.conftest import pulje

HEADER = "id,name,udvalg,goals,cost_kr,reach,scalable,source,quote,note"
ROWS = [
    "u1,Lektiecafé,SU,job,200000,80,true,egen opgørelse,200.000 kr. og 80 elever,",
    "u2,Sprogmakker,KFU,job;skole,150000,60,false,egen opgørelse,150.000 kr. og 60 borgere,",
    "u3,Jobmentor,SU,job,300000,40,true,egen opgørelse,300.000 kr. og 40 borgere,",
]


def upload_csv(at, name: str, text: str, encoding: str = "utf-8"):
    uploader = next(u for u in at.file_uploader if u.label == ui_text.APP["upload_label"])
    return uploader.set_value((name, text.encode(encoding), "text/csv")).run()


def test_a_good_upload_opens_at_half_its_asks_and_solves_as_the_core_does() -> None:
    at = run_app({"pulje.2021": "500000"})
    upload_csv(at, "mit_katalog.csv", "\n".join([HEADER, *ROWS]))
    assert_clean(at)
    assert at.query_params["katalog"].startswith("upload:")
    catalog = load_catalog_text("\n".join([HEADER, *ROWS]))
    settings = Settings(at.query_params["katalog"], budget=((None, half_the_asks(catalog)),))
    assert settings.budget == ((None, 320_000.0),)
    assert_amounts(at, solve(settings.to_inputs(catalog)))
    assert "mit_katalog.csv" in shown_texts(at, "info")
    assert ui_text.PULJE_NOTES["upload"] in shown_texts(at, "caption")


def load_catalog_text(text: str) -> pd.DataFrame:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mit_katalog.csv"
        path.write_text(text, encoding="utf-8")
        return load_catalog(path)


BAD_UPLOADS = {
    "not a number": ([ROWS[0], ROWS[1].replace("150000", "mange"), ROWS[2]], "række 3, kolonne cost_kr"),
    "duplicate id": ([*ROWS, ROWS[2].replace("u3,", "u1,")], "række 5, kolonne id"),
    "not yes/no": ([ROWS[0].replace(",true,", ",måske,"), *ROWS[1:]], "række 2, kolonne scalable"),
}


@pytest.mark.parametrize(("rows", "where"), BAD_UPLOADS.values(), ids=BAD_UPLOADS.keys())
def test_a_bad_upload_names_file_row_and_column_in_danish_and_keeps_everything(rows: list[str], where: str) -> None:
    at = run_app({"pulje.2021": "500000"})
    before = main_table(at)[AMOUNT].copy()
    upload_csv(at, "forkert.csv", "\n".join([HEADER, *rows]))
    assert_clean(at)
    errors = shown_texts(at, "error")
    assert "forkert.csv" in errors and where in errors, errors
    assert "detalje på engelsk" not in errors
    assert dict(at.query_params) == {"katalog": "fb2021", "pulje.2021": "500000"}
    assert main_table(at)[AMOUNT].equals(before)


def test_a_workbook_renamed_to_csv_is_said_what_it_is() -> None:
    at = run_app()
    buffer = io.BytesIO()
    Workbook().save(buffer)
    uploader = next(u for u in at.file_uploader if u.label == ui_text.APP["upload_label"])
    uploader.set_value(("katalog.csv", buffer.getvalue(), "text/csv")).run()
    assert_clean(at)
    errors = shown_texts(at, "error")
    assert "Excel" in errors and "katalog.csv" in errors
    assert at.query_params["katalog"] == "fb2021"


def test_a_windows_1252_upload_is_read_and_said_so() -> None:
    at = run_app()
    text = "\n".join([HEADER, *ROWS]).replace("Lektiecafé", "Lektiecafé for små og store")
    upload_csv(at, "ansi.csv", text, encoding="cp1252")
    assert_clean(at)
    notes = shown_texts(at, "info")
    assert "Windows-1252" in notes and "ansi.csv" in notes and " is " not in notes  # said in Danish
    assert "Lektiecafé for små og store" in main_table(at).index


def test_catalog_text_cannot_load_an_image_or_close_a_code_span() -> None:
    """A `name` or `source` is shown as text: escaped where it meets Markdown, plain in tables."""
    hostile = "![x](http://127.0.0.1:9/spor.png) ` lukket` <img src=x> :red[rød] $x$"
    rows = [ROWS[0].replace("Lektiecafé", hostile.replace(",", " ")), *ROWS[1:]]
    at = run_app()
    upload_csv(at, "fjendtlig.csv", "\n".join([HEADER, *rows]))
    assert_clean(at)
    for tab in ui_text.RESULTS["tabs"]:
        open_tab(at, tab)
        texts = [e.value for kind in ("markdown", "caption", "info", "warning", "error") for e in getattr(at, kind)]
        for text in texts:
            assert not re.search(r"(?<!\\)!(?<!\\)\[", text), text  # no image syntax left unescaped
            assert not re.search(r"(?<!\\)`", text), text  # no code span can open or close
            assert not re.search(r"(?<!\\)<", text), text  # no HTML tag either
    assert not at.get("image")


def test_the_downloaded_scenario_runs_through_pulje_run_to_the_same_allocation(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with caught_downloads(monkeypatch) as files:
        at = run_app(
            {
                "pulje.2021": "600000",
                "vaegt.sundhed": "2,5",
                "udvalg_max.AUU": "250000",
                "laas.2021.fb21-cricket": "10000",
                "grund.fb21-cricket": "aftalt",
            }
        )
        open_tab(at, "Del og gem")
        assert_clean(at)
    toml = files["pulje-fb2021.toml"]
    path = tmp_path / "gemt" / "plan.toml"
    path.parent.mkdir()
    path.write_bytes(toml)  # type: ignore[arg-type]
    code, out, err = pulje(capsys, "run", str(path), "--format", "json")
    assert code == 0, err
    settings = (
        start("fb2021").with_budget(2021, 600_000).with_weight("sundhed", 2.5).with_limit("udvalg_max", "AUU", 250_000)
    )
    settings = settings.with_edit(RowEdit("fb21-cricket", lock=((2021, 10_000.0),), reason="aftalt"))
    expected = independent(settings, "fb2021")
    got = {row["id"]: row["amount_kr"] for row in json.loads(out)["allocation"]}
    for indsats_id, amount in zip(expected.allocation["id"], expected.allocation["amount_kr"], strict=True):
        assert math.isclose(got[indsats_id], amount, abs_tol=0.5), indsats_id


def test_the_committee_workbook_holds_the_shown_allocation(monkeypatch: pytest.MonkeyPatch) -> None:
    with caught_downloads(monkeypatch) as files:
        at = run_app({"pulje.2021": "500000"})
        open_tab(at, "Del og gem")
    make = files["pulje-fb2021.xlsx"]
    assert callable(make)  # made only when clicked
    book = load_workbook(io.BytesIO(make()), data_only=True)  # type: ignore[operator]
    sheet = book[ui_text.EXCEL["sheet_allocation"]]
    rows = list(sheet.iter_rows(values_only=True))
    start_row = next(k for k, r in enumerate(rows) if ui_text.EXCEL["id"] in r)
    header = rows[start_row]
    ids, amounts = header.index(ui_text.EXCEL["id"]), header.index(ui_text.EXCEL["amount_kr"])
    shown = {r[ids]: r[amounts] for r in rows[start_row + 1 :] if r[ids]}
    expected = independent(start("fb2021").with_budget(2021, 500_000), "fb2021")
    for indsats_id, amount in zip(expected.allocation["id"], expected.allocation["amount_kr"], strict=True):
        assert math.isclose(shown[indsats_id], amount, abs_tol=0.5), indsats_id
    assert ui_text.EXCEL["sheet_comparison"] in book.sheetnames  # the reference beside it


def test_an_uploaded_scenario_file_restores_its_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    query = {"katalog": "kk2019", "pulje": "7000000", "vaegt.job": "3", "udeluk.kk-fritidsjob": "1"}
    with caught_downloads(monkeypatch) as files:
        at = run_app(query)
        open_tab(at, "Del og gem")
    toml = files["pulje-kk2019.toml"]
    fresh = open_tab(run_app({"pulje.2021": "500000"}), "Del og gem")
    uploader = next(u for u in fresh.file_uploader if u.label == ui_text.SHARE["upload_label"])
    uploader.set_value(("plan.toml", toml, "application/toml")).run()
    assert_clean(fresh)
    assert fresh.query_params["katalog"] == "kk2019"
    base = start("kk2019").with_budget(None, 7_000_000).with_weight("job", 3.0)
    settings = base.with_edit(RowEdit("kk-fritidsjob", exclude=True))
    open_tab(fresh, "Fordeling")
    assert_amounts(fresh, independent(settings, "kk2019"))


def test_a_bad_scenario_file_is_refused_in_danish_and_keeps_everything() -> None:
    at = open_tab(run_app({"pulje.2021": "500000"}), "Del og gem")
    uploader = next(u for u in at.file_uploader if u.label == ui_text.SHARE["upload_label"])
    uploader.set_value(("ødelagt.toml", b"name = [unclosed", "application/toml")).run()
    assert_clean(at)
    errors = shown_texts(at, "error")
    assert "ødelagt.toml" in errors and "bevaret" in errors
    assert dict(at.query_params) == {"katalog": "fb2021", "pulje.2021": "500000"}


def test_a_broken_bundled_catalog_is_named_in_danish_and_another_can_be_chosen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("sources"))
    path = data / "frederiksberg" / "handleplan_2021_2022.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",cost_kr,", ",cost,", 1), encoding="utf-8")
    monkeypatch.setenv("PULJE_DATA_DIR", str(data))
    at = run_app()
    assert_clean(at)
    errors = shown_texts(at, "error")
    assert "handleplan_2021_2022.csv" in errors and "kolonnen »cost_kr« mangler" in errors
    choice = next(s for s in at.selectbox if s.label == ui_text.APP["catalog"])
    choice.set_value("kk2019").run()
    assert_clean(at)
    assert_amounts(at, independent(start("kk2019"), "kk2019"))
