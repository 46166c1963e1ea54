"""gunicorn's application for the bench: the portal as served, plus a count per request.

    gunicorn -c python:smeportal.gunicorn_conf tests.bench.wsgi

A request that carries an `X-Bench-Id` header gets, after its response has been sent (streamed
files included), one line in the file named by BENCH_REQUEST_LOG: the number of SQL queries it
ran (counted with the database connection's execute wrapper, the mechanism Django's own query
capture uses), the worker's memory before it and the worker's peak memory during it (the peak
is reset before the request through /proc/self/clear_refs; Linux), and its time in the worker.
Other requests pass through untouched. The portal's settings and middleware are unchanged:
this is the production application with a counter, nothing else.
"""

from __future__ import annotations

import json
import os
import time

from django.db import connections

from smeportal.wsgi import application as portal

LOG = os.environ.get("BENCH_REQUEST_LOG", "")


def _status_kb(field_name: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear_refs:
            clear_refs.write("5")
        return True
    except OSError:
        return False


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class _Measured:
    """The response iterable, finishing the measurement when the server closes it."""

    def __init__(self, result, finish):
        self._result = result
        self._finish = finish

    def __iter__(self):
        return iter(self._result)

    def close(self):
        try:
            close = getattr(self._result, "close", None)
            if close is not None:
                close()
        finally:
            self._finish()


def application(environ, start_response):
    bench_id = environ.get("HTTP_X_BENCH_ID")
    if not bench_id or not LOG:
        return portal(environ, start_response)
    connection = connections["default"]
    counter = _QueryCounter()
    rss_before = _status_kb("VmRSS")
    peak_reset = _reset_peak()
    started = time.perf_counter()
    connection.execute_wrappers.append(counter)

    def finish():
        if counter in connection.execute_wrappers:
            connection.execute_wrappers.remove(counter)
        record = {
            "id": bench_id,
            "queries": counter.count,
            "rss_before_kb": rss_before,
            "peak_kb": _status_kb("VmHWM") if peak_reset else None,
            "worker_seconds": round(time.perf_counter() - started, 4),
        }
        with open(LOG, "a", encoding="utf-8") as log:
            log.write(json.dumps(record) + "\n")

    try:
        result = portal(environ, start_response)
    except BaseException:
        finish()
        raise
    return _Measured(result, finish)
