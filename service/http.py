"""The HTTP layer of the API: the request's dataset, ETags, caching, CORS, CSV and pages.

Everything under ``/api/`` and ``/openapi.json`` passes through here:

- each request reads ``holder.dataset`` once (``current_dataset``), so a reload mid-request
  cannot mix two versions, and every response says which one it used (``X-Data-Version``);
- a GET's 200 gets a strong ``ETag`` (data version + body), ``Cache-Control: public,
  max-age``, and ``If-None-Match`` turns it into a 304 (werkzeug's ``make_conditional``);
- the dataset is immutable between reloads, so rendered 200s are kept in an LRU keyed by
  (data version, UTC date, path, sorted query, representation) and served before the view
  runs; a reload changes the version, so an older version's entries are never served.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from cachetools import LRUCache
from flask import Flask, Response, current_app, g, request, url_for
from flask_cors import CORS
from werkzeug.http import generate_etag

from schemas.api import DEFAULT_PAGE_SIZE
from service.dataset import Dataset
from service.tables import to_csv

SCOPE = ("/api/", "/openapi.json")
EXPOSED_HEADERS = ("ETag", "Link", "X-Data-Version")
JSON, CSV = "application/json", "text/csv"
# Headers a cached response must not replay: recomputed, or set per request by CORS.
_NOT_REPLAYED = ("content-length", "vary", "x-data-version", "etag", "cache-control")


def current_dataset() -> Dataset:
    """The dataset this request reads, taken from the holder once per request."""
    dataset = g.get("parley_dataset")
    if dataset is None:
        dataset = g.parley_dataset = current_app.extensions["parley"].dataset
    return dataset


# -- representations ---------------------------------------------------------------------


def _accepted() -> str:
    """``text/csv`` if the Accept header prefers it to JSON, else ``application/json``."""
    return request.accept_mimetypes.best_match((JSON, CSV)) or JSON


def wants_csv(args: Mapping) -> bool:
    """``format=csv``; or no ``format`` and an Accept header that prefers CSV."""
    chosen = args.get("format")
    return chosen == "csv" if chosen else _accepted() == CSV


def csv_response(rows: Iterable[dict], columns: Sequence[str], headers=None) -> Response:
    """A ``text/csv`` response: a header row, then one line per row."""
    return current_app.response_class(to_csv(rows, columns), mimetype=CSV, headers=headers)


# -- pages ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a collection, as the envelope ``{items, total, page, page_size}`` shows it."""

    items: Sequence
    total: int
    page: int
    page_size: int
    paged: bool = True

    def links(self) -> dict[str, int]:
        """RFC 8288 relation → page number: first and last always, prev and next if any."""
        last = max(1, math.ceil(self.total / self.page_size))
        links = {"first": 1}
        if self.page > 1:
            links["prev"] = min(self.page - 1, last)
        if self.page < last:
            links["next"] = self.page + 1
        links["last"] = last
        return links

    def headers(self) -> dict[str, str]:
        """The ``Link`` header, keeping every other query parameter as the request gave it."""
        if not self.paged:
            return {}
        query = {**request.view_args, **request.args.to_dict(), "page_size": self.page_size}
        links = (
            f'<{url_for(request.endpoint, **{**query, "page": number})}>; rel="{rel}"'
            for rel, number in self.links().items()
        )
        return {"Link": ", ".join(links)}


def paginate(items: Sequence, args: Mapping, *, whole_by_default: bool = False) -> Page:
    """The page ``args`` ask for; every item if ``whole_by_default`` and they ask for none."""
    if whole_by_default and "page" not in args and "page_size" not in args:
        return Page(items, len(items), 1, max(1, len(items)), paged=False)
    number, size = args.get("page", 1), args.get("page_size", DEFAULT_PAGE_SIZE)
    start = (number - 1) * size
    return Page(items[start : start + size], len(items), number, size)


def page_or_csv(items: Sequence, args: Mapping, columns: Sequence[str], row: Callable):
    """A view's answer for a collection: the page envelope, or the rows as CSV."""
    if wants_csv(args):
        page = paginate(items, args, whole_by_default=True)
        return csv_response(map(row, page.items), columns, headers=page.headers())
    page = paginate(items, args)
    return page, page.headers()


# -- caching -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rendered:
    """A response as the cache keeps it."""

    body: bytes
    etag: str
    headers: tuple[tuple[str, str], ...]


class ResponseCache:
    """Rendered 200 responses, least recently used dropped first; thread-safe."""

    def __init__(self, size: int):
        self._entries: LRUCache = LRUCache(maxsize=size)
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Rendered | None:
        with self._lock:
            return self._entries.get(key)

    def put(self, key: tuple, rendered: Rendered) -> None:
        with self._lock:
            self._entries[key] = rendered

    def __len__(self) -> int:
        return len(self._entries)


class HttpLayer:
    """The request hooks that implement the caching contract described above."""

    def __init__(self, app: Flask):
        size = app.config["PARLEY_RESPONSE_CACHE_SIZE"]
        self.cache = ResponseCache(size) if size else None
        self.max_age = app.config["PARLEY_CACHE_MAX_AGE"]
        app.before_request(self.serve_cached)
        app.after_request(self.finish)

    def serve_cached(self) -> Response | None:
        """Pin the request's dataset; answer from the cache if this GET was rendered before."""
        if not request.path.startswith(SCOPE):
            return None
        version = current_dataset().version
        if self.cache is None or request.method not in ("GET", "HEAD"):
            return None
        g.parley_cache_key = key = (
            version,
            datetime.now(UTC).date(),  # "as_of" defaults to today
            request.path,
            tuple(sorted(request.args.items(multi=True))),
            _accepted(),
        )
        rendered = self.cache.get(key)
        if rendered is None:
            return None
        g.parley_cache_hit = True
        response = current_app.response_class(rendered.body, headers=rendered.headers)
        response.set_etag(rendered.etag)
        return response

    def finish(self, response: Response) -> Response:
        """Add the version, ETag and caching headers; keep a fresh 200; answer 304s."""
        if not request.path.startswith(SCOPE):
            return response
        version = current_dataset().version
        response.headers["X-Data-Version"] = version
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if response.is_streamed:
            return response
        if not g.get("parley_cache_hit"):
            body = response.get_data()
            etag = generate_etag(version.encode() + b"\n" + body)
            key = g.get("parley_cache_key")
            if key is not None and request.method == "GET":
                kept = tuple(
                    (name, value)
                    for name, value in response.headers.items()
                    if name.lower() not in _NOT_REPLAYED
                    and not name.lower().startswith("access-control-")
                )
                self.cache.put(key, Rendered(body, etag, kept))
            response.set_etag(etag)
        response.vary.add("Accept")
        response.cache_control.public = True
        response.cache_control.max_age = self.max_age
        return response.make_conditional(request)


def init_app(app: Flask) -> HttpLayer:
    """Install the hooks and CORS on ``app``."""
    CORS(
        app,
        resources={r"/api/*": {}, r"/openapi.json": {}},
        origins=app.config["PARLEY_CORS_ORIGINS"],
        send_wildcard=True,  # with "*": the same header for everyone, so caches can share it
        methods=["GET", "HEAD", "OPTIONS"],
        expose_headers=list(EXPOSED_HEADERS),
    )
    layer = app.extensions["parley.http"] = HttpLayer(app)
    return layer
