"""JSON logs, one object per line on stdout, for the app and for gunicorn alike.

Every record is ``{"time", "level", "logger", "message", ...}`` plus whatever it was
given as ``extra`` (``event``, ``data_version``, ``counts``, ``errors``). gunicorn's
access log becomes ``event: request`` lines carrying the data version that served
each request, which the app leaves in the WSGI environ for it.
"""

from __future__ import annotations

import logging
import logging.config
from collections.abc import Mapping

from flask import Flask, current_app, request

DATA_VERSION_ENVIRON = "parley.data_version"
log = logging.getLogger("parley.app")


class AccessFields(logging.Filter):
    """Turns a gunicorn access record's atoms into named fields and a short message."""

    def filter(self, record: logging.LogRecord) -> bool:
        atoms = record.args
        if not isinstance(atoms, Mapping):
            return True
        duration = atoms["D"]
        fields = {
            "event": "request",
            "method": atoms["m"],
            "path": atoms["U"],
            "query": atoms["q"] or None,
            "status": _number(atoms["s"]),
            "duration_ms": duration / 1000 if isinstance(duration, int) else None,
            "bytes": _number(atoms["B"]),
            "remote_addr": atoms["h"],
            "user_agent": atoms["{user-agent}i"],
            "data_version": _present(atoms[f"{{{DATA_VERSION_ENVIRON}}}e"]),
        }
        for name, value in fields.items():
            setattr(record, name, value)
        record.msg = f"{fields['method']} {fields['path']} {fields['status']}"
        record.args = None
        return True


def _number(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _present(value: object) -> object:
    # gunicorn's atoms stand "-" in for anything it does not have
    return None if value == "-" else value


def logging_config(level: str, stream: str = "ext://sys.stdout") -> dict:
    """A ``dictConfig`` sending every logger, gunicorn's included, to ``stream`` as JSON lines."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": stream}
    return {
        "version": 1,
        # loggers made at import time (parley.reload, gunicorn's) must keep working
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(levelname)s %(name)s %(message)s",
                "rename_fields": {"levelname": "level", "name": "logger"},
                "timestamp": "time",
            }
        },
        "filters": {"access": {"()": "service.logs.AccessFields"}},
        "handlers": {
            "stdout": handler,
            "access": {**handler, "filters": ["access"]},
        },
        "root": {"level": level, "handlers": ["stdout"]},
        "loggers": {
            "gunicorn.error": {"level": level, "handlers": ["stdout"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
        },
    }


def configure(level: str) -> None:
    """Log JSON at ``level``, unless a host (gunicorn, pytest) has set up logging already."""
    if not logging.getLogger().handlers:
        # not under gunicorn, so a `parley` command: keep its stdout for its own output
        logging.config.dictConfig(logging_config(level, "ext://sys.stderr"))
    logging.getLogger("parley").setLevel(level)


def init_app(app: Flask) -> None:
    """Set up JSON logging, tag requests with the data version, and log what was loaded."""
    configure(app.config["PARLEY_LOG_LEVEL"])
    app.before_request(_tag_data_version)
    holder = app.extensions["parley"]
    log.info(
        "loaded fixtures",
        extra={
            "event": "started",
            "fixtures": holder.directory,
            "data_version": holder.dataset.version,
            "counts": holder.dataset.counts(),
        },
    )


def _tag_data_version() -> None:
    # the version the request started with, for gunicorn's access log line
    request.environ[DATA_VERSION_ENVIRON] = current_app.extensions["parley"].dataset.version
