"""About the data served: its version, when it was loaded, counts and the files read."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView

from schemas.api import ItemQueryArgsSchema
from schemas.views import MetaSchema
from service.http import dataset_for
from service.restapi import Blueprint

blp = Blueprint(
    "meta", __name__, url_prefix="/api/v1", description="The version and extent of the data."
)


@blp.route("/meta")
class Meta(MethodView):
    @blp.arguments(ItemQueryArgsSchema(), location="query")
    @blp.response(200, MetaSchema)
    def get(self, args):
        """The data version, load time, counts and fixture files served, and the last reload."""
        dataset = dataset_for(args)
        first, last = dataset.date_range()
        return {
            "data_version": dataset.version,
            "loaded_at": dataset.loaded_at,
            "counts": dataset.counts(),
            "files": dataset.files,
            "first_date": first,
            "last_date": last,
            "last_reload": current_app.extensions["parley"].last_reload,
        }
