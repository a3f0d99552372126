"""Command line: ``python -m cxdash import|imports|undo|report|bench``.

Exit codes: 0 when everything worked (every file loaded or was a duplicate),
1 when a file was rejected or an operation failed, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from cxdash.errors import CxdashError
from cxdash.workspace import Workspace


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2 with one plain line
        self.print_usage(sys.stderr)
        print(f"{self.prog}: {message}", file=sys.stderr)
        raise SystemExit(2)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2025-01-31") from exc


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m cxdash", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def db(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--db", help="workspace file (default: $CXDASH_DB or ./workspace/cxdash.duckdb)"
        )

    p = sub.add_parser("import", help="import feedback or touchpoint-map files")
    p.add_argument("files", nargs="+", metavar="FILE")
    db(p)
    p.add_argument("--kind", choices=["auto", "feedback", "touchpoints"], default="auto")
    p.add_argument("--sheet", help="read this sheet instead of the detected one(s)")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=ROLE",
        help="override what a column holds, e.g. 'Score=csat' (repeatable)",
    )
    p.add_argument(
        "--reverse-ces", action="store_true", help="the CES question is worded so 1 = very easy"
    )
    p.add_argument("--json", action="store_true", help="print one JSON object per file")

    p = sub.add_parser("imports", help="list imports")
    db(p)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("undo", help="remove one import")
    p.add_argument("import_id", metavar="IMPORT_ID")
    db(p)

    p = sub.add_parser("report", help="KPIs, touchpoint scorecard and themes")
    db(p)
    p.add_argument("--stage", action="append", default=[])
    p.add_argument("--channel", action="append", default=[])
    p.add_argument("--theme", action="append", default=[])
    p.add_argument("--from", dest="date_from", type=_date)
    p.add_argument("--to", dest="date_to", type=_date)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("bench", help="print the benchmark table")
    p.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    p.add_argument("--only", action="append", default=[], help="run only these benchmark groups")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "import":
        try:
            args.overrides = _overrides(args.map)
        except ValueError as exc:
            parser.error(str(exc))
    # Unexpected import problems are reported in each file's message; keep tracebacks off screen.
    logging.getLogger("cxdash").addHandler(logging.NullHandler())
    try:
        if args.command == "import":
            return _cmd_import(args)
        if args.command == "imports":
            return _cmd_imports(args)
        if args.command == "undo":
            return _cmd_undo(args)
        if args.command == "report":
            return _cmd_report(args)
        if args.command == "bench":
            return _cmd_bench(args)
    except CxdashError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 2


def _cmd_bench(args: argparse.Namespace) -> int:
    """The benchmarks live beside the library, in the repository's ``benchmarks`` folder."""
    try:
        from benchmarks.bench import run_bench
    except ImportError:
        print(
            "The benchmarks run from a checkout of the cxdash repository: cd there first.",
            file=sys.stderr,
        )
        return 2
    return run_bench(quick=args.quick, only=args.only)


def _overrides(pairs: list[str]) -> dict[str, str] | None:
    """``--map COLUMN=ROLE`` pairs as overrides (the last ``=`` splits, so columns may hold one)."""
    out = {}
    for pair in pairs:
        column, sep, role = pair.rpartition("=")
        if not sep or not column.strip() or not role.strip():
            raise ValueError(f"--map wants COLUMN=ROLE, got '{pair}'")
        out[column.strip()] = role.strip()
    return out or None


def _cmd_import(args: argparse.Namespace) -> int:
    from cxdash.ingest.load import ImportOptions

    options = ImportOptions(
        kind=args.kind,
        sheet=args.sheet,
        overrides=args.overrides,
        reverse_ces=args.reverse_ces,
    )
    worst = 0
    with Workspace(args.db) as ws:
        for name in args.files:
            result = _import_one(ws, Path(name), options)
            if result.status == "rejected":
                worst = 1
            _print_result(result, args.json)
    return worst


def _import_one(ws: Workspace, path: Path, options: Any) -> Any:
    from cxdash.ingest.load import ImportResult, import_file

    if not path.is_file():
        return ImportResult(file=path.name, status="rejected", message=f"{path} does not exist.")
    return import_file(ws, path, path.name, options)


def _print_result(result: Any, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False, default=str))
        return
    print(f"{result.status.upper():9} {result.message}")
    for w in result.warnings:
        print(f"          note: {w}")
    for e in result.errors[:20]:
        col = f" [{e['column']}]" if e.get("column") else ""
        print(f"          row {e['row']}{col}: {e['reason']}")
    if result.rows_rejected > 20:
        print(f"          ... {result.rows_rejected - 20:,} more rejected rows")


def _cmd_imports(args: argparse.Namespace) -> int:
    from cxdash.ingest.load import list_imports

    with Workspace(args.db) as ws:
        df = list_imports(ws)
    if args.json:
        records = json.loads(df.to_json(orient="records", date_format="iso", force_ascii=False))
        for r in records:
            for k in ("mapping", "warnings"):
                if isinstance(r.get(k), str):
                    r[k] = json.loads(r[k])
        print(json.dumps(records, ensure_ascii=False, indent=1))
        return 0
    if df.empty:
        print("No imports yet.")
        return 0
    cols = [
        "import_id",
        "kind",
        "file_name",
        "sheet",
        "rows_loaded",
        "rows_rejected",
        "imported_at",
        "undone_at",
    ]
    print(df[cols].to_string(index=False))
    return 0


def _cmd_undo(args: argparse.Namespace) -> int:
    from cxdash.ingest.load import undo_import

    with Workspace(args.db) as ws:
        print(undo_import(ws, args.import_id))
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from cxdash.filters import Filters
    from cxdash.promise import report

    filters = Filters(
        stages=args.stage,
        channels=args.channel,
        themes=args.theme,
        date_from=args.date_from,
        date_to=args.date_to,
    )
    with Workspace(args.db) as ws:
        data = report(ws, filters)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, default=str, indent=1))
    else:
        print(format_report(data))
    return 0


def format_report(data: dict[str, Any]) -> str:
    """The report as plain-text tables."""
    import pandas as pd

    lines = ["KPIs"]
    for key, k in data["kpis"].items():
        if k.get("value") is None:
            lines.append(f"  {key.upper():8} no responses")
            continue
        lines.append(
            f"  {key.upper():8} {k['value']:7.1f}  95% CI {k['ci_low']:.1f} to {k['ci_high']:.1f}  n={k['n']:,}"
        )
    tps = pd.DataFrame(data["touchpoints"])
    lines.append("")
    lines.append("Touchpoints by priority")
    if tps.empty:
        lines.append("  no touchpoints")
    else:
        cols = [
            c
            for c in (
                "touchpoint",
                "stage",
                "owner",
                "n",
                "score",
                "target",
                "gap",
                "status",
                "priority",
            )
            if c in tps.columns
        ]
        lines.append(tps[cols].to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    themes = pd.DataFrame(data["themes"])
    lines.append("")
    lines.append("Themes")
    lines.append(
        "  no themes"
        if themes.empty
        else themes.to_string(index=False, float_format=lambda v: f"{v:.2f}")
    )
    return "\n".join(lines)
