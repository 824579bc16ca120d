"""Fixture loader: YAML files → fixture schemas → cross-checks → one immutable Dataset.

Every problem is reported as ``path/to/file.yaml:LINE: field.path: message``, all of
them at once; a dataset is returned only when there are none, so nothing half-loaded
ever escapes.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml
from marshmallow import ValidationError

from schemas.compiled import Invalid, compile_schema
from schemas.fixtures import SECTIONS, FixtureFileSchema
from service import yamlmarks
from service.dataset import Dataset
from service.model import (
    Actor,
    DateBasis,
    Delegation,
    Evidence,
    Issue,
    Outcome,
    Party,
    Position,
    Round,
    Source,
    Stance,
)

FIXTURE_SUFFIXES = (".yaml", ".yml")
_DECLARED_ID = re.compile(r"^[ \t-]*id:[ \t]*([a-z0-9-]+)[ \t]*$", re.M)
KINDS = {
    "parties": "party",
    "actors": "actor",
    "issues": "issue",
    "sources": "source",
    "rounds": "round",
    "positions": "position",
}


class FixtureError(Exception):
    """One problem in one fixture file, at one line and field."""

    def __init__(self, file: str, line: int | None, field: str, message: str):
        super().__init__(file, line, field, message)
        self.file, self.line, self.field, self.message = file, line, field, message

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message}"


class FixtureErrors(Exception):
    """Every problem found in a fixture directory; raised instead of a partial dataset."""

    def __init__(self, errors: list[FixtureError]):
        super().__init__(errors)
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


@dataclass(slots=True)
class _Item:
    file: str
    path: tuple
    data: dict


@dataclass
class _File:
    display: str
    text: str
    order: int
    finder: yamlmarks.LineFinder | None = field(default=None, repr=False)

    def line(self, path: tuple) -> int:
        if self.finder is None:
            self.finder = yamlmarks.LineFinder(self.text)
        return self.finder.line(path)


def format_path(path: tuple) -> str:
    """``("positions", 3, "evidence", 0, "quote")`` → ``positions[3].evidence[0].quote``."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text or "(file)"


def suggest(value: str, choices) -> str:
    """A "did you mean" hint for a misspelt id, or nothing."""
    match = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""


_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'"})


def normalise_text(text: str) -> str:
    """Whitespace collapsed and typographic quotes made straight, for verbatim checks."""
    return " ".join(text.translate(_QUOTES).split())


def fixture_files(directory: Path) -> list[Path]:
    """The fixture files of a directory, its sub-directories included, in name order."""
    return sorted(
        path
        for path in directory.rglob("*")
        if path.suffix in FIXTURE_SUFFIXES and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(directory).parts)
    )


@functools.cache
def _fast_check():
    return compile_schema(FixtureFileSchema)


def load_dataset(
    directory: str | os.PathLike,
    *,
    seeds: str | os.PathLike | None = None,
    cache: dict[bytes, dict] | None = None,
) -> Dataset:
    """Load and check every fixture file under ``directory``; raise FixtureErrors if any fail.

    With ``seeds``, the directory of the articles' text, every quote is also checked to
    appear verbatim in the seed file its source names. With ``cache`` (a dict kept
    between calls), files whose bytes have not changed since the last call are not
    parsed and validated again; the cross-checks always run over every file.
    """
    return _Loader(directory, seeds, cache).load()


