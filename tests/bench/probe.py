"""The summary report and its floor, each run in a process of its own (tests/bench/bench.py).

    python -m tests.bench.probe report           # build one report run as the worker does
    python -m tests.bench.probe floor SHAPE.json # the same aggregates by GROUP BY, same cells

Each prints one line of JSON with the seconds of its work (Django's start-up excluded) and its
peak memory (VmHWM, read by the process itself just before it ends). The floor is what the report
cannot go below. The reports app defines its own (reports/floor.py: the aggregates by plain
SQL GROUP BY, the data sheets' rows read by a server-side cursor and written by openpyxl in
write-only mode), which is used when present. Otherwise this module's stands in: the figures
of reports/summary.py as plain GROUP BY queries (counts by area and type, distinct companies
by area, industry and size, average grades, the shown key quotes and examples ranked by
window functions, proposals, activities, indicators) and a write-only workbook with as many
cells of the same kinds and lengths, sheet by sheet, as the report's workbook holds
(SHAPE.json, read from that workbook by the parent).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from datetime import date


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smeportal.settings.production")
    import django

    django.setup()


def report() -> dict:
    from reports.models import ReportRun
    from reports.services import report_run_execute

    run = ReportRun.objects.create()
    started = time.perf_counter()
    run = report_run_execute(run_id=run.pk)
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 3),
        "status": run.status,
        "error": run.error_message,
        "path": run.file.path if run.file else "",
    }


def _tables() -> dict[str, str]:
    from actionplan.models import Activity, Celebration, Indicator, Measurement, Milestone
    from interviews.models import Company, Finding, Interview
    from smeportal.areas.models import PriorityArea
    from workshops.models import Proposal

    return {
        "area": PriorityArea._meta.db_table,
        "company": Company._meta.db_table,
        "interview": Interview._meta.db_table,
        "finding": Finding._meta.db_table,
        "evidence": Proposal.evidence.through._meta.db_table,
        "proposal": Proposal._meta.db_table,
        "activity": Activity._meta.db_table,
        "activity_areas": Activity.areas.through._meta.db_table,
        "milestone": Milestone._meta.db_table,
        "indicator": Indicator._meta.db_table,
        "measurement": Measurement._meta.db_table,
        "celebration": Celebration._meta.db_table,
    }


# The summary's figures (reports/summary.py) as GROUP BY queries, one statement each.
FLOOR_QUERIES = [
    # totals
    "SELECT COUNT(*), COUNT(DISTINCT company_id), AVG(grade) FROM {interview}",
    "SELECT COUNT(*) FROM {finding} WHERE NOT is_archived",
    # findings by area and type; interviews and companies raising each area
    "SELECT area_id, type, COUNT(*) FROM {finding} WHERE NOT is_archived GROUP BY 1, 2",
    "SELECT f.area_id, COUNT(DISTINCT f.interview_id), COUNT(DISTINCT i.company_id) "
    "FROM {finding} f JOIN {interview} i ON i.id = f.interview_id WHERE NOT f.is_archived "
    "GROUP BY 1",
    # shares by industry and size class: interviewed companies, and those raising each area
    "SELECT c.industry, c.size_class, COUNT(DISTINCT c.id) FROM {interview} i "
    "JOIN {company} c ON c.id = i.company_id GROUP BY 1, 2",
    "SELECT f.area_id, c.industry, c.size_class, COUNT(DISTINCT c.id) FROM {finding} f "
    "JOIN {interview} i ON i.id = f.interview_id JOIN {company} c ON c.id = i.company_id "
    "WHERE NOT f.is_archived GROUP BY 1, 2, 3",
    # average grade of the interviews of the companies that raised each area
    "SELECT r.area_id, AVG(i.grade) FROM (SELECT DISTINCT f.area_id, i.company_id "
    "FROM {finding} f JOIN {interview} i ON i.id = f.interview_id WHERE NOT f.is_archived) r "
    "JOIN {interview} i ON i.company_id = r.company_id GROUP BY 1",
    # the key quotes shown: ten per area, most important and most recent first
    "SELECT * FROM (SELECT f.area_id, f.quote, i.consent, c.name, c.industry, "
    "ROW_NUMBER() OVER (PARTITION BY f.area_id ORDER BY f.importance DESC, i.date DESC, f.id) "
    "AS n FROM {finding} f JOIN {interview} i ON i.id = f.interview_id "
    "JOIN {company} c ON c.id = i.company_id WHERE f.is_key_quote AND f.quote <> '' "
    "AND NOT f.is_confidential AND NOT f.is_archived) q WHERE n <= 10",
    "SELECT area_id, COUNT(*) FROM {finding} WHERE is_key_quote AND quote <> '' "
    "AND NOT is_confidential AND NOT is_archived GROUP BY 1",
    # proposals: by actor and status, votes, the top five per area
    "SELECT area_id, actor, status, COUNT(*), SUM(votes) FROM {proposal} "
    "WHERE merged_into_id IS NULL GROUP BY 1, 2, 3",
    "SELECT * FROM (SELECT area_id, title, votes, actor, status, ROW_NUMBER() OVER "
    "(PARTITION BY area_id ORDER BY votes DESC, title) AS n FROM {proposal} "
    "WHERE merged_into_id IS NULL) p WHERE n <= 5",
    # gaps: challenges no proposal cites, with five examples per area
    "SELECT f.area_id, COUNT(*) FROM {finding} f WHERE f.type = 'utmaning' "
    "AND NOT f.is_confidential AND NOT f.is_archived AND NOT EXISTS "
    "(SELECT 1 FROM {evidence} e WHERE e.finding_id = f.id) GROUP BY 1",
    "SELECT * FROM (SELECT f.area_id, f.text, ROW_NUMBER() OVER (PARTITION BY f.area_id "
    "ORDER BY f.importance DESC, i.date DESC, f.id) AS n FROM {finding} f "
    "JOIN {interview} i ON i.id = f.interview_id WHERE f.type = 'utmaning' "
    "AND NOT f.is_confidential AND NOT f.is_archived AND NOT EXISTS "
    "(SELECT 1 FROM {evidence} e WHERE e.finding_id = f.id)) g WHERE n <= 5",
    "SELECT p.area_id, p.id, p.title, p.votes, COUNT(DISTINCT i.company_id) "
    "FROM {proposal} p LEFT JOIN {evidence} e ON e.proposal_id = p.id "
    "LEFT JOIN {finding} f ON f.id = e.finding_id LEFT JOIN {interview} i "
    "ON i.id = f.interview_id WHERE p.merged_into_id IS NULL "
    "AND p.status NOT IN ('i_handlingsplan', 'avslagen') GROUP BY 1, 2, 3, 4",
    # activities by area and status, with their milestones; indicators and measurements
    "SELECT aa.priorityarea_id, a.status, COUNT(*), AVG(a.manual_progress) "
    "FROM {activity} a JOIN {activity_areas} aa ON aa.activity_id = a.id GROUP BY 1, 2",
    "SELECT activity_id, COUNT(*), SUM(CASE WHEN is_done THEN 1 ELSE 0 END) "
    "FROM {milestone} GROUP BY 1",
    "SELECT id, name, unit, direction, baseline_value, baseline_date, target_value, "
    "target_date FROM {indicator}",
    "SELECT indicator_id, date, value FROM {measurement} ORDER BY 1, 2",
    "SELECT title, occurred_on, kind, is_celebrated FROM {celebration} "
    "ORDER BY occurred_on DESC, id DESC LIMIT 10",
]


def floor(shape_path: str) -> dict:
    """The report's own floor (reports/floor.py) where the portal has one; else this one."""
    try:
        from reports.floor import report_floor
    except ImportError:
        return shape_floor(shape_path)
    figures = report_floor()
    return {
        "seconds": figures["total_s"],
        "query_seconds": figures.get("aggregates_s"),
        "cells": figures.get("cells"),
        "status": "klar",
        "floor": "reports.floor",
    }


