"""A record set as JSON and back: what the isolated load sends to the serving process.

JSON, not pickle: the serving process builds records from plain values with the model's
own constructors, so whatever happened in the child that read the files, nothing it
sends can run code here. Each record is written as an array of its fields, in the
dataclass's order (half the bytes of an object, and parsed faster), and read back field
by field, converted by the field's declared type.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import types
import typing
from datetime import date
from typing import Any

import orjson

from service.loading.validate import Item
from service.model import (
    Actor,
    Corroboration,
    Issue,
    Party,
    Position,
    RecordSet,
    Retraction,
    Round,
    Source,
    Stance,
)

# the record each section of a fixture file holds (schemas.fixtures.SECTIONS)
SECTION_RECORDS = {
    "parties": Party,
    "actors": Actor,
    "issues": Issue,
    "sources": Source,
    "rounds": Round,
    "positions": Position,
    "corroborations": Corroboration,
    "retractions": Retraction,
}


def encode(records: RecordSet) -> bytes:
    """The record set as one JSON document."""
    return orjson.dumps(records, default=_fields, option=orjson.OPT_PASSTHROUGH_DATACLASS)


def encode_files(files: list[tuple[str, str, dict[str, list[Item]]]]) -> bytes:
    """Files' checked items, each file as ``[name, sha256, {section: [[index, record]]}]``:
    what a reader of part of the files sends (service.loading.isolate)."""
    return orjson.dumps(
        [
            [name, digest, {s: [[i.path[1], i.record] for i in its] for s, its in items.items()}]
            for name, digest, items in files
        ],
        default=_fields,
        option=orjson.OPT_PASSTHROUGH_DATACLASS,
    )


def decode_files(data: bytes) -> list[tuple[str, str, dict[str, list[Item]]]]:
    """The files that ``encode_files`` wrote, each item back at its file and path. The
    names of other records are kept once across calls, until ``forget_names``."""
    found = []
    for name, digest, sections in orjson.loads(data):
        items = {}
        for section, rows in sections.items():
            record = _converter(SECTION_RECORDS[section])
            items[section] = [Item(name, (section, n), record(row)) for n, row in rows]
        found.append((name, digest, items))
    return found


def forget_names() -> None:
    """Let go of the names ``decode_files`` kept once (see SHARED_FIELDS)."""
    _SHARED.clear()


def _fields(value) -> tuple:
    """A dataclass as the tuple of its fields, which orjson writes as an array (enums,
    dates and nested records included, the latter through this function again)."""
    if dataclasses.is_dataclass(value):
        return _getter(type(value))(value)
    raise TypeError(f"{type(value).__name__} is not a record")


@functools.cache
def _getter(kind: type):
    names = _names(kind)
    get = operator.attrgetter(*names)
    return get if len(names) > 1 else (lambda value: (get(value),))


def decode(data: bytes) -> RecordSet:
    """The record set that ``encode`` wrote."""
    try:
        return _converter(RecordSet)(orjson.loads(data))
    finally:
        _SHARED.clear()


# Fields that name another record or a term of the format: a few hundred distinct values
# repeated over every position and quote. Each distinct value is kept once: about 35 MB of
# strings fewer at 100,000 positions (measured: the server's RSS about 10 MB lower, a
# worker's up to 60 MB, as the freed room is reused).
SHARED_FIELDS = frozenset(("party", "issue", "actor", "round", "source", "date_precision"))
_SHARED: dict[str, str] = {}
_shared = _SHARED.setdefault


def _one_copy(value: str | None) -> str | None:
    return None if value is None else _shared(value, value)


@functools.cache
def _names(kind: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(kind))


@functools.cache
def _converter(kind: Any):
    """A function making a JSON value into a value of the type ``kind`` (None: as it is)."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        inner = [_converter(arm) for arm in typing.get_args(kind) if arm is not type(None)]
        convert = inner[0]
        return None if convert is None else (lambda v: None if v is None else convert(v))
    if origin is tuple:
        item = _converter(typing.get_args(kind)[0])
        return tuple if item is None else (lambda v: tuple(map(item, v)))
    if kind is date:
        return _date
    if kind is Stance:
        return Stance.parse
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        steps = [
            _one_copy if name in SHARED_FIELDS and hints[name] in (str, str | None)
            else _converter(hints[name])
            for name in _names(kind)
        ]  # fmt: skip
        return _record_maker(kind, hints, steps)
    return None  # str, int, bool: JSON's own


def _record_maker(kind: type, hints: dict, steps: list):
    """A function ``row → kind(...)``, written out for the record's fields: a field passed
    as it is, kept once (``_shared``), or converted. A row of another length is refused
    (ValueError), so that nothing but what ``encode`` wrote makes a record."""
    names = [f"v{n}" for n in range(len(steps))]
    arguments = []
    for name, step, field_name in zip(names, steps, _names(kind), strict=True):
        if step is None:
            arguments.append(name)
        elif step is _one_copy and hints[field_name] is str:
            arguments.append(f"shared({name}, {name})")
        else:
            arguments.append(f"c_{name}({name})")
    namespace = {f"c_{n}": step for n, step in zip(names, steps, strict=True) if step}
    namespace |= {"kind": kind, "shared": _shared}
    unpack = ", ".join(names) + ("," if len(names) == 1 else "")
    source = f"def record(row):\n    {unpack} = row\n    return kind({', '.join(arguments)})\n"
    exec(compile(source, f"<decode {kind.__name__}>", "exec"), namespace)  # noqa: S102
    return namespace["record"]


@functools.lru_cache(maxsize=1 << 16)
def _date(text: str) -> date:
    return date.fromisoformat(text)
