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
            "description": "The one proposition a stance is taken toward, worded positively.",
            "example": "Ukraine adopts a neutral status.",
        },
    )
    aliases = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": "Earlier ids of this issue. They still work wherever an issue id "
            "is taken, and resolve to this issue.",
            "example": ["military-aid"],
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
    archived = fields.Boolean(
        required=True,
        metadata={"description": "Whether the article's text is archived: its quotes are "
                  "verified against it.", "example": True},
    )  # fmt: skip
    archive = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "The archived text's file, in the fixture directory.",
                  "example": "archive/kyiv-2022-02-25.txt"},
    )  # fmt: skip
    sha256 = fields.String(required=True, allow_none=True, metadata={"example": "b73f58…"})
    reason = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Why no text is archived, for a source without one."},
    )
    date_basis = fields.Nested(DateBasisSchema, required=True)


class EvidenceSchema(CompiledDumpSchema):
    source = fields.String(required=True, metadata={"example": "reuters-2022-03-01"})
    quote = fields.String(
        required=True,
        metadata={"example": "You simply have to stop the bombardment and then sit down"},
    )
    verified = fields.Boolean(
        required=True,
        metadata={
            "description": "The quote was found in its source's archived text (whitespace "
            "and typographic quotes aside); false where the source has no archived text.",
            "example": True,
        },
    )


class DelegationSchema(CompiledDumpSchema):
    party = fields.String(required=True, metadata={"example": "ukraine"})
    members = fields.List(fields.String(), required=True)


class OutcomeSchema(CompiledDumpSchema):
    status = fields.String(required=True, metadata=_enum(OUTCOME_STATUSES, example="agreed"))
    summary = fields.String(required=True)
    evidence = fields.List(fields.Nested(EvidenceSchema), required=True)
    according_to = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "The actor whose account this is; null: reported as fact.",
                  "example": "podolyak"},
    )  # fmt: skip


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
    time = fields.String(required=True, allow_none=True, metadata={"example": None})
    recorded = fields.Date(
        required=True,
        metadata={"description": "The day this position entered the record.",
                  "example": "2026-11-22"},
    )  # fmt: skip
    supersedes = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "The earlier position this one corrects.", "example": None},
    )
    reason = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Why it supersedes that position.", "example": None},
    )
    superseded_by = fields.String(
        dump_default=None,
        allow_none=True,
        metadata={"description": "The position that corrects this one, in the record as it "
                  "stood (`known_at`); null if none.", "example": None},
    )  # fmt: skip
    retracted = fields.Boolean(
        dump_default=False,
        metadata={"description": "Withdrawn from the record as it stood (`known_at`).",
                  "example": False},
    )  # fmt: skip
