"""Liveness and readiness probes: cheap, JSON, and described in the OpenAPI document."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from schemas.health import HealthSchema, ReadinessSchema

blp = Blueprint("health", __name__, description="Probes for load balancers and orchestrators.")

# a probe's answer is about this moment, never a cached one
NO_STORE = {"Cache-Control": "no-store"}


@blp.route("/healthz")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    def get(self):
        """The process is alive and answering."""
        return {"status": "ok"}, NO_STORE


@blp.route("/readyz")
class Readiness(MethodView):
    @blp.response(200, ReadinessSchema)
    def get(self):
        """A dataset is loaded: its version, when it was loaded, and why the last reload failed."""
        holder = current_app.extensions["parley"]
        dataset = holder.dataset
        body = {
            "status": "ready",
            "data_version": dataset.version,
            "loaded_at": dataset.loaded_at,
            "counts": dataset.counts(),
            "last_reload_error": holder.last_error,
            "last_reload": holder.last_reload,
        }
        return body, NO_STORE
