"""Reading many fixture files at once: a large set is shared with forked helper processes.

Parsing and checking take most of a large load, and both are pure functions of a file's
bytes. When a set is large (``SHARE_MIN_BYTES``), helper processes, forked one per spare
core, each take a share of the files, read, hash, parse and check them, and send back
what the compiled check returned (records), while this process takes the first share.
Unpickling those records still costs this process a good part of what making them
would, so a helper sends its results in chunks as it goes: this process takes in the first ones
while the helper still checks the last, and only the last chunk is left for after.
(Threads do not pay: yaml-rs lets go of the GIL only while it scans, and building the
documents and checking them holds it; measured, a parse thread saved less than a helper
and slowed the helper down when both ran.)

A helper only ever handles the happy path. A file it cannot parse or check comes back as
``None`` and the caller reads it again itself, so every problem is reported by the same
code, with the same file, line and message, whichever process met it first. A helper
that dies or does not answer in time is ignored in the same way: the files it has not
answered for are read again here. Helpers are forked on Linux only.
"""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import multiprocessing.connection  # used by Pipe: imported with the module, not mid-load
import os
import pickle
import sys
from collections.abc import Callable, Container, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from schemas.compiled import Invalid
from service import yamlmarks

SHARE_MIN_BYTES = 2 << 20  # a set smaller than this is read in this process only
HELPERS = min(3, (os.cpu_count() or 1) - 1)
OWN_WEIGHT = 1.1  # this process's share of the bytes, against one helper's (see _shares)
CHUNKS = 8  # messages a helper sends its share's results in, each as soon as it is ready
# a helper that has not answered after this long (plus per MiB of its share) is given up
HELPER_TIMEOUT_S, HELPER_TIMEOUT_S_PER_MIB = 30.0, 2.0

Check = Callable[[dict], Any]


@dataclass(slots=True)
class Parsed:
    """One file read: its text and YAML document, or why it could not be read.

    ``checked`` is what the compiled check returned, when a helper already ran it.
    """

    text: str | None = None
    document: Any = None
    error: Exception | None = None
    checked: Any = None


def parse(raw: bytes) -> Parsed:
    """A file's text and YAML document, or the error that stopped reading it."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return Parsed(error=error)
    try:
        return Parsed(text, yamlmarks.parse(text))
    except yaml.YAMLError as error:
        return Parsed(text, error=error)


def read(raw: bytes, check: Check) -> Parsed:
    """``parse``, then ``check`` on the document; ``checked`` is set only if it passes."""
    parsed = parse(raw)
    document = {} if parsed.document is None else parsed.document
    if parsed.error is None and isinstance(document, dict):
        try:
            parsed.checked = check(document)
        except Invalid:
            pass
    return parsed


@dataclass(slots=True)
class Taken:
    """One file taken from disk: its bytes' SHA-256 and what reading them gave.

    ``parsed`` is None where the bytes were among those ``known`` already (the caller
    keeps their records), and ``error`` is set instead when the file could not be read.
    """

    sha256: bytes | None = None
    parsed: Parsed | None = None
    error: OSError | None = None


def take(path: Path, check: Check, known: Container[bytes] = ()) -> Taken:
    """Read the file at ``path``, hash its bytes, and ``read`` them unless ``known``."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return Taken(error=error)
    sha256 = hashlib.sha256(raw).digest()
    return Taken(sha256) if sha256 in known else Taken(sha256, read(raw, check))


def take_all(
    files: Sequence[tuple[Any, Path]], check: Check, known: Container[bytes] = ()
) -> Iterator[tuple[Any, Taken]]:
    """``(key, take(path, check, known))`` for each ``(key, path)``, in order.

    ``check`` is the compiled fixture check; helpers take their share of the files.
    """
    sizes = {path: _size(path) for _, path in files}
    shares = _shares(files, sizes.__getitem__)
    helpers = [_Helper(share, sizes, check, known) for share in shares[1:]]
    try:
        for key, path in shares[0]:
            yield key, take(path, check, known)
        for helper, share in zip(helpers, shares[1:], strict=True):
            results = helper.results()
            for key, path in share:
                sha256, checked = next(results, (None, None))
                if sha256 is None or (checked is None and sha256 not in known):
                    yield key, take(path, check, known)  # what the helper could not do
                elif checked is None:
                    yield key, Taken(sha256)
                else:
                    yield key, Taken(sha256, Parsed(checked=checked))
    finally:  # also when the caller stops early: no helper outlives the load
        for helper in helpers:
            helper.close()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _shares(
    files: Sequence[tuple[Any, Path]], size: Callable[[Path], int] = _size
) -> list[Sequence]:
    """The files cut into runs by bytes: this process's, then each helper's.

    This process's run is ``OWN_WEIGHT`` times a helper's, measured on two cores: a helper
    also pickles the records it makes, and this process unpickles them as they come and
    then does the cross-checks and the dataset's indexes alone.
    """
    sizes = [size(path) for _, path in files]
    if sum(sizes) < SHARE_MIN_BYTES or HELPERS < 1 or not _can_fork():
        return [files]
    return _cut(files, sizes, [OWN_WEIGHT] + [1.0] * HELPERS)


