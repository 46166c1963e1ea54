"""The benchmark of issue 12 (`make bench`, driven by tests/bench/run.sh).

    python -m tests.bench.bench prepare --interviews N [--demo]
    python -m tests.bench.bench measure --label demo|scale --out FILE.json
    python -m tests.bench.bench summarise DEMO.json SCALE.json --out FILE.json

`prepare` seeds the database named by DATABASE_URL once (the demo, plus `seed_scale` unless
--demo) and does nothing when it already holds that data set. `measure` serves that database
with gunicorn (production settings, one sync worker, loopback, tests/bench/wsgi.py counting
queries and memory per request) and a Celery worker for the background jobs when REDIS_URL is
set, and requests every page a role can open (tests/bench/pages.py):
the median time of a few requests after a warm-up one, as a ratio to a trivial logged-in page
measured in the same run, the queries, the response size and the worker's peak memory. It then
measures each import in-process with a file of the largest size allowed (preview and commit,
rolled back, the median of three runs after a warm-up one, against an openpyxl read-only parse
of the same file), and the summary report in
a process of its own (time and peak memory against a floor, see probe.py). `summarise` puts
the demo-size and scale runs side by side, marks each row against the issue's targets with
OK/FAIL, prints the table and writes the JSON the next person can compare.

Times are ratios because the machine is shared and its speed varies; no test of the suite
asserts any of them.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import html.parser
import io
import json
import os
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "var" / "bench"

# Targets of issue 12, at 100,000 interviews.
PAGE_RATIO = 3.0  # every HTML page, search included, at most 3x the trivial page
PAGE_MAX_BYTES = 512 * 1024  # a bounded response: everything that grows is paginated
EXPORT_EXTRA_MB = 128  # an export's memory bounded by a constant, not by its rows
IMPORT_RATIO = 2.0  # preview and commit at most 2x an openpyxl read-only parse
REPORT_TIME_RATIO = 2.0  # the summary report at most 2x its floor in time
REPORT_PEAK_MB = 500  # and under 500 MB

# A first request slower than this is not repeated: it is far off target anyway.
SLOW_SECONDS = float(os.environ.get("BENCH_SLOW_SECONDS", "3"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
# Timed runs of each import after a warm-up one (its parse is timed three times).
IMPORT_REPEATS = int(os.environ.get("BENCH_IMPORT_REPEATS", "3"))
TRIVIAL_REPEATS = 20
# gunicorn's own timeout (its default, as the Dockerfile runs it): a page slower than this is
# killed with the worker, as in production.
GUNICORN_TIMEOUT = int(os.environ.get("BENCH_GUNICORN_TIMEOUT", "30"))
REPORT_TIMEOUT = int(os.environ.get("BENCH_REPORT_TIMEOUT", "1800"))
# How long an export job may take from its start to its file.
EXPORT_TIMEOUT = int(os.environ.get("BENCH_EXPORT_TIMEOUT", "900"))
# A subset while working on some pages: comma-separated parts of the row keys (BENCH_PAGES=
# interview_list,audit); "import" keeps the imports. Empty: everything.
ONLY = [part for part in os.environ.get("BENCH_PAGES", "").split(",") if part]


def _wanted(key: str) -> bool:
    return not ONLY or any(part in key for part in ONLY)


# --- Rows of the result ---------------------------------------------------------------------------


@dataclass
class PageRow:
    key: str
    name: str
    kind: str
    role: str
    url: str
    method: str = "GET"
    status: str = ""
    median_ms: float | None = None
    samples: int = 0
    ratio: float | None = None
    queries: int | None = None
    bytes: int | None = None
    peak_extra_mb: float | None = None
    trivial_ms: float | None = None  # the trivial page, measured alongside
    steps: list[str] = field(default_factory=list)


@dataclass
class ImportRow:
    key: str
    name: str
    rows: int
    file_bytes: int
    status: str = ""
    parse_ms: float | None = None
    preview_ms: float | None = None
    commit_ms: float | None = None
    preview_ratio: float | None = None
    commit_ratio: float | None = None
    preview_queries: int | None = None
    commit_queries: int | None = None


# --- HTML forms ---------------------------------------------------------------------------------


class _Forms(html.parser.HTMLParser):
    """The forms of a page: action, method and the values their inputs would send."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._current = {
                "action": attributes.get("action") or "",
                "method": (attributes.get("method") or "get").lower(),
                "fields": {},
            }
            self.forms.append(self._current)
        elif tag in ("input", "button") and self._current is not None:
            name = attributes.get("name")
            kind = (attributes.get("type") or "text").lower()
            if not name or kind in ("submit", "button", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            self._current["fields"].setdefault(name, attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def page_forms(text: str) -> list[dict]:
    parser = _Forms()
    parser.feed(text)
    return parser.forms


# --- The server ---------------------------------------------------------------------------------


class Server:
    """gunicorn on a free loopback port, with the bench's counting application."""

    def __init__(self, label: str):
        self.label = label
        self.log = OUT / f"requests-{label}.jsonl"
        self.log.write_text("")
        self._read = 0
        self._records: dict[str, dict] = {}
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "BENCH_REQUEST_LOG": str(self.log)}
        self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "-c",
                "python:smeportal.gunicorn_conf",
                "tests.bench.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--timeout",
                str(GUNICORN_TIMEOUT),
                "--log-level",
                "warning",
                "--access-logfile",
                str(OUT / f"access-{label}.log"),
                "--error-logfile",
                str(OUT / f"gunicorn-{label}.log"),
            ],
            cwd=ROOT,
            env=env,
        )
        self.wait_ready()

    def wait_ready(self, seconds: float = 60) -> None:
        import requests

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped; see {OUT}/gunicorn-{self.label}.log")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.base}/healthz/", timeout=2).status_code == 200:
                    return
            time.sleep(0.3)
        raise SystemExit("gunicorn did not answer in time")

    def record(self, bench_id: str, wait: float = 5) -> dict | None:
        """The worker's line for a request; written when the response is closed."""
        deadline = time.monotonic() + wait
        while True:
            with self.log.open(encoding="utf-8") as log:
                log.seek(self._read)
                for line in log:
                    if line.endswith("\n"):
                        entry = json.loads(line)
                        self._records[entry["id"]] = entry
                        self._read += len(line.encode("utf-8"))
            if bench_id in self._records or time.monotonic() > deadline:
                return self._records.pop(bench_id, None)
            time.sleep(0.02)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