class _Loader:
    def __init__(self, directory, seeds, cache):
        self.directory = str(directory)
        self.seeds = None if seeds is None else Path(seeds)
        self.cache = cache
        self.parsed: dict[bytes, dict] = {}
        self.files: dict[str, _File] = {}
        self.problems: list[tuple[str, tuple, str, int | None]] = []
        self.items: dict[str, list[_Item]] = defaultdict(list)
        self.declared: dict[str, set[str]] = defaultdict(set)

    # -- reporting -------------------------------------------------------------------

    def problem(self, file: str, path: tuple, message: str, line: int | None = None) -> None:
        self.problems.append((file, path, message, line))

    def where(self, item: _Item) -> str:
        return f"{item.file}:{self.files[item.file].line(item.path)}"

    def errors(self) -> list[FixtureError]:
        found = []
        for file, path, message, line in self.problems:
            known = self.files.get(file)
            if line is None and known is not None:
                line = known.line(path)
            found.append(FixtureError(file, line, format_path(path), message))
        order = {name: f.order for name, f in self.files.items()}
        found.sort(key=lambda e: (order.get(e.file, -1), e.line or 0))
        return found

    # -- reading ---------------------------------------------------------------------

    def load(self) -> Dataset:
        root = Path(self.directory)
        if not root.is_dir():
            raise FixtureErrors(
                [FixtureError(self.directory, None, "directory", "no such directory")]
            )
        paths = fixture_files(root)
        if not paths:
            raise FixtureErrors(
                [FixtureError(self.directory, None, "directory", "no fixture files (*.yaml) found")]
            )
        digest = hashlib.sha256()
        for order, path in enumerate(paths):
            display = os.path.join(self.directory, str(path.relative_to(root)))
            raw = path.read_bytes()
            file_hash = hashlib.sha256(raw).digest()
            digest.update(f"{path.relative_to(root).as_posix()}\0".encode())
            digest.update(file_hash)
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                self.files[display] = _File(display, "", order)
                self.problem(display, ("document",), f"not valid UTF-8 ({error.reason})", line=1)
                continue
            self.files[display] = _File(display, text, order)
            data = self.cache.get(file_hash) if self.cache is not None else None
            if data is None:
                data = self.read(display, text)
            if data is not None:
                self.parsed[file_hash] = data
                self.add(display, data)
        if self.cache is not None:
            self.cache.clear()
            self.cache.update(self.parsed)
        self.check()
        if self.problems:
            raise FixtureErrors(self.errors())
        return self.build(digest.hexdigest()[:16], [str(f) for f in self.files])

    def add(self, display: str, data: dict) -> None:
        for section in SECTIONS:
            for index, entry in enumerate(data[section]):
                self.items[section].append(_Item(display, (section, index), entry))

    def read(self, display: str, text: str) -> dict | None:
        """A file's validated sections, or None once its problems are reported."""
        try:
            document = yamlmarks.parse(text)
        except yaml.YAMLError as error:
            line, message = yamlmarks.syntax_error_line(error)
            self.problem(display, ("yaml",), message, line=line)
            # What the unreadable file seems to declare is not reported as unknown elsewhere:
            # one unclosed bracket should give one error, not one per reference to the file.
            for kind in KINDS.values():
                self.declared[kind].update(_DECLARED_ID.findall(text))
            return None
        if document is None:
            document = {}
        if not isinstance(document, dict):
            self.problem(
                display, ("document",), "expected a mapping of sections: " + ", ".join(SECTIONS)
            )
            return None
        try:
            return _fast_check()(document)
        except Invalid:
            try:
                return FixtureFileSchema().load(document)
            except ValidationError as error:
                self.report_schema_errors(display, error.messages, ())
                self.salvage(display, document)
                return None

    def report_schema_errors(self, display: str, messages, path: tuple) -> None:
        if isinstance(messages, dict):
            for key, value in messages.items():
                inner = path if key == "_schema" else (*path, key)
                self.report_schema_errors(display, value, inner)
            return
        for message in messages if isinstance(messages, list) else [messages]:
            if isinstance(message, dict):
                self.report_schema_errors(display, message, path)
                continue
            if message == "Unknown field." and path:
                message = f"unknown field{self.known_field_hint(path)}"
            elif message == "Missing data for required field.":
                message = "required field is missing"
            self.problem(display, path, message)

    @staticmethod
    def known_field_hint(path: tuple) -> str:
        schema = FixtureFileSchema()
        for step in path[:-1]:
            if isinstance(step, int):
                continue
            inner = schema.fields.get(step)
            inner = getattr(inner, "inner", inner)
            schema = getattr(inner, "schema", None)
            if schema is None:
                return ""
        return suggest(str(path[-1]), schema.fields)

    def salvage(self, display: str, document: dict) -> None:
        """Keep a broken file's valid entries, so cross-checks report everything at once.

        The ids of its invalid entries count as declared: a reference to them elsewhere
        is not reported again as unknown.
        """
        for section, kind in KINDS.items():
            entries = document.get(section)
            for entry in entries if isinstance(entries, list) else ():
                if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                    self.declared[kind].add(entry["id"])
        for section, schema_class in SECTIONS.items():
            entries = document.get(section)
            if not isinstance(entries, list):
                continue
            schema = schema_class()
            for index, entry in enumerate(entries):
                try:
                    self.items[section].append(_Item(display, (section, index), schema.load(entry)))
                except (ValidationError, TypeError):
                    pass

    # -- cross-checks ----------------------------------------------------------------

    def check(self) -> None:
        self.index = {}
        for section, kind in KINDS.items():
            seen: dict[str, _Item] = {}
            for item in self.items[section]:
                first = seen.setdefault(item.data["id"], item)
                if first is not item:
                    self.problem(
                        item.file,
                        (*item.path, "id"),
                        f"duplicate {kind} id '{item.data['id']}' (first declared at "
                        f"{self.where(first)})",
                    )
            self.index[kind] = seen
        numbers: dict[int, _Item] = {}
        for item in self.items["rounds"]:
            first = numbers.setdefault(item.data["number"], item)
            if first is not item:
                self.problem(
                    item.file,
                    (*item.path, "number"),
                    f"duplicate round number {item.data['number']} (also round "
                    f"'{first.data['id']}' at {self.where(first)})",
                )
        for item in self.items["actors"]:
            self.ref(item, ("party",), "party", item.data["party"])
        for item in self.items["sources"]:
            self.check_seed(item)
        for item in self.items["rounds"]:
            self.check_round(item)
        for item in self.items["positions"]:
            self.check_position(item)
        for item in self.items["corroborations"]:
            target = self.ref(item, ("position",), "position", item.data["position"])
            self.check_evidence(item, ("evidence",), target.data if target else None)
        disputes = Counter(p.data["dispute"] for p in self.items["positions"] if p.data["dispute"])
        for item in self.items["positions"]:
            dispute = item.data["dispute"]
            if dispute and disputes[dispute] < 2:
                self.problem(
                    item.file,
                    (*item.path, "dispute"),
                    f"dispute '{dispute}' has only this reading; a dispute needs at least two "
                    "positions that contradict each other",
                )

    def ref(self, item: _Item, path: tuple, kind: str, value: str | None) -> _Item | None:
        """The item that ``value``, found at ``path`` in ``item``, names; or a problem."""
        if value is None:
            return None
        target = self.index[kind].get(value)
        if target is None and value not in self.declared[kind]:
            known = self.index[kind].keys() | self.declared[kind]
            self.problem(
                item.file, (*item.path, *path), f"unknown {kind} '{value}'{suggest(value, known)}"
            )
        return target

    def check_round(self, item: _Item) -> None:
        data = item.data
        if data["end"] is not None and data["end"] < data["start"]:
            self.problem(
                item.file,
                (*item.path, "end"),
                f"ends {data['end']}, before it starts {data['start']}",
            )
        self.ref(item, ("host",), "party", data["host"])
        for index, delegation in enumerate(data["delegations"]):
            self.ref(item, ("delegations", index, "party"), "party", delegation["party"])
        for index, source in enumerate(data["sources"]):
            self.ref(item, ("sources", index), "source", source)
        for index, outcome in enumerate(data["outcomes"]):
            self.check_evidence(item, ("outcomes", index, "evidence"), None)
            for number, evidence in enumerate(outcome["evidence"]):
                source = self.index["source"].get(evidence["source"])
                if source and source.data["published"] < data["start"]:
                    self.problem(
                        item.file,
                        (*item.path, "outcomes", index, "evidence", number, "source"),
                        f"source '{evidence['source']}' was published "
                        f"{source.data['published']}, before the round began ({data['start']})",
                    )

    def check_position(self, item: _Item) -> None:
        data = item.data
        party = self.ref(item, ("party",), "party", data["party"])
        self.ref(item, ("issue",), "issue", data["issue"])
        actor = self.ref(item, ("actor",), "actor", data["actor"])
        if actor and party and actor.data["party"] != data["party"]:
            self.problem(
                item.file,
                (*item.path, "actor"),
                f"actor '{data['actor']}' speaks for {actor.data['party']}, not {data['party']}",
            )
        round_ = self.ref(item, ("round",), "round", data["round"])
        if round_:
            start, end = round_.data["start"], round_.data["end"] or round_.data["start"]
            if not start <= data["date"] <= end:
                span = str(start) if start == end else f"{start} to {end}"
                self.problem(
                    item.file,
                    (*item.path, "date"),
                    f"{data['date']} is outside round '{data['round']}' ({span})",
                )
        self.check_evidence(item, ("evidence",), data)

    def check_evidence(self, item: _Item, path: tuple, position: dict | None) -> None:
        entries = item.data
        for step in path:
            entries = entries[step]
        for index, evidence in enumerate(entries):
            source = self.ref(item, (*path, index, "source"), "source", evidence["source"])
            if source is None:
                continue
            published = source.data["published"]
            if position is not None and position["date"] > published:
                self.problem(
                    item.file,
                    (*item.path, *path, index, "source") if item.path[0] != "positions"
                    else (*item.path, "date"),
                    f"position dated {position['date']} is reported by source "
                    f"'{evidence['source']}', published earlier ({published})",
                )
            self.check_quote(item, (*path, index, "quote"), evidence["quote"], source)

    def check_seed(self, item: _Item) -> None:
        seed = item.data["seed"]
        if self.seeds is not None and seed is not None and not (self.seeds / seed).is_file():
            self.problem(item.file, (*item.path, "seed"), f"no seed file '{seed}' in {self.seeds}")

    def check_quote(self, item: _Item, path: tuple, quote: str, source: _Item) -> None:
        seed = source.data["seed"]
        if self.seeds is None or seed is None:
            return
        text = self.seed_text(seed)
        if text is not None and normalise_text(quote) not in text:
            self.problem(
                item.file,
                (*item.path, *path),
                f"quote does not appear verbatim in seed '{seed}' of source '{source.data['id']}'",
            )

    def seed_text(self, seed: str) -> str | None:
        cache = self.__dict__.setdefault("_seed_texts", {})
        if seed not in cache:
            path = self.seeds / seed
            cache[seed] = normalise_text(path.read_text("utf-8")) if path.is_file() else None
        return cache[seed]

    # -- building --------------------------------------------------------------------

    def build(self, version: str, files: list[str]) -> Dataset:
        extra: dict[str, list[Evidence]] = defaultdict(list)
        for item in self.items["corroborations"]:
            extra[item.data["position"]].extend(_evidence(item.data["evidence"]))
        return Dataset(
            parties=[_party(i.data) for i in self.items["parties"]],
            actors=[_actor(i.data) for i in self.items["actors"]],
            issues=[Issue(**i.data) for i in self.items["issues"]],
            sources=[_source(i.data) for i in self.items["sources"]],
            rounds=[_round(i.data) for i in self.items["rounds"]],
            positions=[_position(i.data, extra[i.data["id"]]) for i in self.items["positions"]],
            version=version,
            files=files,
            loaded_at=datetime.now(UTC).replace(microsecond=0),
        )


