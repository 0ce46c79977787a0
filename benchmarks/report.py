"""The latest `make bench` as benchmarks/README.md's tables and the growth chart (PNG, log axes)."""

from __future__ import annotations

from pathlib import Path

README_HEAD = """# Benchmarks

`make bench` (under 10 minutes) times pulje against a baseline for every workload of issue 17, in one run on
one machine: pulje and its baseline alternate, so that both meet the same load; each figure is the median of
the runs, with the quartiles of the paired ratios (pulje's time / the baseline's) beside it. Large runs go
to a fresh process each, whose peak memory (the whole process) is reported. `make bench-quick` (under a
minute) checks the same on smaller sizes for development and leaves this file alone. Speed is measured here,
never asserted in `make test`. This file and `growth.png` are rewritten by every `make bench`.

How pulje solves a model (optimizer/highs.py and optimizer/fastpath.py choose by its shape, and every
fast path gives the solver's own answer, ties broken by id; tests/test_fastpath.py compares them):
- all-or-nothing indsatser: at most 16 free columns, every allocation tried against every row (the sums of
  two halves' subsets), the tie-break taken as the solver's second stage takes it; otherwise an exact
  knapsack over the budget in steps of the asks' common divisor, the budget rows solved and every other row
  checked afterwards (a `requires` pair within a year is one choice of three); where an udvalg cap binds
  (and every other row is a cap on indsatser under no other cap), a knapsack that keeps the caps itself: the
  LP relaxation's prices (by sorting) and a greedy allocation fix most indsatser by reduced cost, and each
  capped udvalg's knapsack is merged through its best points with the knapsack of the rest; where another
  row binds, HiGHS's branch and bound without presolve, whose tie-break stage first holds the columns
  every allocation of the optimal value has alike (a bound from the LP relaxation's duals) and cuts at the
  root only;
- an LP of at least 2.000 columns whose only rows are the budget's (and rows on one column): a sort by value
  per krone; other LPs of at least 5.000 columns: HiGHS's interior point method, then its simplex method for
  the tie-break on the optimal face, which is skipped where that face is a single point; smaller LPs: HiGHS's
  simplex; all without HiGHS's presolve (slow on many alike columns, and no help on these models);
- robustness: all draws at once by the knapsack or the sort (with `requires` pairs), the general path for
  the draws where another row binds.
PDLP was measured too and left out: its answer is within 10⁻⁴, not exact.
"""


def write_readme(report: dict, path: Path) -> None:
    versions = ", ".join(f"{name} {value}" for name, value in report["versions"].items())
    lines = [README_HEAD, f"## Latest run: {report['date']}", "",
             f"{report['machine']}; {versions}; {report['seconds']:.0f} s in all. Load average (1, 5, 15 min) "
             f"{report['load_before']} before and {report['load_after']} after: other work shared the machine's "
             "cores, which the alternating runs share out between pulje and its baseline.", "",
             "| workload | target | pulje | baseline | ratio (quartiles) | met |", "|" + "---|" * 6]  # fmt: skip
    for row in report["results"]:
        extra = f"; {row['peak_mb']:,.0f} MB peak".replace(",", ".") if "peak_mb" in row else ""
        extra += f"; full explanations {_time(row['explain_s'])}" if "explain_s" in row else ""
        ratio = f"{row['ratio']:.3f} ({row['ratio_q'][0]:.3f}-{row['ratio_q'][1]:.3f})".replace(".", ",")
        met = {True: "yes", False: "**no**", None: ""}[row["met"]]
        lines.append(f"| {row['workload']} | {row['target']} | {_time(row['pulje_s'])}{extra} | "
                     f"{row['baseline']}: {_time(row['baseline_s'])} | {ratio} | {met} |")  # fmt: skip
    lines += ["", "## Growth: time against the number of indsatser (20 udvalg caps)", "",
              "pulje: Inputs from a validated catalog and solve() (load excluded); direct: the same LP built from "
              "arrays in highspy (IPM, no presolve); sort: the budget alone by value per krone, the least work an "
              "exact method does (not the capped model's answer).", "",
              "| n | pulje | direct highspy | sort | pulje / direct | pulje memory |", "|" + "---|" * 6]  # fmt: skip
    for entry in report["growth"]:
        n, memory = f"{entry['n']:,}".replace(",", "."), f"{entry['pulje_mb']:,.0f}".replace(",", ".")
        ratio = f"{entry['pulje_s'] / entry['direct_s']:.2f}".replace(".", ",")
        lines.append(f"| {n} | {_time(entry['pulje_s'])} | {_time(entry['direct_s'])} | {_time(entry['sort_s'])} | "
                     f"{ratio} | {memory} MB |")  # fmt: skip
    lines += ["", "![time against n, log axes](growth.png)", ""]
    lines += _app_section(report.get("app", []))
    loads = report.get("sessions") or []
    for load in [loads] if isinstance(loads, dict) else loads:  # one run per number of app processes
        lines += _load_section(load)
    path.write_text("\n".join(lines), encoding="utf-8")


