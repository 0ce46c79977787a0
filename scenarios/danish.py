"""The core's errors in Danish for the app: every problem of a file with its row and column, the common kinds
said in Danish, any other kept in the core's English words (marked as such), never a traceback.

The core's messages are English; each common kind is recognised by a pattern over its wording and filled
into a Danish template of ui_text.PROBLEMS. tests/test_app_danish.py makes each kind from a real bad file,
so a changed wording in the core shows up as a failing test, not as English on the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from optimizer.constraints import Constraint
from optimizer.errors import CatalogError, InputProblem, Problem, SpecError
from scenarios.export import constraint_text
from ui_text import PROBLEMS, WORDS

_VALUE = r"(?P<value>.+?)"
PATTERNS: tuple[tuple[str, str], ...] = (
    (r"missing column '(?P<name>[^']+)' \(is '(?P<hint>[^']+)' meant to be '[^']+'\?\)", "missing_column_hint"),
    (r"missing column '(?P<name>[^']+)'", "missing_column"),
    (r"unknown column '(?P<name>.+)': did you mean '(?P<hint>.+)'\?", "unknown_column"),
    (r"columns (?P<a>[A-Z]+) \(.*\) and (?P<b>[A-Z]+) \(.*\) are both named '(?P<name>.+)' .*", "columns_same_name"),
    (r"duplicate id '(?P<id>.+)' \(also row (?P<row>\d+)\)", "duplicate_id"),
    (r"empty id.*", "empty_id"),
    (r"empty name", "empty_name"),
    (r"unknown goal key '(?P<key>.+)' \(known: (?P<known>.*)\)", "unknown_goal"),
    (r"no goals: .*", "no_goals"),
    (r"cost_kr is 0: .*", "cost_zero"),
    (_VALUE + r" is not whole kroner", "not_whole"),
    (_VALUE + r" is not a number \(expected .*\)", "not_a_number"),
    (_VALUE + r" is not a number(: write 0 .*)?", "not_a_number"),
    (_VALUE + r" looks English-formatted; .*", "english_number"),
    (_VALUE + r" is negative: (?P<column>\w+) cannot be below 0", "negative"),
    (_VALUE + r" is out of range: (?P<column>\w+) must be at most (?P<high>.+)", "too_high"),
    (_VALUE + r" is infinite or too large to compute with", "too_large"),
    (_VALUE + r" is too large to be a figure", "too_large"),
    (r"'(?P<value>.*)' is not yes/no .*", "not_yes_no"),
    (_VALUE + r" has an empty entry \(entries are separated by '(?P<sep>.)'\)", "empty_entry"),
    (_VALUE + r" is outside 0-3 \(stars\)", "stars"),
    (_VALUE + r" is not a star count .*", "stars"),
    (r"min_kr (?P<low>.+) is above cost_kr (?P<cost>.+) \(max_kr is empty, so it is cost_kr\)", "min_above_cost"),
    (r"min_kr (?P<low>.+) is above max_kr (?P<high>.+)", "min_above_max"),
    (r"scalable is false \(all-or-nothing at (?P<cost>.+)\): leave (?P<column>\w+) empty", "fixed_size"),
    (r"reach_min (?P<low>.+) is above reach_max (?P<high>.+)", "reach_range"),
    (r"reach (?P<value>.+) is (?P<side>below|above) reach_(?:min|max) (?P<bound>.+)", "reach_outside"),
    (r"requires unknown id '(?P<id>.+)'", "requires_unknown"),
    (r"an indsats cannot require itself", "requires_itself"),
    (r"requires forms a cycle: (?P<cycle>.+)", "requires_cycle"),
    (r"the file is empty: .*", "empty_file"),
    (r"the file has a header but no rows", "no_rows"),
    (r"unsupported file type '(?P<suffix>.*)': use \.csv or \.xlsx", "file_type"),
    (r".* is a zip archive .*, not a CSV text file.*", "workbook_as_csv"),
    (r".* is an old-format Excel workbook .*", "old_excel"),
    (r".* is a password-protected \(encrypted\) workbook.*", "encrypted"),
    (r".* is a PDF document.*", "pdf"),
    (r"sheet '(?P<sheet>.+)' has merged cells \((?P<ranges>.+)\): .*", "merged"),
    (r"cell (?P<cell>[A-Z]+\d+) holds a formula whose value was never computed: .*", "formula"),
    (r".* is not text in any encoding pulje reads: .*", "encoding"),
    (r"the workbook has several sheets (?P<names>.+); name the catalog sheet '(?P<sheet>.+)'", "sheets"),
    (r"id '(?P<id>.+)' is not in the catalog", "id_not_in_catalog"),
    (r"unknown indsats id '(?P<id>[^']+)'.*", "unknown_id"),
    (r"udvalg '(?P<name>[^']+)' does not occur in the catalog.*", "unknown_udvalg"),
    (r"unknown goal '(?P<name>[^']+)'.*", "unknown_goal_name"),
    (r"year (?P<year>.+?) is not a year of the pulje .*", "unknown_year"),
    (r"(?P<name>.+) is given twice \(also .*\)", "given_twice"),
    (r"reach is not stated for: (?P<ids>.+?)\. Supply .*", "reach_missing"),
    (r"cost_kr is not stated for: (?P<ids>.+?)\. Supply .*", "cost_missing"),
    (r"the amounts cover several years: .*", "years_differ"),
    (r"a multi-year evaluation needs .*", "years_differ"),
)
_COMPILED = tuple((re.compile(pattern + r"\Z", re.DOTALL), key) for pattern, key in PATTERNS)


def detail(message: str) -> str:
    """One problem's detail in Danish, or the core's English words marked as such when the kind is rare."""
    for pattern, key in _COMPILED:
        match = pattern.match(message)
        if match:
            return PROBLEMS[key].format(**{k: v for k, v in match.groupdict().items() if v is not None})
    return PROBLEMS["english"].format(detail=message)


def problem_line(problem: Problem) -> str:
    """A file's problem in Danish: "række 4, kolonne cost_kr: …"."""
    where = ", ".join(
        part
        for part in (
            WORDS["row"].format(row=problem.row) if problem.row is not None else "",
            WORDS["column"].format(column=problem.column) if problem.column else "",
        )
        if part
    )
    text = detail(problem.message)
    return f"{where}: {text}" if where else text


def catalog_problems(exc: CatalogError, file_name: str) -> tuple[str, list[str]]:
    """A heading naming the file and the number of problems, and one Danish line per problem."""
    count = len(exc.problems)
    noun = WORDS["problem" if count == 1 else "problems"]
    head = PROBLEMS["file_head"].format(file=file_name, count=count, noun=noun)
    return head, [problem_line(p) for p in exc.problems]


def input_problems(exc: SpecError, constraints: tuple[Constraint, ...] = ()) -> Iterator[str]:
    """Problems with the settings in Danish, each constraint named in words as the workbook writes it
    (`constraints`: the ones the problems' key paths count in)."""
    for problem in exc.problems:
        yield _input_line(problem, constraints)


def _input_line(problem: InputProblem, constraints: tuple[Constraint, ...]) -> str:
    path = problem.path
    text = detail(problem.message)
    if len(path) >= 2 and path[0] == "constraints" and isinstance(path[1], int) and path[1] < len(constraints):
        return f"{constraint_text(constraints[path[1]])}: {text}"
    return f"{problem.where}: {text}" if path else text
