"""JSON log lines: the formatter, gunicorn's access records, the start-up event."""

from __future__ import annotations

import json
import logging
import logging.config
import sys
from datetime import datetime, timedelta
from types import SimpleNamespace

import flask
from gunicorn.glogging import Logger, SafeAtoms

from service import logs


def json_formatter() -> logging.Formatter:
    """The formatter that gunicorn's logconfig_dict and the CLI's logging both use."""
    config = logs.logging_config("INFO")
    return logging.config.DictConfigurator(config).configure_formatter(config["formatters"]["json"])


def record(name: str, message: str, args=None, **extra) -> logging.LogRecord:
    made = logging.LogRecord(name, logging.INFO, __file__, 1, message, args, None)
    made.__dict__.update(extra)
    return made


def test_a_record_is_one_json_object_with_its_extra_fields():
    line = json_formatter().format(
        record("parley.reload", "reloaded\nfixtures", event="reloaded", counts={"positions": 3})
    )
    assert "\n" not in line
    entry = json.loads(line)
    assert datetime.fromisoformat(entry.pop("time")).utcoffset() == timedelta(0)
    assert entry == {
        "level": "INFO",
        "logger": "parley.reload",
        "message": "reloaded\nfixtures",
        "event": "reloaded",
        "counts": {"positions": 3},
    }


def test_an_exception_stays_inside_its_line():
    try:
        raise ValueError("bad")
    except ValueError:
        failed = record("gunicorn.error", "worker failed", exc_info=sys.exc_info())
    entry = json.loads(json_formatter().format(failed))
    assert "ValueError: bad" in entry["exc_info"]


def gunicorn_access_record(query: str, environ_extra: dict) -> logging.LogRecord:
    """An access record as gunicorn's logger makes one, atoms and all."""
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/api/v1/parties?{query}",
        "PATH_INFO": "/api/v1/parties",
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        **environ_extra,
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    request = SimpleNamespace(headers=[("User-Agent", "probe/1.0")])
    atoms = Logger.atoms(
        Logger.__new__(Logger), response, request, environ, timedelta(microseconds=2500)
    )
    return record("gunicorn.access", '%(h)s "%(r)s" %(s)s', (SafeAtoms(atoms),))


def test_an_access_record_becomes_named_fields_with_the_data_version():
    access = gunicorn_access_record("page=2", {logs.DATA_VERSION_ENVIRON: "abc123"})
    assert logs.AccessFields().filter(access)
    entry = json.loads(json_formatter().format(access))
    entry.pop("time")
    assert entry == {
        "level": "INFO",
        "logger": "gunicorn.access",
        "message": "GET /api/v1/parties 200",
        "event": "request",
        "method": "GET",
        "path": "/api/v1/parties",
        "query": "page=2",
        "status": 200,
        "duration_ms": 2.5,
        "bytes": 512,
        "remote_addr": "127.0.0.1",
        "user_agent": "probe/1.0",
        "data_version": "abc123",
    }


def test_an_access_record_without_query_or_version_says_null():
    access = gunicorn_access_record("", {})
    logs.AccessFields().filter(access)
    assert (access.query, access.data_version) == (None, None)


def test_other_records_pass_the_access_filter_untouched():
    plain = record("gunicorn.error", "Booting worker with pid: %s", (42,))
    assert logs.AccessFields().filter(plain)
    assert plain.getMessage() == "Booting worker with pid: 42"
    assert not hasattr(plain, "event")


def test_the_app_tags_each_request_with_its_data_version(app, bundled):
    with app.test_client() as client:  # keeps the request context, to look at the request
        client.get("/healthz")
        assert flask.request.environ[logs.DATA_VERSION_ENVIRON] == bundled.version
