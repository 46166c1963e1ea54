"""The bench's table: the demo-size and the scale run side by side, marked against the targets.

Each row is marked OK or FAIL against the targets of issue 12 (bench.py holds the numbers):
an HTML page (searches and the dashboard included) at most 3x the trivial page, with the same
number of queries as at demo size and a response under 512 KB; an export with its memory
bounded by a constant; an import at most 2x a read-only parse of the same file; the summary
report at most 2x its floor in time and under 500 MB. The JSON written holds both runs whole.
"""

from __future__ import annotations

import json
import subprocess
from datetime import datetime
from pathlib import Path

from .bench import (
    EXPORT_EXTRA_MB,
    IMPORT_RATIO,
    PAGE_MAX_BYTES,
    PAGE_RATIO,
    REPORT_PEAK_MB,
    REPORT_TIME_RATIO,
    ROOT,
)

TARGETS = {
    "page": f"<= {PAGE_RATIO:g}x trivial, queries as at demo size, < {PAGE_MAX_BYTES // 1024} KB",
    "search": f"<= {PAGE_RATIO:g}x trivial, queries as at demo size",
    "dashboard": f"<= {PAGE_RATIO:g}x trivial, queries as at demo size (independent of size)",
    "export": f"memory bounded: < {EXPORT_EXTRA_MB} MB above the worker's before the request",
    "import": f"preview and commit <= {IMPORT_RATIO:g}x an openpyxl read-only parse",
    "report": f"<= {REPORT_TIME_RATIO:g}x its floor in time, < {REPORT_PEAK_MB} MB",
}


def _ok_status(status: str | None) -> bool:
    """ "200", "302" or "200, 302" (preview, commit): every step answered below 400."""
    parts = [part.strip().split(" ")[0] for part in (status or "").split(",")]
    return bool(parts) and all(part.isdigit() and int(part) < 400 for part in parts)


def page_verdict(demo: dict | None, scale: dict) -> list[str]:
    """The reasons a scale row misses its target (empty: it meets it)."""
    problems = []
    if not _ok_status(scale.get("status")):
        problems.append(f"status {scale.get('status')}")
    kind = scale["kind"]
    if kind == "export":
        peak = scale.get("peak_extra_mb")
        if peak is not None and peak >= EXPORT_EXTRA_MB:
            problems.append(f"+{peak:g} MB")
        return problems
    ratio = scale.get("ratio")
    if ratio is None or ratio > PAGE_RATIO:
        problems.append(f"{ratio}x trivial")
    if demo is None:
        problems.append("no demo-size row")
    elif demo.get("queries") is not None and scale.get("queries") != demo.get("queries"):
        problems.append(f"queries {demo.get('queries')} -> {scale.get('queries')}")
    if kind == "page" and (scale.get("bytes") or 0) > PAGE_MAX_BYTES:
        problems.append(f"{scale['bytes'] // 1024} KB")
    return problems


def import_verdict(row: dict) -> list[str]:
    problems = []
    if not _ok_status(row.get("status")):
        problems.append(f"status {row.get('status')}")
    for step in ("preview", "commit"):
        ratio = row.get(f"{step}_ratio")
        if ratio is not None and ratio > IMPORT_RATIO:
            problems.append(f"{step} {ratio}x parse")
    if row.get("commit_ratio") is None:
        problems.append("no commit")
    return problems


def report_verdict(report: dict) -> list[str]:
    if not report:
        return ["not measured"]
    problems = []
    if report.get("status") != "klar":
        problems.append(f"status {report.get('status')}")
    ratio = report.get("time_ratio")
    if ratio is None or ratio > REPORT_TIME_RATIO:
        problems.append(f"{ratio}x floor")
    if (report.get("peak_mb") or 0) >= REPORT_PEAK_MB:
        problems.append(f"{report.get('peak_mb')} MB")
    return problems


def _n(value, suffix: str = "", digits: int = 0) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and digits:
        return f"{value:.{digits}f}{suffix}"
    return f"{round(value):,}{suffix}".replace(",", " ")


def _cells(row: dict | None) -> str:
    if row is None:
        return f"{'':>8} {'':>6} {'':>5} {'':>7}"
    kb = None if row.get("bytes") is None else row["bytes"] / 1024
    return (
        f"{_n(row.get('median_ms')):>8} {_n(row.get('ratio'), 'x', 1):>6} "
        f"{_n(row.get('queries')):>5} {_n(kb):>7}"
    )


def _git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - a fixed git command
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        return ""


