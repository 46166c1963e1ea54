"""Settings shared by every environment; read from the process environment (django-environ).

Embedded default: without DATABASE_URL the portal uses a SQLite file under var/, and without
REDIS_URL Celery runs tasks eagerly in-process, so `make run` needs no services.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

VERSION = "0.1.0"

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "template_partials",
    "simple_history",
    "django_celery_beat",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    # what every other app stands on
    "smeportal.accounts",
    "smeportal.core",
    "smeportal.areas",
    "smeportal.outbox",
    # domain apps, each reading only those listed before it
    "interviews",
    "workshops",
    "actionplan",
    # apps that read every domain app: reports and dashboards, the audit trail and retention
    "reports",
    "search",
    "letters",
    # public records: requests for documents, their secrecy review and what is released
    "records",
    # the daily reminders (follow-ups, activities, indicators and requests for public records)
    "reminders",
    # the anonymous public page of what the dialogue led to: reads the reports' snapshot
    "public_site",
    # open data files of what the public page shows, and their DCAT-AP-SE description
    "opendata",
    # the information management plan and delivery to the e-archive
    "archive",
    # the API (/api/v1/) and personal API tokens: reads every domain app
    "api",
    # the audit trail and retention (retention follows the archive's plan); lists API calls
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # A view that loses the database answers with the Swedish 503 page (see the class).
    "smeportal.core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "smeportal.core.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Pages for a signed-in user hold personal data: Cache-Control: no-store.
    "smeportal.core.middleware.NoStoreForSignedInUsersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a lockout into the Swedish lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "smeportal.urls"
WSGI_APPLICATION = "smeportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "smeportal.accounts.context_processors.navigation",
            ],
        },
    },
    {
        # The rows of long tables, drawn by Jinja2 through {% rows %} (core/templatetags/rows.py).
        "NAME": "rows",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "smeportal.core.jinja2_environment.environment"},
    },
]
# Functions the rows templates may call, by name (smeportal/core/jinja2_environment.py).
ROWS_TEMPLATE_GLOBALS = {
    "area_swatch": "smeportal.areas.templatetags.areas.area_swatch",
    "flag_badge": "interviews.templatetags.flags.flag_badge",
    "progress_basis_text": "actionplan.templatetags.activities.progress_basis_text",
    "celebration_support": "actionplan.templatetags.celebrations.celebration_support",
    "indicator_status_badge": "actionplan.templatetags.indicators.indicator_status_badge",
    "indicator_progress_bar": "actionplan.templatetags.indicators.indicator_progress_bar",
    "published_badge": "public_site.templatetags.published.published_badge",
}


def sqlite_for_concurrent_writes(database: dict) -> dict:
    """SQLite settings that let two requests write at once (no-op for other databases).

    SQLite starts a transaction deferred: two requests that read and then write both take a
    shared lock, and the second to write fails at once with "database is locked" (the busy
    timeout cannot help, that would be a deadlock). IMMEDIATE takes the write lock when the
    transaction begins, so the second request waits, up to the timeout in seconds.
    """
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
    return database


def postgres_jit_for_long_queries_only(database: dict) -> dict:
    """Postgres compiles a query to machine code (JIT) when its estimated cost passes 100,000:
    100 ms of compiling, on every request, for a page's query that runs in 50 (the ranking of
    proposals by companies at scale). Only queries estimated ten times dearer (the report's
    aggregates) are compiled. No-op for other databases."""
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit_above_cost=1000000".strip()
    return database


DATABASES = {
    "default": postgres_jit_for_long_queries_only(
        sqlite_for_concurrent_writes(
            env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
        )
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Swedish first: Swedish is the default, English the complete alternative.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
# Off: with it on, every integer in a template is grouped ("1 879"), ids in form values and
# element ids included, which breaks forms once ids pass 1000. Decimal commas stay Swedish.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Help text is printed with |safe by Django's, crispy's and the admin's templates: this renderer
# escapes it first, so no text in it can become markup (smeportal/core/form_rendering.py).
FORM_RENDERER = "smeportal.core.form_rendering.PortalFormRenderer"

# Uploads larger than this are refused before they reach a form (imports check their own limit).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Idle timeout: every request pushes the expiry forward, so a session ends after this long
# without activity, and the cookie itself ends when the browser closes.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=2 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "smeportal.core.errors.csrf_failure"

# Login throttling (django-axes, rules in smeportal.accounts.throttling): five failed logins
# for one user name from one address lock that pair for a quarter of an hour, so nobody can
# lock a colleague out from elsewhere; an address that fails thirty times, whatever the user
# names, is locked for every user name. A successful login clears its pair's count.
LOGIN_FAILURES_PER_USER_AND_ADDRESS = 5
LOGIN_FAILURES_PER_ADDRESS = 30
AXES_FAILURE_LIMIT = "smeportal.accounts.throttling.failure_limit"
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Data minimisation (GDPR): no log of every successful log-in and log-out with its address;
# failed attempts are kept only until their cool-off has passed.
AXES_DISABLE_ACCESS_LOG = True
# The lock ends 15 minutes after the fifth failure, as the lockout page says, however often
# someone knocks meanwhile.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The Swedish 429 page, worded for the login or the password-change page that was locked.
AXES_LOCKOUT_CALLABLE = "smeportal.accounts.throttling.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Masked in the record of a failed attempt (and in axes' log lines). django-axes masks only
# "password"; the password-change form's fields must never be stored in clear either, nor the
# page the visitor was sent from ("next" may hold a search for a personal identity number).
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "old_password",
    "new_password1",
    "new_password2",
    "next",
]
# No start-up banner on every manage.py command; lockouts are still logged as warnings.
AXES_VERBOSE = False
# Behind N reverse proxies the client's address is the Nth entry from the right of
# X-Forwarded-For; with 0 (gunicorn facing the network) only REMOTE_ADDR is trusted.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "smeportal.core.middleware.client_ip_address"

# Content Security Policy, enforced everywhere: no inline scripts or styles, nothing from
# other origins. JavaScript lives in static/js/, CSS in static/css/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws its form icons as data: SVG images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# E-mail (issue 14). Every message goes through the outbox (smeportal.outbox): a row first, then
# a worker sends it. EMAIL_URL names the mail server the django-environ way
# (smtp+tls://user:password@host:587, smtp://mailpit:1025 in docker-compose); without it, the
# embedded default writes each message as a file under var/mail/, and the outbox page shows
# them, so nothing needs a mail server.
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
# A mail server that does not answer fails the attempt (the worker retries) instead of hanging.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env(
    "EMAIL_FROM", default="Företagsdialog Eskilstuna <foretagsdialog@eskilstuna.invalid>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_REPLY_TO = env("EMAIL_REPLY_TO", default="")
# The right-hand side of every Message-ID, and the address links in messages point to.
EMAIL_MESSAGE_ID_DOMAIN = env("EMAIL_MESSAGE_ID_DOMAIN", default="foretagsdialog.invalid")
PORTAL_URL = env("PORTAL_URL", default="http://127.0.0.1:8000").rstrip("/")

# Celery: Redis when REDIS_URL is set, otherwise tasks run eagerly in-process.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 5 * 60
CELERY_TASK_TIME_LIMIT = 6 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# A task that was received but not acknowledged is redelivered after this many seconds; it must
# exceed the hard time limit so a long report is not handed to a second worker while it runs.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * CELERY_TASK_TIME_LIMIT}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# The cache: the public page's rendered body and its rate limit (public_site/). Redis when REDIS_URL
# is set, so that every worker shares them; otherwise each process keeps its own in memory.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# The public page (/resultat/): how long its body is kept, and how many requests one address
# may make per minute before it is answered 429 (0: no limit).
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=5 * 60)
PUBLIC_RATE_LIMIT_PER_MINUTE = env.int("PUBLIC_RATE_LIMIT_PER_MINUTE", default=60)
# Requests for public documents (records): a decision is due this many working days after the
# request came in (weekends, public holidays and the eves the law counts as holidays skipped).
RECORDS_DECISION_WORKING_DAYS = env.int("RECORDS_DECISION_WORKING_DAYS", default=2)
# Delivery packages for the e-archive (archive): who holds the archive (METS agent ARCHIVIST,
# with its organisation number), who made the records (CREATOR), and the submission agreement
# (leveransöverenskommelse) the packages are delivered under.
ARCHIVE_ARCHIVIST = env("ARCHIVE_ARCHIVIST", default="Eskilstuna kommun")
ARCHIVE_ARCHIVIST_ID = env("ARCHIVE_ARCHIVIST_ID", default="212000-0340")
ARCHIVE_CREATOR = env("ARCHIVE_CREATOR", default="Eskilstuna kommun, Näringslivsenheten")
ARCHIVE_SUBMISSION_AGREEMENT = env("ARCHIVE_SUBMISSION_AGREEMENT", default="LÖ 2026:1")
# Indicators fetched from Kolada's open API (actionplan.kolada): the API's address, the
# municipality whose values are fetched (0484 is Eskilstuna) and how long, in seconds, to wait
# for an answer before the fetch counts Kolada as unreachable.
KOLADA_BASE_URL = env("KOLADA_BASE_URL", default="https://api.kolada.se/v2").rstrip("/")
KOLADA_MUNICIPALITY = env("KOLADA_MUNICIPALITY", default="0484")
KOLADA_TIMEOUT = env.float("KOLADA_TIMEOUT", default=10.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_query_strings": {"()": "smeportal.core.logfilters.NoQueryStrings"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        # Django's own handler for the development server's request lines, but without query
        # strings (personal identity numbers in searches); gunicorn: smeportal/gunicorn_conf.py.
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["no_query_strings"],
        },
    },
    "loggers": {
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # WeasyPrint (the report PDF) logs each step of every layout at INFO.
        "weasyprint.progress": {"level": "WARNING"},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# The API (api/): Django REST framework. Staff authenticate with a personal token (or their
# session, in the browser); the open endpoints of published data need nothing. Rates per
# minute: by address for anonymous callers, by user for signed-in ones (429 beyond).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_ANON_RATE", default="120/minute"),
        "user": env("API_USER_RATE", default="1200/minute"),
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "COERCE_DECIMAL_TO_STRING": False,
    "UNICODE_JSON": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SME-dialog portal API",
    "DESCRIPTION": (
        "Eskilstuna kommun's SME dialogue: the published action plan for everyone "
        "(/api/v1/public/), and the staff's data for a personal API token."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"ScaleEnum": "workshops.choices.Scale"},
}
