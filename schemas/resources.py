"""Resource schemas: how parties, actors, issues, sources, rounds and positions are served.

The API, the JSON export and the OpenAPI document all use these, so a field has one
name everywhere.
"""

from __future__ import annotations

from marshmallow import fields

from schemas.dumping import CompiledDumpSchema
from service.model import (
    DATE_METHODS,
    DATE_PRECISIONS,
    OUTCOME_STATUSES,
    PARTY_KINDS,
    Stance,
)


def _enum(choices, **metadata) -> dict:
    return {"enum": list(choices), **metadata}


class PartySchema(CompiledDumpSchema):
    id = fields.String(required=True, metadata={"example": "ukraine"})
    name = fields.String(required=True, metadata={"example": "Ukraine"})
    kind = fields.String(required=True, metadata=_enum(PARTY_KINDS, example="state"))
    aliases = fields.List(fields.String(), required=True, metadata={"example": ["Kyiv"]})


class ActorSchema(CompiledDumpSchema):
    id = fields.String(required=True, metadata={"example": "zelensky"})
    name = fields.String(required=True, metadata={"example": "Volodymyr Zelensky"})
    party = fields.String(required=True, metadata={"example": "ukraine"})
    role = fields.String(required=True, metadata={"example": "President of Ukraine"})
    aliases = fields.List(
        fields.String(), required=True, metadata={"example": ["Zelenskyy", "Zelenskiy"]}
    )


class IssueSchema(CompiledDumpSchema):
    id = fields.String(required=True, metadata={"example": "neutrality"})
    name = fields.String(required=True, metadata={"example": "Neutrality"})
    proposition = fields.String(
        required=True,
        metadata={
            "example": "Ukraine adopts a neutral, non-aligned status and renounces NATO membership"
        },
    )


class DateBasisSchema(CompiledDumpSchema):
    method = fields.String(required=True, metadata=_enum(DATE_METHODS, example="inferred"))
    reasoning = fields.String(
        required=True, metadata={"example": "Interview given 'Tuesday', the invasion's sixth day"}
    )


class SourceSchema(CompiledDumpSchema):
    id = fields.String(required=True, metadata={"example": "reuters-2022-03-01"})
    outlet = fields.String(required=True, allow_none=True, metadata={"example": None})
    title = fields.String(
        required=True,
        allow_none=True,
        metadata={"example": "Zelenskiy: no talks with Russia until bombing stops"},
    )
    published = fields.Date(required=True, metadata={"example": "2022-03-01"})
    url = fields.String(required=True, allow_none=True, metadata={"example": None})
    seed = fields.String(
        required=True, allow_none=True, metadata={"example": "003_47e69bc1e89b3f9d.txt"}
    )
    date_basis = fields.Nested(DateBasisSchema, required=True)


class EvidenceSchema(CompiledDumpSchema):
    source = fields.String(required=True, metadata={"example": "reuters-2022-03-01"})
    quote = fields.String(
        required=True,
        metadata={"example": "You simply have to stop the bombardment and then sit down"},
    )


class DelegationSchema(CompiledDumpSchema):
    party = fields.String(required=True, metadata={"example": "ukraine"})
    members = fields.List(fields.String(), required=True)


class OutcomeSchema(CompiledDumpSchema):
    status = fields.String(required=True, metadata=_enum(OUTCOME_STATUSES, example="agreed"))
    summary = fields.String(required=True)
    evidence = fields.List(fields.Nested(EvidenceSchema), required=True)


class RoundSchema(CompiledDumpSchema):
    id = fields.String(required=True, metadata={"example": "round-1"})
    number = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "As the sources number it; null if they do not.", "example": 1},
    )
    start = fields.Date(required=True, metadata={"example": "2022-02-28"})
    end = fields.Date(required=True, metadata={"example": "2022-02-28"})
    place = fields.String(required=True, metadata={"example": "Belarus"})
    host = fields.String(required=True, allow_none=True, metadata={"example": "belarus"})
    delegations = fields.List(fields.Nested(DelegationSchema), required=True)
    duration = fields.String(required=True, allow_none=True, metadata={"example": "five hours"})
    outcomes = fields.List(fields.Nested(OutcomeSchema), required=True)
    sources = fields.List(fields.String(), required=True)
    notes = fields.String(required=True, allow_none=True)


class PositionSchema(CompiledDumpSchema):
    id = fields.String(required=True, metadata={"example": "ukraine-neutrality-2022-03-01"})
    party = fields.String(required=True, metadata={"example": "ukraine"})
    issue = fields.String(required=True, metadata={"example": "neutrality"})
    stance = fields.Enum(
        Stance, by_value=True, required=True, metadata={"type": "string", "example": "opposes"}
    )
    score = fields.Integer(required=True, metadata={"minimum": -2, "maximum": 2, "example": -1})
    date = fields.Date(required=True, metadata={"example": "2022-03-01"})
    date_precision = fields.String(
        required=True, metadata=_enum(DATE_PRECISIONS, example="day")
    )
    actor = fields.String(required=True, allow_none=True, metadata={"example": "zelensky"})
    summary = fields.String(required=True)
    conditions = fields.String(required=True, allow_none=True)
    round = fields.String(required=True, allow_none=True, metadata={"example": None})
    disputed = fields.Boolean(required=True, metadata={"example": False})
    dispute = fields.String(required=True, allow_none=True, metadata={"example": None})
    evidence = fields.List(fields.Nested(EvidenceSchema), required=True)
