"""Parley's gunicorn worker: gthread, with slow clients bounded.

gunicorn's threaded worker waits for idle and kept-alive connections in one poller, not in
a thread each. But once a request's first bytes arrive, a thread reads it up to the end of
its headers, however slowly they come: a client sending a byte a second would hold that
thread for as long as it likes. So this worker

- gives each request ``header_timeout`` seconds (``PARLEY_HEADER_TIMEOUT``) from the moment a
  thread takes it to the end of its headers; a late one is answered 408 and closed;
- stops accepting while all its threads are taken, so that a new connection goes to a
  sibling with a free thread (or waits in the listen backlog) rather than queueing behind
  slow clients in this one.
"""

from __future__ import annotations

import json
import socket
import threading
import time

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker

from service.restapi import PROBLEM_MIMETYPE
from service.security import headers_for


def problem_response(status: int, title: str, detail: str, instance: str = "") -> bytes:
    """A complete HTTP/1.1 response carrying RFC 9457 problem details; the connection closes."""
    problem = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail or title,
        "instance": instance,
        "errors": {},
    }
    body = json.dumps(problem, ensure_ascii=False).encode()
    headers = {
        "Date": util.http_date(),
        "Connection": "close",
        "Content-Type": PROBLEM_MIMETYPE,
        "Content-Length": str(len(body)),
        **headers_for(PROBLEM_MIMETYPE),
    }
    head = f"HTTP/1.1 {status} {title}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return head.encode("latin-1") + b"\r\n" + body


class ParleyWorker(ThreadWorker):
    """gthread with a deadline on request heads, accepting only what its threads can take."""

    header_timeout: float = 10.0  # gunicorn_conf.post_fork sets PARLEY_HEADER_TIMEOUT

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.busy = 0  # connections in the thread pool; counted on the main thread only
        self.reading: dict = {}  # connection -> when its head must be in; shared with threads
        self.reading_lock = threading.Lock()

    # -- a thread per connection at most: beyond that, let a sibling accept ------------------

    def enqueue_req(self, conn) -> None:
        self.busy += 1
        super().enqueue_req(conn)
        if self.busy >= self.cfg.threads:
            self.set_accept_enabled(False)

    def finish_request(self, conn, fs) -> None:
        self.busy -= 1
        super().finish_request(conn, fs)

    def set_accept_enabled(self, enabled: bool) -> None:
        # the main loop asks again on every turn, so accepting resumes once a thread is free
        super().set_accept_enabled(enabled and self.busy < self.cfg.threads)

    # -- a deadline on the request's line and headers ----------------------------------------

    def handle(self, conn):
        with self.reading_lock:
            self.reading[conn] = time.monotonic() + self.header_timeout
        try:
            return super().handle(conn)
        finally:
            with self.reading_lock:
                self.reading.pop(conn, None)

    def handle_request(self, req, conn):
        with self.reading_lock:
            in_time = self.reading.pop(conn, None) is not None
        if not in_time:  # cut off while its last bytes came in: already answered 408
            return False
        return super().handle_request(req, conn)

    def murder_pending(self) -> None:
        """Close connections gunicorn parked, and those whose head is late (main loop)."""
        super().murder_pending()
        now = time.monotonic()
        with self.reading_lock:
            late = [conn for conn, deadline in self.reading.items() if deadline <= now]
            for conn in late:
                del self.reading[conn]
        for conn in late:
            self.cut(conn)

    def cut(self, conn) -> None:
        """Answer a connection 408 and shut it; its thread then reads the end and lets go."""
        self.log.warning(
            "Request head not received within %ss from ip=%s", self.header_timeout, conn.client[0]
        )
        detail = f"The request line and headers did not arrive within {self.header_timeout:g} s."
        answer = problem_response(408, "Request Timeout", detail)
        try:
            if not self.cfg.is_ssl:  # plain bytes would break a TLS stream
                # never blocks: the main loop must not wait on a client that does not read
                conn.sock.send(answer, socket.MSG_DONTWAIT)
            conn.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # gone already
