"""Safe YAML reading for fixtures, and the line marks that locate a field path in a file.

Parsing keeps dates as strings (the fixture schemas validate them, so ``2022-02-30``
is a reported error, not a crash) and refuses duplicate keys. Line numbers are only
needed when something is wrong, so they are found afterwards by composing the file
again and walking the reported field path through its nodes.
"""

from __future__ import annotations

from typing import Any

import yaml
import yaml_rs

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FixtureYAMLLoader(_BaseLoader):
    """SafeLoader without implicit timestamps, refusing duplicate mapping keys."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        if len(mapping) != len(node.value):
            seen = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping",
                        node.start_mark,
                        f"found duplicate key '{key}'",
                        key_node.start_mark,
                    )
                seen.add(key)
        return mapping



def parse(text: str) -> Any:
    """Parse one YAML document safely; raises ``yaml.YAMLError`` with marks on bad input.

    yaml-rs (Rust) parses about ten times faster than libyaml through PyYAML, which
    matters at tens of thousands of positions. Anything it refuses, or that is not a
    single document, is parsed again by PyYAML, whose errors carry the line marks and
    wording editors see.
    """
    try:
        document = yaml_rs.loads(text, parse_datetime=False)
    except yaml_rs.YAMLDecodeError:
        document = _REPARSE
    if document is _REPARSE or isinstance(document, list):
        return yaml.load(text, Loader=FixtureYAMLLoader)
    return document


_REPARSE = object()


def syntax_error_line(error: yaml.YAMLError) -> tuple[int, str]:
    """The 1-based line and a one-line message for a YAML syntax error."""
    problem_mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    mark = problem_mark or context_mark
    line = mark.line + 1 if mark is not None else 1
    message = getattr(error, "problem", None) or str(error).splitlines()[0]
    context = getattr(error, "context", None)
    if context and context_mark is not None:
        message += f" ({context} started on line {context_mark.line + 1})"
    elif context:
        message += f" ({context})"
    return line, message


class LineFinder:
    """Maps field paths such as ``("positions", 3, "party")`` to 1-based lines of one file."""

    def __init__(self, text: str):
        try:
            self._root = yaml.compose(text, Loader=FixtureYAMLLoader)
        except yaml.YAMLError:
            self._root = None

    def line(self, path: tuple) -> int:
        node = self._root
        if node is None:
            return 1
        line = node.start_mark.line + 1
        for step in path:
            child = None
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == str(step):
                        child = value_node
                        line = key_node.start_mark.line + 1
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                if 0 <= step < len(node.value):
                    child = node.value[step]
                    line = child.start_mark.line + 1
            if child is None:
                break
            node = child
        return line
