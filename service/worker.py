"""Parley's gunicorn worker: gthread, with slow clients bounded and gunicorn's errors as problems.

gunicorn's threaded worker waits for idle and kept-alive connections in one poller, not in
a thread each. But once a request's first bytes arrive, a thread reads it up to the end of
its headers, however slowly they come: a client sending a byte a second would hold that
thread for as long as it likes. So this worker

- gives each request ``header_timeout`` seconds (``PARLEY_HEADER_TIMEOUT``) from the moment a
  thread takes it to the end of its headers; a late one is answered 408 and closed;
- stops accepting while all its threads are taken, so that a new connection goes to a
  sibling with a free thread (or waits in the listen backlog) rather than queueing behind
  slow clients in this one;
- answers the errors gunicorn handles itself (a bad request line 400, an over-long one 414,
  too many or too large headers 431, ...) as RFC 9457 ``application/problem+json`` with the
  security headers, like the app's own errors, instead of gunicorn's HTML page.
"""

from __future__ import annotations

import html
import json
import re
import socket
import threading
import time

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker

from service.restapi import PROBLEM_MIMETYPE
from service.security import headers_for

_STATUS_LINE = re.compile(rb"HTTP/1\.[01] (\d{3}) ([^\r\n]*)\r\n")


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


class _ErrorPage:
    """Stands in for the client's socket while gunicorn writes its HTML error page."""

    def __init__(self):
        self.written = b""

    def gettimeout(self) -> float:
        return 0.0  # so that gunicorn writes at once, without switching blocking modes

    def sendall(self, data: bytes) -> None:
        self.written += data

    def as_problem(self, instance: str) -> bytes:
        """The same status, reason and message, as problem details."""
        found = _STATUS_LINE.match(self.written)
        if found is None:  # gunicorn could not write it: nothing to go by
            return problem_response(500, "Internal Server Error", "", instance)
        status, title = int(found[1]), found[2].decode("latin-1")
        # gunicorn's page: <h1><p>reason</p></h1> then the escaped message, then </body>
        message = self.written.partition(b"</h1>")[2].rpartition(b"</body>")[0]
        detail = html.unescape(message.decode("latin-1").strip())  # gunicorn encodes latin-1
        return problem_response(status, title, detail, instance)


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

    # -- gunicorn's own error responses ------------------------------------------------------

    def handle_error(self, req, client, addr, exc) -> None:
        """gunicorn's handling (status, logs, access log), written as problem details."""
        page = _ErrorPage()
        super().handle_error(req, page, addr, exc)
        path = getattr(req or getattr(exc, "req", None), "path", None) or ""
        try:
            util.write_nonblock(client, page.as_problem(path))
        except Exception:  # as gunicorn: the client may be gone
            self.log.debug("Failed to send error message.")
