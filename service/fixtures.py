"""Fixture loader: YAML files → fixture schemas → cross-checks → one immutable Dataset.

Every problem is reported as ``path/to/file.yaml:LINE: field.path: message``, all of
them at once; a dataset is returned only when there are none, so nothing half-loaded
ever escapes.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import hashlib
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from marshmallow import ValidationError

from schemas.compiled import compile_schema
from schemas.fixtures import SECTIONS, FixtureFileSchema
from service import reading, yamlmarks
from service.crosscheck import KINDS, CrossChecker, Item, normalise_text, suggest
from service.dataset import Dataset

__all__ = ["FixtureError", "FixtureErrors", "load_dataset", "normalise_text", "suggest"]

FIXTURE_SUFFIXES = (".yaml", ".yml")
_DECLARED_ID = re.compile(r"^[ \t-]*id:[ \t]*([a-z0-9-]+)[ \t]*$", re.M)


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


@dataclass
class _File:
    """A fixture file; its text is read again only if a problem must be located in it."""

    display: str
    path: Path
    order: int
    finder: yamlmarks.LineFinder | None = field(default=None, repr=False)

    def line(self, path: tuple) -> int:
        if self.finder is None:
            text = self.path.read_bytes().decode("utf-8-sig", errors="replace")
            self.finder = yamlmarks.LineFinder(text)
        return self.finder.line(path)


def format_path(path: tuple) -> str:
    """``("positions", 3, "evidence", 0, "quote")`` → ``positions[3].evidence[0].quote``."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text or "(file)"


def fixture_files(directory: Path) -> list[Path]:
    """The fixture files of a directory, its sub-directories included, in name order."""
    return sorted(
        path
        for path in directory.rglob("*")
        if path.suffix in FIXTURE_SUFFIXES
        and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(directory).parts)
    )


@functools.cache
def _fast_check():
    return compile_schema(FixtureFileSchema)


def _sections(loaded: dict) -> dict[str, list]:
    """A loaded file's records, section by section (its ``about`` left out)."""
    return {section: loaded[section] for section in SECTIONS}


@functools.cache
def _fast_records():
    """A file's records, by the compiled check; raises ``Invalid`` where it does not pass.

    The fixture schemas make records as they load (``StrictSchema.record``), so helpers
    (service.reading) send back records: cheaper to unpickle than the dicts they come from.
    """
    check = _fast_check()

    def records(document: dict) -> dict[str, list]:
        return _sections(check(document))

    return records


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
    # Loading makes about ten objects per position and frees none of them: the cyclic
    # collector's passes over them would be wasted work (a third of the time at 100,000).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _Loader(directory, seeds, cache).load()
    finally:
        _age_survivors()
        if collecting:
            gc.enable()
        _release_free_memory()


def _age_survivors() -> None:
    """File what loading made under the collector's oldest generation, without a pass.

    With the collector off, every object made while loading stays in its youngest
    generation, so the first allocation after it is back on would walk all of them
    (about 0.2 s at 100,000 positions), and then again as they age. A freeze moves
    every generation's objects aside and an unfreeze puts them into the oldest, both
    without visiting them. Where something froze objects before (the server's master
    freezes its dataset before forking workers), they are left frozen.
    """
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    if not frozen_before:
        gc.unfreeze()


def _release_free_memory() -> None:
    """Hand the heap pages that loading freed back to the system (glibc only).

    The files' bytes, texts and parsed documents are freed once their records exist, but
    they lie below the records in the heap, so malloc keeps their pages: about 60 MB at
    100,000 positions, which every gunicorn worker forked afterwards would also carry.
    """
    trim = getattr(_libc(), "malloc_trim", None)
    if trim is not None:
        trim(0)


@functools.cache
def _libc():
    try:
        return ctypes.CDLL(None)
    except OSError:
        return None


