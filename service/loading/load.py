"""One load of a fixture directory, in this process: files → records → cross-checks.

This is what the isolated child (service.loading.isolate) runs; nothing here is safe to
run in the serving process on untrusted files, since a file may be built to exhaust it.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from service.loading import files, yamlsubset
from service.loading.archive import Archive
from service.loading.crosscheck import CrossChecker
from service.loading.errors import FixtureError, FixtureErrors, format_path
from service.loading.validate import Item, validate
from service.model import RecordSet


@dataclass(frozen=True)
class Limits:
    """What one load may take: bytes per file, errors reported per file, and (isolated)
    each child's memory and time, and how many read files at once (None: one per CPU
    available)."""

    max_file_bytes: int = 16 << 20
    max_errors_per_file: int = 50
    memory_bytes: int = 2 << 30
    seconds: int = 120
    readers: int | None = None


DEFAULT_LIMITS = Limits()


def load_records(
    directory: str | os.PathLike,
    limits: Limits = DEFAULT_LIMITS,
    *,
    strict: bool = False,
    progress: Callable[[str], None] | None = None,
) -> RecordSet:
    """Every record of the directory, checked; raises FixtureErrors with every problem.

    ``strict``: a quote that cannot be verified (its source has no archived text) is an
    error too; otherwise such evidence is served with ``verified: false``.

    ``progress`` is told each file's name before the file is read, so that whoever
    watches the load can say which file it died on.
    """
    found, problems = files.find(directory, limits.max_file_bytes)
    loader = _Loader(found)
    digest = hashlib.sha256()
    for file in found:
        if progress is not None:
            progress(file.name)
        try:
            raw = file.path.read_bytes()
        except OSError as error:
            loader.problem(file.name, ("document",), f"cannot read: {error.strerror}", 1)
            continue
        digest.update(f"{file.name}\0".encode())
        digest.update(hashlib.sha256(raw).digest())
        loader.add(file.name, validate(file.name, raw, limits.max_errors_per_file))
    if progress is not None:
        progress("")
    archive = Archive(directory, limits.max_file_bytes)
    checker = CrossChecker(
        loader.items,
        loader.declared,
        loader.problem,
        loader.where,
        archive,
        strict=strict,
        complete=not loader.unread,
    )
    checker.also_declared(loader.refused, loader.order)
    index = checker.run()
    errors = problems + loader.errors(limits.max_errors_per_file)
    if errors:
        raise FixtureErrors(errors)
    return records_of(loader.items, index, digest.hexdigest()[:16], [f.name for f in found])


class _Loader:
    """The files' items and problems, gathered; lines are found only for problems."""

    def __init__(self, found: list[files.FixtureFile]):
        self.order = {file.name: n for n, file in enumerate(found)}
        self.texts: dict[str, str | None] = {}
        self.unexamined: dict[str, int] = {}
        self.unread = False
        self.finders: dict[str, yamlsubset.LineFinder] = {}
        self.items: dict[str, list[Item]] = defaultdict(list)
        self.declared: dict[str, set[str]] = defaultdict(set)
        # by section, every entry that names an id, refused ones included, in file order
        self.refused: dict[str, list[Item]] = defaultdict(list)
        self.problems: list[tuple[str, tuple, str, int | None]] = []

    def add(self, name: str, result) -> None:
        self.texts[name] = result.text
        self.unread = self.unread or result.unread
        if result.unexamined:
            self.unexamined[name] = result.unexamined
        for section, items in result.items.items():
            self.items[section].extend(items)
        for section, refused in result.refused.items():
            self.refused[section].extend(refused)
        for kind, ids in result.declared.items():
            self.declared[kind].update(ids)
        for path, message, line in result.problems:
            self.problem(name, path, message, line)

    def problem(self, file: str, path: tuple, message: str, line: int | None = None) -> None:
        self.problems.append((file, path, message, line))

    def finder(self, file: str) -> yamlsubset.LineFinder:
        finder = self.finders.get(file)
        if finder is None:
            finder = self.finders[file] = yamlsubset.LineFinder(self.texts.get(file) or "")
        return finder

    def line(self, file: str, path: tuple) -> int:
        return self.finder(file).line(path)

    def where(self, item: Item) -> str:
        return f"{item.file}:{self.line(item.file, item.path)}"

    def errors(self, per_file: int) -> list[FixtureError]:
        """The problems, at most ``per_file`` of each file (then a count of the rest), in
        file and line order; lines are found only for the problems reported."""
        kept, counts = [], defaultdict(int)
        for problem in self.problems:
            counts[problem[0]] += 1
            if counts[problem[0]] <= per_file:
                kept.append(problem)
        wanted = defaultdict(list)
        for file, path, _, line in kept:
            if line is None:
                wanted[file].append(path)
        lines = {file: self.finder(file).lines(paths) for file, paths in wanted.items()}
        found = [
            FixtureError(file, line if line is not None else lines[file][path],
                         format_path(path), message)
            for file, path, message, line in kept
        ]  # fmt: skip
        found.sort(key=lambda e: (self.order.get(e.file, -1), e.line or 0))
        for file, count in counts.items():
            unexamined = self.unexamined.get(file, 0)
            if count > per_file or unexamined:
                message = f"… and {max(0, count - per_file):,} more errors"
                if unexamined:
                    message += f", and {unexamined:,} more entries with errors not examined"
                last = max(i for i, e in enumerate(found) if e.file == file)
                found.insert(last + 1, FixtureError(file, 1, "(file)", message))
        return found


def records_of(items, index, version: str, names: list[str]) -> RecordSet:
    """The record set, of each id's first declaration and with corroborations merged in."""
    extra: dict[str, tuple] = defaultdict(tuple)
    for item in items["corroborations"]:
        extra[item.record.position] += item.record.evidence
    positions = tuple(
        i.record.with_evidence(extra[pid]) if pid in extra else i.record
        for pid, i in index["position"].items()
    )
    return RecordSet(
        parties=tuple(i.record for i in index["party"].values()),
        actors=tuple(i.record for i in index["actor"].values()),
        issues=tuple(i.record for i in index["issue"].values()),
        sources=tuple(i.record for i in index["source"].values()),
        rounds=tuple(i.record for i in index["round"].values()),
        positions=positions,
        version=version,
        files=tuple(names),
        retractions=tuple(i.record for i in items["retractions"]),
    )
