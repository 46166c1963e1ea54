#!/usr/bin/env bash
# Load test: 50 concurrent users for 60 seconds against gunicorn on the demo data.
#
#   bash tests/load/run.sh
#
# Prepares a separate database (Postgres `smeportal_load` on 127.0.0.1 when Postgres answers,
# else a scratch SQLite file under var/load/), migrates it and seeds the demo data, collects
# static files, builds one summary report (so the dashboard has a snapshot), starts gunicorn with
# the production settings on a free loopback port, runs locust headless (tests/load/locustfile.py)
# and stops gunicorn again whatever happens. It prints the figures per page and overall and exits
# non-zero on any failed request or when the pages' 95th percentile over the whole run is not
# under the target. The log-ins (Argon2, about 0.3 s of CPU each, by design) are shown on their
# own lines; the pages are also given for the part of the run when every user is logged in.
#
# Loopback only, bounded in time, stops by itself. Tunables (environment): LOAD_USERS (50),
# LOAD_SPAWN_RATE (5 a second: the users arrive over ten seconds), LOAD_TIME (60s),
# LOAD_P95_TARGET_MS (300), GUNICORN_WORKERS (3),
# LOAD_DATABASE_URL, DEMO_PASSWORD.
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN=.venv/bin
OUT=var/load
mkdir -p "$OUT"

USERS=${LOAD_USERS:-50}
SPAWN_RATE=${LOAD_SPAWN_RATE:-5}
RUN_TIME=${LOAD_TIME:-60s}
P95_TARGET_MS=${LOAD_P95_TARGET_MS:-300}

if [ -z "${LOAD_DATABASE_URL:-}" ]; then
  if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    LOAD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/smeportal_load
    psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='smeportal_load'" \
      | grep -q 1 || createdb -h 127.0.0.1 -U postgres smeportal_load
  else
    echo "Postgres does not answer on 127.0.0.1:5432; using a scratch SQLite database."
    LOAD_DATABASE_URL="sqlite:///$PWD/$OUT/load.sqlite3"
  fi
fi

# Production settings, made to work over plain http on the loopback interface only.
export DJANGO_SETTINGS_MODULE=smeportal.settings.production
export DATABASE_URL="$LOAD_DATABASE_URL"
export SECRET_KEY="load-test-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export ALLOWED_HOSTS=127.0.0.1
export DEBUG=False
export SECURE_SSL_REDIRECT=False
export SECURE_HSTS_SECONDS=0
export SESSION_COOKIE_SECURE=False
export CSRF_COOKIE_SECURE=False
export MEDIA_ROOT="$PWD/$OUT/media"
export LOG_LEVEL=WARNING
# One address asks for everything here: the public page's per-address limit would refuse it.
export PUBLIC_RATE_LIMIT_PER_MINUTE=0
export DEMO_PASSWORD=${DEMO_PASSWORD:-load-test-demo-password}
# Reports in the set-up step run in-process; the pages under load do not use the job queue.
export REDIS_URL=

echo "Preparing $DATABASE_URL ..."
if command -v msgfmt >/dev/null 2>&1; then
  $BIN/python manage.py compilemessages --ignore=.venv --ignore=node_modules >/dev/null
fi
$BIN/python manage.py migrate --noinput >/dev/null
$BIN/python manage.py seed_demo >/dev/null
# Collecting and compressing the static files takes minutes on two cores: only when they changed.
MANIFEST=var/staticfiles/staticfiles.json
if [ ! -f "$MANIFEST" ] || [ -n "$(find static node_modules/.installed -newer "$MANIFEST" -print -quit 2>/dev/null)" ]; then
  $BIN/python manage.py collectstatic --noinput --verbosity 0
fi
$BIN/python manage.py build_summary_report >/dev/null

PORT=$($BIN/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
HOST="http://127.0.0.1:$PORT"

# As the Dockerfile runs it: sync workers (no keep-alive, so no reset races with idle clients).
$BIN/gunicorn -c python:smeportal.gunicorn_conf smeportal.wsgi \
  --bind "127.0.0.1:$PORT" \
  --workers "${GUNICORN_WORKERS:-3}" \
  --log-level warning \
  --access-logfile "$OUT/access.log" \
  --error-logfile "$OUT/gunicorn.log" &
GUNICORN_PID=$!
trap 'kill "$GUNICORN_PID" 2>/dev/null; wait "$GUNICORN_PID" 2>/dev/null || true' EXIT

for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "$HOST/healthz/" 2>/dev/null && break
  kill -0 "$GUNICORN_PID" 2>/dev/null || { echo "gunicorn did not start:"; cat "$OUT/gunicorn.log"; exit 1; }
  sleep 0.5
done

echo "Load test: $USERS users (spawn rate $SPAWN_RATE/s) for $RUN_TIME against $HOST ..."
set +e
LOAD_PAGES_SUMMARY="$OUT/pages.json" $BIN/locust -f tests/load/locustfile.py --headless \
  -u "$USERS" -r "$SPAWN_RATE" -t "$RUN_TIME" --stop-timeout 10 \
  --host "$HOST" --csv "$OUT/locust" --exit-code-on-error 1 --only-summary \
  >"$OUT/locust.log" 2>&1
LOCUST_STATUS=$?
set -e

$BIN/python - "$OUT" "$P95_TARGET_MS" "$LOCUST_STATUS" <<'PY'
import csv
import json
import sys

out, target, locust_status = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
rows = list(csv.DictReader(open(f"{out}/locust_stats.csv", newline="")))
print(f"\n{'request':<36} {'count':>6} {'failed':>6} {'median':>7} {'p95':>6} {'p99':>6}  (ms)")
for row in rows:
    print(
        f"{row['Name'][:36]:<36} {row['Request Count']:>6} {row['Failure Count']:>6} "
        f"{row['50%']:>7} {row['95%']:>6} {row['99%']:>6}"
    )
total = rows[-1]
summary = json.load(open(f"{out}/pages.json"))
failures = int(total["Failure Count"])
print(
    f"\nAll requests (log-ins included): {total['Request Count']}, errors {failures}, "
    f"median {total['50%']} ms, p95 {total['95%']} ms, {float(total['Requests/s']):.1f}/s"
)
for key, label in (("all", "Pages, whole run"), ("steady", "Pages, all users logged in")):
    pages = summary[key]
    print(
        f"{label}: {pages['requests']} requests, errors {pages['failures']}, "
        f"median {pages['median']} ms, p95 {pages['p95']} ms, p99 {pages['p99']} ms"
    )
print(f"(every user was logged in after {summary['ramp_up_seconds']} s)")
pages = summary["all"]
ok = (
    pages["requests"] > 0
    and failures == 0
    and locust_status == 0
    and pages["p95"] is not None
    and pages["p95"] < target
)
verdict = "PASS" if ok else f"FAIL (details: {out}/locust.log, {out}/locust_failures.csv)"
print(f"Target: no errors and p95 of the pages under {target:.0f} ms over the whole run. {verdict}")
sys.exit(0 if ok else 1)
PY
