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

from service.model import RecordSet, Stance


def encode(records: RecordSet) -> bytes:
    """The record set as one JSON document."""
    return orjson.dumps(records, default=_fields, option=orjson.OPT_PASSTHROUGH_DATACLASS)


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
        if all(step is None for step in steps):
            return lambda row: kind(*row)

        def record(row: list):
            return kind(*[v if c is None else c(v) for v, c in zip(row, steps, strict=True)])

        return record
    return None  # str, int, bool: JSON's own


@functools.lru_cache(maxsize=1 << 16)
def _date(text: str) -> date:
    return date.fromisoformat(text)
