"""A load run in child processes, so that no fixture file can harm the process that serves.

Each child is forked, limits its own address space, CPU time and core dumps, and sends
back framed messages; before each file it reads it sends the file's name, so that if it
dies — out of memory, killed, crashed in a parser — the parent can say which file it was
reading. The parent only ever reads those frames; it never parses a fixture file itself.

A load goes one of two ways:

- **in parallel** (every valid set): one *reader* per core reads and checks files, taking
  the next one from a queue they share (largest first), and sends back their records, so
  that the readers finish together however the cores are shared; then one *checker*, forked from
  the parent once it holds every record, runs the cross-checks and verifies the quotes
  against the archive, while the parent builds the dataset. The checker answers with the
  quotes it verified, or that something is wrong.
- **whole** (what the parallel load refuses): one child runs ``load_records`` and sends
  the records or every problem, each at its file and line. Problems are only ever
  reported this way, so a refused set gets the same messages however it was first read.

gunicorn's master reaps any child that exits (``waitpid(-1)`` on SIGCHLD), which would
take a child's exit status from us; SIGCHLD is blocked while the children run, and the
signal, still pending, reaches gunicorn after we have reaped our own.
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import heapq
import os
import resource
import select
import signal
import struct
import time
import traceback
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

import orjson

from service.config import available_cpus
from service.loading import codec, files
from service.loading.archive import Archive
from service.loading.crosscheck import CrossChecker, file_under_current_ids, issue_aliases
from service.loading.errors import FixtureError, FixtureErrors
from service.loading.load import DEFAULT_LIMITS, Limits, load_records, records_of
from service.loading.validate import Item, validate
from service.model import RECORD_KINDS, Evidence, RecordSet

_HEADER = struct.Struct("!cQ")  # kind, length
PROGRESS, FILES, RECORDS, PROBLEMS = b"F", b"D", b"R", b"E"
OUT_OF_MEMORY = 3  # a child's exit code when an allocation failed
SHARE_BYTES = 1 << 20  # a reader per this many bytes of fixtures, up to one per CPU
PIPE_BYTES = 1 << 20  # what a child may write ahead of the parent's reading
_TASK = struct.Struct("!I")  # a task of the readers' queue: the number of a group of files

Built = TypeVar("Built")


def load_isolated(
    directory: str,
    limits: Limits = DEFAULT_LIMITS,
    *,
    strict: bool = False,
    build: Callable[[RecordSet], Built] | None = None,
    readers: int | None = None,
) -> RecordSet | Built:
    """``load_records`` in child processes; raises FixtureErrors, also when a child dies.

    ``build``, if given, is applied to the record set in this process while the quotes are
    being verified, and its result returned (a record's ``verified`` flags are set once
    the checker answers). ``readers``: how many processes read the files (default: one
    per SHARE_BYTES of fixtures, up to ``limits.readers``, else up to one per CPU
    available); never more than there are files.
    """
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
    try:
        deadline = time.monotonic() + limits.seconds + 5
        loaded = _in_parallel(directory, limits, strict, build, readers, deadline)
        if loaded is not None:
            return loaded
        child = _start(_whole(directory, limits, strict), limits)
        _wait([child], limits.seconds + 5)
        records = codec.decode(_answer(child, limits, listed=True))
        return records if build is None else build(records)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


# -- the parallel load -----------------------------------------------------------------


def _in_parallel(directory, limits, strict, build, readers, deadline):
    """The set read by several readers and checked by one checker; None if any of them
    found a problem (the whole load then says what it is)."""
    found, problems = files.find(directory, limits.max_file_bytes)
    if problems:
        return None
    read: dict[str, tuple[str, dict[str, list[Item]]]] = {}
    garbled = []

    def take(body: bytes) -> None:
        """A file's records, decoded while the readers go on with the next files."""
        if not garbled:
            try:
                for name, sha, its in codec.decode_files(body):
                    read[name] = sha, its
            except Exception:  # noqa: BLE001 - not what a reader writes, whatever it is
                garbled.append(body)

    children: list[_Child] = []
    try:
        tasks, queue = _queue(found)
    except OSError as error:
        raise _cannot_start(error) from None
    try:
        for _ in range(_readers(found, readers, limits)):
            children.append(_start(_reader(tasks, queue, limits), limits, take))
    except FixtureErrors:
        for child in children:
            os.kill(child.pid, signal.SIGKILL)
        raise
    finally:
        os.close(queue)
        try:
            _wait(children, deadline - time.monotonic())
        finally:
            codec.forget_names()
    if None in [_answer(child, limits) for child in children]:
        return None
    items: dict[str, list[Item]] = defaultdict(list)
    digest = hashlib.sha256()
    try:
        if garbled:
            raise ValueError
        for file in found:
            sha, its = read[file.name]
            digest.update(f"{file.name}\0".encode())
            digest.update(bytes.fromhex(sha))
            for section, listed in its.items():
                items[section].extend(listed)
    except (ValueError, KeyError, TypeError):
        raise _failed("", "a reader sent an answer that is not records") from None
    checker = _start(_checker(items, directory, limits, strict), limits)
    try:
        file_under_current_ids(items["positions"], issue_aliases(items["issues"]))
        index = {
            kind: {item.record.id: item for item in items[section]}
            for section, kind in RECORD_KINDS.items()
        }
        names = [file.name for file in found]
        records = records_of(items, index, digest.hexdigest()[:16], names)
        built = records if build is None else build(records)
    except BaseException:
        os.kill(checker.pid, signal.SIGKILL)
        raise
    finally:
        _wait([checker], deadline - time.monotonic())
    verified = _answer(checker, limits)
    if verified is None:
        return None
    pieces = list(_pieces(items))
    if len(verified) != len(pieces):
        raise _failed("", "the checker's answer does not match the records")
    for piece, flag in zip(pieces, verified, strict=True):
        piece.verified = flag == 1
    return built