def shape_floor(shape_path: str) -> dict:
    """FLOOR_QUERIES, then as many cells as the report's workbook holds (SHAPE.json)."""
    from django.db import connection
    from openpyxl import Workbook

    with open(shape_path, encoding="utf-8") as handle:
        shape = json.load(handle)
    tables = _tables()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for query in FLOOR_QUERIES:
            cursor.execute(query.format(**tables))
            cursor.fetchall()
    queried = time.perf_counter() - started
    workbook = Workbook(write_only=True)
    cells = 0
    for sheet in shape["sheets"]:
        worksheet = workbook.create_sheet(sheet["title"])
        # Each column as the report's: numbers, dates, or texts of its average length.
        texts = {}
        for index, (kind, length) in enumerate(sheet["columns"]):
            if kind == "text":
                texts[index] = ("Synpunkt om bygglov och kompetens " * 60)[: max(1, length)]
        kinds = [kind for kind, _length in sheet["columns"]]
        for row in range(sheet["rows"]):
            values = []
            for index, kind in enumerate(kinds):
                if kind == "number":
                    values.append(row * 1.5)
                elif kind == "date":
                    values.append(date(2024, 5, 17))
                elif kind == "text":
                    values.append(texts[index])
                else:
                    values.append(None)
            worksheet.append(values)
            cells += len(kinds) - kinds.count("empty")
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as target:
        workbook.save(target.name)
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 3),
        "query_seconds": round(queried, 3),
        "queries": len(FLOOR_QUERIES),
        "cells": cells,
        "status": "klar",
        "floor": "tests.bench.probe",
    }


def _peak_kb() -> int | None:
    """This process's peak memory (VmHWM). Read here rather than from the parent's ru_maxrss,
    which on Linux starts from the parent's own peak (the memory a fork copied) and would
    hide a child smaller than the bench that started it."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def main(argv: list[str]) -> None:
    _setup()
    if argv[:1] == ["report"]:
        result = report()
    elif argv[:1] == ["floor"] and len(argv) == 2:
        result = floor(argv[1])
    else:
        raise SystemExit("usage: python -m tests.bench.probe report | floor SHAPE.json")
    result["peak_kb"] = _peak_kb()
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
