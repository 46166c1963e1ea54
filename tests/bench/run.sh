#!/usr/bin/env bash
# The benchmark of issue 12: every page at demo size and at scale, against gunicorn.
#
#   make bench                       # or: bash tests/bench/run.sh
#   BENCH_INTERVIEWS=20000 make bench
#
# Two Postgres databases of its own on 127.0.0.1: `smeportal_bench_demo` (the demo data) and
# `smeportal_bench` (the demo plus `seed_scale --interviews $BENCH_INTERVIEWS`, 100,000 by
# default). Each is created, migrated and seeded the first time; a database that already holds
# its data set is used as it is (seeding 100,000 interviews takes several minutes, once). Then,
# for each database in turn, tests/bench/bench.py serves it with gunicorn (production settings,
# plain http on loopback, one sync worker, tests/bench/wsgi.py counting queries and memory per
# request; a Celery worker runs the background jobs) and measures every page, the imports and
# the summary report; the table with both
# sizes side by side is printed and written to var/bench/bench-<date>.json and .txt. Exits
# non-zero when a row misses its target.
#
# Tunables (environment): BENCH_INTERVIEWS (100000), BENCH_DATABASE_URL,
# BENCH_DEMO_DATABASE_URL, BENCH_REDIS_URL (redis://127.0.0.1:6379/9, emptied at the start: the
# bench's own job queue), BENCH_EXPORT_TIMEOUT (900), BENCH_REPEATS (5 timed requests a page after a warm-up),
# BENCH_SLOW_SECONDS (3: a slower first request is not repeated), BENCH_GUNICORN_TIMEOUT (30,
# gunicorn's default), BENCH_REPORT (1; 0 skips the summary report), BENCH_REPORT_TIMEOUT (1800),
# BENCH_PAGES (parts of the row keys to measure, comma-separated; "import" for the imports).
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN=.venv/bin
OUT=var/bench
mkdir -p "$OUT"
SIZE=${BENCH_INTERVIEWS:-100000}
PG=postgres://postgres@127.0.0.1:5432
SCALE_URL=${BENCH_DATABASE_URL:-$PG/smeportal_bench}
DEMO_URL=${BENCH_DEMO_DATABASE_URL:-$PG/smeportal_bench_demo}

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "The bench runs on Postgres, which does not answer on 127.0.0.1:5432."
  exit 1
fi
for url in "$DEMO_URL" "$SCALE_URL"; do
  name=${url##*/}
  case "$url" in
    "$PG"/*)
      psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$name'" \
        | grep -q 1 || createdb -h 127.0.0.1 -U postgres "$name" ;;
  esac
done

# Production settings, made to work over plain http on the loopback interface only (as the
# load test does). Background jobs (a large export) go through Redis to a Celery worker of the
# bench's own, as in production; without Redis they run in-process, inside the request.
export DJANGO_SETTINGS_MODULE=smeportal.settings.production
export SECRET_KEY="bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
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
export DEMO_PASSWORD=${DEMO_PASSWORD:-bench-demo-password}
export REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/9}
if ! $BIN/python -c "import redis, sys; redis.Redis.from_url(sys.argv[1], socket_connect_timeout=2).flushdb()" "$REDIS_URL" 2>/dev/null; then
  echo "Redis does not answer at $REDIS_URL: background jobs run in-process, inside the request."
  export REDIS_URL=
fi
# Each step below names its database; the static files and messages need one to start.
export DATABASE_URL="$DEMO_URL"

if command -v msgfmt >/dev/null 2>&1; then
  $BIN/python manage.py compilemessages --ignore=.venv --ignore=node_modules >/dev/null
fi
MANIFEST=var/staticfiles/staticfiles.json
if [ ! -f "$MANIFEST" ] || [ -n "$(find static node_modules/.installed -newer "$MANIFEST" -print -quit 2>/dev/null)" ]; then
  $BIN/python manage.py collectstatic --noinput --verbosity 0
fi

STAMP=$(date +%Y%m%d-%H%M)
echo "Preparing $DEMO_URL (demo) and $SCALE_URL ($SIZE interviews) ..."
DATABASE_URL="$DEMO_URL" $BIN/python manage.py migrate --noinput >/dev/null
DATABASE_URL="$DEMO_URL" $BIN/python -m tests.bench.bench prepare --demo
DATABASE_URL="$SCALE_URL" $BIN/python manage.py migrate --noinput >/dev/null
DATABASE_URL="$SCALE_URL" $BIN/python -m tests.bench.bench prepare --interviews "$SIZE"

DATABASE_URL="$DEMO_URL" $BIN/python -m tests.bench.bench measure --label demo --out "$OUT/run-demo.json"
# The cache holds pages of the demo (the public feed): the scale run starts without them.
if [ -n "$REDIS_URL" ]; then
  $BIN/python -c "import redis, sys; redis.Redis.from_url(sys.argv[1]).flushdb()" "$REDIS_URL"
fi
DATABASE_URL="$SCALE_URL" $BIN/python -m tests.bench.bench measure --label scale --out "$OUT/run-scale.json"
$BIN/python -m tests.bench.bench summarise "$OUT/run-demo.json" "$OUT/run-scale.json" --out "$OUT/bench-$STAMP.json"
