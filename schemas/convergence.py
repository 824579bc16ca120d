"""API schemas of the convergence series and the Atom feed of changes: arguments and responses."""

from __future__ import annotations

from marshmallow import fields

from schemas.api import ChangeQueryArgsSchema, CompareQueryArgsSchema, _date, _ids
from schemas.dumping import CompiledDumpSchema

ATOM = "application/atom+xml"


class ConvergenceQueryArgsSchema(CompareQueryArgsSchema):
    """Compare's ``parties``, ``issue``, ``format`` and ``known_at`` (``QueryArgsSchema``'s);
    a window of dates instead of ``as_of``."""

    since = _date("Earliest date of a point, inclusive.", "2022-02-25")
    until = _date("Latest date of a point, inclusive.", "2022-03-03")
    issue = _ids(
        "issues",
        "crimea,neutrality,no-fly-zone",
        "Issue ids, comma-separated: only these are compared, and only their positions "
        "make points.",
    )

    class Meta(CompareQueryArgsSchema.Meta):
        exclude = ("as_of",)


class FeedQueryArgsSchema(ChangeQueryArgsSchema):
    """The filters, pages and ``known_at`` of ``changes``; an Atom feed has no other format."""

    class Meta(ChangeQueryArgsSchema.Meta):
        exclude = ("format",)


class StatusCountsSchema(CompiledDumpSchema):
    """How many issues fall under each compare status on that date (one field per STATUSES)."""

    agreed = fields.Integer(required=True, metadata={"example": 1})
    conditional = fields.Integer(required=True, metadata={"example": 1})
    negotiable = fields.Integer(required=True, metadata={"example": 0})
    opposed = fields.Integer(required=True, metadata={"example": 2})
    unknown = fields.Integer(required=True, metadata={"example": 12})


class ConvergencePointSchema(CompiledDumpSchema):
    date = fields.Date(required=True, metadata={"example": "2022-03-03"})
    mean_gap = fields.Float(
        required=True,
        allow_none=True,
        metadata={
            "description": "Mean |a − b| (0–4) over the issues both parties hold a position "
            "on, rounded to 3 decimals; null when there is none.",
            "minimum": 0,
            "maximum": 4,
            "example": 2.333,
        },
    )
    issues = fields.Integer(
        required=True,
        metadata={"description": "Issues both parties hold a position on.", "example": 3},
    )
    statuses = fields.Nested(
        StatusCountsSchema,
        required=True,
        metadata={"description": "Issues per compare status, as `compare` gives them."},
    )
    moved = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": "The issues on which either party took a position that day.",
            "example": ["humanitarian-corridors", "no-fly-zone"],
        },
    )


class ConvergenceSchema(CompiledDumpSchema):
    parties = fields.List(
        fields.String(), required=True, metadata={"example": ["ukraine", "russia"]}
    )
    since = fields.Date(required=True, allow_none=True, metadata={"example": None})
    until = fields.Date(required=True, allow_none=True, metadata={"example": None})
    points = fields.List(
        fields.Nested(ConvergencePointSchema),
        required=True,
        metadata={"description": "One per date on which either party took a position."},
    )
