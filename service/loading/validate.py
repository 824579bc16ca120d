"""One fixture file's text made into records by the fixture schemas, or its problems.

Valid files, the common case, go through the compiled checker (schemas.compiled), which
makes the same records as marshmallow in a fraction of the time. A file it refuses is
loaded again by marshmallow itself, which says every problem of the file, with field
paths; its valid entries are kept, so that the cross-checks report everything at once.
"""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

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
    unexamined: int = 0  # entries with errors past the cap, counted but not examined
    unread: bool = False  # not valid YAML: what it holds is not known


@functools.cache
def _compiled() -> Callable[[dict], dict]:
    return compile_schema(FixtureFileSchema)


def validate(name: str, raw: bytes, max_errors: int = 50) -> FileResult:
    """The records of one file's bytes, or its problems (about ``max_errors`` at most)."""
    result = FileResult()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        result.problems.append((("document",), f"not valid UTF-8 ({error.reason})", line))
        return result
    result.text = text
    try:
        document = yamlsubset.read(text, raw.removeprefix(codecs.BOM_UTF8))
    except yamlsubset.YamlProblems as refused:
        for problem in refused.problems:
            result.problems.append((("yaml",), problem.message, problem.line))
        # What the unreadable file seems to declare is not reported as unknown elsewhere:
        # one unclosed bracket should give one error, not one per reference to the file.
        ids = set(_DECLARED_ID.findall(text))
        result.declared = {kind: ids for kind in RECORD_KINDS.values()}
        result.unread = True
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
            _add(result, name, checked, checked["recorded"])
            return result
    _refused(result, name, _string_keys(document), max_errors, todos)
    return result


def _refused(result: FileResult, name: str, document: dict, max_errors: int, todos) -> None:
    """A file the compiled check refused: marshmallow says what is wrong, entry by entry.

    Each entry goes through its section's compiled check first, so valid entries are kept
    (the cross-checks then report everything at once) at the fast path's cost, and
    marshmallow runs only on the entries that fail, until ``max_errors`` problems are
    found; the failing entries past that are only counted. A file of 160,000 bad
    positions is reported in about the time it takes to parse. An entry holding a
    ``TODO`` placeholder is reported as still to fill in, and not kept, however valid.
    """
    top = {k: [] if k in SECTIONS and isinstance(v, list) else v for k, v in document.items()}
    recorded = None
    try:
        recorded = FixtureFileSchema().load(top)["recorded"]
    except ValidationError as error:
        _report(result, error.messages, ())
        recorded = _recorded(document)
    if recorded is not None and recorded > date.today():
        message = f"{recorded} is in the future (today is {date.today()})"
        result.problems.append((("recorded",), message, None))
    unfinished = {todo[:2] for todo in todos}
    unexamined = 0
    for section, schema_class in SECTIONS.items():
        entries = document.get(section)
        if not isinstance(entries, list):
            continue
        check, schema, kind = _section_check(section), schema_class(), RECORD_KINDS.get(section)
        kept = result.items.setdefault(section, [])
        for index, entry in enumerate(entries):
            try:
                if (section, index) in unfinished:
                    raise Invalid
                record = check(entry)
            except Invalid:
                if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                    # still a declaration: a reference to it elsewhere is not reported
                    # again as unknown, and a later entry with its id is a duplicate
                    if kind:
                        result.declared.setdefault(kind, set()).add(entry["id"])
                    refused = Item(name, (section, index), Refused(entry["id"]))
                    result.refused.setdefault(section, []).append(refused)
                if len(result.problems) >= max_errors:
                    unexamined += 1
                    continue
                try:
                    schema.load(entry)
                except ValidationError as error:
                    _report(result, error.messages, (section, index))
                except TypeError:  # not a mapping at all
                    result.problems.append(((section, index), "expected a mapping", None))
                continue
            if section in ("positions", "retractions"):
                record.recorded = recorded
            kept.append(Item(name, (section, index), record))
    result.unexamined = unexamined
    if todos:  # a placeholder's own problem is that it is one, whatever else it breaks
        result.problems = [p for p in result.problems if not _under(p[0], todos)]
        for path, hint in todos.items():
            result.problems.append((path, f"still to fill in: {hint}", None))


@functools.cache
def _section_check(section: str) -> Callable[[object], object]:
    return compile_schema(SECTIONS[section])


def _recorded(document: dict) -> date | None:
    try:
        return FixtureFileSchema().fields["recorded"].deserialize(document.get("recorded"))
    except ValidationError:
        return None


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


def _add(result: FileResult, name: str, loaded: dict, recorded: date) -> None:
    """The file's records, each position and retraction dated by the file's ``recorded``."""
    if recorded > date.today():
        message = f"{recorded} is in the future (today is {date.today()})"
        result.problems.append((("recorded",), message, None))
    for section in SECTIONS:
        entries = loaded[section]
        if section in ("positions", "retractions"):
            for record in entries:
                record.recorded = recorded
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
