"""The pages' HTTP contract: the API's ETag, ``X-Data-Version`` and caching.

``service.http`` gives these to ``/api/``; the pages get the same here, from their
blueprint's ``after_request``. The response cache (``service.replay``) serves both, and
the Content-Security-Policy of every HTML page is ``service.security``'s: this origin's
own scripts, styles and images only; the pages have no inline script or style.
"""

from __future__ import annotations

from flask import Response, current_app, request
from werkzeug.http import generate_etag

from service import replay
from service.http import current_dataset


def finish(response: Response) -> Response:
    """Version, CSP, ETag and caching on a page; a 304 for a matching ``If-None-Match``."""
    if request.endpoint and request.endpoint.endswith(".static"):
        return response  # files: Flask's own validators
    response.headers["X-Data-Version"] = current_dataset().version
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    version = current_dataset().version
    response.set_etag(generate_etag(version.encode() + b"\n" + response.get_data()))
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["PARLEY_CACHE_MAX_AGE"]
    return replay.conditional(response, request)
