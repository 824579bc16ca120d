"""Interactive API docs at ``/docs``: Swagger UI vendored in ``static/swagger-ui``, no CDN."""

from __future__ import annotations

from flask import Blueprint, render_template

blp = Blueprint(
    "docs",
    __name__,
    url_prefix="/docs",
    template_folder="templates",
    static_folder="static",
    static_url_path="/assets",
)


@blp.get("")
def docs():
    """Swagger UI for the API's OpenAPI document."""
    return render_template("docs.html")
