"""Benchmarks: ``python -m cxdash bench`` (or ``make bench``) prints a table.

Speed is measured here, never in timed unit tests. Each group builds its own
inputs in a temporary folder (cached between runs under the system temp
folder, keyed by size), runs the real code path several times and reports the
median, next to the target and a baseline measured in the same run.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

CACHE = Path(tempfile.gettempdir()) / "cxdash-bench"


@dataclass
class Row:
    group: str
    case: str
    seconds: float
    target: str
    verdict: str
    note: str = ""


def timed(fn: Callable[[], object], repeat: int = 3) -> tuple[float, list[float]]:
    """Median wall time of ``repeat`` runs (seconds), and all runs."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs), runs


def feedback_xlsx(rows: int, folder: Path = CACHE) -> Path:
    """A wide-ish 11-column feedback workbook like a survey tool's export (cached)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"feedback_{rows}x11.xlsx"
    if path.exists():
        return path
    from openpyxl import Workbook

    rng = np.random.default_rng(11)
    stages = ["Discover", "Join", "Find a car", "Drive", "Return & pay", "Get help"]
    tps = [f"Touchpoint {i:02d}" for i in range(30)]
    channels = ["App", "Website", "Call centre", "Email", "Parking hub"]
    regions = ["North", "Central", "South"]
    start = pd.Timestamp("2025-05-01")
    days = rng.integers(0, 540, rows)
    wb = Workbook(write_only=True)
    sh = wb.create_sheet("Responses")
    sh.append(
        [
            "Response ID",
            "Date",
            "Journey stage",
            "Touchpoint",
            "Channel",
            "Region",
            "CSAT (1-5)",
            "CES (1-7)",
            "Likelihood to recommend (0-10)",
            "Language",
            "Comment",
        ]
    )
    csat = rng.integers(1, 6, rows)
    ces = rng.integers(1, 8, rows)
    nps = rng.integers(0, 11, rows)
    st = rng.integers(0, len(stages), rows)
    tp = rng.integers(0, len(tps), rows)
    ch = rng.integers(0, len(channels), rows)
    rg = rng.integers(0, len(regions), rows)
    comments = [
        "Waited too long in the queue",
        "Easy and fast",
        None,
        "Hidden fee on my invoice",
        None,
    ]
    cm = rng.integers(0, len(comments), rows)
    for i in range(rows):
        sh.append(
            [
                f"R{i:07d}",
                (start + pd.Timedelta(days=int(days[i]))).to_pydatetime(),
                stages[st[i]],
                tps[tp[i]],
                channels[ch[i]],
                regions[rg[i]],
                int(csat[i]),
                int(ces[i]),
                int(nps[i]),
                "en",
                comments[cm[i]],
            ]
        )
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    tmp.rename(path)
    return path


def bench_import(rows: int) -> list[Row]:
    from cxdash.ingest.load import import_file
    from cxdash.workspace import Workspace

    path = feedback_xlsx(rows)
    results: list[Row] = []

    def do_import() -> None:
        with tempfile.TemporaryDirectory() as d:
            ws = Workspace(Path(d) / "bench.duckdb")
            r = import_file(ws, path, path.name)
            ws.close()
            if r.status != "loaded":
                raise RuntimeError(f"benchmark import failed: {r.message}")

    t_import, _ = timed(do_import, repeat=3)
    t_pandas, _ = timed(lambda: pd.read_excel(path, engine="openpyxl"), repeat=1)
    speedup = t_pandas / t_import if t_import else float("inf")
    results.append(
        Row(
            "import",
            f"{rows:,}-row x 11-col .xlsx into the workspace",
            t_import,
            "< 2 s",
            "ok" if t_import < 2 else "SLOW",
        )
    )
    results.append(
        Row(
            "import",
            "baseline: pandas.read_excel(engine='openpyxl')",
            t_pandas,
            "",
            "",
            f"cxdash is {speedup:.1f}x faster (target >= 5x: {'ok' if speedup >= 5 else 'MISSED'})",
        )
    )
    return results


def print_table(rows: list[Row]) -> None:
    headers = ("group", "case", "median s", "target", "verdict", "note")
    body = [(r.group, r.case, f"{r.seconds:.3f}", r.target, r.verdict, r.note) for r in rows]
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line)
    print("  ".join("-" * w for w in widths))
    for b in body:
        print("  ".join(c.ljust(w) for c, w in zip(b, widths, strict=True)))


GROUPS: dict[str, Callable[[bool], list[Row]]] = {
    "import": lambda quick: bench_import(10_000 if quick else 100_000),
}


def run_bench(quick: bool = False, only: list[str] | None = None) -> int:
    rows: list[Row] = []
    for name, group in GROUPS.items():
        if only and name not in only:
            continue
        print(f"running {name} ...", flush=True)
        rows.extend(group(quick))
    print()
    print_table(rows)
    return 0
