"""Settings for the test suite: Postgres and Redis when DATABASE_URL/REDIS_URL are set."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import STORAGES, VAR_DIR, env

DEBUG = False
SECRET_KEY = "test-key-only-for-the-test-suite-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "test-media")
# Ordinary tests run tasks in-process; the worker integration tests switch this off.
CELERY_TASK_ALWAYS_EAGER = True
# The suite requests the public page far more often than a visitor could; the rate limit's
# own tests set a small limit.
PUBLIC_RATE_LIMIT_PER_MINUTE = 100_000
