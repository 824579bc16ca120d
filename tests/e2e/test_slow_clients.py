"""Clients sending their requests a byte a second cannot starve the service (real gunicorn)."""

from __future__ import annotations

import json
import select
import time

import yaml

from tests.conftest import BUNDLED
from tests.live import read_to_end, serve
from tests.support import ROOT

HEAD = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: " + b"s" * 64 + b"\r\n\r\n"
ANSWER_WITHIN = 2.0  # seconds


class Trickle:
    """Slow clients, each sending the next byte of a request head when told to."""

    def __init__(self, live, count: int):
        self.sockets = [live.connect() for _ in range(count)]
        self.sent = 0

    def step(self) -> None:
        for connection in self.sockets:
            connection.sendall(HEAD[self.sent : self.sent + 1])
        self.sent += 1

    def still_open(self) -> int:
        """How many have neither an answer nor an end of stream to read yet."""
        readable, _, _ = select.select(self.sockets, [], [], 0)
        return len(self.sockets) - len(readable)

    def close(self) -> None:
        for connection in self.sockets:
            connection.close()


def trickle_and_probe(live, clients: int, seconds: int) -> list[float]:
    """``clients`` slow clients for ``seconds``; how long /healthz took each second meanwhile."""
    trickle, times = Trickle(live, clients), []
    try:
        for _ in range(seconds):
            started = time.monotonic()
            trickle.step()
            assert live.healthz(timeout=ANSWER_WITHIN) == 200
            times.append(time.monotonic() - started)
            time.sleep(max(0.0, 1 - (time.monotonic() - started)))
        assert trickle.still_open() == clients  # they were holding on all along
    finally:
        trickle.close()
    return times


def test_healthz_answers_while_20_slow_clients_hold_connections(tmp_path):
    with serve(BUNDLED, tmp_path / "gunicorn.log", PARLEY_WORKERS="2") as live:
        times = trickle_and_probe(live, clients=20, seconds=5)
    assert max(times) < ANSWER_WITHIN


def test_a_worker_with_every_thread_taken_leaves_new_connections_to_another(tmp_path):
    """More slow clients than one worker has threads: the other worker takes the probes."""
    with serve(BUNDLED, tmp_path / "gunicorn.log", PARLEY_WORKERS="2", PARLEY_THREADS="4") as live:
        times = trickle_and_probe(live, clients=6, seconds=3)
    assert max(times) < ANSWER_WITHIN


def test_a_request_head_late_past_the_timeout_is_answered_408_and_closed(tmp_path):
    log = tmp_path / "gunicorn.log"
    with serve(BUNDLED, log, PARLEY_WORKERS="1", PARLEY_HEADER_TIMEOUT="2") as live:
        with live.connect() as silent, live.connect() as trickling:
            started = time.monotonic()
            for byte in range(5):
                trickling.sendall(HEAD[byte : byte + 1])
                time.sleep(0.2)
            # read to the end: the server closed them
            answers = [read_to_end(silent), read_to_end(trickling)]
        waited = time.monotonic() - started
        assert live.healthz(timeout=ANSWER_WITHIN) == 200
    for answer in answers:
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
        assert b"Content-Type: application/problem+json" in head
        assert json.loads(body)["status"] == 408
    assert 2 <= waited < 5  # the timeout, and at most the worker loop's second on top
    assert any("Request head not received" in e["message"] for e in live.events())


def test_the_compose_example_puts_a_buffering_nginx_in_front():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))["services"]
    assert "ports" not in compose["parley"]  # reachable through the proxy only
    proxy = compose["proxy"]
    assert proxy["image"].startswith("nginx:")
    assert proxy["ports"] == ["8000:8080"]
    [volume] = proxy["volumes"]
    source, target, mode = volume.split(":")
    assert (target, mode) == ("/etc/nginx/nginx.conf", "ro")
    conf = (ROOT / source).read_text("utf-8")
    for directive in (
        "server parley:8000;",
        "listen 8080;",
        "proxy_request_buffering on;",
        "proxy_buffering on;",
        "client_header_timeout 10s;",
        "default_type application/problem+json;",
    ):
        assert directive in conf, directive
