"""Fixture schemas: the shape of one hand-written YAML fixture file, section by section."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from marshmallow import RAISE, Schema, fields, post_load, validate

from service import records
from service.model import (
    DATE_METHODS,
    DATE_PRECISIONS,
    OUTCOME_STATUSES,
    PARTY_KINDS,
    DateBasis,
    Evidence,
    Issue,
    Source,
    Stance,
)

SLUG = validate.Regexp(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    error="'{input}' is not a valid id; use lower-case letters, digits and single hyphens",
)
NOT_BLANK = validate.Regexp(r"\S", error="must not be blank")


def _one_of(choices, what: str) -> validate.OneOf:
    return validate.OneOf(
        choices, error=f"'{{input}}' is not a {what}; expected one of {', '.join(choices)}"
    )


def _id(**kwargs) -> fields.String:
    return fields.String(required=True, validate=SLUG, **kwargs)


def _text(required: bool = True, **kwargs) -> fields.String:
    if required:
        return fields.String(required=True, validate=NOT_BLANK, **kwargs)
    return fields.String(load_default=None, allow_none=True, validate=NOT_BLANK, **kwargs)


def _date(required: bool = True) -> fields.Date:
    messages = {"invalid": "'{input}' is not a real date; expected YYYY-MM-DD"}
    if required:
        return fields.Date(required=True, error_messages=messages)
    return fields.Date(load_default=None, allow_none=True, error_messages=messages)


def _aliases() -> fields.List:
    return fields.List(fields.String(validate=NOT_BLANK), load_default=list)


class StrictSchema(Schema):
    """A fixture mapping: a misspelt key is an error, never silently ignored.

    ``record``, if set, makes the loaded fields (passed by name) into a model record.
    """

    record: ClassVar[Callable[..., Any] | None] = None

    class Meta:
        unknown = RAISE

    @post_load
    def make_record(self, data: dict, **kwargs):
        return data if self.record is None else type(self).record(**data)


class PartyFixtureSchema(StrictSchema):
    record = records.party

    id = _id()
    name = _text()
    kind = fields.String(required=True, validate=_one_of(PARTY_KINDS, "party kind"))
    aliases = _aliases()


class ActorFixtureSchema(StrictSchema):
    record = records.actor

    id = _id()
    name = _text()
    party = _id()
    role = _text()
    aliases = _aliases()


class IssueFixtureSchema(StrictSchema):
    record = Issue

    id = _id()
    name = _text()
    proposition = _text()


class DateBasisFixtureSchema(StrictSchema):
    record = DateBasis

    method = fields.String(required=True, validate=_one_of(DATE_METHODS, "date method"))
    reasoning = _text()


class SourceFixtureSchema(StrictSchema):
    record = Source

    id = _id()
    outlet = _text(required=False)
    title = _text(required=False)
    published = _date()
    date_basis = fields.Nested(DateBasisFixtureSchema, required=True)
    url = fields.URL(load_default=None, allow_none=True, schemes={"http", "https"})
    seed = _text(required=False)


class EvidenceFixtureSchema(StrictSchema):
    record = Evidence

    source = _id()
    quote = _text()


def _evidence(required: bool = True) -> fields.List:
    if required:
        return fields.List(
            fields.Nested(EvidenceFixtureSchema),
            required=True,
            validate=validate.Length(min=1, error="needs at least one {{source, quote}} pair"),
        )
    return fields.List(fields.Nested(EvidenceFixtureSchema), load_default=list)


class DelegationFixtureSchema(StrictSchema):
    record = records.delegation

    party = _id()
    members = fields.List(fields.String(validate=NOT_BLANK), load_default=list)


class OutcomeFixtureSchema(StrictSchema):
    record = records.outcome

    status = fields.String(required=True, validate=_one_of(OUTCOME_STATUSES, "outcome status"))
    summary = _text()
    evidence = _evidence(required=False)


class RoundFixtureSchema(StrictSchema):
    record = records.round_

    id = _id()
    number = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    start = _date()
    end = _date(required=False)
    place = _text()
    host = fields.String(load_default=None, allow_none=True, validate=SLUG)
    delegations = fields.List(fields.Nested(DelegationFixtureSchema), load_default=list)
    duration = _text(required=False)
    outcomes = fields.List(fields.Nested(OutcomeFixtureSchema), load_default=list)
    sources = fields.List(fields.String(validate=SLUG), load_default=list)
    notes = _text(required=False)


class PositionFixtureSchema(StrictSchema):
    record = records.position

    id = _id()
    party = _id()
    issue = _id()
    stance = fields.String(required=True, validate=_one_of(Stance.names(), "stance"))
    date = _date()
    date_precision = fields.String(
        load_default="day", validate=_one_of(DATE_PRECISIONS, "date precision")
    )
    actor = fields.String(load_default=None, allow_none=True, validate=SLUG)
    summary = _text()
    conditions = _text(required=False)
    round = fields.String(load_default=None, allow_none=True, validate=SLUG)
    dispute = fields.String(load_default=None, allow_none=True, validate=SLUG)
    evidence = _evidence()


class CorroborationFixtureSchema(StrictSchema):
    record = records.corroboration

    position = _id()
    evidence = _evidence()


SECTIONS = {
    "parties": PartyFixtureSchema,
    "actors": ActorFixtureSchema,
    "issues": IssueFixtureSchema,
    "sources": SourceFixtureSchema,
    "rounds": RoundFixtureSchema,
    "positions": PositionFixtureSchema,
    "corroborations": CorroborationFixtureSchema,
}


class FixtureFileSchema(StrictSchema):
    """One fixture file: every section is optional, so a new round's file stands alone."""

    about = _text(required=False)
    parties = fields.List(fields.Nested(PartyFixtureSchema), load_default=list)
    actors = fields.List(fields.Nested(ActorFixtureSchema), load_default=list)
    issues = fields.List(fields.Nested(IssueFixtureSchema), load_default=list)
    sources = fields.List(fields.Nested(SourceFixtureSchema), load_default=list)
    rounds = fields.List(fields.Nested(RoundFixtureSchema), load_default=list)
    positions = fields.List(fields.Nested(PositionFixtureSchema), load_default=list)
    corroborations = fields.List(fields.Nested(CorroborationFixtureSchema), load_default=list)
