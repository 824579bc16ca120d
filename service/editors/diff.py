"""``parley fixtures diff``: what a change to the fixtures does to the record, before it is served.

Two datasets are compared through the queries the API serves, never through the files:
the positions added, removed, edited in place, superseded and retracted; the moves (the
timeline's change labels) that are new or relabelled; and, as of the latest date, the
snapshot cells and the two parties' compare statuses that flip. ``OLD`` is a directory
or a git revision of the fixture directory (default ``HEAD``), read with ``git archive``
into a temporary directory.
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import click

from service.commands import CommandError, load, load_or_exit, settings
from service.dataset import Dataset
from service.loading import FixtureErrors
from service.model import CHANGES

# -- the comparison -------------------------------------------------------------------------


@dataclass
class Diff:
    """What changed between two datasets; every list holds plain JSON-ready dicts."""

    as_of: date | None
    parties: tuple[str, str] | None
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    edited: list[dict] = field(default_factory=list)
    superseded: list[dict] = field(default_factory=list)
    retracted: list[dict] = field(default_factory=list)
    moves: list[dict] = field(default_factory=list)
    statuses: list[dict] = field(default_factory=list)
    cells: list[dict] = field(default_factory=list)

    def summary(self) -> str:
        """One line: ``+6 positions, 5 moves: 1 reversed, 2 softened, 2 new``, and flips."""
        parts = []
        for sign, items, what in (
            ("+", self.added, "position"),
            ("-", self.removed, "position"),
            ("~", self.edited, "position edited in place"),
        ):
            if items:
                parts.append(f"{sign}{_count(len(items), what)}")
        for items, what in ((self.superseded, "superseded"), (self.retracted, "retracted")):
            if items:
                parts.append(f"{len(items)} {what}")
        if self.moves:
            labels = Counter(move["change"] for move in self.moves)
            by_label = ", ".join(f"{labels[c]} {c}" for c in CHANGES if labels[c])
            parts.append(f"{_count(len(self.moves), 'move')}: {by_label}")
        if self.statuses:
            a, b = self.parties
            parts.append(f"{_count(len(self.statuses), 'status', 'statuses')} of {a} × {b} flipped")
        if self.cells:
            parts.append(f"{_count(len(self.cells), 'snapshot cell')} flipped")
        return ", ".join(parts) if parts else "no change to the record"

    def as_dict(self) -> dict:
        return {
            "summary": self.summary(),
            "as_of": self.as_of and self.as_of.isoformat(),
            "parties": list(self.parties) if self.parties else None,
            "positions": {
                "added": self.added,
                "removed": self.removed,
                "edited": self.edited,
                "superseded": self.superseded,
                "retracted": self.retracted,
            },
            "moves": self.moves,
            "compare": self.statuses,
            "snapshot": self.cells,
        }


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def _position(p) -> dict:
    return {"id": p.id, "party": p.party, "issue": p.issue, "stance": p.stance.value,
            "date": p.date.isoformat()}  # fmt: skip


def _same(a, b) -> bool:
    """Two positions say the same (evidence included), whatever objects they are."""
    return a._arguments() == b._arguments() if hasattr(a, "_arguments") else a == b


def busiest_parties(dataset: Dataset) -> tuple[str, str] | None:
    """The two parties with the most positions (ties: catalogue order)."""
    counts = Counter(p.party for p in dataset.positions.values())
    ranked = sorted(dataset.parties, key=lambda party: -counts[party])
    return (ranked[0], ranked[1]) if len(ranked) >= 2 else None


def compare(old: Dataset, new: Dataset, parties: tuple[str, str] | None = None) -> Diff:
    """What ``new`` changes in the record of ``old``."""
    last = max((d for d in (old.date_range()[1], new.date_range()[1]) if d), default=None)
    parties = parties or busiest_parties(new)
    diff = Diff(last, parties)
    for pid, position in new.positions.items():
        before = old.positions.get(pid)
        if before is None:
            diff.added.append(_position(position))
            target = getattr(position, "supersedes", None)
            if target:
                diff.superseded.append({"id": target, "by": pid,
                                        "reason": getattr(position, "reason", None)})  # fmt: skip
        elif not _same(before, position):
            diff.edited.append(_position(position))
    diff.removed = [_position(p) for pid, p in old.positions.items() if pid not in new.positions]
    old_retracted = {getattr(r, "retracts", None) for r in getattr(old, "retractions", ()) or ()}
    for retraction in getattr(new, "retractions", ()) or ():
        target = getattr(retraction, "retracts", None)
        if target not in old_retracted:
            diff.retracted.append({"id": target, "reason": getattr(retraction, "reason", None)})
    before = {(e.position.id, e.change) for e in old.changes()}
    for entry in new.changes():
        if (entry.position.id, entry.change) not in before:
            p, previous = entry.position, entry.previous
            diff.moves.append({
                "date": p.date.isoformat(), "party": p.party, "issue": p.issue,
                "position": p.id, "change": entry.change,
                "from": previous.stance.value if previous else None, "to": p.stance.value,
            })  # fmt: skip
    if last is None:
        return diff
    old_cells = {(c.issue, c.party): c.stance for c in old.snapshot_cells(last)}
    new_cells = {(c.issue, c.party): c.stance for c in new.snapshot_cells(last)}
    for key in dict.fromkeys([*new_cells, *old_cells]):
        if old_cells.get(key) != new_cells.get(key):
            issue, party = key
            diff.cells.append({"issue": issue, "party": party,
                               "from": old_cells.get(key), "to": new_cells.get(key)})  # fmt: skip
    if parties and all(p in new.parties for p in parties):
        issues = [i for i in new.issues if i in old.issues]
        was = {row.issue: row.status for row in old.compare(*parties, last, issues=issues)
               if all(p in old.parties for p in parties)}  # fmt: skip
        for row in new.compare(*parties, last):
            if was.get(row.issue, "unknown") != row.status:
                diff.statuses.append({"issue": row.issue, "from": was.get(row.issue, "unknown"),
                                      "to": row.status})  # fmt: skip
    return diff


def render(diff: Diff, old_label: str, new_label: str) -> str:
    """The diff for people: a summary line, then each kind of change, one per line."""
    lines = [f"{old_label} → {new_label}: {diff.summary()}"]

    def section(title: str, rows: list[str]) -> None:
        if rows:
            lines.extend(["", title, *(f"  {row}" for row in rows)])

    def stated(p: dict) -> str:
        return f"{p['id']}: {p['party']} {p['stance']} {p['issue']} ({p['date']})"

    section("Added positions", [stated(p) for p in diff.added])
    section("Removed positions", [stated(p) for p in diff.removed])
    section("Positions edited in place", [stated(p) for p in diff.edited])
    section("Superseded", [f"{s['id']} by {s['by']}" for s in diff.superseded])
    section("Retracted", [f"{r['id']}: {r['reason']}" for r in diff.retracted])
    section("Moves", [
        f"{m['date']}  {m['party']} on {m['issue']}: {m['change']} "
        f"({m['from'] or '—'} → {m['to']}) {m['position']}"
        for m in diff.moves
    ])  # fmt: skip
    if diff.parties:
        a, b = diff.parties
        section(f"Compare {a} × {b} as of {diff.as_of}", [
            f"{s['issue']}: {s['from']} → {s['to']}" for s in diff.statuses
        ])  # fmt: skip
    section(f"Snapshot as of {diff.as_of}", [
        f"{c['party']} on {c['issue']}: {c['from'] or '—'} → {c['to'] or '—'}" for c in diff.cells
    ])  # fmt: skip
    return "\n".join(lines) + "\n"


# -- the old fixtures: a directory, or the fixture directory at a git revision -------------


def _git(directory: Path, *args: str) -> bytes:
    result = subprocess.run(
        ["git", "-C", str(directory), *args], capture_output=True, timeout=60, check=False
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise LookupError(message[-1] if message else f"git {args[0]} failed")
    return result.stdout


def extract_revision(directory: str, revision: str, into: Path) -> Path:
    """The fixture directory ``directory`` as it is at git ``revision``, written under
    ``into``; LookupError if it is not in a git work tree or not at that revision."""
    here = Path(directory).resolve()
    try:
        found = _git(here, "rev-parse", "--show-prefix", "--show-toplevel").decode()
        prefix, top = found.split("\n")[:2]
        tree = f"{revision}:{prefix.rstrip('/')}" if prefix else revision
        archive = _git(Path(top), "archive", "--format=tar", tree)
    except FileNotFoundError:
        raise LookupError("git is not installed") from None
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def load_old(old: str, new_directory: str, scratch: Path) -> tuple[Dataset, str]:
    """The old dataset and what to call it: a directory, else a revision of the new one's."""
    if Path(old).is_dir():
        return load(old), old
    return load(str(extract_revision(new_directory, old, scratch))), f"{new_directory} at {old}"


