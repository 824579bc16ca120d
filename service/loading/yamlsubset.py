"""Fixture files are read as one strict subset of YAML 1.2, and located with line marks.

A hand-written fixture never needs YAML's anchors (``&a``), aliases (``*a``), tags
(``!!set``, ``!!python/...``), directives (``%YAML``), complex keys (``? [a]``), more
than one document, or control characters; all of them are refused with the line they
are on, before any value is built, so an alias bomb never expands and no tag reaches
the data. What is left is read one way: yaml-rs, a YAML 1.2 core-schema parser, builds
the values (``no`` and ``on`` are strings, ``010`` is ten, dates stay strings for the
schemas to check), and PyYAML's event parser (libyaml) gives the line marks of syntax
errors and of the field paths that errors are reported at.

Spotting those constructs takes a full event scan, which costs about as much as the parse
itself; it runs only on files where a cheap pattern says one could be present (a ``&``,
``*`` or ``!`` where a node can start, a ``%`` directive, a ``{``, a ``?`` key, a second
``---``, or very deep indentation), and is exact there. Whether any character those
patterns and the control-character check look for is in the file at all is one pass over
its bytes (``_remarkable``), which for a typical file finds none.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
import yaml_rs

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 32  # a fixture is at most five levels deep; anything far deeper is hostile

# Characters no fixture text needs: C0 controls but tab and line breaks, DEL, C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_TAB_INDENT = re.compile(r"^ *\t", re.M)
# Where an anchor, alias, tag, directive, flow mapping, complex key or second document
# could start; a match is only a reason to look closer, with the event scan.
_SUSPECT = re.compile(
    r"(?:^|[\s\[\],])[&*!]|^%|\{|^[ \t-]*\?(?:[ \t]|$)|\n---|\n\.\.\.|^ {96}", re.M
)


_SUSPECT_CHARACTERS = ("&", "*", "!", "%", "{", "?", "\n---", "\n...", "\n" + " " * 96)
_SUSPECT_SEQUENCES = tuple(mark.encode() for mark in _SUSPECT_CHARACTERS if len(mark) > 1)
_SUSPECT_BYTES = frozenset(ord(mark) for mark in _SUSPECT_CHARACTERS if len(mark) == 1)
# What the control-character check looks for: a tab, the C0 controls but line breaks, DEL,
# and the first byte of a C1 control (U+0080-U+009F: C2 80-C2 9F in UTF-8).
_CONTROL_BYTES = frozenset([*range(0x0A), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xC2])
_UNREMARKABLE = bytes(b for b in range(256) if b not in _CONTROL_BYTES | _SUSPECT_BYTES)


def _remarkable(utf8: bytes) -> tuple[bool, bool]:
    """Whether the file's bytes hold anything the control-character check, and anything
    the construct pattern, looks for: one pass in C that keeps only those bytes, where the
    checks themselves cost about as much as parsing the file."""
    found = frozenset(utf8.translate(None, _UNREMARKABLE))
    suspect = not found.isdisjoint(_SUSPECT_BYTES) or any(
        mark in utf8 for mark in _SUSPECT_SEQUENCES
    )
    return not found.isdisjoint(_CONTROL_BYTES), suspect


class YamlProblem(Exception):
    """One reason a file is not in the fixture subset of YAML, at a 1-based line."""

    def __init__(self, line: int, message: str):
        super().__init__(line, message)
        self.line, self.message = line, message


class FixtureYAMLLoader(_BaseLoader):
    """PyYAML's safe loader, used only for line marks: no timestamps, no duplicate keys."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if key_node.value in seen:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key '{key_node.value}'",
                    key_node.start_mark,
                )
            seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


def read(text: str, utf8: bytes | None = None) -> Any:
    """The document of one fixture file's text; raises ``YamlProblems`` where it is refused.

    ``utf8`` is that text in UTF-8 (the file's bytes, past any byte-order mark; made from
    the text if not given): the checks screen the bytes, and yaml-rs parses them as they
    are, where a text holding any non-ASCII character would first be encoded again.
    """
    if utf8 is None:
        utf8 = text.encode()
    controls, suspect = _remarkable(utf8)
    problems = control_characters(text) if controls else []
    if problems:
        raise YamlProblems(problems)
    if suspect and _SUSPECT.search(text):
        problems = scan(text)
        if problems:
            raise YamlProblems(problems)
    try:
        return yaml_rs.load(utf8, parse_datetime=False)
    except yaml_rs.YAMLDecodeError as error:
        raise YamlProblems([syntax_problem(text, error)]) from None


class YamlProblems(Exception):
    """Every reason one file is refused as YAML."""

    def __init__(self, problems: list[YamlProblem]):
        super().__init__(problems)
        self.problems = problems


