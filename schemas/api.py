"""API schemas: query arguments (unknown parameters rejected), page envelopes, problems.

Resource fields come from :mod:`schemas.resources`, views from :mod:`schemas.views`.
A field whose values are ids from the dataset carries ``x-catalogue`` metadata: the served
OpenAPI document lists the ids the dataset holds there as an ``enum``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates
from webargs.fields import DelimitedList

from schemas.dumping import CompiledDumpSchema
from schemas.resources import (
    ActorSchema,
    IssueSchema,
    PartySchema,
    PositionSchema,
    RoundSchema,
    SourceSchema,
)
from service.model import Stance

MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 50
MAX_PAGE = 2**31 - 1
FORMATS = ("json", "csv")


def today() -> date:
    """The current date in UTC: the default ``as_of``."""
    return datetime.now(UTC).date()


class CommaList(DelimitedList):
    """A comma-separated list; spaces around the commas are allowed (``russia, ukraine``)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = ",".join(item.strip() for item in value.split(self.delimiter))
        return super()._deserialize(value, attr, data, **kwargs)


def _one_value(value: str) -> None:
    if "," in value:
        raise ValidationError("Takes one value, not a comma-separated list.")


def _ids(catalogue: str, example: str, description: str) -> fields.Field:
    """A comma-separated list of ids from one of the dataset's catalogues."""
    return CommaList(
        fields.String(metadata={"x-catalogue": catalogue}),
        validate=validate.Length(min=1),
        metadata={"description": description, "example": example.split(",")},
    )


def _id(catalogue: str, example: str, description: str) -> fields.Field:
    return fields.String(
        validate=_one_value,
        metadata={"x-catalogue": catalogue, "example": example, "description": description}
    )


class Digits(fields.Integer):
    """A whole number written in plain ASCII digits."""

    default_error_messages = {"invalid": "'{input}' is not a whole number; expected digits 0-9."}

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        # int() also reads a sign, underscores and other scripts' digits ("+1", "1_0", "١"):
        # more spellings of one page, each of them a response cached apart
        if not (isinstance(value, str) and value.isascii() and value.isdigit()):
            raise self.make_error("invalid", input=value)
        return super()._deserialize(value, attr, data, **kwargs)


def _date(description: str, example: str, **kwargs) -> fields.Field:
    return fields.Date(
        metadata={"description": description, "example": example},
        error_messages={"invalid": "'{input}' is not a date; expected YYYY-MM-DD."},
        **kwargs,
    )


# -- query arguments --------------------------------------------------------------------


class QueryArgsSchema(Schema):
    """Base of every query schema: a parameter the endpoint does not know is a 400.

    Every read takes ``known_at``: the record as it stood that day (record time), beside
    ``as_of``, the talks as they stood that day (valid time).
    """

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": "Unknown parameter."}

    known_at = _date(
        "Answer from the record as it stood at the end of this day: positions recorded "
        "later are left out, and corrections recorded later are undone. Default: the record "
        "as it stands.",
        "2026-11-30",
    )


class ItemQueryArgsSchema(QueryArgsSchema):
    """Only ``known_at``: the item endpoints and ``meta``."""


class PageQueryArgsSchema(QueryArgsSchema):
    page = Digits(
        # bounded, so that a page number always fits the JSON it is echoed in
        validate=validate.Range(min=1, max=MAX_PAGE),
        metadata={"description": "Page number, from 1.", "default": 1, "example": 1},
    )
    page_size = Digits(
        validate=validate.Range(min=1, max=MAX_PAGE_SIZE),
        metadata={
            "description": f"Items per page, 1–{MAX_PAGE_SIZE}. With `format=csv` and neither "
            "`page` nor `page_size` given, every matching row is sent.",
            "default": DEFAULT_PAGE_SIZE,
            "example": DEFAULT_PAGE_SIZE,
        },
    )


class FormatQueryArgsMixin(Schema):
    format = fields.String(
        validate=validate.OneOf(FORMATS),
        metadata={
            "description": "`csv` for a CSV table with a header row (`Accept: text/csv` "
            "does the same); default `json`.",
            "example": "json",
        },
    )


