"""View schemas: how snapshot, timeline, changes, compare and meta are served.

Each reads the dataset's own result objects (``Position``, ``TimelineEntry``, ``Comparison``)
through dotted attributes or a ``pre_dump``, so the views hand them over as they are.
"""

from __future__ import annotations

from marshmallow import fields, pre_dump

from schemas.api import page_of
from schemas.dumping import CompiledDumpSchema
from schemas.health import last_reload_field
from service.model import CHANGES, STATUS_TABLE, STATUSES, SnapshotCell, Stance, TimelineRow

_STANCE = {"type": "string", "example": "opposes"}
_SCORE = {"minimum": -2, "maximum": 2, "example": -1}
_POSITION_ID = {"example": "ukraine-neutrality-2022-03-01"}
_DISPUTED = {
    "description": "The position is one of an uncertain move: rival readings of one "
    "statement (a dispute), or positions of one day that cannot be ordered. The cell "
    "shows one of them; `rivals` names the others.",
    "example": False,
}
_RIVALS = {"description": "The other positions of the uncertain move.", "example": []}


class CellSchema(CompiledDumpSchema):
    """One issue × party cell: the party's latest position on the issue, as of the date."""

    issue = fields.String(required=True, metadata={"example": "neutrality"})
    party = fields.String(required=True, metadata={"example": "ukraine"})
    stance = fields.String(required=True, metadata={**_STANCE, "enum": list(Stance.names())})
    score = fields.Integer(required=True, metadata=_SCORE)
    since = fields.Date(
        required=True,
        metadata={"description": "Date of the position.", "example": "2022-03-01"},
    )
    position = fields.String(required=True, metadata=_POSITION_ID)
    disputed = fields.Boolean(required=True, metadata=_DISPUTED)
    rivals = fields.List(fields.String(), required=True, metadata=_RIVALS)

    class Meta:
        native = SnapshotCell


class SnapshotSchema(CompiledDumpSchema):
    as_of = fields.Date(required=True, metadata={"example": "2022-03-02"})
    cells = fields.List(fields.Nested(CellSchema), required=True)


class TimelineEntrySchema(CompiledDumpSchema):
    date = fields.Date(required=True, attribute="position.date", metadata={"example": "2022-03-01"})
    stance = fields.Enum(
        Stance, by_value=True, required=True, attribute="position.stance", metadata=_STANCE
    )
    score = fields.Integer(required=True, attribute="position.score", metadata=_SCORE)
    change = fields.String(required=True, metadata={"enum": list(CHANGES), "example": "hardened"})
    position = fields.String(required=True, attribute="position.id", metadata=_POSITION_ID)

    class Meta:
        native = TimelineRow


class PartyTimelineSchema(CompiledDumpSchema):
    party = fields.String(required=True, metadata={"example": "ukraine"})
    entries = fields.List(fields.Nested(TimelineEntrySchema), required=True)


class TimelineSchema(CompiledDumpSchema):
    issue = fields.String(required=True, metadata={"example": "neutrality"})
    parties = fields.List(fields.Nested(PartyTimelineSchema), required=True)


class ChangeSchema(CompiledDumpSchema):
    date = fields.Date(required=True, metadata={"example": "2022-03-01"})
    party = fields.String(required=True, metadata={"example": "ukraine"})
    issue = fields.String(required=True, metadata={"example": "neutrality"})
    from_ = fields.Enum(
        Stance,
        by_value=True,
        required=True,
        allow_none=True,
        data_key="from",
        metadata={**_STANCE, "description": "The previous stance; null for a first."},
    )
    to = fields.Enum(Stance, by_value=True, required=True, metadata=_STANCE)
    change = fields.String(
        required=True,
        metadata={"enum": [c for c in CHANGES if c != "reiterated"], "example": "hardened"},
    )
    position = fields.String(required=True, metadata={"example": "ukraine-neutrality-2022-03-01"})

    @pre_dump
    def flatten(self, entry, **kwargs) -> dict:
        position = entry.position
        return {
            "date": position.date,
            "party": position.party,
            "issue": position.issue,
            "from_": entry.previous.stance if entry.previous else None,
            "to": position.stance,
            "change": entry.change,
            "position": position.id,
        }


