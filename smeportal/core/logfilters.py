"""Logging filters that keep personal data out of the portal's own logs."""

from __future__ import annotations

import logging
import re

_QUERY = re.compile(r"\?[^\s\"]*")


def without_query_string(text: str) -> str:
    """The text with every URL's query string removed ("GET /foretag/?q=1981… HTTP/1.1")."""
    return _QUERY.sub("", text)


class NoQueryStrings(logging.Filter):
    """Drops query strings from the development server's request lines (logger django.server).

    The portal's searches carry names and personal identity numbers in the query string, so the
    log line of every request would otherwise be a record of who was looked up. gunicorn's
    access log is set up the same way in smeportal/gunicorn_conf.py.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                without_query_string(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True
