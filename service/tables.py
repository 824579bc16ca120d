"""Flat tables of the dataset's records and views, for CSV exports and ``format=csv``."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from service.model import Position

POSITION_COLUMNS = (
    "id", "party", "issue", "stance", "score", "date", "date_precision", "actor",
    "summary", "conditions", "round", "disputed", "dispute", "evidence_sources",
    "evidence_quotes",
)


def evidence_columns(position: Position | None) -> dict[str, str]:
    """Evidence flattened: sources joined by "; ", quotes one per line, in the same order."""
    if position is None:
        return {"evidence_sources": "", "evidence_quotes": ""}
    return {
        "evidence_sources": "; ".join(e.source for e in position.evidence),
        "evidence_quotes": "\n".join(e.quote for e in position.evidence),
    }


def position_row(position: Position) -> dict:
    """One position as a flat row of POSITION_COLUMNS."""
    return {
        "id": position.id,
        "party": position.party,
        "issue": position.issue,
        "stance": position.stance.value,
        "score": position.score,
        "date": position.date.isoformat(),
        "date_precision": position.date_precision,
        "actor": position.actor,
        "summary": position.summary,
        "conditions": position.conditions,
        "round": position.round,
        "disputed": "true" if position.disputed else "false",
        "dispute": position.dispute,
        **evidence_columns(position),
    }


def to_csv(rows: Iterable[dict], columns: Iterable[str]) -> str:
    """Rows as CSV text with a header row; missing and ``None`` values are empty cells."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
