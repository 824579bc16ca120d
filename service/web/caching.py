"""The pages' HTTP contract: the API's ETag, ``X-Data-Version`` and caching, plus a strict CSP.

``service.http`` gives these to ``/api/``; the pages get the same here, from their
blueprint's ``after_request``, and a response cache of their own (``service.replay``'s,
keyed the same way) in front of the app, so that a repeated page costs what a repeated
API call does. The Content-Security-Policy allows nothing but this origin's own scripts,
styles and images: the pages have no inline script or style.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from werkzeug.http import generate_etag

from service.http import current_dataset
from service.replay import ReplayCache

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'"
)
# the pages' paths; "/" alone is the matrix (every path starts with "/")
PAGE_PREFIXES = ("/issues/", "/compare", "/changes", "/rounds/", "/parties/", "/positions/",
                 "/sources/")  # fmt: skip


def is_page(path: str) -> bool:
    return path == "/" or path.startswith(PAGE_PREFIXES)


def finish(response: Response) -> Response:
    """Version, CSP, ETag and caching on a page; a 304 for a matching ``If-None-Match``."""
    if request.endpoint and request.endpoint.endswith(".static"):
        return response  # files: Flask's own validators
    response.headers["X-Data-Version"] = current_dataset().version
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    version = current_dataset().version
    response.set_etag(generate_etag(version.encode() + b"\n" + response.get_data()))
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["PARLEY_CACHE_MAX_AGE"]
    return response.make_conditional(request)


class PageReplay(ReplayCache):
    """``service.replay``'s cache, for the pages' paths only."""

    def __call__(self, environ: dict, start_response):
        if not is_page(environ.get("PATH_INFO", "")):
            return self.app(environ, start_response)
        return super().__call__(environ, start_response)


def install(app: Flask) -> PageReplay | None:
    """Put a page cache of ``PARLEY_RESPONSE_CACHE_SIZE`` entries in front of ``app``."""
    size = app.config["PARLEY_RESPONSE_CACHE_SIZE"]
    if not size:
        return None
    holder = app.extensions["parley"]
    cache = PageReplay(app.wsgi_app, lambda: holder.dataset, ("/",), size, by_origin=False)
    app.wsgi_app = cache
    app.extensions["parley.pages.replay"] = cache
    return cache
