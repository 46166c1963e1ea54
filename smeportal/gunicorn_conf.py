"""gunicorn's settings, one place for every way the portal is served:

    gunicorn -c python:smeportal.gunicorn_conf smeportal.wsgi

used by the Dockerfile, docker-compose.yml and tests/load/run.sh. Options given on the command
line win over these.
"""

from __future__ import annotations

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))

# The access log goes to standard output, where the container runtime collects it.
accesslog = "-"
# No query strings and no Referer in the access log. gunicorn's default format logs the whole
# request line (%(r)s) and the Referer (%(f)s), and both carry query strings: the portal's
# searches put names and personal identity numbers there (/foretag/?q=198112189876). Beside
# the client's address that makes the log a register of who looked up whom, kept and copied
# with no retention decision. %(U)s is the path alone; the status, size and duration are
# what operations need.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
