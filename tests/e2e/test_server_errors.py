"""Requests gunicorn refuses before the app sees them are answered as problem+json, not HTML."""

from __future__ import annotations

import json

import pytest
from gunicorn import util

from service.security import DATA_CSP
from service.worker import _ErrorPage
from tests.conftest import BUNDLED
from tests.live import serve

CASES = [
    pytest.param(b"GARBAGE\r\n\r\n", 400, "Bad Request", id="not a request line"),
    pytest.param(b"G\x01T / HTTP/1.1\r\n\r\n", 400, "Bad Request", id="a control byte"),
    pytest.param(b"GET / HTTP/9.9\r\n\r\n", 400, "Bad Request", id="an unknown version"),
    pytest.param(
        b"GET /healthz HTTP/1.1\r\nBad Name: y\r\n\r\n", 400, "Bad Request", id="a bad name"
    ),
    pytest.param(
        b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\n\r\n", 414, "URI Too Long", id="a long line"
    ),
    pytest.param(
        b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: y\r\n" % n for n in range(150)) + b"\r\n",
        431,
        "Request Header Fields Too Large",
        id="over 100 headers",
    ),
    pytest.param(
        b"GET / HTTP/1.1\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n",
        431,
        "Request Header Fields Too Large",
        id="a header over 8190 bytes",
    ),
]


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    log = tmp_path_factory.mktemp("server-errors") / "gunicorn.log"
    with serve(BUNDLED, log, PARLEY_WORKERS="1") as server:
        yield server


def parse(answer: bytes) -> tuple[str, dict[str, str], bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value for name, _, value in (line.partition(": ") for line in lines)}
    return status, headers, body


@pytest.mark.parametrize(("request_bytes", "status", "title"), CASES)
def test_gunicorn_s_own_errors_are_problem_details(live, request_bytes, status, title):
    status_line, headers, body = parse(live.exchange(request_bytes))
    assert status_line == f"HTTP/1.1 {status} {title}"
    assert headers["content-type"] == "application/problem+json"
    assert int(headers["content-length"]) == len(body)
    assert headers["connection"] == "close"
    problem = json.loads(body)
    assert problem["type"] == "about:blank"
    assert (problem["status"], problem["title"]) == (status, title)
    assert problem["detail"] and "<" not in problem["detail"]
    assert problem["errors"] == {}
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-security-policy"] == DATA_CSP
    assert headers["x-frame-options"] == "DENY"


def test_gunicorn_still_logs_them_as_it_did(live):
    live.exchange(b"GARBAGE\r\n\r\n")
    warnings = [e for e in live.events() if e.get("level") == "WARNING"]
    assert any("Invalid request from ip=127.0.0.1" in e["message"] for e in warnings)


def test_the_app_s_own_errors_are_untouched(live):
    answer = live.exchange(b"GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    status_line, headers, body = parse(answer)
    assert status_line == "HTTP/1.1 404 NOT FOUND"
    assert headers["content-type"] == "application/problem+json"
    assert json.loads(body)["instance"] == "/nowhere"


@pytest.mark.parametrize(
    ("status", "reason", "message", "detail"),
    [
        (400, "Bad Request", "Invalid Method '<b>&\"x\"</b>'", "Invalid Method '<b>&\"x\"</b>'"),
        (500, "Internal Server Error", "", "Internal Server Error"),
    ],
)
def test_gunicorn_s_page_is_read_back_whole(status, reason, message, detail):
    """Whatever gunicorn's writer puts in its page comes out as the problem's fields."""
    page = _ErrorPage()
    util.write_error(page, status, reason, message)
    status_line, headers, body = parse(page.as_problem("/where"))
    assert status_line == f"HTTP/1.1 {status} {reason}"
    assert json.loads(body) == {
        "type": "about:blank",
        "title": reason,
        "status": status,
        "detail": detail,
        "instance": "/where",
        "errors": {},
    }
