"""Whole-dataset exports, serialised with the same resource schemas as the API."""

from __future__ import annotations

from schemas.resources import (
    ActorSchema,
    IssueSchema,
    PartySchema,
    PositionSchema,
    RoundSchema,
    SourceSchema,
)
from service.dataset import Dataset

EXPORT_SCHEMAS = {
    "parties": PartySchema,
    "actors": ActorSchema,
    "issues": IssueSchema,
    "sources": SourceSchema,
    "rounds": RoundSchema,
    "positions": PositionSchema,
}


def export_document(dataset: Dataset) -> dict[str, list[dict]]:
    """The dataset as one JSON-ready document, a list of records per resource."""
    return {
        name: schema(many=True).dump(getattr(dataset, name).values())
        for name, schema in EXPORT_SCHEMAS.items()
    }
