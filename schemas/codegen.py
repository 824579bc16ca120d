"""What the two schema compilers share: named constants and functions made from source."""

from __future__ import annotations

from typing import Any


class CodeWriter:
    """Collects the values generated code refers to, and turns source into functions."""

    def __init__(self, **names: Any):
        self.names: dict[str, Any] = dict(names)
        self.counter = 0

    def constant(self, value: Any, hint: str) -> str:
        """A fresh name under which generated code can use ``value``."""
        self.counter += 1
        name = f"{hint}_{self.counter}"
        self.names[name] = value
        return name

    def define(self, source: str, name: str, label: str):
        """The function ``name`` defined by ``source`` (``label`` names it in tracebacks)."""
        namespace = dict(self.names)
        exec(compile(source, f"<{label}>", "exec"), namespace)
        return namespace[name]
