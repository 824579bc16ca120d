"""The response cache: complete API responses replayed before Flask sees the request.

The dataset is immutable between reloads, so an API response depends only on the data
version, the day (``as_of`` defaults to today) and the request: its path, query string,
``Accept`` header (CSV or JSON) and, when CORS allows a list of origins, ``Origin``. A
GET whose 200 response was rendered before for the same key is answered from memory at
the WSGI level, status and headers and body exactly as the app produced them, with
``If-None-Match`` answered 304 from the stored ETag; a dashboard's repeated poll then
costs about as little as a request can. A reload changes the version, which is part of
the key, so a response of older data is never served; the least recently used entries
make room for new ones.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from cachetools import LRUCache
from werkzeug.http import parse_etags

from service.logs import DATA_VERSION_ENVIRON

# what a 304 repeats of the 200 it stands for (RFC 9110 15.4.5), CORS included
_KEPT_BY_304 = ("cache-control", "etag", "vary", "x-data-version", "link")


@dataclass(frozen=True, slots=True)
class Replay:
    """A 200 response as the app sent it."""

    headers: list[tuple[str, str]]
    body: bytes
    etag: str
    not_modified: list[tuple[str, str]]


class ReplayCache:
    """WSGI middleware around the Flask app; see the module docstring."""

    def __init__(self, app: Callable, dataset: Callable, scope: tuple, size: int, by_origin: bool):
        self.app, self.dataset, self.scope, self.by_origin = app, dataset, scope, by_origin
        self.entries: LRUCache = LRUCache(maxsize=size)
        self.lock = threading.Lock()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        if method not in ("GET", "HEAD") or not path.startswith(self.scope):
            return self.app(environ, start_response)
        dataset = self.dataset()
        version = dataset.version
        key = (
            version,
            dataset.loaded_at,  # a reload of unchanged files keeps the version, not the time
            datetime.now(UTC).date(),
            path,
            _normalised(environ.get("QUERY_STRING", "")),
            environ.get("HTTP_ACCEPT", ""),
            environ.get("HTTP_ORIGIN", "") if self.by_origin else "",
        )
        with self.lock:
            replay = self.entries.get(key)
        if replay is None:
            if method == "HEAD":
                return self.app(environ, start_response)
            return self.render(key, environ, start_response)
        environ[DATA_VERSION_ENVIRON] = version
        wanted = environ.get("HTTP_IF_NONE_MATCH")
        if wanted and parse_etags(wanted).contains(replay.etag):
            start_response("304 NOT MODIFIED", list(replay.not_modified))
            return []
        start_response("200 OK", list(replay.headers))
        return [] if method == "HEAD" else [replay.body]

    def render(self, key: tuple, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """Run the app; keep its answer if it is a complete 200 with an ETag."""
        seen: dict = {}

        def capture(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.app(environ, capture)
        if not seen.get("status", "").startswith("200"):
            return result
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        headers = seen["headers"]
        etag = next((v for k, v in headers if k.lower() == "etag"), None)
        if etag is not None:
            replay = Replay(
                headers=list(headers),
                body=body,
                etag=etag.strip('"'),
                not_modified=[(k, v) for k, v in headers if k.lower() in _KEPT_BY_304
                              or k.lower().startswith("access-control-")],
            )
            with self.lock:
                self.entries[key] = replay
        return [body]


def _normalised(query: str) -> str:
    # the same parameters in another order are the same request
    return "&".join(sorted(query.split("&"))) if "&" in query else query


def install(app, size: int, scope: tuple[str, ...]) -> ReplayCache | None:
    """Wrap ``app.wsgi_app`` in a ReplayCache of ``size`` entries; none if ``size`` is 0."""
    if not size:
        return None
    holder = app.extensions["parley"]
    # CORS answers every origin alike with "*"; with a list of origins, each gets its own
    by_origin = app.config["PARLEY_CORS_ORIGINS"] != "*"
    cache = ReplayCache(app.wsgi_app, lambda: holder.dataset, scope, size, by_origin)
    app.wsgi_app = cache
    app.extensions["parley.replay"] = cache
    return cache