def _app_section(rows: list[dict]) -> list[str]:
    """The app's slider moves (benchmarks/app.py): headless through AppTest and in Chromium."""
    if not rows:
        return []
    lines = ["## The app: a slider move on the pulje", "",
             "benchmarks/app.py, per bundled catalog: the median of 15 moves to pulje values not seen before (and "
             "of 5 moves back to values seen, which come from the cache). AppTest runs the whole script through "
             "`streamlit.testing` (target: 150 ms for a new value); the browser figure is Debian's Chromium against "
             "`streamlit run`, from the key press to the budget bar stating the new pulje, with the browser and the "
             "server sharing the machine's cores.", "", "| measured | time |", "|---|---|"]  # fmt: skip
    lines += [f"| {row['benchmark'].removeprefix('app: ')} | {_time(row['seconds'])} |" for row in rows]
    return [*lines, ""]


def _load_section(load: dict | None) -> list[str]:
    """Many sessions on one server for a minute (benchmarks/load.py), each figure saying which client measured it."""
    if not load:
        return []
    client, servers = load.get("client", "browser"), load.get("servers", 1)  # older runs: all browser, one server
    where = "one server" if servers == 1 else f"{servers} app processes sharing one library"
    head = LOAD_HEAD[client].format(served=SERVED[servers > 1].format(servers=servers), **load)
    lines = [f"## Many users at once: {load['sessions']} sessions on {where}", "", head,
             f"Run on {load['when']}.", "", "| measured | figure |", "|---|---|"]  # fmt: skip
    lines += [f"| {what} | {figure} |" for what, figure in _load_rows(client, load)]
    return [*lines, ""]


def _load_rows(client: str, load: dict) -> list[tuple[str, str]]:
    problems = "none" if not (load["lost"] or load["mixed_up"] or load["unconfirmed"]) else (
        f"{load['lost']} lost, {load['mixed_up']} mixed up, {load['unconfirmed']} unconfirmed")  # fmt: skip
    rows = [(f"sessions, each its own Streamlit session ({CLIENTS[client]})", f"{load['sessions']}"),
            ("duration", _time(load["duration_s"])), *_client_rows(client, load)]  # fmt: skip
    beside = load.get("browser")
    if beside:
        rows.append(
            (f"beside them, at the same time: Chromium pages (nice {load['browser_nice']})", f"{beside['sessions']}")
        )
        rows += _client_rows("browser", beside)
    rows += [
        ("errors in any session (a wait over 30 s, an error box or a traceback)", f"{load['errors']}"),
        (f"saves checked in the library afterwards ({load.get('saves_checked', load['saves'])}: author, note, "
         "pulje, allocation re-solved)", problems),
        ("versions in the library", f"{load['versions_in_library']}"),
    ]  # fmt: skip
    calm, cpu, average = load.get("alone"), load.get("cpu_seconds"), load.get("load_average")
    if calm:
        figure = f"{_time(calm['move_p50_s'])}; {_time(calm['server_cpu_per_move_s'])}"
        rows.append((f"one protocol session alone on the server before the load ({calm['moves']} moves): move p50; "
                     "the server's CPU time per move", figure))  # fmt: skip
    if cpu:
        keys = ("server_s", "chromium_s", "this_driver_s", "rest_of_machine_s")
        used = "; ".join(_time(cpu.get(key)) for key in keys) + f" (of {_time(cpu['wall_s'])} on each core)"
        rows.append(("CPU time in the measured time: the app's server(s), Chromium, this driver, all else on the "
                     "machine", used))  # fmt: skip
    if average:
        rows.append(("load average (1, 5, 15 min) before and after", f"{average['before']}; {average['after']}"))
    return rows


