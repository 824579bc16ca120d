"""A load run in a child process, so that no fixture file can harm the process that serves.

The child is forked, limits its own address space, CPU time and core dumps, runs
``load_records`` and sends back one framed message: the records as JSON, or the list of
problems. Before each file it sends the file's name, so that if it dies — out of
memory, killed, crashed in a parser — the parent can say which file it was reading.
The parent only ever reads those frames; it never parses a fixture file itself.

gunicorn's master reaps any child that exits (``waitpid(-1)`` on SIGCHLD), which would
take the child's exit status from us; SIGCHLD is blocked while the child runs, and the
signal, still pending, reaches gunicorn after we have reaped our own child.
"""

from __future__ import annotations

import gc
import os
import resource
import select
import signal
import struct
import time
import traceback

import orjson

from service.loading import codec
from service.loading.errors import FixtureError, FixtureErrors
from service.loading.load import DEFAULT_LIMITS, Limits, load_records
from service.model import RecordSet

_HEADER = struct.Struct("!cQ")  # kind, length
PROGRESS, RECORDS, PROBLEMS = b"F", b"R", b"E"
OUT_OF_MEMORY = 3  # the child's exit code when an allocation failed


def load_isolated(
    directory: str, limits: Limits = DEFAULT_LIMITS, *, strict: bool = False
) -> RecordSet:
    """``load_records`` in a child process; raises FixtureErrors, also when the child dies."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
    try:
        try:
            read_end, write_end = os.pipe()
            pid = os.fork()
        except OSError as error:  # no process or pipe to be had: a reload fails, not the server
            message = f"cannot start the process that reads the fixtures: {error.strerror}"
            raise FixtureErrors([FixtureError(".", None, "directory", message)]) from None
        if pid == 0:  # pragma: no cover - the child; covered by the tests through its output
            os.close(read_end)
            _child(write_end, directory, limits, strict)
        os.close(write_end)
        return _parent(read_end, pid, limits)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def _child(out: int, directory: str, limits: Limits, strict: bool) -> None:
    """Run the load under limits and send its outcome; never returns."""
    code = 0
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, set())
        # nothing the load makes outlives this process: the collector would only walk the
        # records (and copy the parent's pages it touches) to find nothing
        gc.disable()
        _limit(limits)
        try:
            records = load_records(
                directory,
                limits,
                strict=strict,
                progress=lambda n: _send(out, PROGRESS, n.encode()),
            )
        except FixtureErrors as failure:
            body = orjson.dumps([error.as_dict() for error in failure.errors])
            _send(out, PROBLEMS, body)
        else:
            _send(out, RECORDS, codec.encode(records))
    except MemoryError:
        code = OUT_OF_MEMORY
    except BaseException:  # a bug, not a bad file: its traceback goes to the logs
        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)


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


def _parent(read_end: int, pid: int, limits: Limits) -> RecordSet:
    """Read the child's frames until it closes its end, then reap it and say what it gave."""
    buffer, reading, outcome = bytearray(), "", None
    deadline = time.monotonic() + limits.seconds + 5
    timed_out = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([read_end], [], [], left)[0]:
                timed_out = True
                os.kill(pid, signal.SIGKILL)
                break
            chunk = os.read(read_end, 1 << 20)
            if not chunk:
                break
            buffer += chunk
            while len(buffer) >= _HEADER.size:
                kind, length = _HEADER.unpack_from(buffer)
                if len(buffer) < _HEADER.size + length:
                    break
                body = bytes(buffer[_HEADER.size : _HEADER.size + length])
                del buffer[: _HEADER.size + length]
                if kind == PROGRESS:
                    reading = body.decode()
                else:
                    outcome = kind, body
    finally:
        os.close(read_end)
        _, status = os.waitpid(pid, 0)
    if outcome is not None and not timed_out:
        kind, body = outcome
        if kind == RECORDS:
            return codec.decode(body)
        raise FixtureErrors([FixtureError.from_dict(error) for error in orjson.loads(body)])
    if timed_out:
        why = f"took longer than {limits.seconds} s (PARLEY_LOAD_SECONDS); stopped"
    else:
        why = _died(status, limits)
    message = f"the load stopped while reading this file: {why}"
    raise FixtureErrors([FixtureError(reading or ".", 1 if reading else None, "(file)", message)])


def _died(status: int, limits: Limits) -> str:
    """Why the child ended without an answer, in words."""
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
