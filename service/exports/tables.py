"""Flat tables of the dataset's records and views, for CSV exports and ``format=csv``."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from service.dataset import Comparison
from service.model import Position, TimelineEntry

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


CELL_COLUMNS = (
    "issue", "party", "stance", "score", "since", "position", "actor", "summary",
    "evidence_sources", "evidence_quotes",
)
CHANGE_COLUMNS = (
    "date", "party", "issue", "from", "to", "change", "position", "actor", "summary",
    "evidence_sources", "evidence_quotes",
)
SIDE_COLUMNS = ("stance", "score", "since", "position", "conditions", "disputed")


def cell_row(position: Position) -> dict:
    """One snapshot cell (the party's latest position on the issue) as a row of CELL_COLUMNS."""
    return {
        "issue": position.issue,
        "party": position.party,
        "stance": position.stance.value,
        "score": position.score,
        "since": position.date.isoformat(),
        "position": position.id,
        "actor": position.actor,
        "summary": position.summary,
        **evidence_columns(position),
    }


def change_row(entry: TimelineEntry) -> dict:
    """One change (a timeline entry that is not a reiteration) as a row of CHANGE_COLUMNS."""
    position = entry.position
    return {
        "date": position.date.isoformat(),
        "party": position.party,
        "issue": position.issue,
        "from": entry.previous.stance.value if entry.previous else None,
        "to": position.stance.value,
        "change": entry.change,
        "position": position.id,
        "actor": position.actor,
        "summary": position.summary,
        **evidence_columns(position),
    }


def comparison_columns(parties: Sequence[str]) -> tuple[str, ...]:
    """Columns of a comparison: the issue, its status and gap, then each party's side."""
    return ("issue", "status", "gap") + tuple(
        f"{party}_{column}" for party in parties for column in SIDE_COLUMNS
    )


def comparison_row(row: Comparison, parties: Sequence[str]) -> dict:
    """One issue of a comparison as a row of ``comparison_columns(parties)``."""
    flat = {"issue": row.issue, "status": row.status, "gap": row.gap}
    for party, position, rivals in zip(parties, row.stances, row.rivals, strict=True):
        if position is not None:
            flat[f"{party}_stance"] = position.stance.value
            flat[f"{party}_score"] = position.score
            flat[f"{party}_since"] = position.date.isoformat()
            flat[f"{party}_position"] = position.id
            flat[f"{party}_conditions"] = position.conditions
            flat[f"{party}_disputed"] = "true" if rivals else "false"
    return flat
