"""The chain read forwards, for apps that stand below the action plan.

An interview's findings and a workshop's proposals answer the question "what became of it?"
with the activities that took them up and how far those have come. Progress is the action
plan's business, and the action plan stands on interviews and workshops, not the other way
round; so the action plan registers its roll-up here when it starts (ActionplanConfig.ready)
and the lower apps ask for it through this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

_progress: Callable[[Iterable[Any]], list[Any]] | None = None


def register_progress(annotate: Callable[[Iterable[Any]], list[Any]]) -> None:
    """Set how activities get their rolled-up `progress` and `overdue` (the action plan's)."""
    global _progress
    _progress = annotate


def with_progress(activities: Iterable[Any]) -> list[Any]:
    """The activities with `progress` and `overdue` set by the registered roll-up."""
    if _progress is None:
        raise RuntimeError("The action plan app is not installed: no progress roll-up.")
    return _progress(activities)
