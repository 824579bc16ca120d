"""The fixture directory as a boundary: which files it holds, their names and sizes.

Only regular files with a ``.yaml``/``.yml`` name, at any depth, are fixture files; a
name starting with a dot (at any level) is skipped. A symbolic link is followed only if
it leads to a file inside the directory: one leading outside is refused, so the server
never reads (or shows a line of) a file it was not given. Names are relative to the
directory, so that no message shows where the server keeps its files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from service.loading.errors import FixtureError

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class FixtureFile:
    """One fixture file: its name relative to the directory, and where it is."""

    name: str
    path: Path
    size: int


def printable(name: str) -> str:
    """A file name as text, undecodable bytes shown as U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def find(directory: str | os.PathLike, max_bytes: int) -> tuple[list[FixtureFile], list]:
    """The directory's fixture files in name order, and the problems found on the way."""
    root = Path(directory)
    if not root.is_dir():
        return [], [FixtureError(".", None, "directory", "no such directory")]
    real_root = root.resolve()
    found: list[FixtureFile] = []
    problems: list[FixtureError] = []

    def refuse(name: str, message: str) -> None:
        problems.append(FixtureError(name, 1, "(file)", message))

    def walk_error(error: OSError) -> None:
        where = os.path.relpath(error.filename, root) if error.filename else "."
        refuse(printable(where), f"cannot read: {error.strerror}")

    for folder, subfolders, names in os.walk(root, onerror=walk_error):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for entry in sorted(names):
            if entry.startswith(".") or not entry.endswith(SUFFIXES):
                continue
            path = Path(folder) / entry
            name = path.relative_to(root).as_posix()
            shown = printable(name)
            if shown != name:
                refuse(shown, "the file name is not valid UTF-8; rename the file")
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(real_root):
                refuse(name, "a symbolic link that leads outside the fixture directory")
                continue
            try:
                stat = path.stat()
            except OSError as error:
                refuse(name, f"cannot read: {error.strerror}")
                continue
            if not path.is_file():
                continue
            if stat.st_size > max_bytes:
                refuse(
                    name,
                    f"the file is {stat.st_size / 2**20:.1f} MB, over the limit of "
                    f"{max_bytes / 2**20:g} MB (PARLEY_MAX_FILE_MB)",
                )
                continue
            found.append(FixtureFile(name, path, stat.st_size))
    if not found and not problems:
        problems.append(FixtureError(".", None, "directory", "no fixture files (*.yaml) found"))
    return found, problems
