"""One fixture file's text made into records by the fixture schemas, or its problems.

Valid files, the common case, go through the compiled checker (schemas.compiled), which
makes the same records as marshmallow in a fraction of the time. A file it refuses is
loaded again by marshmallow itself, which says every problem of the file, with field
paths; its valid entries are kept, so that the cross-checks report everything at once.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from marshmallow import ValidationError

from schemas.compiled import Invalid, compile_schema
from schemas.fixtures import SECTIONS, FixtureFileSchema
from service.loading import yamlsubset
from service.model import RECORD_KINDS
from service.text import did_you_mean

_DECLARED_ID = re.compile(r"^[ \t-]*id:[ \t]*([a-z0-9-]+)[ \t]*$", re.M)
PLACEHOLDER = "TODO"
_TODO = re.compile(r"TODO\b[\s:]*(.*)\Z", re.S)


@dataclass(slots=True)
class Item:
    """A record and where it was declared: its file and its field path there."""

    file: str
    path: tuple
    record: object


@dataclass(frozen=True, slots=True)
class Refused:
    """An entry its schema refused, kept for its id: a later entry with the same id is
    still a duplicate, whatever else is wrong with the first."""

    id: str


@dataclass
class FileResult:
    """What one file gave: its items by section, the ids it declares, and its problems.

    A problem is ``(path, message, line)``; ``line`` is None where ``line_of`` finds it.
    ``refused`` holds, by section, the entries that failed their schema but name an id.
    """

    items: dict[str, list[Item]] = field(default_factory=dict)
    refused: dict[str, list[Item]] = field(default_factory=dict)
    declared: dict[str, set[str]] = field(default_factory=dict)
    problems: list[tuple[tuple, str, int | None]] = field(default_factory=list)
    text: str | None = None


@functools.cache
def _compiled() -> Callable[[dict], dict]:
    return compile_schema(FixtureFileSchema)


def validate(name: str, raw: bytes) -> FileResult:
    """The records of one file's bytes, or every problem found in them."""
    result = FileResult()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        result.problems.append((("document",), f"not valid UTF-8 ({error.reason})", line))
        return result
    result.text = text
    try:
        document = yamlsubset.read(text)
    except yamlsubset.YamlProblems as refused:
        for problem in refused.problems:
            result.problems.append((("yaml",), problem.message, problem.line))
        # What the unreadable file seems to declare is not reported as unknown elsewhere:
        # one unclosed bracket should give one error, not one per reference to the file.
        ids = set(_DECLARED_ID.findall(text))
        result.declared = {kind: ids for kind in RECORD_KINDS.values()}
        return result
    if document is None:
        document = {}
    if not isinstance(document, dict):
        message = "expected a mapping of sections: " + ", ".join(SECTIONS)
        result.problems.append((("document",), message, None))
        return result
    todos = placeholders(document) if PLACEHOLDER in text else {}
    if not todos:
        try:
            checked = _compiled()(document)
        except Invalid:
            checked = None
        if checked is not None:
            _add(result, name, {section: checked[section] for section in SECTIONS})
            return result
    document = _string_keys(document)
    try:
        loaded = FixtureFileSchema().load(document)
    except ValidationError as error:
        _report(result, error.messages, ())
    else:
        if not todos:
            _add(result, name, {section: loaded[section] for section in SECTIONS})
            return result
    if todos:  # a placeholder's own problem is that it is one, whatever else it breaks
        result.problems = [p for p in result.problems if not _under(p[0], todos)]
        for path, hint in todos.items():
            result.problems.append((path, f"still to fill in: {hint}", None))
    _salvage(result, name, document, todos)
    return result


def placeholders(node, path: tuple = ()) -> dict[tuple, str]:
    """Path → hint of every text value still a ``TODO`` placeholder (``"TODO: a headline"``),
    as ``parley fixtures new`` writes them for an editor to fill in."""
    if isinstance(node, str):
        found = _TODO.match(node)
        return {path: found.group(1).strip() or "this value"} if found else {}
    if isinstance(node, dict):
        items = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return {}
    found: dict[tuple, str] = {}
    for key, value in items:
        found.update(placeholders(value, (*path, key)))
    return found


def _under(path: tuple, todos: dict[tuple, str]) -> bool:
    return any(path[: len(todo)] == todo for todo in todos)


def _add(result: FileResult, name: str, records: dict[str, list]) -> None:
    for section, entries in records.items():
        result.items[section] = [
            Item(name, (section, index), record) for index, record in enumerate(entries)
        ]


def _string_keys(node):
    """The document with every mapping key as text (YAML allows ``1:`` or ``null:``)."""
    if isinstance(node, dict):
        return {str(key): _string_keys(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_string_keys(value) for value in node]
    return node


def _report(result: FileResult, messages, path: tuple) -> None:
    if isinstance(messages, dict):
        for key, value in messages.items():
            inner = path if key == "_schema" else (*path, key)
            _report(result, value, inner)
        return
    for message in messages if isinstance(messages, list) else [messages]:
        if isinstance(message, dict):
            _report(result, message, path)
            continue
        if message == "Unknown field." and path:
            message = f"unknown field{_known_field_hint(path)}"
        elif message == "Missing data for required field.":
            message = "required field is missing"
        result.problems.append((path, message, None))


def _known_field_hint(path: tuple) -> str:
    schema = FixtureFileSchema()
    for step in path[:-1]:
        if isinstance(step, int):
            continue
        inner = schema.fields.get(step)
        inner = getattr(inner, "inner", inner)
        schema = getattr(inner, "schema", None)
        if schema is None:
            return ""
    return did_you_mean(str(path[-1]), schema.fields)


def _salvage(result: FileResult, name: str, document: dict, todos=()) -> None:
    """Keep a broken file's valid entries, so cross-checks report everything at once.

    The ids of its invalid entries count as declared: a reference to them elsewhere is
    not reported again as unknown. An entry holding a placeholder (in ``todos``) is not
    kept, however valid: it is not finished.
    """
    for section, kind in RECORD_KINDS.items():
        entries = document.get(section)
        for entry in entries if isinstance(entries, list) else ():
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                result.declared.setdefault(kind, set()).add(entry["id"])
    unfinished = {todo[:2] for todo in todos}
    for section, schema_class in SECTIONS.items():
        entries = document.get(section)
        if not isinstance(entries, list):
            continue
        schema = schema_class()
        kept = result.items.setdefault(section, [])
        for index, entry in enumerate(entries):
            try:
                if (section, index) in unfinished:
                    raise TypeError("unfinished")
                record = schema.load(entry)
            except (ValidationError, TypeError):
                if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                    refused = Item(name, (section, index), Refused(entry["id"]))
                    result.refused.setdefault(section, []).append(refused)
                continue
            kept.append(Item(name, (section, index), record))
