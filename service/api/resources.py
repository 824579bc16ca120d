"""Collections and items: parties, actors, issues, sources, rounds and positions."""

from __future__ import annotations

from dataclasses import fields

from flask.views import MethodView

from schemas.api import (
    ActorPageSchema,
    IssuePageSchema,
    ItemQueryArgsSchema,
    PageQueryArgsSchema,
    PartyPageSchema,
    PositionPageSchema,
    PositionQueryArgsSchema,
    RoundDetailSchema,
    RoundPageSchema,
    SourcePageSchema,
)
from schemas.resources import ActorSchema, IssueSchema, PartySchema, PositionSchema, SourceSchema
from service.api.lookup import get_or_404, position_filters
from service.exports.tables import POSITION_COLUMNS, position_row
from service.http import dataset_for, page_or_csv, paginate
from service.restapi import Blueprint, path_parameter

blp = Blueprint(
    "resources",
    __name__,
    url_prefix="/api/v1",
    description="The records: parties, actors, issues, sources, rounds and positions.",
)


def catalogue_views(name: str, parameter: str, example: str, page_schema, item_schema) -> None:
    """Route ``/<name>`` (a page of the catalogue, in its order) and ``/<name>/<parameter>``."""

    class Collection(MethodView):
        @blp.arguments(PageQueryArgsSchema(), location="query")
        @blp.response(200, page_schema)
        def get(self, args):
            page = paginate(tuple(getattr(dataset_for(args), name).values()), args)
            return page, page.headers()

    class Item(MethodView):
        @blp.arguments(ItemQueryArgsSchema(), location="query")
        @blp.response(200, item_schema)
        @blp.alt_response(404, response="NOT_FOUND")
        def get(self, args, **view_args):
            return get_or_404(dataset_for(args), name, view_args[parameter], parameter)

    noun = parameter.removesuffix("_id")
    Collection.get.__doc__ = f"List the {name}, in catalogue order."
    Item.get.__doc__ = f"Get one {noun} by id."
    blp.route(f"/{name}", endpoint=name)(Collection)
    documented = path_parameter(parameter, f"The {noun}'s id.", example)
    blp.route(f"/{name}/<{parameter}>", endpoint=noun, parameters=documented)(Item)


catalogue_views("parties", "party_id", "ukraine", PartyPageSchema, PartySchema)
catalogue_views("actors", "actor_id", "zelensky", ActorPageSchema, ActorSchema)
catalogue_views("issues", "issue_id", "neutrality", IssuePageSchema, IssueSchema)
catalogue_views("sources", "source_id", "kyiv-2022-02-25", SourcePageSchema, SourceSchema)


@blp.route("/rounds")
class Rounds(MethodView):
    @blp.arguments(PageQueryArgsSchema(), location="query")
    @blp.response(200, RoundPageSchema)
    def get(self, args):
        """List the rounds of talks, in date order."""
        page = paginate(tuple(dataset_for(args).rounds.values()), args)
        return page, page.headers()


@blp.route(
    "/rounds/<round_id>", parameters=path_parameter("round_id", "The round's id.", "round-1")
)
class Round(MethodView):
    @blp.arguments(ItemQueryArgsSchema(), location="query")
    @blp.response(200, RoundDetailSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, round_id):
        """Get one round: its delegations, outcomes and the positions reported in it."""
        dataset = dataset_for(args)
        found = get_or_404(dataset, "rounds", round_id, "round_id")
        detail = {field.name: getattr(found, field.name) for field in fields(found)}
        return detail | {"positions": dataset.filter_positions(round=round_id)}


@blp.route("/positions")
class Positions(MethodView):
    @blp.arguments(PositionQueryArgsSchema(), location="query")
    @blp.csv_alternative(POSITION_COLUMNS)
    @blp.response(200, PositionPageSchema, description="A page of positions; CSV: every row.")
    def get(self, args):
        """List positions matching every filter, by date then id."""
        dataset = dataset_for(args)
        positions = dataset.filter_positions(**position_filters(dataset, args))
        return page_or_csv(positions, args, POSITION_COLUMNS, position_row)


@blp.route(
    "/positions/<position_id>",
    parameters=path_parameter("position_id", "The position's id.", "ukraine-neutrality-2022-03-01"),
)
class Position(MethodView):
    @blp.arguments(ItemQueryArgsSchema(), location="query")
    @blp.response(200, PositionSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, position_id):
        """Get one position, with its evidence."""
        dataset = dataset_for(args)
        found = dataset.position(position_id)
        if found is None:
            get_or_404(dataset, "positions", position_id, "position_id")  # the 404
        correction = dataset.correction(position_id)
        return {
            **{field.name: getattr(found, field.name) for field in fields(found)},
            "score": found.score,
            "disputed": found.disputed,
            "superseded_by": correction.replaced_by if correction else None,
            "retracted": correction is not None and correction.kind == "retraction",
        }