def summarise(demo_path: Path, scale_path: Path, out: Path) -> int:
    demo = json.loads(demo_path.read_text())
    scale = json.loads(scale_path.read_text())
    demo_pages = {row["key"]: row for row in demo["pages"]}
    rows = []
    lines = []
    header = (
        f"{'page [variant] (role)':<62} {'kind':<9}| {'demo ms':>8} {'ratio':>6} {'q':>5} "
        f"{'KB':>7} | {'scale ms':>8} {'ratio':>6} {'q':>5} {'KB':>7} {'+MB':>6} | verdict"
    )
    lines.append(header)
    lines.append("-" * len(header))
    for row in scale["pages"]:
        before = demo_pages.get(row["key"])
        problems = page_verdict(before, row)
        verdict = "OK" if not problems else "FAIL " + "; ".join(problems)
        rows.append(
            {
                "key": row["key"],
                "kind": row["kind"],
                "demo": before,
                "scale": row,
                "verdict": "OK" if not problems else "FAIL",
                "problems": problems,
            }
        )
        lines.append(
            f"{row['key'][:62]:<62} {row['kind']:<9}| {_cells(before)} | {_cells(row)} "
            f"{_n(row.get('peak_extra_mb')):>6} | {verdict}"
        )
    missing = sorted(set(demo_pages) - {row["key"] for row in scale["pages"]})
    for key in missing:
        rows.append(
            {
                "key": key,
                "kind": demo_pages[key]["kind"],
                "demo": demo_pages[key],
                "scale": None,
                "verdict": "FAIL",
                "problems": ["not measured at scale"],
            }
        )
        lines.append(f"{key[:62]:<62} {'':<9}| {_cells(demo_pages[key])} | not measured at scale")

    lines.append("")
    lines.append(
        f"{'import':<40} {'rows':>6} | {'parse ms':>9} {'preview':>9} {'commit':>9} "
        f"{'q demo':>7} {'q scale':>8} | verdict"
    )
    demo_imports = {row["key"]: row for row in demo["imports"]}
    imports = []
    for row in scale["imports"]:
        problems = import_verdict(row)
        before = demo_imports.get(row["key"], {})
        imports.append(
            {
                "key": row["key"],
                "demo": before,
                "scale": row,
                "verdict": "OK" if not problems else "FAIL",
                "problems": problems,
            }
        )
        preview = f"{_n(row.get('preview_ratio'), 'x', 2)}" if row.get("preview_ms") else "–"
        queries = lambda r: f"{_n(r.get('preview_queries'))}+{_n(r.get('commit_queries'))}"  # noqa: E731
        lines.append(
            f"{row['key']:<40} {row['rows']:>6} | {_n(row.get('parse_ms')):>9} {preview:>9} "
            f"{_n(row.get('commit_ratio'), 'x', 2):>9} {queries(before):>7} {queries(row):>8} | "
            + ("OK" if not problems else "FAIL " + "; ".join(problems))
        )

    lines.append("")
    report = scale.get("report") or {}
    problems = report_verdict(report)
    demo_report = demo.get("report") or {}
    for label, data in (("demo", demo_report), ("scale", report)):
        lines.append(
            f"summary report ({label}): {_n(data.get('seconds'), ' s', 1)}, peak "
            f"{_n(data.get('peak_mb'))} MB; floor {_n(data.get('floor_seconds'), ' s', 1)}, "
            f"{_n(data.get('floor_peak_mb'))} MB; ratio time {_n(data.get('time_ratio'), 'x', 2)},"
            f" memory {_n(data.get('memory_ratio'), 'x', 2)}; {_n(data.get('cells'))} cells"
        )
    lines.append("summary report: " + ("OK" if not problems else "FAIL " + "; ".join(problems)))

    failed = sum(row["verdict"] == "FAIL" for row in rows + imports) + bool(problems)
    total = len(rows) + len(imports) + 1
    lines.append("")
    lines.append(
        f"Trivial page: {demo['trivial']['median_ms']} ms (demo), "
        f"{scale['trivial']['median_ms']} ms (scale, {scale['interviews']:,} interviews). "
        f"{total - failed} of {total} rows meet their target, {failed} FAIL."
    )
    lines.append(
        "Not benchmarked as pages: "
        + "; ".join(f"{name} ({reason})" for name, reason in sorted(scale["skipped"].items()))
    )
    lines.append("Targets: " + "; ".join(f"{kind}: {text}" for kind, text in TARGETS.items()))
    text = "\n".join(lines)
    print(text)
    result = {
        "generated": datetime.now().astimezone().isoformat(timespec="seconds"),
        "git": _git_commit(),
        "targets": TARGETS,
        "ok": total - failed,
        "failed": failed,
        "rows": rows,
        "imports": imports,
        "report": {
            "demo": demo_report,
            "scale": report,
            "verdict": "OK" if not problems else "FAIL",
            "problems": problems,
        },
        "runs": {"demo": demo, "scale": scale},
    }
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    out.with_suffix(".txt").write_text(text + "\n")
    print(f"\nWritten: {out} (and {out.with_suffix('.txt').name})")
    return 1 if failed else 0