def control_characters(text: str) -> list[YamlProblem]:
    """A problem for each line holding a control character or indented with a tab."""
    tab = "tabs are not allowed for indentation; use spaces"
    problems = []
    if "\t" in text:
        lines = (text.count("\n", 0, m.start()) + 1 for m in _TAB_INDENT.finditer(text))
        problems = [YamlProblem(line, tab) for line in lines]
    if not _CONTROL.search(text):
        return problems
    for match in _CONTROL.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if not problems or problems[-1].line != line:
            code = f"U+{ord(match.group()):04X}"
            problems.append(YamlProblem(line, f"control character {code} is not allowed"))
    return problems


def scan(text: str) -> list[YamlProblem]:
    """The constructs outside the fixture subset, by an exact pass over the YAML events."""
    problems: list[YamlProblem] = []
    depth = documents = 0
    keys: list[bool | None] = []  # per open collection: a mapping's next node is a key?
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            line = event.start_mark.line + 1
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    message = "only one document per file (a second '---')"
                    problems.append(YamlProblem(line, message))
                if event.version or event.tags:
                    problems.append(YamlProblem(line, "directives (%YAML, %TAG) are not allowed"))
                continue
            if not isinstance(event, yaml.NodeEvent):
                if isinstance(event, yaml.CollectionEndEvent):
                    depth -= 1
                    keys.pop()
                    _after_node(keys)
                continue
            is_key = bool(keys) and keys[-1]
            if isinstance(event, yaml.AliasEvent):
                message = f"aliases (*{event.anchor}) are not allowed; write the value out"
                problems.append(YamlProblem(line, message))
            elif event.anchor is not None:
                problems.append(YamlProblem(line, f"anchors (&{event.anchor}) are not allowed"))
            tag = getattr(event, "tag", None)
            implicit = getattr(event, "implicit", True)
            explicit = not (implicit[0] if isinstance(implicit, tuple) else implicit)
            if tag is not None and explicit and tag != "!":  # "!" is a quoted scalar's mark
                problems.append(YamlProblem(line, f"tags ({_short(tag)}) are not allowed"))
            if isinstance(event, yaml.CollectionStartEvent):
                if is_key:
                    message = "a key must be a plain name, not a list or mapping"
                    problems.append(YamlProblem(line, message))
                depth += 1
                if depth > MAX_DEPTH:
                    problems.append(YamlProblem(line, f"nested more than {MAX_DEPTH} levels deep"))
                    return problems
                keys.append(True if isinstance(event, yaml.MappingStartEvent) else None)
                continue
            _after_node(keys)
    except yaml.YAMLError as error:
        line, message = syntax_error_line(error, text)
        problems.append(YamlProblem(line, message))
    return _unique(problems)


def _unique(problems: list[YamlProblem]) -> list[YamlProblem]:
    """One problem per line and message: twenty aliases on one line are one mistake."""
    seen: dict[tuple[int, str], YamlProblem] = {}
    for problem in problems:
        seen.setdefault((problem.line, problem.message), problem)
    return list(seen.values())


def _after_node(keys: list[bool | None]) -> None:
    """In a mapping, a key is followed by its value and a value by the next key."""
    if keys and keys[-1] is not None:
        keys[-1] = not keys[-1]