class PositionQueryArgsSchema(FormatQueryArgsMixin, PageQueryArgsSchema):
    party = _ids("parties", "ukraine,russia", "Party ids, comma-separated.")
    issue = _ids("issues", "neutrality", "Issue ids, comma-separated.")
    actor = _id(
        "actors",
        "Zelenskiy",
        "Who spoke: an actor's id, name or alias, in any case (`Zelenskiy` finds `zelensky`).",
    )
    source = _id("sources", "kyiv-2022-02-25", "A source id: positions with evidence from it.")
    round = _id("rounds", "round-1", "A round id: positions reported in that round.")
    stance = CommaList(
        fields.Enum(Stance, by_value=True, metadata={"type": "string"}),
        validate=validate.Length(min=1),
        metadata={"description": "Stances, comma-separated.", "example": ["demands", "rejects"]},
    )
    since = _date("Earliest date, inclusive.", "2022-02-25")
    until = _date("Latest date, inclusive.", "2022-03-01")
    disputed = fields.Boolean(
        metadata={
            "description": "Only disputed (`true`) or undisputed (`false`) positions.",
            "example": True,
        }
    )


class SnapshotQueryArgsSchema(FormatQueryArgsMixin, QueryArgsSchema):
    as_of = _date("The date to look from; default: today (UTC).", "2022-03-02", load_default=today)
    party = _ids("parties", "ukraine,russia", "Party ids, comma-separated.")
    issue = _ids("issues", "neutrality,crimea", "Issue ids, comma-separated.")


class TimelineQueryArgsSchema(QueryArgsSchema):
    party = _ids("parties", "ukraine,russia", "Party ids, comma-separated.")


class ChangeQueryArgsSchema(FormatQueryArgsMixin, PageQueryArgsSchema):
    since = _date("Earliest date, inclusive.", "2022-02-26")
    until = _date("Latest date, inclusive.", "2022-03-03")
    party = _ids("parties", "ukraine", "Party ids, comma-separated.")
    issue = _ids("issues", "neutrality", "Issue ids, comma-separated.")


class CompareQueryArgsSchema(FormatQueryArgsMixin, QueryArgsSchema):
    parties = CommaList(
        fields.String(metadata={"x-catalogue": "parties"}),
        required=True,
        validate=validate.Length(equal=2, error="Give exactly two parties."),
        metadata={
            "description": "Exactly two distinct party ids, comma-separated.",
            "example": ["ukraine", "russia"],
            "minItems": 2,
            "maxItems": 2,
            "uniqueItems": True,
        },
    )
    as_of = _date("The date to look from; default: today (UTC).", "2022-03-02", load_default=today)
    issue = _ids("issues", "crimea,neutrality", "Issue ids, comma-separated.")

    @validates("parties")
    def distinct(self, value: list[str], **kwargs) -> None:
        if len(set(value)) != len(value):
            raise ValidationError("Give two different parties.")


# -- envelopes --------------------------------------------------------------------------


class PageSchema(CompiledDumpSchema):
    total = fields.Integer(required=True, metadata={"description": "Matching items, all pages."})
    page = fields.Integer(required=True, metadata={"example": 1})
    page_size = fields.Integer(required=True, metadata={"example": DEFAULT_PAGE_SIZE})


def page_of(item: type[Schema], name: str) -> type[Schema]:
    """The collection envelope for one kind of item: ``{items, total, page, page_size}``."""
    items = fields.List(fields.Nested(item), required=True)
    return type(f"{name}PageSchema", (PageSchema,), {"items": items})


PartyPageSchema = page_of(PartySchema, "Party")
ActorPageSchema = page_of(ActorSchema, "Actor")
IssuePageSchema = page_of(IssueSchema, "Issue")
SourcePageSchema = page_of(SourceSchema, "Source")
RoundPageSchema = page_of(RoundSchema, "Round")
PositionPageSchema = page_of(PositionSchema, "Position")


class RoundDetailSchema(RoundSchema):
    positions = fields.List(
        fields.Nested(PositionSchema),
        required=True,
        metadata={"description": "The positions reported in this round, by date then id."},
    )


# -- problems ---------------------------------------------------------------------------


class ProblemSchema(Schema):
    """RFC 9457 problem details, the body of every error response."""

    type = fields.String(required=True, metadata={"example": "about:blank"})
    title = fields.String(required=True, metadata={"example": "Bad Request"})
    status = fields.Integer(required=True, metadata={"example": 400})
    detail = fields.String(
        required=True, metadata={"example": "pary: Unknown parameter; did you mean 'party'?"}
    )
    instance = fields.String(required=True, metadata={"example": "/api/v1/positions"})
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        required=True,
        metadata={
            "description": "Messages per parameter; empty when the error concerns none.",
            "example": {"pary": ["Unknown parameter; did you mean 'party'?"]},
        },
    )
