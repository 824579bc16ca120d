"""The convergence series: how far apart two parties are, date by date, as JSON or CSV."""

from __future__ import annotations

from flask.views import MethodView

from schemas.convergence import ConvergenceQueryArgsSchema, ConvergenceSchema
from service.api.lookup import Ids
from service.convergence import CONVERGENCE_COLUMNS, convergence, convergence_row
from service.http import csv_response, dataset_for, wants_csv
from service.restapi import Blueprint

blp = Blueprint(
    "convergence",
    __name__,
    url_prefix="/api/v1",
    description="Two parties over time: the mean gap between them on each date either moved.",
)


@blp.route("/convergence")
class Convergence(MethodView):
    @blp.arguments(ConvergenceQueryArgsSchema(), location="query")
    @blp.csv_alternative(CONVERGENCE_COLUMNS)
    @blp.response(200, ConvergenceSchema)
    def get(self, args):
        """For each date either party took a position: the mean gap, shared issues, statuses."""
        dataset = dataset_for(args)  # as the record stood on known_at, if asked
        ids = Ids(dataset)
        first, second = ids.many("parties", "parties", args["parties"])
        issues = ids.many("issue", "issues", args.get("issue"))
        ids.done()
        since, until = args.get("since"), args.get("until")
        points = convergence(dataset, first, second, since=since, until=until, issues=issues)
        if wants_csv(args):
            return csv_response(map(convergence_row, points), CONVERGENCE_COLUMNS)
        return {"parties": [first, second], "since": since, "until": until, "points": points}
