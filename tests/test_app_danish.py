"""Bad catalog files as a user uploads them: every common kind of problem is said in Danish with its row and
column, the core's English kept only as a marked fallback. Each case is made from a real file the core
refuses, so a changed wording in the core fails here instead of showing English on the page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from optimizer import CatalogError, load_catalog
from scenarios.danish import PATTERNS, catalog_problems, detail
from ui_text import PROBLEMS, WORDS

HEADER = (
    "id,name,udvalg,goals,cost_kr,min_kr,max_kr,reach,reach_min,reach_max,reach_unit,stars,scalable,source,quote,note"
)
GOOD = "a1,Første,SU,job,100000,,,50,,,borgere,,true,kilde,citat,"


def csv_with(tmp_path: Path, *lines: str, header: str = HEADER, name: str = "katalog.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


CASES = {
    "missing column": (lambda p: csv_with(p, GOOD.replace("Første,", ""), header=HEADER.replace("name,", "")), None),
    "misspelt column": (lambda p: csv_with(p, GOOD, header=HEADER.replace("cost_kr", "cost_kroner")), None),
    "duplicate id": (lambda p: csv_with(p, GOOD, GOOD.replace("Første", "Anden")), ("3", "id")),
    "empty id": (lambda p: csv_with(p, GOOD.replace("a1,", ",", 1)), ("2", "id")),
    "not a number": (lambda p: csv_with(p, GOOD.replace("100000", "mange penge")), ("2", "cost_kr")),
    "english number": (lambda p: csv_with(p, GOOD.replace("100000", '"100,000.50"')), ("2", "cost_kr")),
    "negative": (lambda p: csv_with(p, GOOD.replace(",50,", ",-5,")), ("2", "reach")),
    "not whole kroner": (lambda p: csv_with(p, GOOD.replace("100000", '"100000,5"')), ("2", "cost_kr")),
    "cost zero": (lambda p: csv_with(p, GOOD.replace("100000", "0")), ("2", "cost_kr")),
    "not yes/no": (lambda p: csv_with(p, GOOD.replace(",true,", ",måske,")), ("2", "scalable")),
    "stars": (lambda p: csv_with(p, GOOD.replace(",,true", ",7,true")), ("2", "stars")),
    "no goals": (lambda p: csv_with(p, GOOD.replace(",job,", ",,")), ("2", "goals")),
    "min above max": (lambda p: csv_with(p, GOOD.replace("100000,,", "100000,90000,80000")), ("2", "min_kr")),
    "requires unknown": (
        lambda p: csv_with(p, GOOD + ",zz", header=HEADER + ",requires"),
        ("2", "requires"),
    ),
    "empty file": (lambda p: csv_with(p, header=""), None),
    "header only": (lambda p: csv_with(p), None),
    "workbook named csv": (lambda p: _workbook(p, "katalog.csv"), None),
    "unsupported type": (lambda p: csv_with(p, GOOD, name="katalog.pdf"), None),
}


def _workbook(tmp_path: Path, name: str) -> Path:
    book = Workbook()
    book.active.append(HEADER.split(","))
    path = tmp_path / name
    book.save(path)
    return path


@pytest.mark.parametrize(("make", "where"), CASES.values(), ids=CASES.keys())
def test_each_common_problem_is_said_in_danish_with_its_row_and_column(tmp_path: Path, make, where) -> None:
    path = make(tmp_path)
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    head, lines = catalog_problems(caught.value, path.name)
    assert path.name in head
    english = PROBLEMS["english"].format(detail="").strip()
    for line in lines:
        assert english not in line, line
    if where is not None:
        row, column = where
        expected = f"{WORDS['row'].format(row=row)}, {WORDS['column'].format(column=column)}"
        assert any(line.startswith(expected) for line in lines), lines


def test_a_rare_problem_keeps_the_cores_english_marked_as_such() -> None:
    text = detail("a problem nobody has seen before")
    assert text == PROBLEMS["english"].format(detail="a problem nobody has seen before")


def test_every_pattern_has_a_danish_template_with_the_fields_it_captures() -> None:
    for pattern, key in PATTERNS:
        fields = set(re.compile(pattern).groupindex)
        template_fields = set(re.findall(r"{(\w+)}", PROBLEMS[key]))
        assert template_fields <= fields, (key, template_fields - fields)