def _evidence(entries) -> list[Evidence]:
    return [Evidence(e["source"], e["quote"]) for e in entries]


def _party(data: dict) -> Party:
    return Party(data["id"], data["name"], data["kind"], tuple(data["aliases"]))


def _actor(data: dict) -> Actor:
    return Actor(data["id"], data["name"], data["party"], data["role"], tuple(data["aliases"]))


def _source(data: dict) -> Source:
    basis = DateBasis(**data["date_basis"])
    rest = {k: v for k, v in data.items() if k != "date_basis"}
    return Source(date_basis=basis, **rest)


def _round(data: dict) -> Round:
    return Round(
        id=data["id"],
        number=data["number"],
        start=data["start"],
        end=data["end"] or data["start"],
        place=data["place"],
        host=data["host"],
        delegations=tuple(Delegation(d["party"], tuple(d["members"])) for d in data["delegations"]),
        duration=data["duration"],
        outcomes=tuple(
            Outcome(o["status"], o["summary"], tuple(_evidence(o["evidence"])))
            for o in data["outcomes"]
        ),
        sources=tuple(data["sources"]),
        notes=data["notes"],
    )


def _position(data: dict, extra: list[Evidence]) -> Position:
    return Position(
        id=data["id"],
        party=data["party"],
        issue=data["issue"],
        stance=Stance.parse(data["stance"]),
        date=data["date"],
        date_precision=data["date_precision"],
        actor=data["actor"],
        summary=data["summary"],
        evidence=tuple(_evidence(data["evidence"]) + extra),
        conditions=data["conditions"],
        round=data["round"],
        dispute=data["dispute"],
    )
