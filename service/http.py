"""The HTTP layer of the API: the request's dataset, ETags, caching, CORS, CSV and pages.

Everything under ``/api/`` and ``/openapi.json`` passes through here:

- each request reads ``holder.dataset`` once (``current_dataset``), so a reload mid-request
  cannot mix two versions, and every response says which one it used (``X-Data-Version``);
- a GET's 200 gets a strong ``ETag`` (data version + body), ``Cache-Control: public,
  max-age``, and ``If-None-Match`` turns it into a 304 (werkzeug's ``make_conditional``);
- complete 200 responses are kept and replayed before Flask runs (``service.replay``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, request, url_for
from flask_cors import CORS
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import generate_etag, parse_accept_header

from schemas.api import DEFAULT_PAGE_SIZE
from service import replay
from service.dataset import Dataset
from service.exports.tables import to_csv

SCOPE = ("/api/", "/openapi.json")
# the reader's pages (service.web.pages); "/" alone is the matrix
PAGE_PREFIXES = ("/issues/", "/compare", "/changes", "/rounds/", "/parties/", "/positions/",
                 "/sources/")  # fmt: skip


def is_page(path: str) -> bool:
    """Whether ``path`` is one of the reader's pages."""
    return path == "/" or path.startswith(PAGE_PREFIXES)


def cached(path: str) -> bool:
    """Whether responses to ``path`` go through the response cache: the API and the pages."""
    return path.startswith(SCOPE) or is_page(path)
REPLACED = "Parley-Replaced-Ids"
EXPOSED_HEADERS = ("ETag", "Link", "X-Data-Version", REPLACED)
JSON, CSV = "application/json", "text/csv"


def current_dataset() -> Dataset:
    """The dataset this request reads, taken from the holder once per request."""
    dataset = g.get("parley_dataset")
    if dataset is None:
        dataset = g.parley_dataset = current_app.extensions["parley"].dataset
    return dataset


def dataset_for(args: Mapping) -> Dataset:
    """The request's dataset as the record stood on the ``known_at`` it asks for."""
    return current_dataset().known_at(args.get("known_at"))


# -- representations ---------------------------------------------------------------------


def _preferred(accept: MIMEAccept) -> str:
    """``text/csv`` if the Accept header prefers it to JSON, else ``application/json``."""
    return accept.best_match((JSON, CSV)) or JSON


def wants_csv(args: Mapping) -> bool:
    """``format=csv``; or no ``format`` and an Accept header that prefers CSV."""
    chosen = args.get("format")
    return chosen == "csv" if chosen else _preferred(request.accept_mimetypes) == CSV


def representation(environ: Mapping, args: Mapping) -> str:
    """``csv`` or ``json``, as ``wants_csv`` will decide, for a request Flask has not seen."""
    chosen = args.get("format")
    return chosen if chosen else _accept_representation(environ.get("HTTP_ACCEPT", ""))


@functools.lru_cache(maxsize=64)
def _accept_representation(accept: str) -> str:
    # a handful of spellings in practice; parsed once each, not per request
    return "csv" if _preferred(parse_accept_header(accept, MIMEAccept)) == CSV else "json"


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


# -- validators and freshness --------------------------------------------------------------


class HttpLayer:
    """The request hooks that implement the contract described above."""

    def __init__(self, app: Flask):
        self.max_age = app.config["PARLEY_CACHE_MAX_AGE"]
        app.before_request(self.pin_dataset)
        app.after_request(self.finish)

    def pin_dataset(self) -> None:
        """Take the request's dataset now, so that a reload mid-request cannot mix two."""
        if request.path.startswith(SCOPE):
            current_dataset()

    def finish(self, response: Response) -> Response:
        """Add the version, ETag and caching headers; answer 304s."""
        if not request.path.startswith(SCOPE):
            return response
        version = current_dataset().version
        response.headers["X-Data-Version"] = version
        replaced = g.get("parley_replaced")
        if replaced:  # an issue asked for by an earlier id: say which issue it is now
            response.headers[REPLACED] = ", ".join(f"{a}={b}" for a, b in replaced.items())
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if response.is_streamed:
            return response
        response.set_etag(generate_etag(version.encode() + b"\n" + response.get_data()))
        response.vary.add("Accept")
        response.cache_control.public = True
        response.cache_control.max_age = self.max_age
        return replay.conditional(response, request)


def init_app(app: Flask) -> HttpLayer:
    """Install the hooks, CORS and the response cache (service.replay) on ``app``."""
    CORS(
        app,
        resources={r"/api/*": {}, r"/openapi.json": {}},
        origins=app.config["PARLEY_CORS_ORIGINS"],
        send_wildcard=True,  # with "*": the same header for everyone, so caches can share it
        methods=["GET", "HEAD", "OPTIONS"],
        expose_headers=list(EXPOSED_HEADERS),
    )
    layer = app.extensions["parley.http"] = HttpLayer(app)
    replay.install(app, app.config["PARLEY_RESPONSE_CACHE_MB"], cached, representation)
    return layer