def _short(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org") else tag


def syntax_problem(text: str, error: yaml_rs.YAMLDecodeError) -> YamlProblem:
    """The problem yaml-rs refused ``text`` for, located and worded by PyYAML when it can."""
    try:
        yaml.load(text, Loader=FixtureYAMLLoader)
    except yaml.YAMLError as marked:
        return YamlProblem(*syntax_error_line(marked, text))
    # yaml-rs alone refused it: its own line, and the last line of its message (the
    # lines between show the file's text, which messages do not repeat)
    message = str(error)
    found = re.search(r"line (\d+)", message)
    return YamlProblem(int(found.group(1)) if found else 1, message.strip().splitlines()[-1])


def syntax_error_line(error: yaml.YAMLError, text: str = "") -> tuple[int, str]:
    """The 1-based line and a one-line message for a YAML syntax error.

    The message says what is wrong in an editor's words where the mistake is a common one
    (see ``in_words``), then the parser's own words in parentheses, so that one error
    stays one ``file:LINE: field: message`` line.
    """
    problem_mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    mark = problem_mark or context_mark
    line = mark.line + 1 if mark is not None else 1
    message = getattr(error, "problem", None) or str(error).splitlines()[0]
    context = getattr(error, "context", None)
    if context and context_mark is not None and context_mark is not mark:
        message += f" ({context} started on line {context_mark.line + 1})"
    elif context:
        message += f" ({context})"
    plain = in_words(error, text.splitlines())
    if plain is None:
        return line, message
    at, words = plain
    return at or line, words if message.startswith("found duplicate key") else (
        f"{words} (YAML parser: {message})"
    )


def in_words(error: yaml.YAMLError, lines: list[str]) -> tuple[int | None, str] | None:
    """(line or None, an editor's explanation) of a common YAML mistake; None if unknown."""
    problem = getattr(error, "problem", None) or ""
    mark = getattr(error, "problem_mark", None)
    start = getattr(error, "context_mark", None)
    at = mark.line if mark is not None else -1
    here = lines[at] if 0 <= at < len(lines) else ""
    opened = start.line + 1 if start is not None else None

    def indent(text: str) -> int:
        return len(text) - len(text.lstrip(" "))

    if problem.startswith("mapping values are not allowed"):
        above = next(
            (t for t in reversed(lines[:at]) if t.strip() and not t.lstrip().startswith("#")),
            None,
        )
        # the column of the key above: past its "- " when it opens a list item
        if above is not None and indent(here) > indent(above) + 2 * above.lstrip().startswith("- "):
            return None, "this key is indented more than the key above it"
        return None, "a value holds ': ' (a colon then a space); put the whole value in quotes"
    if problem.startswith("did not find expected key"):
        if here.lstrip().startswith("- "):
            return None, "a list item ('- ') where a key was expected: check its indentation"
        if any(quote in here for quote in "\"'"):
            return None, (
                "text after a closing quote; quote the whole value, and write a quote "
                "inside it in the other kind of quotes (or double a ' inside '…')"
            )
        return None, (
            f"this line is not lined up with the keys above it (the mapping of line "
            f"{opened}); check its indentation"
        )
    if problem.startswith("did not find expected '-' indicator"):
        return None, (
            f"a key where the list of line {opened} expects its next item ('- '): check the "
            "indentation"
        )
    for close, kind in (("]", "list"), ("}", "mapping")):
        if problem.startswith(f"did not find expected ',' or '{close}'"):
            return None, (
                f"the {kind} opened on line {opened} is not closed: a '{close}' or a ',' is "
                "missing"
            )
    if problem.startswith("found unexpected end of stream") and "quoted" in (
        getattr(error, "context", None) or ""
    ):
        return None, f"the quotation mark opened on line {opened} is never closed"
    if "tab" in problem and "indentation" in problem:
        return None, "tabs are not allowed for indentation; use spaces"
    if problem.startswith("found character") and "cannot start any token" in problem:
        character = here[mark.column : mark.column + 1] if mark is not None else ""
        if character == "\t":
            return None, "tabs are not allowed for indentation; use spaces"
        return None, f"a value cannot start with '{character}'; put the whole value in quotes"
    if problem.startswith("could not find expected ':'"):
        return opened, (
            "this line is neither 'key: value' nor a list item: a ':' is missing, or a long "
            "text goes on at a line indented no further than its key"
        )
    if problem.startswith("found duplicate key"):
        key = problem.removeprefix("found duplicate key ")
        return None, f"the key {key} is given twice in the mapping of line {opened}; keep one"
    return None


class LineFinder:
    """Maps field paths such as ``("positions", 3, "party")`` to 1-based lines of one file.

    The lines are found by one pass over the file's YAML events that stops as soon as
    every asked-for path is found or cannot be (its container has ended), so the lines
    of the first problems of a 20 MB file cost what reading up to them costs.
    """

    def __init__(self, text: str):
        self.text = text
        self.found: dict[tuple, int] = {}

    def lines(self, paths: list[tuple]) -> dict[tuple, int]:
        """The line of each path: of its key (or item), else of its deepest present parent."""
        wanted = {path[:n] for path in paths for n in range(len(path) + 1)} - set(self.found)
        if wanted:
            self._scan(wanted)
        return {path: self._deepest(path) for path in paths}

    def line(self, path: tuple) -> int:
        return self.lines([path])[path]

    def _deepest(self, path: tuple) -> int:
        for n in range(len(path), -1, -1):
            if path[:n] in self.found:
                return self.found[path[:n]]
        return 1

    def _scan(self, wanted: set[tuple]) -> None:
        found, open_ = self.found, set(wanted)
        stack: list[list] = []  # per open collection: [path, is_mapping, key or index]
        try:
            for event in yaml.parse(self.text, Loader=_BaseLoader):
                line = event.start_mark.line + 1
                if isinstance(event, yaml.CollectionEndEvent):
                    path = stack.pop()[0]
                    open_ = {w for w in open_ if w[: len(path)] != path}
                    if not open_:
                        return
                    continue
                if not isinstance(event, yaml.NodeEvent):
                    continue
                if not stack:
                    path = ()
                    found.setdefault(path, line)
                else:
                    frame = stack[-1]
                    if frame[1]:  # a mapping: a key, then its value
                        if frame[2] is None:
                            frame[2] = getattr(event, "value", "")
                            found.setdefault((*frame[0], frame[2]), line)
                            if isinstance(event, yaml.CollectionStartEvent):
                                stack.append([(*frame[0], frame[2]), True, None])
                            continue
                        path = (*frame[0], frame[2])
                        frame[2] = None
                    else:
                        path = (*frame[0], frame[2])
                        frame[2] += 1
                        found.setdefault(path, line)
                open_.discard(path)
                if isinstance(event, yaml.CollectionStartEvent):
                    is_mapping = isinstance(event, yaml.MappingStartEvent)
                    stack.append([path, is_mapping, None if is_mapping else 0])
        except yaml.YAMLError:
            return
