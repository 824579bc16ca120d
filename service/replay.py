"""The response cache: complete API responses replayed before Flask sees the request.

The dataset is immutable between reloads, so an API response depends only on the data
version, the day (``as_of`` defaults to today) and the request: its path, its query
parameters (decoded and sorted, so that the same parameters in another order or
encoding are one request), the representation it negotiates (CSV or JSON: one entry
whatever the spelling of the ``Accept`` header) and, when CORS allows a list of origins,
``Origin``. A GET whose 200 response was rendered before for the same key is answered
from memory at the WSGI level, status and headers and body exactly as the app produced
them, with ``If-None-Match`` answered 304 from the stored ETag; a dashboard's repeated
poll then costs about as little as a request can. A reload changes the version, which is
part of the key, so a response of older data is never served.

The cache is bounded in bytes, not entries: any client can ask for many distinct URLs,
each a whole table. Each entry is charged what its body, headers and key occupy; the
least recently used entries make room for new ones, and a response larger than an eighth
of the budget is never kept. gunicorn's threads share one cache per worker, behind a lock.

A client that accepts gzip gets the stored response compressed: the first time such a
client asks for an entry, a gzip copy is made once and kept beside it (charged to the
budget too), with its own ETag (the plain one with ``-gzip``), so a dashboard polling a
megabyte-long series receives a fraction of it, for no compression per request. Every
response in the cache's scope says ``Vary: Accept-Encoding`` for the caches on the way.
"""

from __future__ import annotations

import gzip
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qsl

import werkzeug.urls  # noqa: F401 -- registers the "werkzeug.url_quote" codec error handler
from cachetools import LRUCache
from werkzeug.http import parse_accept_header, parse_etags, remove_entity_headers

from service.logs import DATA_VERSION_ENVIRON

# the largest response kept, as a fraction of the budget: one table must not evict all others
LARGEST_ENTRY = 1 / 8
# the cache's own bookkeeping per entry (its dict slots and LRU order), beyond what is counted
ENTRY_OVERHEAD = 256
# bodies shorter than this are sent as they are: compressing them saves less than it costs
GZIP_FROM = 1024
GZIP_LEVEL = 6


GZIP_ETAG = "-gzip"  # what a gzip copy's ETag adds to its entry's


def conditional(response, request):
    """werkzeug's ``make_conditional``, taking the ETag of the entry's gzip copy as good as
    the plain one: both name the same data. A worker whose cache does not hold the entry
    (yet) so answers 304, not the whole body, to a client that holds the copy another
    worker sent; the 304 names the copy held."""
    etag = response.get_etag()[0]
    wanted = request.if_none_match
    if etag and not wanted.contains(etag) and wanted.contains(etag + GZIP_ETAG):
        response.set_etag(etag + GZIP_ETAG)
    return response.make_conditional(request)


