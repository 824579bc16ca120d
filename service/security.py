"""Security headers on every response: no sniffing, no referrer, no framing, a CSP per kind.

An HTML page (``/docs``, the reader's pages) gets ``PAGE_CSP``: scripts, styles, images,
fetches and forms to this server only; no inline script, no ``eval``, no plugins.
Everything else (JSON, CSV, problem details, 304s, scripts and styles themselves) gets
``DATA_CSP``: opened on its own in a browser, it may load and run nothing. gunicorn's own
error responses carry the same headers (``service.worker``), and the response cache
replays them with the rest.
"""

from __future__ import annotations

from flask import Flask, Response, request

DATA_CSP = "default-src 'none'; frame-ancestors 'none'"
PAGE_CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",  # Swagger UI's stylesheet draws its icons as data: SVGs
        "connect-src 'self'",  # the OpenAPI document, and "Try it out"
        "base-uri 'none'",
        "form-action 'self'",  # the pages' date and filter forms are GETs to themselves
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # frame-ancestors is the standard; X-Frame-Options is for browsers that predate it
    "X-Frame-Options": "DENY",
}
PAGE_MIMETYPES = ("text/html", "application/xhtml+xml")


def headers_for(mimetype: str | None) -> dict[str, str]:
    """The security headers of a response of ``mimetype``."""
    policy = PAGE_CSP if mimetype in PAGE_MIMETYPES else DATA_CSP
    return {**HEADERS, "Content-Security-Policy": policy}


def add_headers(response: Response) -> Response:
    """Set the security headers on ``response``, replacing any a view set."""
    # Flask answers OPTIONS with an empty text/html body: not a page
    mimetype = None if request.method == "OPTIONS" else response.mimetype
    response.headers.update(headers_for(mimetype))
    return response


def init_app(app: Flask) -> None:
    """Give every response ``app`` makes, errors and 304s included, the security headers."""
    app.after_request(add_headers)