def _cut(items: Sequence, sizes: list[int], weights: list[float]) -> list[Sequence]:
    """``items`` in consecutive runs whose ``sizes`` add up about in proportion to ``weights``."""
    total = sum(sizes)
    bounds, reached = [], 0.0
    for weight in weights[:-1]:
        reached += weight
        bounds.append(total * reached / sum(weights))
    runs, start, done = [], 0, 0
    for index, size in enumerate(sizes):
        done += size
        if len(runs) < len(bounds) and done >= bounds[len(runs)]:
            runs.append(items[start : index + 1])
            start = index + 1
    runs.append(items[start:])
    runs.extend([] for _ in range(len(weights) - len(runs)))
    return runs


def _can_fork() -> bool:
    return (
        sys.platform.startswith("linux")
        and "fork" in multiprocessing.get_all_start_methods()
        and hasattr(os, "memfd_create")
    )


def _check_share(chunks: list[list[Path]], check: Check, known, store: int, sender) -> None:
    """In a helper: per file, its SHA-256 and checked sections, None where the parent must
    look (a file unreadable, refused by the check, or whose bytes it knows already).

    Each chunk's results are pickled into ``store`` (a memory file) as soon as they are
    ready, and their place there sent to the parent: writing there never waits for the
    parent to read, as a pipe's small buffer would. All chunks come from one pickler,
    whose memo lasts across them, so an id or date already sent is sent again only as a
    reference to the same object.
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    offset = 0
    for chunk in chunks:
        results = []
        for path in chunk:
            taken = take(path, check, known)
            results.append((taken.sha256, taken.parsed and taken.parsed.checked))
        pickler.dump(results)
        data = buffer.getbuffer()
        written = 0
        while written < len(data):
            written += os.write(store, data[written:])
        del data
        sender.send((offset, written))
        offset += written
        buffer.seek(0)
        buffer.truncate()
    sender.close()


class _Messages(io.RawIOBase):
    """The bytes of one message after another, for one unpickler to read them all."""

    def __init__(self):
        self.current = io.BytesIO()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        return self.current.readinto(buffer)

    def readline(self, size=-1) -> bytes:
        return self.current.readline(size)

    def read(self, size=-1) -> bytes:
        return self.current.read(size)


class _Helper:
    """A forked process checking a share of the files (see the module's doc)."""

    def __init__(self, share: Sequence[tuple[Any, Path]], size: dict[Path, int], check, known):
        context = multiprocessing.get_context("fork")
        self.receiver, sender = context.Pipe(duplex=False)
        paths = [path for _, path in share]
        sizes = [size[path] for path in paths]
        self.timeout = HELPER_TIMEOUT_S + HELPER_TIMEOUT_S_PER_MIB * sum(sizes) / (1 << 20)
        chunks = [chunk for chunk in _cut(paths, sizes, [1.0] * CHUNKS) if chunk]
        self.store = os.memfd_create("parley-check")
        self.process = context.Process(
            target=_check_share,
            args=(chunks, check, known, self.store, sender),
            name="parley-check",
            daemon=True,
        )
        self.process.start()
        sender.close()  # only the helper holds the sending end: its exit is our EOF

    def results(self) -> Iterator:
        """The helper's ``(sha256, checked)`` per file, in order; they stop early if it
        died or did not answer within its timeout."""
        messages = _Messages()
        unpickler = pickle.Unpickler(messages)
        try:
            while self.receiver.poll(self.timeout):
                offset, length = self.receiver.recv()
                messages.current = io.BytesIO(os.pread(self.store, length, offset))
                yield from unpickler.load()
        except (EOFError, OSError, pickle.UnpicklingError):
            pass
        finally:
            self.close()

    def close(self) -> None:
        """Stop listening, and make sure the helper has exited (killed if need be)."""
        self.receiver.close()
        if self.store >= 0:
            os.close(self.store)
            self.store = -1
        self.process.join(1)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(1)
