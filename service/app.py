"""The application factory: config, extensions, error handlers, dataset, blueprints."""

from __future__ import annotations

from flask import Flask

from service import config as settings
from service.state import DatasetHolder


def create_app(test_config: dict | None = None) -> Flask:
    """Build a Parley app; ``test_config`` overrides settings read from the environment."""
    app = Flask(__name__)
    app.config.from_mapping(settings.from_env(test_config or {}) if test_config else settings.from_env())
    if test_config:
        app.config.update(test_config)
    app.extensions["parley"] = DatasetHolder.load(app.config["PARLEY_FIXTURES"])
    return app
