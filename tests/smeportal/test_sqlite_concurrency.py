"""The embedded SQLite default: two requests writing at once both succeed (no "database is
locked"), in a fresh interpreter on a file database, as `make run` and the load test use it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

# Each thread reads and then writes in one transaction, as a form view does; the first holds
# its transaction open until the second has started its own, so the two always overlap.
TWO_WRITERS = """
import json, threading
import django
django.setup()
from django.db import connection, connections, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE visit (n integer)")
connection.close()

first_has_read = threading.Event()
outcomes = {}

def write(name, wait_for=None, signal=None):
    try:
        if wait_for is not None:
            wait_for.wait(10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM visit")
                if signal is not None:
                    signal.set()
                    # Keep the transaction open while the other thread starts its own.
                    threading.Event().wait(0.5)
                cursor.execute("INSERT INTO visit (n) VALUES (1)")
        outcomes[name] = "ok"
    except Exception as error:
        outcomes[name] = f"{type(error).__name__}: {error}"
    finally:
        connections.close_all()

threads = [
    threading.Thread(target=write, args=("first",), kwargs={"signal": first_has_read}),
    threading.Thread(target=write, args=("second",), kwargs={"wait_for": first_has_read}),
]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM visit")
    outcomes["rows"] = cursor.fetchone()[0]
print(json.dumps(outcomes))
"""


def run_two_writers(tmp_path, settings_module: str, extra_env: dict[str, str]) -> dict:
    environment = {
        key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        DATABASE_URL=f"sqlite:///{tmp_path / 'concurrent.sqlite3'}",
        **extra_env,
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", TWO_WRITERS],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_two_concurrent_writers_both_succeed_on_the_embedded_default(tmp_path):
    outcomes = run_two_writers(tmp_path, "smeportal.settings.local", {})
    assert outcomes == {"first": "ok", "second": "ok", "rows": 2}


def test_two_concurrent_writers_both_succeed_with_production_settings_on_sqlite(tmp_path):
    """The load test runs the production settings on a SQLite file when Postgres is absent."""
    outcomes = run_two_writers(tmp_path, "smeportal.settings.production", {"SECRET_KEY": "x" * 60})
    assert outcomes == {"first": "ok", "second": "ok", "rows": 2}
