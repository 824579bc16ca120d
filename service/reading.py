"""Reading many fixture files at once: a large set is shared with forked helper processes.

Parsing and checking take most of a large load, and both are pure functions of a file's
bytes. When a set is large (``SHARE_MIN_BYTES``), helper processes, forked one per spare
core, each take a share of the files, parse and check them, and send back what the
compiled check returned, while this process reads the first share. Reading those
pickled dicts back costs this process about a fifth of parsing and checking them.
(Threads do not pay: yaml-rs lets go of the GIL only while it scans, and building the
documents and checking them holds it; measured, a parse thread saved less than a helper
and slowed the helper down when both ran.)

A helper only ever handles the happy path. A file it cannot parse or check comes back as
``None`` and the caller reads it again itself, so every problem is reported by the same
code, with the same file, line and message, whichever process met it first. A helper
that dies or does not answer in time is ignored in the same way: its files are read
again here. Helpers are forked on Linux only.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from schemas.compiled import Invalid
from service import yamlmarks

SHARE_MIN_BYTES = 2 << 20  # a set smaller than this is read in this process only
HELPERS = min(3, (os.cpu_count() or 1) - 1)
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


def read_all(files: Sequence[tuple[Any, bytes | None]], check: Check) -> Iterator[tuple]:
    """``(key, read(raw))`` for each ``(key, raw)`` in order; ``(key, None)`` where raw is None.

    ``check`` is the compiled fixture check; helpers run ``read`` on their share.
    """
    shares = _shares(files)
    helpers = [_Helper([raw for _, raw in share], check) for share in shares[1:]]
    try:
        for key, raw in shares[0]:
            yield key, None if raw is None else read(raw, check)
        for helper, share in zip(helpers, shares[1:], strict=True):
            results = helper.results()
            for key, raw in share:
                checked = None if raw is None else next(results, None)
                if raw is None:
                    yield key, None
                elif checked is None:
                    yield key, read(raw, check)
                else:
                    yield key, Parsed(checked=checked)
    finally:  # also when the caller stops early: no helper outlives the load
        for helper in helpers:
            helper.close()


def _shares(files: Sequence[tuple[Any, bytes | None]]) -> list[Sequence]:
    """The files cut into runs of about equal bytes: this process's, then each helper's.

    (Profiled at 100,000 positions on two cores, equal runs finish together: a helper's
    pickling of its results costs about what this process's building of records does.)
    """
    total = sum(len(raw) for _, raw in files if raw is not None)
    if total < SHARE_MIN_BYTES or HELPERS < 1 or not _can_fork():
        return [files]
    bounds = [total * n / (HELPERS + 1) for n in range(1, HELPERS + 1)]
    shares, start, done = [], 0, 0
    for index, (_, raw) in enumerate(files):
        done += 0 if raw is None else len(raw)
        if len(shares) < len(bounds) and done >= bounds[len(shares)]:
            shares.append(files[start : index + 1])
            start = index + 1
    shares.append(files[start:])
    return shares


def _can_fork() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _check_share(raws: list[bytes | None], check: Check, sender) -> None:
    """In a helper: each file's checked sections, or None where the parent must look.

    One message for the whole share: pickled together, the files share their ids and
    dates, which per-file messages would copy.
    """
    results = [read(raw, check).checked for raw in raws if raw is not None]
    sender.send_bytes(pickle.dumps(results, pickle.HIGHEST_PROTOCOL))
    sender.close()


class _Helper:
    """A forked process checking a share of the files (see the module's doc)."""

    def __init__(self, raws: list[bytes | None], check: Check):
        context = multiprocessing.get_context("fork")
        self.receiver, sender = context.Pipe(duplex=False)
        mib = sum(len(raw) for raw in raws if raw is not None) / (1 << 20)
        self.timeout = HELPER_TIMEOUT_S + HELPER_TIMEOUT_S_PER_MIB * mib
        self.process = context.Process(
            target=_check_share, args=(raws, check, sender), name="parley-check", daemon=True
        )
        self.process.start()
        sender.close()  # only the helper holds the sending end: its exit is our EOF

    def results(self) -> Iterator:
        """The helper's results in order, one per file it was given bytes for; none at all
        if it died or did not answer within its timeout."""
        try:
            if self.receiver.poll(self.timeout):
                yield from pickle.loads(self.receiver.recv_bytes())
        except (EOFError, OSError):
            pass
        finally:
            self.close()

    def close(self) -> None:
        """Stop listening, and make sure the helper has exited (killed if need be)."""
        self.receiver.close()
        self.process.join(1)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(1)
