"""service/allocator.py: glibc's malloc set for gthread workers, in a process of its own."""

from __future__ import annotations

import subprocess
import sys

import pytest

from service import allocator

GLIBC = sys.platform == "linux" and allocator._libc() is not None


@pytest.mark.skipif(not GLIBC, reason="glibc's mallopt only")
def test_settle_for_threads_is_accepted_by_glibc():
    # in a child: the setting is for the process's whole life
    code = "from service import allocator; print(allocator.settle_for_threads())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_release_free_memory_runs_anywhere():
    allocator.release_free_memory()  # no error, glibc or not


def test_each_gunicorn_worker_settles_its_allocator(monkeypatch):
    from service import gunicorn_conf

    settled = []
    monkeypatch.setattr(allocator, "settle_for_threads", lambda: settled.append(True))
    worker = type("Worker", (), {})()
    gunicorn_conf.post_fork(None, worker)
    assert settled == [True]
    assert worker.header_timeout > 0
