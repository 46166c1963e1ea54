"""Settings for the test suite: Postgres and Redis when DATABASE_URL/REDIS_URL are set."""

from __future__ import annotations

import os

from .base import *  # noqa: F403
from .base import CACHES, PASSWORD_HASHERS, REDIS_URL, STORAGES, VAR_DIR, env

DEBUG = False
SECRET_KEY = "test-key-only-for-the-test-suite-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Argon2 costs about 0.3 s of CPU a hash, by design; the suite makes thousands of users and
# the browser tests set the demo passwords each time. Django's advice for tests: a fast hasher.
# The production hashers stay behind it (their hashes still verify), and the tests of password
# hashing set the production list back (tests/smeportal/test_settings.py).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "test-media")
# Ordinary tests run tasks in-process; the worker integration tests switch this off.
CELERY_TASK_ALWAYS_EAGER = True
# The suite requests the public page far more often than a visitor could; the rate limit's
# own tests set a small limit.
PUBLIC_RATE_LIMIT_PER_MINUTE = 100_000
# The same for the API's rate limits; their own tests set small ones.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
}

# `make test` runs the suite in two processes (pytest-xdist): each has its own test database
# (pytest-django names them per worker) and, here, its own Redis database, so that one
# process's Celery worker never takes the other's tasks and a cache cleared by one is not the
# other's. Done once: a worker process the tests start inherits the result (and the marker).
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _XDIST_WORKER.startswith("gw") and not os.environ.get("SMEPORTAL_REDIS_SPLIT"):
    _base, _sep, _database = REDIS_URL.rpartition("/")
    REDIS_URL = f"{_base}/{int(_database or 0) + 1 + int(_XDIST_WORKER[2:])}"
    os.environ["REDIS_URL"] = REDIS_URL
    os.environ["SMEPORTAL_REDIS_SPLIT"] = "1"
    CELERY_BROKER_URL = REDIS_URL
    CACHES = {**CACHES, "default": {**CACHES["default"], "LOCATION": REDIS_URL}}