class _Loader:
    def __init__(self, directory, seeds, cache):
        self.directory = str(directory)
        self.seeds = None if seeds is None else Path(seeds)
        self.cache = cache
        self.parsed: dict[bytes, dict] = {}
        self.files: dict[str, _File] = {}
        self.problems: list[tuple[str, tuple, str, int | None]] = []
        self.items: dict[str, list[Item]] = defaultdict(list)
        self.declared: dict[str, set[str]] = defaultdict(set)

    # -- reporting -------------------------------------------------------------------

    def problem(self, file: str, path: tuple, message: str, line: int | None = None) -> None:
        self.problems.append((file, path, message, line))

    def where(self, item: Item) -> str:
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
        try:
            paths = fixture_files(root)
        except OSError as error:
            raise FixtureErrors(
                [FixtureError(self.directory, None, "directory", f"cannot read: {error}")]
            ) from None
        if not paths:
            raise FixtureErrors(
                [FixtureError(self.directory, None, "directory", "no fixture files (*.yaml) found")]
            )
        files = []
        for order, path in enumerate(paths):
            display = os.path.join(self.directory, str(path.relative_to(root)))
            self.files[display] = _File(display, path, order)
            files.append((display, path))
        known = {} if self.cache is None else self.cache
        digest = hashlib.sha256()
        for display, taken in reading.take_all(files, _fast_records(), known):
            if taken.error is not None:
                message = f"cannot read: {taken.error.strerror}"
                self.problem(display, ("document",), message, line=1)
                continue
            path = self.files[display].path
            digest.update(f"{path.relative_to(root).as_posix()}\0".encode())
            digest.update(taken.sha256)
            if taken.parsed is None:
                records = known[taken.sha256]
            elif taken.parsed.checked is not None:
                records = taken.parsed.checked
            else:
                records = self.refused(display, taken.parsed)
            if records is not None:
                self.parsed[taken.sha256] = records
                self.add(display, records)
        if self.cache is not None:
            self.cache.clear()
            self.cache.update(self.parsed)
        index = CrossChecker(self.items, self.declared, self.problem, self.where, self.seeds).run()
        if self.problems:
            raise FixtureErrors(self.errors())
        return self.build(index, digest.hexdigest()[:16])

    def add(self, display: str, records: dict[str, list]) -> None:
        for section, entries in records.items():
            for index, record in enumerate(entries):
                self.items[section].append(Item(display, (section, index), record))

    def refused(self, display: str, parsed: reading.Parsed) -> dict[str, list] | None:
        """A file the compiled check did not pass: marshmallow's records of it, or None
        once its problems are reported."""
        text, document, error = parsed.text, parsed.document, parsed.error
        if isinstance(error, UnicodeDecodeError):
            self.problem(display, ("document",), f"not valid UTF-8 ({error.reason})", line=1)
            return None
        if error is not None:
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
            return _sections(FixtureFileSchema().load(document))
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
                    record = schema.load(entry)
                except (ValidationError, TypeError):
                    continue
                self.items[section].append(Item(display, (section, index), record))

    # -- building --------------------------------------------------------------------

    def build(self, index: dict[str, dict[str, Item]], version: str) -> Dataset:
        """The dataset, of each id's first declaration and with corroborations merged in."""
        extra = defaultdict(tuple)
        for item in self.items["corroborations"]:
            extra[item.record.position] += item.record.evidence
        positions = [
            i.record.with_evidence(extra[pid]) if pid in extra else i.record
            for pid, i in index["position"].items()
        ]
        return Dataset(
            parties=[i.record for i in index["party"].values()],
            actors=[i.record for i in index["actor"].values()],
            issues=[i.record for i in index["issue"].values()],
            sources=[i.record for i in index["source"].values()],
            rounds=[i.record for i in index["round"].values()],
            positions=positions,
            version=version,
            files=[str(f.path.relative_to(self.directory)) for f in self.files.values()],
            loaded_at=datetime.now(UTC).replace(microsecond=0),
        )
