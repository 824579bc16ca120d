"""The record's own history: every supersession and retraction, with its reason."""

from __future__ import annotations

from flask.views import MethodView

from schemas.api import PageQueryArgsSchema
from schemas.views import CorrectionPageSchema
from service.http import dataset_for, paginate
from service.restapi import Blueprint

blp = Blueprint(
    "record",
    __name__,
    url_prefix="/api/v1",
    description="Corrections: what changed in the record, as distinct from what changed at "
    "the talks.",
)


@blp.route("/corrections")
class Corrections(MethodView):
    @blp.arguments(PageQueryArgsSchema(), location="query")
    @blp.response(200, CorrectionPageSchema)
    def get(self, args):
        """List every supersession and retraction in the record as it stood, oldest first."""
        page = paginate(dataset_for(args).corrections(), args)
        return page, page.headers()
