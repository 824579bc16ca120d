"""gunicorn settings: bind, workers and timeouts from PARLEY_*, JSON logs, fixture reload on HUP.

    gunicorn --config python:service.gunicorn_conf 'service:create_app()'

The app is preloaded in the master, so the fixtures are validated once there and the
workers fork with the dataset already built. On ``SIGHUP`` gunicorn does not rebuild a
preloaded app; it calls ``on_reload`` below, then starts fresh workers (forked from the
master, so they carry whatever dataset it now holds) and lets the old ones finish their
requests. Invalid fixtures leave the master with the last good dataset and the reload
error, which the new workers report on ``/readyz``.
"""

from __future__ import annotations

import gc as _gc
from pathlib import Path as _Path

# gunicorn reads every module-level name that matches a setting ("config" is one): keep ours private
from service import allocator as _allocator
from service import config as _config
from service import logs as _logs

# A bad value stops gunicorn here, with gunicorn's one-line "Error: PARLEY_...".
_settings = _config.from_env()

wsgi_app = "service:create_app()"
preload_app = True
bind = [_settings["PARLEY_BIND"]]
workers = _settings["PARLEY_WORKERS"]
# gthread (service/worker.py): idle and kept-alive connections wait in a poller, not a thread,
# and a thread reading a request's head gives up after PARLEY_HEADER_TIMEOUT; the sync worker
# is held by each slow client for as long as it trickles (gunicorn: "needs a buffering proxy")
worker_class = "service.worker.ParleyWorker"
threads = _settings["PARLEY_THREADS"]
timeout = _settings["PARLEY_TIMEOUT"]
# a retiring worker (after HUP or TERM) may finish what it is serving for as long
graceful_timeout = _settings["PARLEY_TIMEOUT"]
keepalive = 5
proc_name = "parley"
# reload is `kill -HUP`; gunicorn's control socket would add a second control plane at a path
# shared by every gunicorn of the user, which servers (and tests) started side by side fight over
control_socket_disable = True
# `parley reload` reads it: the master of this server, never another checkout's
pidfile = _config.pidfile(_settings)
accesslog = "-"
loglevel = str(_settings["PARLEY_LOG_LEVEL"]).lower()
logconfig_dict = _logs.logging_config(str(_settings["PARLEY_LOG_LEVEL"]))
# the workers' heartbeat files; a container's /tmp may be a slow overlay, /dev/shm is memory
worker_tmp_dir = "/dev/shm" if _Path("/dev/shm").is_dir() else None

def on_reload(server) -> None:
    """Reload the fixtures (read in a child process) before gunicorn forks new workers."""
    server.app.wsgi().extensions["parley"].reload()


def pre_fork(server, worker) -> None:
    """Freeze what the master holds (the dataset) before a worker is forked from it.

    Frozen objects are left out of the cyclic collector's passes: a worker then never
    walks the whole dataset in a full collection (about 160 ms at 100,000 positions), nor
    writes to its pages, which stay shared with the master instead of being copied.
    """
    _gc.freeze()


def post_fork(server, worker) -> None:
    """Set the worker's allocator for threads (service/allocator.py) and hand it the
    settings gunicorn has no name for."""
    _allocator.settle_for_threads()
    worker.header_timeout = _settings["PARLEY_HEADER_TIMEOUT"]
