"""Celery tasks: each takes ids, calls one service, and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from .services import released_document_build


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=30 * 60, max_retries=0)
def build_released_document(document_id: int) -> str:
    """Write one released document; the document records any failure for its request's page."""
    return released_document_build(document_id=document_id).status
