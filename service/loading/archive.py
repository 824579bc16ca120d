"""The archived texts of the sources: found inside the fixture directory, hashed, read once.

Every quote is checked against its source's archived text, tolerant only of whitespace
and typographic quotes (``service.text.normalise_text``); the SHA-256 in the source's
record pins the text, so a changed archive file is an error rather than a silent change
of what the quotes were checked against.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from service.text import normalise_text


class Archive:
    """The archive files of one fixture directory, each read and hashed at most once."""

    def __init__(self, root: str | Path, max_bytes: int):
        self.root = Path(root)
        self.max_bytes = max_bytes
        self._read: dict[str, tuple[str | None, str | None, str | None]] = {}

    def _load(self, name: str) -> tuple[str | None, str | None, str | None]:
        """(problem, sha256, normalised text) of the archive file ``name``."""
        if name in self._read:
            return self._read[name]
        found: tuple[str | None, str | None, str | None]
        path = self.root / name
        try:
            inside = path.resolve().is_relative_to(self.root.resolve())
            if not inside:
                found = ("it leads outside the fixture directory", None, None)
            elif not path.is_file():
                found = (f"no archived text at {name}", None, None)
            elif path.stat().st_size > self.max_bytes:
                found = (f"{name} is over the limit of {self.max_bytes >> 20} MB", None, None)
            else:
                raw = path.read_bytes()
                text = raw.decode("utf-8-sig")
                found = (None, hashlib.sha256(raw).hexdigest(), normalise_text(text))
        except UnicodeDecodeError:
            found = (f"{name} is not UTF-8 text", None, None)
        except OSError as error:
            found = (f"cannot read {name}: {error.strerror}", None, None)
        self._read[name] = found
        return found

    def problem(self, name: str, sha256: str) -> tuple[str, str] | None:
        """What is wrong with a source's archive and hash, as (field, message); else None."""
        problem, actual, _ = self._load(name)
        if problem is not None:
            return "archive", problem
        if actual != sha256:
            return "sha256", f"does not match {name} (its SHA-256 is {actual})"
        return None

    def text(self, name: str) -> str | None:
        """The normalised text of the archive file ``name``, or None if it cannot be used."""
        return self._load(name)[2]
