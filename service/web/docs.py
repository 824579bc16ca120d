"""Interactive API docs at ``/docs``: Swagger UI served from the app itself, no CDN."""

from __future__ import annotations

from flask import Blueprint, render_template
from swagger_ui_bundle import swagger_ui_path

blp = Blueprint(
    "docs",
    __name__,
    url_prefix="/docs",
    template_folder="templates",
    static_folder=str(swagger_ui_path),
    static_url_path="/assets",
)


@blp.get("")
def docs():
    """Swagger UI for the API's OpenAPI document."""
    return render_template("docs.html")
