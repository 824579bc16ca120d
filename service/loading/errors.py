"""Fixture problems: one ``file:LINE: field: message`` each, all of them at once."""

from __future__ import annotations

MESSAGE_LIMIT = 300  # characters of a message; a value quoted from a file may be long


def format_path(path: tuple) -> str:
    """``("positions", 3, "evidence", 0, "quote")`` → ``positions[3].evidence[0].quote``."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text or "(file)"


def shorten(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis where it was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class FixtureError(Exception):
    """One problem in one fixture file, at one line and field.

    ``file`` is the file's name relative to the fixture directory, so that a message
    never shows where the server keeps its files.
    """

    def __init__(self, file: str, line: int | None, field: str, message: str):
        message = shorten(message)
        super().__init__(file, line, field, message)
        self.file, self.line, self.field, self.message = file, line, field, message

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message}"

    def under(self, directory: str) -> str:
        """The error with its file named as under ``directory`` (as the CLI shows it)."""
        name = directory if self.file == "." else f"{directory.rstrip('/')}/{self.file}"
        where = name if self.line is None else f"{name}:{self.line}"
        return f"{where}: {self.field}: {self.message}"

    def location(self) -> str:
        """``file:LINE: field``, without the message (which may quote the file)."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}"

    def public(self) -> str:
        """What a public endpoint may show: the location, and the message only where it is
        about the file as a whole (it never quotes a file's content there)."""
        return str(self) if self.field in ("(file)", "directory") else self.location()

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "field": self.field, "message": self.message}

    @classmethod
    def from_dict(cls, data: dict) -> FixtureError:
        return cls(str(data["file"]), data["line"], str(data["field"]), str(data["message"]))


class FixtureErrors(Exception):
    """Every problem found in a fixture directory; raised instead of a partial dataset."""

    def __init__(self, errors: list[FixtureError]):
        super().__init__(errors)
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)
