"""The application factory: config, extensions, error handlers, dataset, blueprints."""

from __future__ import annotations

from flask import Flask

import service.api
from service import config as settings
from service import http, logs, security
from service.jsonio import OrjsonProvider
from service.loading import FixtureErrors
from service.restapi import ParleyApi
from service.state import DatasetHolder, load_limits

# flask-smorest's settings: the spec at /openapi.json (our own Swagger UI is at /docs)
API_SETTINGS = {
    "API_TITLE": "Parley",
    "API_VERSION": "1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/",
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {"description": service.api.__doc__},
        "servers": [{"url": "/"}],
    },
}


def create_app(test_config: dict | None = None) -> Flask:
    """Build a Parley app; ``test_config`` overrides settings read from the environment."""
    app = Flask(__name__)
    app.json = OrjsonProvider(app)
    app.config.from_mapping(settings.from_env(test_config) if test_config else settings.from_env())
    if test_config:
        app.config.update(test_config)
    try:
        app.extensions["parley"] = DatasetHolder.load(
            app.config["PARLEY_FIXTURES"], load_limits(app.config)
        )
    except FixtureErrors as failure:  # one line for gunicorn and the CLI, not a traceback
        raise settings.fixtures_failed(app.config["PARLEY_FIXTURES"], failure.errors) from None
    logs.init_app(app)
    security.init_app(app)
    for key, value in API_SETTINGS.items():
        app.config.setdefault(key, value)
    api = ParleyApi(app)
    http.init_app(app)
    register_blueprints(app, api)
    return app


def register_blueprints(app: Flask, api: ParleyApi) -> None:
    """Every blueprint: the API's families go through ``api`` so the spec describes them."""
    from service.api import health, meta, record, resources, views
    from service.web import docs

    for blueprint in (resources.blp, views.blp, record.blp, meta.blp, health.blp):
        api.register_blueprint(blueprint)
    app.register_blueprint(docs.blp)
    register_explorer(app, api)


def register_explorer(app: Flask, api: ParleyApi) -> None:
    """The Explorer: convergence and the changes feed in the API, the pages (and their cache)."""
    from service.api import convergence, feeds
    from service.web import pages

    api.register_blueprint(convergence.blp)
    api.register_blueprint(feeds.blp)
    pages.register(app)
