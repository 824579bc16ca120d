"""Derived views: snapshot as of a date, an issue's timeline, changes, and two-party compare."""

from __future__ import annotations

from flask.views import MethodView

from schemas.api import (
    ChangeQueryArgsSchema,
    CompareQueryArgsSchema,
    SnapshotQueryArgsSchema,
    TimelineQueryArgsSchema,
)
from schemas.views import ChangePageSchema, CompareSchema, SnapshotSchema, TimelineSchema
from service.api.lookup import Ids, get_or_404, party_issue_filters
from service.exports.tables import (
    CELL_COLUMNS,
    CHANGE_COLUMNS,
    cell_row,
    change_row,
    comparison_columns,
    comparison_row,
)
from service.http import csv_response, dataset_for, page_or_csv, wants_csv
from service.restapi import Blueprint, path_parameter

blp = Blueprint(
    "views",
    __name__,
    url_prefix="/api/v1",
    description="Views derived from the positions: snapshot, timeline, changes, compare.",
)


@blp.route("/snapshot")
class Snapshot(MethodView):
    @blp.arguments(SnapshotQueryArgsSchema(), location="query")
    @blp.csv_alternative(CELL_COLUMNS)
    @blp.response(200, SnapshotSchema)
    def get(self, args):
        """For each issue × party, the latest position dated on or before `as_of`."""
        dataset = dataset_for(args)
        parties, issues = party_issue_filters(dataset, args)
        if wants_csv(args):
            cells = dataset.snapshot(args["as_of"], parties=parties, issues=issues)
            return csv_response(map(cell_row, cells), CELL_COLUMNS)
        cells = dataset.snapshot_cells(args["as_of"], parties=parties, issues=issues)
        return {"as_of": args["as_of"], "cells": cells}


@blp.route(
    "/issues/<issue_id>/timeline",
    parameters=path_parameter("issue_id", "The issue's id.", "neutrality"),
)
class Timeline(MethodView):
    @blp.arguments(TimelineQueryArgsSchema(), location="query")
    @blp.response(200, TimelineSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, issue_id):
        """Per party, the issue's positions in date order, each labelled as a change."""
        dataset = dataset_for(args)
        issue_id = get_or_404(dataset, "issues", issue_id, "issue_id").id
        ids = Ids(dataset)
        parties = ids.many("party", "parties", args.get("party"))
        ids.done()
        timeline = dataset.timeline_rows(issue_id, parties=parties)
        return {
            "issue": issue_id,
            "parties": [{"party": party, "entries": entries} for party, entries in timeline],
        }


@blp.route("/changes")
class Changes(MethodView):
    @blp.arguments(ChangeQueryArgsSchema(), location="query")
    @blp.csv_alternative(CHANGE_COLUMNS)
    @blp.response(200, ChangePageSchema, description="A page of changes; CSV: every row.")
    def get(self, args):
        """Stance changes dated in `[since, until]`, by date then position id; no reiterations."""
        dataset = dataset_for(args)
        parties, issues = party_issue_filters(dataset, args)
        changes = dataset.changes(
            since=args.get("since"), until=args.get("until"), parties=parties, issues=issues
        )
        return page_or_csv(changes, args, CHANGE_COLUMNS, change_row)


@blp.route("/compare")
class Compare(MethodView):
    @blp.arguments(CompareQueryArgsSchema(), location="query")
    @blp.csv_alternative(comparison_columns(["a", "b"]))
    @blp.response(200, CompareSchema)
    def get(self, args):
        """Two parties side by side as of a date: per issue, both stances, gap and status."""
        dataset = dataset_for(args)
        ids = Ids(dataset)
        first, second = ids.many("parties", "parties", args["parties"])
        issues = ids.many("issue", "issues", args.get("issue"))
        ids.done()
        rows = dataset.compare(first, second, args["as_of"], issues=issues)
        if wants_csv(args):
            parties = (first, second)
            columns = comparison_columns(parties)
            return csv_response((comparison_row(row, parties) for row in rows), columns)
        return {"as_of": args["as_of"], "parties": (first, second), "issues": rows}