@dataclass(frozen=True, slots=True)
class Variant:
    """One encoding of a response: its headers, body, ETag (unquoted) and 304 headers."""

    headers: list[tuple[str, str]]
    body: bytes
    etag: str
    not_modified: list[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class Replay:
    """A 200 response as the app sent it, its gzip copy once made, and the bytes held."""

    plain: Variant
    size: int
    gzipped: Variant | None = None


class ReplayCache:
    """WSGI middleware around the Flask app; see the module docstring."""

    def __init__(
        self,
        app: Callable,
        dataset: Callable,
        scope: Callable[[str], bool],
        budget: int,
        by_origin: bool,
        representation: Callable[[dict, dict], str],
    ):
        self.app, self.dataset, self.scope, self.by_origin = app, dataset, scope, by_origin
        self.representation = representation
        self.largest = int(budget * LARGEST_ENTRY)
        self.entries: LRUCache = LRUCache(maxsize=budget, getsizeof=_charged)
        self.lock = threading.Lock()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        if method not in ("GET", "HEAD") or not self.scope(path):
            return self.app(environ, start_response)
        try:
            query = _parameters(environ.get("QUERY_STRING", ""))
        except UnicodeDecodeError:  # not UTF-8: the app says what is wrong, uncached
            return self.app(environ, start_response)
        dataset = self.dataset()
        version = dataset.version
        key = (
            version,
            dataset.loaded_at,  # a reload of unchanged files keeps the version, not the time
            datetime.now(UTC).date(),
            path,
            query,
            self.representation(environ, dict(query)),
            environ.get("HTTP_ORIGIN", "") if self.by_origin else "",
        )
        with self.lock:
            replay = self.entries.get(key)
        if replay is None:
            if method == "HEAD":
                return self.app(environ, start_response)
            return self.render(key, environ, start_response)
        environ[DATA_VERSION_ENVIRON] = version
        variant = replay.plain
        if len(variant.body) >= GZIP_FROM and _accepts_gzip(environ):
            variant = replay.gzipped or self.compress(key, replay)
        wanted = environ.get("HTTP_IF_NONE_MATCH")
        if wanted:
            # the client's copy is current whichever encoding it holds
            etags = parse_etags(wanted)
            for held in (variant, replay.plain, replay.gzipped):
                if held is not None and etags.contains(held.etag):
                    start_response("304 NOT MODIFIED", list(held.not_modified))
                    return []
        start_response("200 OK", list(variant.headers))
        return [] if method == "HEAD" else [variant.body]

    def compress(self, key: tuple, replay: Replay) -> Variant:
        """The entry's gzip copy, made now and kept with it if it fits (else sent plain).
        A body gzip does not shorten keeps its plain self as its copy: compressed once."""
        plain = replay.plain
        body = gzip.compress(plain.body, compresslevel=GZIP_LEVEL, mtime=0)
        if len(body) >= len(plain.body):
            self._keep(key, replay, Replay(plain, replay.size, plain))
            return plain
        etag = f"{plain.etag}{GZIP_ETAG}"
        fixed = {"content-length": str(len(body)), "etag": f'"{etag}"'}
        headers = [(k, fixed.get(k.lower(), v)) for k, v in plain.headers]
        headers.append(("Content-Encoding", "gzip"))
        not_modified = [(k, fixed.get(k.lower(), v)) for k, v in plain.not_modified]
        variant = Variant(headers, body, etag, not_modified)
        size = replay.size + sys.getsizeof(body) + _footprint(headers) + _footprint(not_modified)
        if size <= self.largest:
            self._keep(key, replay, Replay(plain, size, variant))
        return variant

    def _keep(self, key: tuple, old: Replay, new: Replay) -> None:
        with self.lock:
            if self.entries.get(key) is old:  # not evicted or replaced meanwhile
                self.entries[key] = new

    def render(self, key: tuple, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """Run the app; keep its answer if it is a complete 200 with an ETag that fits."""
        seen: dict = {}

        def capture(status, headers, exc_info=None):
            headers = _varying_by_encoding(headers)
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
        headers = list(seen["headers"])
        etag = next((v for k, v in headers if k.lower() == "etag"), None)
        if etag is None or len(body) > self.largest:
            return [body]
        # a 304 repeats the 200's headers but those of the representation (RFC 9110 15.4.5),
        # exactly as werkzeug makes the app's own: validators, CORS, security headers all kept
        not_modified = list(headers)
        remove_entity_headers(not_modified)
        size = ENTRY_OVERHEAD + _footprint(key) + _footprint(headers) + _footprint(not_modified)
        size += sys.getsizeof(body)
        if size <= self.largest:
            replay = Replay(Variant(headers, body, etag.strip('"'), not_modified), size)
            with self.lock:
                self.entries[key] = replay
        return [body]


def _charged(replay: Replay) -> int:
    return replay.size


def _accepts_gzip(environ: dict) -> bool:
    """Whether the request's ``Accept-Encoding`` takes gzip (by name or ``*``, q > 0)."""
    accepted = environ.get("HTTP_ACCEPT_ENCODING")
    return bool(accepted) and parse_accept_header(accepted).quality("gzip") > 0


def _varying_by_encoding(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The headers, their ``Vary`` naming ``Accept-Encoding`` too (the cache may gzip)."""
    for n, (name, value) in enumerate(headers):
        if name.lower() == "vary":
            if "accept-encoding" not in value.lower():
                headers = [*headers[:n], (name, f"{value}, Accept-Encoding"), *headers[n + 1 :]]
            return headers
    return [*headers, ("Vary", "Accept-Encoding")]


def _footprint(value: object) -> int:
    """Bytes held by ``value`` and, for a tuple or list, by everything in it."""
    size = sys.getsizeof(value)
    if isinstance(value, tuple | list):
        size += sum(_footprint(item) for item in value)
    return size


def _parameters(query: str) -> tuple[tuple[str, str], ...]:
    """The query's parameters as the app will read them (werkzeug's parsing), sorted.

    ``party=%75kraine&page=2`` and ``page=2&party=ukraine`` are then one key.
    """
    if not query:
        return ()
    # WSGI gives the raw bytes as latin-1; werkzeug reads them as UTF-8, keeping bad escapes
    decoded = query.encode("latin-1").decode()
    return tuple(sorted(parse_qsl(decoded, keep_blank_values=True, errors="werkzeug.url_quote")))


def install(
    app,
    budget_mb: float,
    scope: Callable[[str], bool],
    representation: Callable[[dict, dict], str],
) -> ReplayCache | None:
    """Wrap ``app.wsgi_app`` in a ReplayCache of ``budget_mb`` MiB; none if it is 0.

    ``representation(environ, parameters)`` names the representation the request will get.
    """
    budget = int(budget_mb * 2**20)
    if budget <= 0:
        return None
    holder = app.extensions["parley"]
    # CORS answers every origin alike with "*"; with a list of origins, each gets its own
    by_origin = app.config["PARLEY_CORS_ORIGINS"] != "*"
    cache = ReplayCache(
        app.wsgi_app, lambda: holder.dataset, scope, budget, by_origin, representation
    )
    app.wsgi_app = cache
    app.extensions["parley.replay"] = cache
    return cache
