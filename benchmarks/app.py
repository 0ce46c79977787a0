"""The app's speed where a committee feels it: a slider moved, the result updated.

Two figures per case, medians of repeated moves to pulje values not seen before (so nothing comes from the
cache; a move back to a value seen costs less):
- AppTest: one move through streamlit.testing (the whole script run, on this machine's Python), per bundled
  catalog; the target is 150 ms.
- browser: `streamlit run` and Debian's Chromium; the time from a key press on the pulje slider until the
  result drawn on the page (the budget bar, which states the pulje it was solved for) shows the new pulje.

`python -m benchmarks.app` prints the table and writes benchmarks/results/app.json; bench_app() gives the
rows ({"benchmark", "seconds"}) for benchmarks/run.py to include.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright
from streamlit.testing.v1 import AppTest

import ui_text
from tests.browser_helpers import CHROMIUM, launch, open_app, served_app, settled
from ui.tables import label as as_label

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
MOVES = 15
# (catalog key, the slider moved, its starting value, the step between moves)
CASES = {
    "frederiksberg 2021-22 (two years, all-or-nothing)": ("fb2021", "Pulje 2021", 722_000.0, -7_000.0),
    "frederiksberg 2019 (costs assumed)": ("fb2019", ui_text.CONTROLS["pulje"], 1_700_000.0, -30_000.0),
    "copenhagen bruttokatalog (30 indsatser, LP)": ("kk2019", ui_text.CONTROLS["pulje"], 10_000_000.0, -200_000.0),
}
# Frederiksberg 2019 states no costs: the benchmark assumes 100.000 kr. each (the app would ask for them).
FB2019_COSTS = {
    "fb19-endnu-flere-skal-med",
    "fb19-kvinder-i-job-vilkaar",
    "fb19-kursuscafeen",
    "fb19-come-on",
    "fb19-ung-moeder-ung",
    "fb19-fritidspas-nr-2",
    "fb19-idraet-gymnasieelever",
    "fb19-unge-idraetsrollemodeller",
    "fb19-moedrenetvaerk",
    "fb19-borgerservice-to-go",
    "fb19-hverdagsraadgivning",
    "fb19-samvaersgrupper-aeldre",
    "fb19-integrationspriser",
}
FB2019_REACH = ("fb19-ung-moeder-ung", "fb19-borgerservice-to-go", "fb19-hverdagsraadgivning")


def query(key: str) -> dict[str, str]:
    if key != "fb2019":
        return {"katalog": key}
    params = {"katalog": key, **{f"omk.{i}": "100000" for i in sorted(FB2019_COSTS)}}
    return params | {f"rv.{i}": "25" for i in FB2019_REACH}


def apptest_move(key: str, label: str, start: float, step: float) -> tuple[float, float]:
    """Median seconds of a slider move to a new value, and of a move back to a value seen before."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update(query(key))
    at.run()
    if at.exception:
        raise RuntimeError(f"{key}: {at.exception[0].value}")
    slider = next(s for s in at.slider if s.label == as_label(label))
    values = [start + step * (k + 1) for k in range(MOVES)]
    fresh, again = [], []
    for value in values:
        began = time.perf_counter()
        slider.set_value(value).run()
        fresh.append(time.perf_counter() - began)
        slider = next(s for s in at.slider if s.label == as_label(label))
    for value in values[:5]:
        began = time.perf_counter()
        slider.set_value(value).run()
        again.append(time.perf_counter() - began)
        slider = next(s for s in at.slider if s.label == as_label(label))
    return statistics.median(fresh), statistics.median(again)


def browser_move(url: str, key: str, label: str) -> float:
    """Median seconds from a key press on the pulje slider until the budget bar states the new pulje."""
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            params = "&".join(f"{k}={v}" for k, v in query(key).items())
            page = open_app(browser, f"{url}?{params}", {"width": 1440, "height": 900})
            settled(page)
            thumb = page.get_by_role("slider", name=label)
            box = page.get_by_label(ui_text.CONTROLS["box"].format(label=label))
            bar = page.locator(".st-key-budget_bar")
            times = []
            for _ in range(MOVES):
                before = box.input_value()
                thumb.focus()
                began = time.perf_counter()
                page.keyboard.press("ArrowLeft")
                page.wait_for_function(
                    "([label, old]) => document.querySelector(`input[aria-label='${label}']`).value !== old",
                    arg=[box.get_attribute("aria-label"), before],
                )
                bar.get_by_text(f"{box.input_value()} kr.", exact=False).first.wait_for(timeout=30_000)
                times.append(time.perf_counter() - began)
                settled(page, 150)
            return statistics.median(times)
        finally:
            browser.close()


def bench_app() -> list[dict]:
    """The app's rows for the benchmark table: a slider move per bundled catalog, headless and in a browser."""
    rows = []
    for name, (key, label, start, step) in CASES.items():
        fresh, again = apptest_move(key, label, start, step)
        rows.append({"benchmark": f"app: slider move, AppTest (new value): {name}", "seconds": fresh})
        rows.append({"benchmark": f"app: slider move, AppTest (value seen before): {name}", "seconds": again})
    if CHROMIUM.exists():
        with tempfile.TemporaryDirectory() as folder, served_app(Path(folder) / "server.log") as url:
            for name, (key, label, _, _) in CASES.items():
                rows.append(
                    {
                        "benchmark": f"app: slider move to redrawn result, browser: {name}",
                        "seconds": browser_move(url, key, label),
                    }
                )
    return rows


def main() -> None:
    rows = bench_app()
    width = max(len(row["benchmark"]) for row in rows)
    for row in rows:
        print(f"{row['benchmark']:<{width}}  {row['seconds'] * 1000:8.1f} ms")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "app.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
