"""Checks across all fixture files: ids, references, dates, actors, disputes and quotes.

Each rule over positions is written once, as a key it reads from every position and a
test of that key (``POSITION_RULES``). A rule is tested once per distinct key — a
hundred thousand positions name a few dozen parties — and only the positions whose key
fails are reported, each at its own file and line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from service.loading.archive import Archive
from service.loading.validate import Item
from service.model import RECORD_KINDS, Evidence
from service.text import did_you_mean, normalise_text

_SECTION_OF = {kind: section for section, kind in RECORD_KINDS.items()}
Report = Callable[[str, tuple, str], None]
Index = dict[str, dict[str, Item]]


@dataclass(frozen=True)
class Rule:
    """One check of positions: the field it reports at, the key it reads, and its test.

    A reference rule names the kind of record its key must be the id of; any other rule
    has ``problem(key, index)``, which returns a message for a key that fails, else None.
    """

    field: str
    key: Callable[[object], object]
    reference: str | None = None
    problem: Callable[[object, Index], str | None] | None = None

    def fails(self, key, index: Index) -> bool | str:
        if self.reference is not None:
            return key is not None and key not in index[self.reference]
        return self.problem(key, index) or False


def _actor_speaks_for_party(key, index) -> str | None:
    actor, party = key
    found = index["actor"].get(actor)
    if actor is None or found is None or party not in index["party"]:
        return None  # an unknown actor or party is its own rule's problem
    if found.record.party != party:
        return f"actor '{actor}' speaks for {found.record.party}, not {party}"
    return None


def _date_within_round(key, index) -> str | None:
    round_id, day = key
    found = index["round"].get(round_id)
    if found is None or found.record.start <= day <= found.record.end:
        return None
    start, end = found.record.start, found.record.end
    span = str(start) if start == end else f"{start} to {end}"
    return f"{day} is outside round '{round_id}' ({span})"


POSITION_RULES = (
    Rule("party", lambda p: p.party, reference="party"),
    Rule("issue", lambda p: p.issue, reference="issue"),
    Rule("actor", lambda p: p.actor, reference="actor"),
    Rule("round", lambda p: p.round, reference="round"),
    Rule("actor", lambda p: (p.actor, p.party), problem=_actor_speaks_for_party),
    Rule("date", lambda p: (p.round, p.date), problem=_date_within_round),
)


def file_under_current_ids(positions: list[Item], aliases: dict[str, str]) -> None:
    """An issue named by an earlier id (one of its ``aliases``) is filed under its id."""
    if aliases:
        for item in positions:
            item.record.issue = aliases.get(item.record.issue, item.record.issue)


def issue_aliases(issues: list[Item]) -> dict[str, str]:
    """Each earlier id of an issue → its id, for issues that passed ``check_issue_aliases``."""
    return {alias: item.record.id for item in issues for alias in item.record.aliases}


class CrossChecker:
    """Runs every check across files, reporting each problem as (file, path, message)."""

    def __init__(
        self,
        items: dict[str, list[Item]],
        declared: dict[str, set[str]],
        report: Report,
        where: Callable[[Item], str],
        archive: Archive,
        *,
        strict: bool = False,
        complete: bool = True,
    ):
        self.items, self.declared, self.report, self.where = items, declared, report, where
        self.archive, self.strict = archive, strict
        self.complete = complete  # every file was read: a rule counting across them may judge
        self.index: Index = {}
        self.aliases: dict[str, str] = {}  # an issue's earlier id → its id
        self._refused: dict[str, list[Item]] = {}
        self._file_order: dict[str, int] = {}

    def also_declared(self, refused: dict[str, list[Item]], file_order: dict[str, int]) -> None:
        """Entries their schema refused (by section), which still count as declaring their
        id: a later entry with that id is a duplicate, reported in the same run."""
        self._refused, self._file_order = refused, file_order

    def run(self) -> Index:
        """Check everything; return the items by kind and id (first declaration wins)."""
        for section, kind in RECORD_KINDS.items():
            self.index[kind] = self.unique(self.items.get(section, []), kind)
        self.unique_round_numbers()
        self.check_issue_aliases()
        for item in self.items.get("actors", []):
            self.ref(item, ("party",), "party", item.record.party)
        for item in self.items.get("sources", []):
            self.check_source(item)
        for item in self.items.get("rounds", []):
            self.check_round(item)
        positions = self.items.get("positions", [])
        file_under_current_ids(positions, self.aliases)
        for rule in POSITION_RULES:
            self.apply(rule, positions)
        self.check_record_time()
        for item in positions:
            self.check_evidence(item, ("evidence",), item.record.evidence, item.record.date)
        for item in self.items.get("corroborations", []):
            target = self.ref(item, ("position",), "position", item.record.position)
            date = target.record.date if target else None
            self.check_evidence(item, ("evidence",), item.record.evidence, date)
        self.check_disputes()
        return self.index

    def apply(self, rule: Rule, items: list[Item]) -> None:
        """Test ``rule`` once per distinct key, and report each item whose key fails."""
        keys = [rule.key(item.record) for item in items]
        failing = {key: found for key in set(keys) if (found := rule.fails(key, self.index))}
        for item, key in zip(items, keys, strict=True) if failing else ():
            if key not in failing:
                continue
            if rule.reference is not None:
                self.ref(item, (rule.field,), rule.reference, key)
            else:
                self.report(item.file, (*item.path, rule.field), failing[key])

    def unique(self, items: list[Item], kind: str) -> dict[str, Item]:
        seen: dict[str, Item] = {}
        refused = self._refused.get(_SECTION_OF[kind])
        if refused:
            rank = self._file_order.get
            items = sorted([*items, *refused], key=lambda i: (rank(i.file, -1), i.path))
        for item in items:
            first = seen.setdefault(item.record.id, item)
            if first is not item:
                self.report(
                    item.file,
                    (*item.path, "id"),
                    f"duplicate {kind} id '{item.record.id}' (first declared at "
                    f"{self.where(first)})",
                )
        if refused:
            refused_items = {id(item) for item in refused}
            return {key: item for key, item in seen.items() if id(item) not in refused_items}
        return seen

    def unique_round_numbers(self) -> None:
        numbers: dict[int, Item] = {}
        for item in self.items.get("rounds", []):
            if item.record.number is None:  # a number is optional; unique only where given
                continue
            first = numbers.setdefault(item.record.number, item)
            if first is not item:
                self.report(
                    item.file,
                    (*item.path, "number"),
                    f"duplicate round number {item.record.number} (also round "
                    f"'{first.record.id}' at {self.where(first)})",
                )

    def ref(self, item: Item, path: tuple, kind: str, value: str | None) -> Item | None:
        """The item that ``value``, found at ``path`` in ``item``, names; or a problem."""
        if value is None:
            return None
        target = self.index[kind].get(value)
        if target is None and value not in self.declared.get(kind, ()):
            known = self.index[kind].keys() | self.declared.get(kind, set())
            hint = did_you_mean(value, known, listed=12) or self._declared_in(kind)
            self.report(item.file, (*item.path, *path), f"unknown {kind} '{value}'{hint}")
        return target

    def _declared_in(self, kind: str) -> str:
        """Where to look for the ids of ``kind``, when none is close and they are many."""
        files = sorted({item.file for item in self.index[kind].values()})
        if not files:
            return ""
        shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
        return f"; see the {kind} ids declared in {shown}"

    def check_round(self, item: Item) -> None:
        round_ = item.record
        if round_.end < round_.start:
            self.report(
                item.file,
                (*item.path, "end"),
                f"ends {round_.end}, before it starts {round_.start}",
            )
        self.ref(item, ("host",), "party", round_.host)
        for index, outcome in enumerate(round_.outcomes):
            self.ref(item, ("outcomes", index, "according_to"), "actor", outcome.according_to)
        for index, delegation in enumerate(round_.delegations):
            self.ref(item, ("delegations", index, "party"), "party", delegation.party)
        for index, source in enumerate(round_.sources):
            self.ref(item, ("sources", index), "source", source)
        for index, outcome in enumerate(round_.outcomes):
            path = ("outcomes", index, "evidence")
            for number, source in enumerate(self.check_evidence(item, path, outcome.evidence)):
                if source and source.record.published < round_.start:
                    self.report(
                        item.file,
                        (*item.path, *path, number, "source"),
                        f"source '{source.record.id}' was published "
                        f"{source.record.published}, before the round began ({round_.start})",
                    )

    def check_evidence(
        self, item: Item, path: tuple, evidence: tuple[Evidence, ...], dated=None
    ) -> list[Item | None]:
        """Check each piece's source and quote; ``dated`` is the position's date, if any."""
        sources = []
        for index, piece in enumerate(evidence):
            source = self.ref(item, (*path, index, "source"), "source", piece.source)
            sources.append(source)
            if source is None:
                continue
            published = source.record.published
            if dated is not None and dated > published:
                # on a position the date is what is wrong; on a corroboration, the source
                where = ("date",) if item.path[0] == "positions" else (*path, index, "source")
                self.report(
                    item.file,
                    (*item.path, *where),
                    f"position dated {dated} is reported by source '{piece.source}', "
                    f"published earlier ({published})",
                )
            self.check_quote(item, (*path, index, "quote"), piece, source)
        return sources

    def check_disputes(self) -> None:
        if not self.complete:  # the other reading may be in the file that could not be read
            return
        positions = self.items.get("positions", [])
        readings = Counter(item.record.dispute for item in positions if item.record.dispute)
        for item in positions:
            dispute = item.record.dispute
            if dispute and readings[dispute] < 2:
                self.report(
                    item.file,
                    (*item.path, "dispute"),
                    f"dispute '{dispute}' has only this reading; a dispute needs at least two "
                    "positions that contradict each other",
                )

    def check_issue_aliases(self) -> None:
        """Each earlier id of an issue names that issue only, never another's id."""
        issues = self.index["issue"]
        for item in self.items.get("issues", []):
            for number, alias in enumerate(item.record.aliases):
                path = (*item.path, "aliases", number)
                if alias in issues:
                    self.report(item.file, path, f"'{alias}' is the id of an issue, not an alias")
                    continue
                first = self.aliases.setdefault(alias, item.record.id)
                if first != item.record.id:
                    self.report(
                        item.file, path, f"'{alias}' is already an alias of issue '{first}'"
                    )

    def check_source(self, item: Item) -> None:
        """A source has its archived text and its SHA-256, or says why it has none."""
        source = item.record
        if not source.archived:
            if source.reason is None:
                self.report(
                    item.file,
                    (*item.path, "reason"),
                    "a source without archived text must say why (reason)",
                )
            for field in ("archive", "sha256"):
                if getattr(source, field) is not None:
                    self.report(
                        item.file,
                        (*item.path, field),
                        f"{field} given for a source marked 'archived: false'",
                    )
            return
        if source.reason is not None:
            self.report(
                item.file,
                (*item.path, "reason"),
                "reason is only for a source marked 'archived: false'",
            )
        if source.archive is None or source.sha256 is None:
            missing = "archive" if source.archive is None else "sha256"
            self.report(
                item.file,
                (*item.path, missing),
                "required field is missing: archive and sha256 name the source's archived "
                "text; if it has none, write 'archived: false' and a reason",
            )
            return
        problem = self.archive.problem(source.archive, source.sha256)
        if problem is not None:
            field, message = problem
            self.report(item.file, (*item.path, field), message)

    def check_quote(self, item: Item, path: tuple, piece: Evidence, source: Item) -> None:
        """The quote is in its source's archived text (verified), or the source has none."""
        record = source.record
        text = self.archive.text(record.archive) if record.archived and record.archive else None
        if text is not None:
            if normalise_text(piece.quote) in text:
                piece.verified = True
            else:
                self.report(
                    item.file,
                    (*item.path, *path),
                    f"quote does not appear verbatim in the archived text of source "
                    f"'{record.id}' ({record.archive})",
                )
        elif self.strict and not record.archived:
            self.report(
                item.file,
                (*item.path, *path),
                f"quote cannot be verified: source '{record.id}' has no archived text (--strict)",
            )

    def check_record_time(self) -> None:
        """Corrections point back in record time: a file supersedes or retracts what an
        earlier file recorded, with a reason, once; nothing is recorded in the future."""
        corrected: dict[str, Item] = {}
        for item in [*self.items.get("positions", []), *self.items.get("retractions", [])]:
            record = item.record
            target_id = getattr(record, "supersedes", None) or getattr(record, "retracts", None)
            field = "supersedes" if getattr(record, "supersedes", None) else "retracts"
            if target_id is None:
                if getattr(record, "reason", None) is not None:
                    self.report(
                        item.file,
                        (*item.path, "reason"),
                        "reason is only for a position that supersedes another",
                    )
                continue
            if field == "supersedes" and record.reason is None:
                self.report(
                    item.file,
                    (*item.path, "reason"),
                    "a position that supersedes another must say why (reason)",
                )
            target = self.ref(item, (field,), "position", target_id)
            if target is None:
                continue
            earlier = target.record.recorded
            if record.recorded is not None and earlier is not None and earlier >= record.recorded:
                self.report(
                    item.file,
                    (*item.path, field),
                    f"'{target_id}' was recorded {earlier}: a correction is recorded in a later "
                    "file than what it corrects (edit a file recorded the same day instead)",
                )
            first = corrected.setdefault(target_id, item)
            if first is not item:
                self.report(
                    item.file,
                    (*item.path, field),
                    f"'{target_id}' is already corrected at {self.where(first)}",
                )