CLIENTS = {"protocol": "a client of Streamlit's websocket protocol", "browser": "a page of headless Chromium"}
SERVED = ("one `streamlit run app.py`", "{servers} `streamlit run app.py` processes sharing one library (session k on "
          "process k mod {servers}, as a load balancer keeps a tab on one process)")  # fmt: skip
LOAD_HEAD = {
    "protocol": "benchmarks/load.py (`make bench-load` alone): {sessions} sessions against {served} for a "
    "minute, each a client of Streamlit's websocket protocol (benchmarks/streamlit_client.py) that "
    "sends what a browser tab sends and draws nothing, as if each user had a laptop of their own: moving the pulje "
    "2021 slider (0,5-1,5 s between moves) and saving to one SQLite library under names shared by several "
    "sessions. "
    "The protocol figures are the server's answer times; the Chromium pages beside them (at a lower CPU priority, "
    "nice {browser_nice}) show what a real page shows meanwhile, from the key press to the redrawn budget bar.",
    "browser": "benchmarks/load.py --client browser: {sessions} sessions of one headless Chromium against "
    "{served} for a minute, each moving the pulje 2021 slider (0,5-1,5 s between moves) and saving "
    "to one SQLite library under names shared by several sessions. Chromium runs at a lower CPU priority (nice "
    "{browser_nice}): on this machine it stands in for laptops of their own; the CPU time below says whether its "
    "rendering or the server was the bottleneck.",
}


def _client_rows(client: str, figures: dict) -> list[tuple[str, str]]:
    """The moves and saves as one client measured them (benchmarks/load.py's figures())."""
    moves = f"{figures['moves']}; {_time(figures['move_p50_s'])}; {_time(figures['move_p95_s'])}; " + _time(
        figures["move_max_s"]
    )
    saves = f"{figures['saves']}; {_time(figures['save_p50_s'])}; {_time(figures['save_p95_s'])}"
    if client == "protocol":
        return [
            ("slider moves (protocol), sending the change to the message with the new budget bar: count, p50, "
             "p95, max", moves),
            ("the same, until the script run finished (the whole result sent): p50, p95",
             f"{_time(figures.get('finished_p50_s'))}; {_time(figures.get('finished_p95_s'))}"),
            ("saves to the shared library (protocol), sending the click to the message naming the version: "
             "count, p50, p95", saves),
        ]  # fmt: skip
    return [
        ("slider moves (Chromium), key press to the budget bar redrawn: count, p50, p95, max", moves),
        ("the same, key press to the server's message reaching the page: p50, p95",
         f"{_time(figures.get('server_p50_s'))}; {_time(figures.get('server_p95_s'))}"),
        ("saves to the shared library (Chromium), click to the page naming the version: count, p50, p95", saves),
    ]  # fmt: skip


def chart(growth: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    n = [entry["n"] for entry in growth]
    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=110)
    for key, label in (("pulje_s", "pulje (Inputs + solve)"), ("direct_s", "direct highspy (IPM)"),
                       ("sort_s", "sort by value per krone")):  # fmt: skip
        axes.plot(n, [entry[key] for entry in growth], marker="o", label=label)
    axes.set(xscale="log", yscale="log", xlabel="indsatser (n)", ylabel="seconds",
             title="Time against n, 20 udvalg caps")  # fmt: skip
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def _time(seconds: float | None) -> str:
    if seconds is None:
        return "none"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms".replace(".", ",")
    return f"{seconds:.2f} s".replace(".", ",")
