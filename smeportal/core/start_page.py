"""Panels that apps above core add to the start page, without core importing them.

An app registers a function in its AppConfig.ready(); the start page calls each with the
request and shows what it returns: None (nothing to show to this user) or a dict with the
panel's `template` and its context. A panel must cost a bounded number of queries.
"""

from __future__ import annotations

from collections.abc import Callable

StartPanel = Callable[[object], dict | None]

_PANELS: list[StartPanel] = []


def register_start_panel(panel: StartPanel) -> None:
    if panel not in _PANELS:
        _PANELS.append(panel)


def start_panels(request) -> list[dict]:
    return [shown for panel in _PANELS if (shown := panel(request)) is not None]