class Worker:
    """A Celery worker for the background jobs (exports), on the bench's own Redis database.

    One process (solo pool), so the job runs in the process whose memory is read.
    """

    def __init__(self, label: str):
        self.log = OUT / f"celery-{label}.log"
        self.log.write_text("")
        self.process = subprocess.Popen(  # noqa: S603 - our own celery, fixed arguments
            [
                str(Path(sys.executable).with_name("celery")),
                "-A",
                "smeportal",
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "info",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--logfile",
                str(self.log),
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,  # the start-up banner; the log has the rest
        )
        deadline = time.monotonic() + 60
        while "ready." not in self.log.read_text(errors="replace"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"The Celery worker did not start; see {self.log}")
            time.sleep(0.3)

    def start_measuring(self) -> int | None:
        """The worker's memory now (kB), its peak reset to it."""
        proc = Path(f"/proc/{self.process.pid}")
        try:
            (proc / "clear_refs").write_text("5")
            return _proc_status_kb(proc, "VmRSS")
        except OSError:
            return None

    def extra_mb(self, before_kb: int | None) -> float | None:
        peak = _proc_status_kb(Path(f"/proc/{self.process.pid}"), "VmHWM")
        if before_kb is None or peak is None:
            return None
        return round((peak - before_kb) / 1024, 1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _proc_status_kb(proc: Path, field_name: str) -> int | None:
    try:
        for line in (proc / "status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


# The Celery worker of the run in progress, when there is a broker (REDIS_URL).
WORKER: Worker | None = None


@dataclass
class Reply:
    status: int | str
    seconds: float
    content: bytes = b""
    content_type: str = ""
    location: str = ""
    queries: int | None = None
    peak_extra_mb: float | None = None


class Browser:
    """One logged-in user's requests, each timed from sending to the last byte."""

    def __init__(self, server: Server, session_key: str | None):
        import requests
        from django.conf import settings

        self.server = server
        self.session = requests.Session()
        if session_key:
            self.session.cookies.set(settings.SESSION_COOKIE_NAME, session_key)

    def request(self, method: str, url: str, data: dict | None = None, files=None) -> Reply:
        import requests

        bench_id = uuid.uuid4().hex
        started = time.perf_counter()
        try:
            response = self.session.request(
                method,
                urljoin(self.server.base, url),
                data=data,
                files=files,
                headers={"X-Bench-Id": bench_id},
                allow_redirects=False,
                timeout=(5, GUNICORN_TIMEOUT + 15),
            )
            content = response.content
        except requests.RequestException as error:
            seconds = time.perf_counter() - started
            _cancel_leftover_queries()
            self.server.wait_ready()
            status = "timeout" if seconds >= GUNICORN_TIMEOUT else type(error).__name__
            return Reply(status=status, seconds=seconds)
        seconds = time.perf_counter() - started
        record = self.server.record(bench_id)
        peak = None
        if record and record.get("peak_kb") and record.get("rss_before_kb"):
            peak = round((record["peak_kb"] - record["rss_before_kb"]) / 1024, 1)
        return Reply(
            status=response.status_code,
            seconds=seconds,
            content=content,
            content_type=response.headers.get("Content-Type", ""),
            location=response.headers.get("Location", ""),
            queries=record["queries"] if record else None,
            peak_extra_mb=peak,
        )


def _cancel_leftover_queries() -> None:
    """A worker killed at its timeout leaves its query running in Postgres: stop it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_cancel_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'"
        )


# --- Measuring pages --------------------------------------------------------------------------------


def _median_ms(seconds: list[float]) -> float:
    return round(statistics.median(seconds) * 1000, 1)


def measure_trivial(browser: Browser, url: str, count: int) -> list[float]:
    browser.request("GET", url)  # warm-up
    return [browser.request("GET", url).seconds for _ in range(count)]


def _form_for(reply: Reply, action_hint: str) -> dict | None:
    for form in page_forms(reply.content.decode("utf-8", "replace")):
        if form["method"] == "post" and action_hint in form["action"]:
            return form
    return None


def measure_page(page, browser: Browser, yardstick: Browser, trivial_url: str) -> PageRow:
    """The page's median over a few requests after a warm-up, and its ratio to the trivial page.

    The trivial page is requested just before each request of the page, so that the ratio
    compares the two under the same load of a shared machine.
    """
    from .pages import EXPORT

    row = PageRow(page.key, page.name, page.kind, page.role, page.url, page.method)
    data = None
    if page.method == "POST":
        form_page = browser.request("GET", page.url)
        form = _form_for(form_page, urlsplit(page.url).path) or _form_for(form_page, "")
        data = {**(form["fields"] if form else {}), **page.data}
    replies: list[Reply] = []
    trivial: list[float] = []
    for attempt in range(1 + REPEATS):
        trivial.append(yardstick.request("GET", trivial_url).seconds)
        reply = browser.request(page.method, page.url, data=data)
        replies.append(reply)
        if not isinstance(reply.status, int) or reply.status >= 400:
            break
        if attempt == 0 and reply.seconds > SLOW_SECONDS:
            break
        if page.kind == EXPORT and _starts_a_job(reply):
            break
    last = replies[-1]
    timed = replies[1:] if len(replies) > 1 else replies
    trivial = trivial[1:] if len(trivial) > 1 else trivial
    row.status = str(last.status)
    row.samples = len(timed)
    row.median_ms = _median_ms([reply.seconds for reply in timed])
    row.queries = last.queries
    row.bytes = len(last.content)
    peaks = [reply.peak_extra_mb for reply in replies if reply.peak_extra_mb is not None]
    row.peak_extra_mb = max(peaks) if peaks else None
    if page.kind == EXPORT and _starts_a_job(last):
        _follow_export_job(row, last, browser)
    row.trivial_ms = _median_ms(trivial)
    row.ratio = round(row.median_ms / row.trivial_ms, 2) if row.trivial_ms else None
    return row


def _starts_a_job(reply: Reply) -> bool:
    """A large export answers with a page whose form starts a background job."""
    if reply.status != 200 or "html" not in reply.content_type:
        return False
    return _form_for(reply, "export") is not None


def _follow_export_job(row: PageRow, start_page: Reply, browser: Browser) -> None:
    """Start the job, follow its page until it offers the file, download it: the whole cost.

    The time is the wall-clock time from the start page to the last byte of the file (the
    job's page is asked every quarter of a second, as often as a user would not); the queries
    are the web requests' own (the job's are the worker's); the memory is the most that the
    web worker or the Celery worker that ran the job (WORKER) added while doing it.
    """
    form = _form_for(start_page, "export")
    steps = [start_page]
    job_memory = WORKER.start_measuring() if WORKER else None
    started = time.perf_counter()
    reply = browser.request("POST", urljoin(row.url, form["action"]), data=form["fields"])
    steps.append(reply)
    detail = reply.location if reply.status in (301, 302, 303) else ""
    download = None
    deadline = time.monotonic() + EXPORT_TIMEOUT
    polls = 0
    while detail and time.monotonic() < deadline:
        reply = browser.request("GET", detail)
        polls += 1
        if reply.status != 200:
            steps.append(reply)
            break
        links = re.findall(rb'href="([^"]*ladda-ner[^"]*)"', reply.content)
        if links:
            steps.append(reply)
            download = html.unescape(links[0].decode())
            break
        time.sleep(0.25)
    if download:
        steps.append(browser.request("GET", urljoin(detail, download)))
    seconds = time.perf_counter() - started + start_page.seconds
    row.steps = [f"{step.status} {round(step.seconds * 1000)} ms" for step in steps]
    row.steps.append(f"{polls} polls of the job's page")
    row.status = str(steps[-1].status) if download else f"{steps[-1].status} (no file)"
    row.samples = 1
    row.median_ms = round(seconds * 1000, 1)
    counted = [step.queries for step in steps if step.queries is not None]
    row.queries = sum(counted) if counted else None
    row.bytes = len(steps[-1].content)
    peaks = [step.peak_extra_mb for step in steps if step.peak_extra_mb is not None]
    if job_memory is not None:
        job_peak = WORKER.extra_mb(job_memory)
        row.steps.append(f"Celery worker +{job_peak} MB")
        peaks.append(job_peak)
    peaks = [peak for peak in peaks if peak is not None]
    row.peak_extra_mb = max(peaks) if peaks else None


def _sessions() -> dict[str, str | None]:
    """A session per demo user, made the way a log-in makes one (no password needed)."""
    from django.conf import settings
    from django.test import Client

    from smeportal.accounts.models import User

    from .pages import ANONYMOUS, DEMO_USERNAMES

    sessions: dict[str, str | None] = {ANONYMOUS: None}
    for role, username in DEMO_USERNAMES.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        sessions[str(role)] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions


def measure_pages(label: str) -> tuple[dict, list[PageRow], dict[str, str]]:
    from django.db import connection
    from django.urls import reverse

    from smeportal.accounts.roles import Role

    from .pages import DEMO_USERNAMES, EXPORT, TRIVIAL_PAGE, discover

    global WORKER
    sessions = _sessions()
    server = Server(label)
    WORKER = Worker(label) if os.environ.get("REDIS_URL") else None
    connection.close()  # the server's worker and our reads must not share a transaction
    try:
        browsers = {role: Browser(server, key) for role, key in sessions.items()}
        trivial_url = reverse(TRIVIAL_PAGE)
        developer = str(Role.DEVELOPER)
        trivial = measure_trivial(browsers[developer], trivial_url, TRIVIAL_REPEATS)
        trivial_ms = _median_ms(trivial)
        print(f"[{label}] trivial page {trivial_url}: {trivial_ms} ms (median of {len(trivial)})")
        rows: list[PageRow] = []
        done: set[str] = set()
        # Exports first: a large one leaves a finished job, whose pages are then found too.
        for first_pass in (True, False):
            discovery = discover()
            for page in discovery.pages:
                if page.key in done or not _wanted(page.key):
                    continue
                if first_pass and (page.kind != EXPORT or "_export_" in page.name):
                    continue  # the job's own pages come once a job exists
                row = measure_page(page, browsers[page.role], browsers[developer], trivial_url)
                rows.append(row)
                done.add(page.key)
                print(
                    f"[{label}] {row.key:<58} {row.status:>5} {row.median_ms:>9} ms "
                    f"{row.ratio:>7}x {row.queries!s:>5} q {row.bytes:>9} B",
                    flush=True,
                )
        trivial += measure_trivial(browsers[developer], trivial_url, TRIVIAL_REPEATS // 2)
        trivial_row = {
            "url": trivial_url,
            "role": DEMO_USERNAMES[Role.DEVELOPER],
            "median_ms": _median_ms(trivial),
            "samples": len(trivial),
        }
        return trivial_row, rows, discovery.skipped
    finally:
        server.stop()
        if WORKER is not None:
            WORKER.stop()
            WORKER = None


# --- Imports ----------------------------------------------------------------------------------------


def _interview_import_file() -> tuple[bytes, int]:
    """The largest file the interview import accepts: its row cap, five findings an interview."""
    from openpyxl import Workbook
    from stdnum import luhn

    from interviews import imports
    from interviews.scale import DETAILS, NOTE_MIDDLES
    from smeportal.areas.models import PriorityArea

    from .pages import COMMON_WORD

    areas = list(PriorityArea.objects.filter(is_archived=False).values_list("slug", flat=True))
    types = ["utmaning", "idé", "styrka"]
    rows = imports.MAX_DATA_ROWS
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(imports.DATA_SHEET)
    sheet.append(list(imports.IMPORT_HEADERS))
    for index in range(rows):
        interview = index // 5
        first = index % 5 == 0
        digits = f"558{interview // 2:06d}"
        number = digits + luhn.calc_check_digit(digits)
        values = {
            imports.REF: f"BENCH-{interview}",
            imports.ORGANISATION_NUMBER: f"{number[:6]}-{number[6:]}",
            imports.COMPANY_NAME: f"Importföretaget {interview // 2} AB",
            imports.INDUSTRY: "C",
            imports.SIZE_CLASS: "10–49",
            imports.DISTRICT: "Torshälla",
            imports.DATE: (date(2024, 1, 8) + timedelta(days=interview % 300)).isoformat(),
            imports.FORMAT: "besök",
            imports.DURATION: 60,
            imports.STATUS: "klar",
            imports.GRADE: 1 + interview % 6,
            imports.CONSENT: "anonymt",
            imports.NOTES: " ".join(NOTE_MIDDLES[: 1 + interview % len(NOTE_MIDDLES)])
            if first
            else None,
            imports.AREA: areas[index % len(areas)],
            imports.TYPE: types[index % 3],
            imports.TEXT: f"Synpunkt {index} om {COMMON_WORD} och service. "
            + DETAILS[index % len(DETAILS)].format(
                place="Torshälla", count=index % 40, year=2020, month="maj"
            ),
            imports.IMPORTANCE: 1 + index % 3,
            imports.QUOTE: "Det tar för lång tid." if index % 4 == 0 else None,
            imports.KEY_QUOTE: "Nej",
            imports.CONFIDENTIAL: "Nej",
        }
        sheet.append([values.get(header) for header in imports.IMPORT_HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), rows


def _measurement_import_file() -> tuple[bytes, int]:
    from openpyxl import Workbook

    from actionplan import measurement_import

    rows = measurement_import.MAX_DATA_ROWS
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(measurement_import.DATA_SHEET)
    sheet.append(list(measurement_import.HEADERS))
    first = date(1990, 1, 1)  # before every measurement of the data sets
    for n in range(rows):
        sheet.append([first + timedelta(days=n), 3.4 + (n % 7) / 10, f"Mätning {n}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), rows


def _parse_seconds(content: bytes) -> float:
    """The floor of an import: openpyxl reading every cell of the file, read-only."""
    from openpyxl import load_workbook

    times = []
    for _ in range(3):
        started = time.perf_counter()
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        for sheet in workbook.worksheets:
            for _row in sheet.iter_rows(values_only=True):
                pass
        workbook.close()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


@contextlib.contextmanager
def _rolled_back():
    """Everything inside is undone, on-commit callbacks included (they run inside)."""
    from django.db import transaction
    from django.test import TestCase

    with transaction.atomic():
        with TestCase.captureOnCommitCallbacks(execute=True):
            yield
        transaction.set_rollback(True)


def _timed_post(client, url: str, data: dict):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.post(url, data)
        seconds = time.perf_counter() - started
    return response, seconds, len(queries)


# Which file each import takes; the bench test checks that every import has one.
IMPORT_FILES = {
    "interviews:interview_import": _interview_import_file,
    "actionplan:measurement_import": _measurement_import_file,
}


def measure_imports(names: list[str]) -> list[ImportRow]:
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from smeportal.accounts.models import User

    from .pages import bench_objects

    objects = bench_objects()
    user = User.objects.get(username="utvecklare")
    rows = []
    # Inside the rolled-back transaction, a job must run here, not in a worker that would
    # not see the rows.
    from smeportal.celery import app

    app.conf.task_always_eager = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    for name in names:
        content, count = IMPORT_FILES[name]()
        row = ImportRow(name, name, count, len(content))
        # The floor is read again beside each timed run, as the trivial page is beside each
        # page: a machine that slows down or speeds up during the runs moves both alike.
        parses = [_parse_seconds(content)]
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        kwargs = {"pk": objects["indicator"].pk} if "measurement" in name else {}
        url = reverse(name, kwargs=kwargs)
        previews, commits = [], []
        # A warm-up run first (templates compiled, caches filled), then the median of the
        # timed runs, as for the pages; each run is rolled back.
        for run in range(IMPORT_REPEATS + 1):
            if run:
                parses.append(_parse_seconds(content))
            upload = SimpleUploadedFile("bench.xlsx", content)
            with _rolled_back():
                response, seconds, queries = _timed_post(client, url, {"file": upload})
                row.status = str(response.status_code)
                # The preview; the commit is the confirmation form on it.
                if run:
                    previews.append(seconds)
                row.preview_queries = queries
                text = response.content.decode("utf-8", "replace")
                form = next((f for f in page_forms(text) if "/import/" in f["action"]), None)
                if response.status_code == 200 and form:
                    response, seconds, queries = _timed_post(client, form["action"], form["fields"])
                    row.status = f"{row.status}, {response.status_code}"
                    if run:
                        commits.append(seconds)
                    row.commit_queries = queries
        row.parse_ms = round(statistics.median(parses) * 1000, 1)
        if previews:
            row.preview_ms = _median_ms(previews)
        if commits:
            row.commit_ms = _median_ms(commits)
        if row.preview_ms is not None:
            row.preview_ratio = round(row.preview_ms / row.parse_ms, 2)
        if row.commit_ms is not None:
            row.commit_ratio = round(row.commit_ms / row.parse_ms, 2)
        print(
            f"  import {name}: {count} rows, parse {row.parse_ms} ms, preview "
            f"{row.preview_ms} ms, commit {row.commit_ms} ms ({row.status})",
            flush=True,
        )
        rows.append(row)
    return rows


# --- The summary report -----------------------------------------------------------------------------


def _run_probe(*args: str, timeout: int) -> tuple[dict, float]:
    """Run probe.py in a child process; its result and peak memory (MB)."""
    process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "tests.bench.probe", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            return {"status": "timeout", "seconds": timeout}, usage.ru_maxrss / 1024
        time.sleep(0.2)
    output = process.stdout.read()
    process.returncode = os.waitstatus_to_exitcode(status)
    lines = [line for line in output.splitlines() if line.startswith("{")]
    result = json.loads(lines[-1]) if lines else {"status": f"exit {process.returncode}"}
    # The child's own peak; ru_maxrss only when it could not say (it counts the memory the
    # fork copied from this process, so it is never below this process's peak).
    peak_kb = result.get("peak_kb") or usage.ru_maxrss
    return result, peak_kb / 1024


def _workbook_shape(path: str) -> dict:
    """Per sheet: rows, and each column's kind and average text length."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    sheets = []
    for worksheet in workbook.worksheets:
        rows = 0
        kinds: dict[int, dict[str, int]] = {}
        lengths: dict[int, list[int]] = {}
        for row in worksheet.iter_rows(values_only=True):
            rows += 1
            for index, value in enumerate(row):
                if value is None:
                    kind = "empty"
                elif isinstance(value, int | float):
                    kind = "number"
                elif isinstance(value, date | datetime):
                    kind = "date"
                else:
                    kind = "text"
                    lengths.setdefault(index, []).append(len(str(value)))
                kinds.setdefault(index, {}).setdefault(kind, 0)
                kinds[index][kind] += 1
        columns = []
        for index in range(max(kinds, default=-1) + 1):
            counts = kinds.get(index, {"empty": 1})
            kind = max(counts, key=counts.get)
            average = round(statistics.mean(lengths[index])) if lengths.get(index) else 0
            columns.append([kind, average])
        sheets.append({"title": worksheet.title[:31], "rows": rows, "columns": columns})
    workbook.close()
    return {"sheets": sheets}


def measure_report(label: str) -> dict:
    print(f"[{label}] summary report ...", flush=True)
    result, peak = _run_probe("report", timeout=REPORT_TIMEOUT)
    report = {
        "status": result.get("status"),
        "seconds": result.get("seconds"),
        "peak_mb": round(peak, 1),
        "error": result.get("error", ""),
    }
    if result.get("status") != "klar" or not result.get("path"):
        return report
    shape = _workbook_shape(result["path"])
    shape_path = OUT / f"shape-{label}.json"
    shape_path.write_text(json.dumps(shape))
    report["cells"] = sum(
        sheet["rows"] * sum(kind != "empty" for kind, _ in sheet["columns"])
        for sheet in shape["sheets"]
    )
    report["sheets"] = [[sheet["title"], sheet["rows"]] for sheet in shape["sheets"]]
    print(f"[{label}] floor ...", flush=True)
    floor, floor_peak = _run_probe("floor", str(shape_path), timeout=REPORT_TIMEOUT)
    report.update(
        floor_seconds=floor.get("seconds"),
        floor_peak_mb=round(floor_peak, 1),
        floor_query_seconds=floor.get("query_seconds"),
        floor_cells=floor.get("cells"),
        floor_kind=floor.get("floor"),
    )
    if report["seconds"] and floor.get("seconds"):
        report["time_ratio"] = round(report["seconds"] / floor["seconds"], 2)
        report["memory_ratio"] = round(report["peak_mb"] / floor_peak, 2)
    print(f"[{label}] report: {report}", flush=True)
    return report


# --- Commands -------------------------------------------------------------------------------------


def prepare(size: int, demo_only: bool) -> None:
    from django.core.management import call_command
    from django.db import connection

    from interviews import demo
    from interviews.models import Company, Interview

    if connection.vendor == "postgresql":
        # Statistics for what the migrations just added (new indexes, columns): a plan made
        # without them is not what a running portal gets. And the rows an earlier run's
        # imports wrote and rolled back cleared away, as autovacuum would in time: until then
        # their index entries stay (after one run a text search's trigram index handed over
        # 6,936 candidates instead of 264).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    interviews = Interview.objects.count()
    wanted = demo.INTERVIEW_COUNT + (0 if demo_only else size)
    if interviews == wanted and (
        demo_only or Company.objects.count() == len(demo.COMPANIES) + max(1, round(size / 5))
    ):
        print(f"The database already holds the data set ({interviews:,} interviews).")
        return
    if interviews == 0:
        call_command("seed_demo")
        interviews = Interview.objects.count()
        # A new session for the scale data set: Postgres keeps the plans of its foreign key
        # checks for the session, and those made at the demo's commit (tables analysed empty
        # above, then a few pages) read a table whole. Reused for the 1.5 million checks of
        # the scale data set's commit, that commit ran 25 minutes at 100,000 interviews
        # (perf: sequential scans under the deferred checks); at 10,000, 71 s -> 61 s.
        connection.close()
    if demo_only:
        return
    if interviews != demo.INTERVIEW_COUNT:
        raise SystemExit(
            f"The database holds {interviews:,} interviews, not the demo's "
            f"{demo.INTERVIEW_COUNT} nor the data set for {size:,}: drop it "
            "(dropdb) or point BENCH_DATABASE_URL elsewhere, and run the bench again."
        )
    started = time.monotonic()
    call_command("seed_scale", "--interviews", str(size))
    print(f"Seeded {size:,} interviews in {time.monotonic() - started:.0f} s.")


def measure(label: str, out: Path) -> None:
    from django.conf import settings
    from django.db import connection

    from interviews.models import Interview

    OUT.mkdir(parents=True, exist_ok=True)
    started = datetime.now().astimezone()
    interviews = Interview.objects.count()
    trivial, rows, skipped = measure_pages(label)
    from .pages import discover

    imports = measure_imports(discover().imports) if _wanted("import") else []
    report = measure_report(label) if os.environ.get("BENCH_REPORT", "1") != "0" else {}
    result = {
        "label": label,
        "interviews": interviews,
        "database": settings.DATABASES["default"]["NAME"],
        "vendor": connection.vendor,
        "started": started.isoformat(timespec="seconds"),
        "seconds": round((datetime.now().astimezone() - started).total_seconds()),
        "trivial": trivial,
        "pages": [asdict(row) for row in rows],
        "imports": [asdict(row) for row in imports],
        "report": report,
        "skipped": skipped,
        "self_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    print(f"[{label}] written to {out}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.bench")
    commands = parser.add_subparsers(dest="command", required=True)
    prepare_parser = commands.add_parser("prepare")
    prepare_parser.add_argument("--interviews", type=int, default=100_000)
    prepare_parser.add_argument("--demo", action="store_true")
    measure_parser = commands.add_parser("measure")
    measure_parser.add_argument("--label", required=True)
    measure_parser.add_argument("--out", type=Path, required=True)
    summarise_parser = commands.add_parser("summarise")
    summarise_parser.add_argument("demo", type=Path)
    summarise_parser.add_argument("scale", type=Path)
    summarise_parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)

    if args.command == "summarise":
        from .summary import summarise

        return summarise(args.demo, args.scale, args.out)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smeportal.settings.production")
    import django

    django.setup()
    if args.command == "prepare":
        prepare(args.interviews, args.demo)
    else:
        measure(args.label, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
