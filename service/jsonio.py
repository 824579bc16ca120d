"""Flask's JSON, written by orjson: several times faster on large snapshots and timelines.

Responses keep Flask's sorted keys; non-ASCII text is written as UTF-8, not escaped.
"""

from __future__ import annotations

from typing import Any

import orjson
from flask.json.provider import JSONProvider

_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def dumps(obj: Any) -> bytes:
    """``obj`` as compact, key-sorted UTF-8 JSON."""
    return orjson.dumps(obj, option=_OPTIONS)


class OrjsonProvider(JSONProvider):
    """A JSONProvider for ``app.json``; orjson serializes dates, enums and dataclasses too."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return dumps(obj).decode()

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)

    def response(self, *args: Any, **kwargs: Any):
        obj = self._prepare_response_obj(args, kwargs)
        return self._app.response_class(dumps(obj) + b"\n", mimetype="application/json")