def summary_against_head(directory: str, new: Dataset) -> str | None:
    """``Against HEAD: …`` for ``parley fixtures check``; None outside a git checkout, or
    when HEAD's fixtures cannot be read."""
    with tempfile.TemporaryDirectory(prefix="parley-diff-") as scratch:
        try:
            old = load(str(extract_revision(directory, "HEAD", Path(scratch))))
        except (LookupError, FixtureErrors, OSError, subprocess.SubprocessError):
            return None
    return f"Against HEAD: {compare(old, new).summary()}"


def _parties(value: str | None) -> tuple[str, str] | None:
    if value is None:
        return None
    chosen = tuple(part.strip() for part in value.split(",") if part.strip())
    if len(chosen) != 2 or chosen[0] == chosen[1]:
        raise click.BadParameter("give two different party ids, e.g. ukraine,russia")
    return chosen


@click.command("diff")
@click.argument("old", required=False, default="HEAD")
@click.argument("new", required=False, type=click.Path(file_okay=False))
@click.option("--parties", help="Two party ids to compare, e.g. ukraine,russia. Default: the "
              "two with the most positions.")  # fmt: skip
@click.option("--format", "format_", type=click.Choice(["text", "json"]), default="text",
              show_default=True)  # fmt: skip
def diff_command(old, new, parties, format_):
    """What NEW does to the record of OLD: positions, moves, flipped statuses and cells.

    OLD is a fixture directory or a git revision of NEW (default HEAD); NEW is a fixture
    directory (default PARLEY_FIXTURES).
    """
    pair = _parties(parties)
    new = new or str(settings()["PARLEY_FIXTURES"])
    with tempfile.TemporaryDirectory(prefix="parley-diff-") as scratch:
        try:
            before, label = load_old(old, new, Path(scratch))
        except LookupError as error:
            message = f"{old}: not a directory, nor a git revision here ({error})"
            raise CommandError(message) from None
        except FixtureErrors as failure:
            count = len(failure.errors)
            message = f"the old fixtures ({old}) do not load: {_count(count, 'error')}"
            raise CommandError(message) from None
    after = load_or_exit(new)
    diff = compare(before, after, pair)
    if format_ == "json":
        click.echo(json.dumps(diff.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render(diff, label, new), nl=False)