def _readers(found: list[files.FixtureFile], readers: int | None, limits: Limits) -> int:
    """How many readers (see ``load_isolated``)."""
    if readers is None:
        most = limits.readers or available_cpus()
        readers = min(most, 1 + sum(file.size for file in found) // SHARE_BYTES)
    return max(1, min(readers, len(found)))


def _queue(found: list[files.FixtureFile]) -> tuple[list[list[files.FixtureFile]], int]:
    """The readers' tasks, and the read end of a pipe holding their numbers (its write end
    closed): each reader takes the next task by reading one number, until the pipe is
    empty. A read of a few bytes from a pipe is whole, so no two readers take the same
    task. Every number is written before any reader starts: there are at most as many
    tasks as the pipe holds numbers, so the writing never waits."""
    read_end, write_end = os.pipe()
    try:
        try:
            room = fcntl.fcntl(write_end, fcntl.F_GETPIPE_SZ)
        except (AttributeError, OSError):  # another system: the least a pipe holds
            room = select.PIPE_BUF
        tasks = _tasks(found, max(1, room // _TASK.size))
        data = b"".join(_TASK.pack(n) for n in range(len(tasks)))
        while data:
            data = data[os.write(write_end, data) :]
    except BaseException:
        os.close(read_end)
        raise
    finally:
        os.close(write_end)
    return tasks, read_end


def _tasks(found: list[files.FixtureFile], most: int) -> list[list[files.FixtureFile]]:
    """The files in groups, largest first: a group per file, or, for a set of more files
    than ``most``, ``most`` groups of about equal size (each next file into the lightest)."""
    ordered = sorted(found, key=lambda file: file.size, reverse=True)
    if len(ordered) <= most:
        return [[file] for file in ordered]
    tasks: list[list[files.FixtureFile]] = [[] for _ in range(most)]
    sizes = [(0, n) for n in range(most)]  # a heap of (size so far, task)
    for file in ordered:
        size, lightest = heapq.heappop(sizes)
        tasks[lightest].append(file)
        heapq.heappush(sizes, (size + file.size, lightest))
    return tasks


def _reader(
    tasks: list[list[files.FixtureFile]], queue: int, limits: Limits
) -> Callable[[int], None]:
    """A child's work: take tasks from the queue until it is empty, check each file of a
    task on its own and send its records, then that it is done; at the first problem,
    send only that there is one."""

    def work(out: int) -> None:
        while taken := os.read(queue, _TASK.size):
            for file in tasks[_TASK.unpack(taken)[0]]:
                _send(out, PROGRESS, file.name.encode())
                try:
                    raw = file.path.read_bytes()
                except OSError:
                    return _send(out, PROBLEMS, b"")
                result = validate(file.name, raw, limits.max_errors_per_file)
                if result.problems or result.refused or result.unread or result.unexamined:
                    return _send(out, PROBLEMS, b"")
                digest = hashlib.sha256(raw).hexdigest()
                _send(out, FILES, codec.encode_files([(file.name, digest, result.items)]))
        _send(out, PROGRESS, b"")
        _send(out, RECORDS, b"")

    return work


def _checker(items, directory: str, limits: Limits, strict: bool) -> Callable[[int], None]:
    """A child's work: the cross-checks and the archive over every record, which it holds
    as the parent did when it forked; it sends a byte per quote, 1 if verified."""

    def work(out: int) -> None:
        problems = []
        CrossChecker(
            items,
            {},
            lambda *problem: problems.append(problem),
            lambda item: item.file,  # where an id was first declared: only for a problem
            Archive(directory, limits.max_file_bytes),
            strict=strict,
        ).run()
        if problems:
            return _send(out, PROBLEMS, b"")
        _send(out, RECORDS, bytes(piece.verified for piece in _pieces(items)))

    return work


def _pieces(items: dict[str, list[Item]]) -> Iterator[Evidence]:
    """Every quote of the records, in one order: the rounds' outcomes', the positions',
    the corroborations'."""
    for item in items.get("rounds", ()):
        for outcome in item.record.outcomes:
            yield from outcome.evidence
    for section in ("positions", "corroborations"):
        for item in items.get(section, ()):
            yield from item.record.evidence


# -- the whole load --------------------------------------------------------------------


def _whole(directory: str, limits: Limits, strict: bool) -> Callable[[int], None]:
    """A child's work: ``load_records``, sending the records or every problem."""

    def work(out: int) -> None:
        try:
            records = load_records(
                directory,
                limits,
                strict=strict,
                progress=lambda name: _send(out, PROGRESS, name.encode()),
            )
        except FixtureErrors as failure:
            _send(out, PROBLEMS, orjson.dumps([error.as_dict() for error in failure.errors]))
        else:
            _send(out, RECORDS, codec.encode(records))

    return work


# -- children and their frames ---------------------------------------------------------


@dataclass
class _Child:
    """A child process, the read end of its pipe, and what it has said so far."""

    pid: int
    pipe: int
    buffer: bytearray = field(default_factory=bytearray)
    reading: str = ""  # the file it said it was reading last
    outcome: tuple[bytes, bytes] | None = None
    status: int = 0
    timed_out: bool = False
    on_files: Callable[[bytes], None] | None = None  # told each FILES frame as it comes

    def take(self, chunk: bytes) -> None:
        buffer = self.buffer
        buffer += chunk
        start = 0  # the frames taken are cut from the buffer once, not one by one
        while len(buffer) - start >= _HEADER.size:
            kind, length = _HEADER.unpack_from(buffer, start)
            end = start + _HEADER.size + length
            if len(buffer) < end:
                break
            body = bytes(buffer[start + _HEADER.size : end])
            start = end
            if kind == PROGRESS:
                self.reading = body.decode(errors="replace")
            elif kind == FILES and self.on_files is not None:
                self.on_files(body)
            else:
                self.outcome = kind, body
        del buffer[:start]


def _start(
    work: Callable[[int], None],
    limits: Limits,
    on_files: Callable[[bytes], None] | None = None,
) -> _Child:
    """Fork a child that runs ``work`` under limits, writing to a pipe; never returns in it."""
    try:
        read_end, write_end = os.pipe()
        _widen(write_end)
        pid = os.fork()
    except OSError as error:  # no process or pipe to be had: a reload fails, not the server
        raise _cannot_start(error) from None
    if pid == 0:  # pragma: no cover - the child; covered by the tests through its output
        code = 0
        try:
            os.close(read_end)
            signal.pthread_sigmask(signal.SIG_SETMASK, set())
            # nothing the work makes outlives this process: the collector would only walk
            # the records (and copy the parent's pages it touches) to find nothing
            gc.disable()
            _limit(limits)
            work(write_end)
        except MemoryError:
            code = OUT_OF_MEMORY
        except BaseException:  # a bug, not a bad file: its traceback goes to the logs
            traceback.print_exc()
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    return _Child(pid, read_end, on_files=on_files)


def _cannot_start(error: OSError) -> FixtureErrors:
    message = f"cannot start the process that reads the fixtures: {error.strerror}"
    return FixtureErrors([FixtureError(".", None, "directory", message)])


def _widen(pipe: int) -> None:
    """Let a child write a megabyte ahead of the parent (Linux; 64 kB otherwise): a reader
    then goes on with its next files while the parent decodes another reader's."""
    try:
        fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (AttributeError, OSError):  # another system, or over /proc/sys/fs/pipe-max-size
        pass


def _limit(limits: Limits) -> None:
    """Cap this process's further memory and its CPU time, and leave no core dump."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    with open("/proc/self/statm") as statm:
        in_use = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    memory = in_use + limits.memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.seconds, limits.seconds + 1))


def _send(out: int, kind: bytes, body: bytes) -> None:
    data = memoryview(_HEADER.pack(kind, len(body)) + body)
    while data:
        data = data[os.write(out, data) :]


def _wait(children: list[_Child], seconds: float) -> None:
    """Read the children's frames until each closes its end (those still open after
    ``seconds`` are killed), then reap them all."""
    deadline = time.monotonic() + seconds
    open_ = {child.pipe: child for child in children}
    try:
        while open_:
            left = deadline - time.monotonic()
            ready = select.select(list(open_), [], [], left)[0] if left > 0 else []
            if not ready:
                for child in open_.values():
                    child.timed_out = True
                    os.kill(child.pid, signal.SIGKILL)
                break
            for pipe in ready:
                chunk = os.read(pipe, 1 << 20)
                if chunk:
                    open_[pipe].take(chunk)
                else:
                    del open_[pipe]
    finally:
        for child in children:
            os.close(child.pipe)
            child.status = os.waitpid(child.pid, 0)[1]


def _answer(child: _Child, limits: Limits, *, listed: bool = False) -> bytes | None:
    """The body of the child's records, or FixtureErrors: why it stopped and on which file.
    A child that found problems: FixtureErrors of them if it ``listed`` them (the whole
    load), else None (a reader or the checker only says that there is one)."""
    if child.outcome is not None and not child.timed_out:
        kind, body = child.outcome
        if kind == RECORDS:
            return body
        if not listed:
            return None
        raise FixtureErrors([FixtureError.from_dict(error) for error in orjson.loads(body)])
    if child.timed_out:
        why = f"took longer than {limits.seconds} s (PARLEY_LOAD_SECONDS); stopped"
    else:
        why = _died(child.status, limits)
    raise _failed(child.reading, f"the load stopped while reading this file: {why}")


def _failed(file: str, message: str) -> FixtureErrors:
    return FixtureErrors([FixtureError(file or ".", 1 if file else None, "(file)", message)])


def _died(status: int, limits: Limits) -> str:
    """Why a child ended without an answer, in words."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number == signal.SIGXCPU:
            return f"used more than {limits.seconds} s of CPU time (PARLEY_LOAD_SECONDS)"
        if number == signal.SIGKILL:
            return "killed (out of memory, or stopped by the system)"
        return f"the reader crashed ({signal.Signals(number).name})"
    code = os.WEXITSTATUS(status)
    if code == OUT_OF_MEMORY:
        return f"out of memory (over {limits.memory_bytes >> 20} MB, PARLEY_LOAD_MEMORY_MB)"
    return f"the reader failed (exit status {code}); the server's log has the details"
