"""gunicorn's worker hook in smeportal/gunicorn_conf.py: the garbage collector's tuning."""

from __future__ import annotations

import gc

from smeportal import gunicorn_conf


def test_a_worker_freezes_what_it_loaded_and_collects_less_often():
    thresholds = gc.get_threshold()
    frozen_before = gc.get_freeze_count()
    try:
        gunicorn_conf.post_worker_init(worker=None)
        assert gc.get_freeze_count() > frozen_before
        assert gc.get_threshold() == gunicorn_conf.GC_THRESHOLDS
        assert gunicorn_conf.GC_THRESHOLDS[0] > thresholds[0]
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
