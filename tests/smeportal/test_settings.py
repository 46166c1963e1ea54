"""The settings modules, each loaded in a fresh interpreter with a controlled environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import UserFactory

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "x7!kq2Lr9vP0zW4mT6nB8cY1dF3gH5jK-production-like-secret-key-for-tests",
    "ALLOWED_HOSTS": "foretagsdialog.eskilstuna.se",
    "CSRF_TRUSTED_ORIGINS": "https://foretagsdialog.eskilstuna.se",
    "DATABASE_URL": "postgres://portal@db.invalid:5432/smeportal",
    "REDIS_URL": "redis://redis.invalid:6379/0",
}


def clean_environment() -> dict[str, str]:
    """This process's environment without the variables the settings read."""
    ignored = {
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "EMAIL_URL",
    }
    return {key: value for key, value in os.environ.items() if key not in ignored}


def run_python(code: str, settings_module: str, extra_env: dict[str, str] | None = None):
    environment = clean_environment()
    environment["DJANGO_SETTINGS_MODULE"] = settings_module
    environment.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_embedded_default_needs_no_environment():
    result = run_python(
        "import django; django.setup();"
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER,"
        " s.CELERY_BROKER_URL, s.LANGUAGE_CODE, s.TIME_ZONE)",
        "smeportal.settings.local",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "memory://",
        "sv",
        "Europe/Stockholm",
    ]


def test_without_email_url_messages_are_written_under_var(tmp_path):
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.EMAIL_BACKEND, s.EMAIL_FILE_PATH)",
        "smeportal.settings.local",
    )
    assert result.returncode == 0, result.stderr
    backend, path = result.stdout.split()
    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    assert path == str(BASE_DIR / "var" / "mail")


def test_email_url_names_the_mail_server():
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS)",
        "smeportal.settings.production",
        {**PRODUCTION_ENV, "EMAIL_URL": "smtp+tls://portal:hemligt@smtp.eskilstuna.invalid:587"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.eskilstuna.invalid",
        "587",
        "portal",
        "True",
    ]


def test_redis_url_turns_eager_mode_off():
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL)",
        "smeportal.settings.local",
        {"REDIS_URL": "redis://127.0.0.1:6379/3"},
    )
    assert result.stdout.split() == ["False", "redis://127.0.0.1:6379/3"]


def test_production_refuses_to_start_without_secret_key():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}
    result = run_python("import django; django.setup()", "smeportal.settings.production", env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_with_production_variables():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env={
            **clean_environment(),
            "DJANGO_SETTINGS_MODULE": "smeportal.settings.production",
            **PRODUCTION_ENV,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(settings):
    """The portal's hashers (the suite runs with a fast one in front, smeportal/settings/test.py)."""
    from smeportal.settings import base

    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    user = UserFactory(password="ett-långt-lösenord-2031")
    assert user.password.startswith("argon2$")
    assert user.check_password("ett-långt-lösenord-2031")


def test_postgres_compiles_only_long_queries():
    """A page's query estimated just past Postgres' JIT threshold paid 100 ms of compiling on
    every request; only queries ten times dearer are compiled."""
    from smeportal.settings.base import postgres_jit_for_long_queries_only

    database = postgres_jit_for_long_queries_only(
        {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"options": "-c search_path=x"}}
    )
    assert database["OPTIONS"]["options"] == "-c search_path=x -c jit_above_cost=1000000"
    sqlite = postgres_jit_for_long_queries_only({"ENGINE": "django.db.backends.sqlite3"})
    assert "OPTIONS" not in sqlite