ChangePageSchema = page_of(ChangeSchema, "Change")


class SideSchema(CompiledDumpSchema):
    stance = fields.Enum(Stance, by_value=True, required=True, metadata=_STANCE)
    score = fields.Integer(required=True, metadata=_SCORE)
    since = fields.Date(required=True, metadata={"example": "2022-03-01"})
    position = fields.String(required=True, metadata={"example": "ukraine-neutrality-2022-03-01"})
    conditions = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "What this side attaches to its stance, if anything."},
    )
    disputed = fields.Boolean(required=True, metadata=_DISPUTED)
    rivals = fields.List(fields.String(), required=True, metadata=_RIVALS)


class ComparisonSchema(CompiledDumpSchema):
    issue = fields.String(required=True, metadata={"example": "crimea"})
    stances = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(SideSchema, allow_none=True),
        required=True,
        metadata={"description": "Each party's stance, keyed by party id; null if it has none."},
    )
    gap = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"minimum": 0, "maximum": 4, "example": 4, "description": "|a − b|"},
    )
    status = fields.String(
        required=True,
        metadata={"enum": list(STATUSES), "example": "opposed", "description": STATUS_TABLE},
    )


class CompareSchema(CompiledDumpSchema):
    as_of = fields.Date(required=True, metadata={"example": "2022-03-02"})
    parties = fields.List(
        fields.String(), required=True, metadata={"example": ["ukraine", "russia"]}
    )
    issues = fields.List(fields.Nested(ComparisonSchema), required=True)

    @pre_dump
    def by_party(self, view, **kwargs) -> dict:
        return {
            "as_of": view["as_of"],
            "parties": list(view["parties"]),
            "issues": [
                {
                    "issue": row.issue,
                    "stances": {
                        party: _side(position, rivals)
                        for party, position, rivals in zip(
                            view["parties"], row.stances, row.rivals, strict=True
                        )
                    },
                    "gap": row.gap,
                    "status": row.status,
                }
                for row in view["issues"]
            ],
        }


class CorrectionSchema(CompiledDumpSchema):
    """One change to the record: a position superseded by another, or retracted."""

    kind = fields.String(
        required=True, metadata={"enum": ["supersession", "retraction"], "example": "supersession"}
    )
    position = fields.String(required=True, metadata={"example": "usa-neutrality-2022-03-01-biden"})
    replaced_by = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "The correcting position; null for a retraction.",
                  "example": "usa-nato-membership-2022-03-01-biden"},
    )  # fmt: skip
    reason = fields.String(required=True)
    recorded = fields.Date(
        required=True,
        metadata={"description": "The day the correction entered the record.",
                  "example": "2026-12-03"},
    )  # fmt: skip


CorrectionPageSchema = page_of(CorrectionSchema, "Correction")


def _side(position, rivals) -> dict | None:
    """One party's side of a comparison row."""
    if position is None:
        return None
    return {
        "stance": position.stance,
        "score": position.score,
        "since": position.date,
        "position": position.id,
        "conditions": position.conditions,
        "disputed": bool(rivals),
        "rivals": list(rivals),
    }


class CountsSchema(CompiledDumpSchema):
    parties = fields.Integer(required=True, metadata={"example": 6})
    actors = fields.Integer(required=True, metadata={"example": 8})
    issues = fields.Integer(required=True, metadata={"example": 15})
    sources = fields.Integer(required=True, metadata={"example": 4})
    rounds = fields.Integer(required=True, metadata={"example": 2})
    positions = fields.Integer(required=True, metadata={"example": 32})


class MetaSchema(CompiledDumpSchema):
    data_version = fields.String(required=True, metadata={"example": "3f2c9a1b0d4e5f67"})
    loaded_at = fields.DateTime(required=True, metadata={"example": "2022-03-03T12:00:00+00:00"})
    counts = fields.Nested(CountsSchema, required=True)
    files = fields.List(fields.String(), required=True, metadata={"example": ["catalogue.yaml"]})
    first_date = fields.Date(required=True, allow_none=True, metadata={"example": "2022-02-23"})
    last_date = fields.Date(required=True, allow_none=True, metadata={"example": "2022-03-03"})
    last_reload = last_reload_field()
