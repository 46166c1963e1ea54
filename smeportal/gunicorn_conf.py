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

# Python's cyclic garbage collector, tuned for a worker that serves requests. By default it runs
# after every 700 new container objects: two to four times during each page that builds a form
# or a table of model instances (0.5-1 ms of each such request, measured with gc.callbacks), and
# now and then a full collection that walks every object of the loaded portal (3-5 ms). The
# objects loaded at start-up live as long as the worker: frozen, no collection walks them again.
# A higher first threshold lets a request's short-lived objects be freed by their reference
# counts before a collection would look at them; the cycles that remain are collected later, in
# fewer and larger passes.
GC_THRESHOLDS = (20_000, 20, 20)


def post_worker_init(worker):
    """After the worker has loaded the portal, before its first request."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
