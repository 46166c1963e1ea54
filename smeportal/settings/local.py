"""Developer settings: the embedded default behind `make run`."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# Not a secret: only used on a developer's machine; production.py has no default.
SECRET_KEY = env("SECRET_KEY", default="local-development-key-not-for-production-use-0123456789")
WHITENOISE_USE_FINDERS = True
