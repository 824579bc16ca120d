"""Text rules shared by every layer: did-you-mean hints, and quotes compared verbatim."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

CUTOFF = 0.75  # below this, a "closest" name is more often wrong than helpful


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to ``word``, if it is close enough to be a likely misspelling."""
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=CUTOFF)
    return found[0] if found else None


def did_you_mean(word: str, choices: Iterable[str], *, listed: int = 0) -> str:
    """``; did you mean 'x'?`` for a close choice; else, if there are at most ``listed``
    choices, ``; expected one of a, b, c``; else nothing."""
    choices = list(choices)
    match = closest(word, choices)
    if match:
        return f"; did you mean '{match}'?"
    if choices and len(choices) <= listed:
        return "; expected one of " + ", ".join(sorted(choices))
    return ""


_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'"})


def normalise_text(text: str) -> str:
    """Whitespace collapsed and typographic quotes made straight, for verbatim checks."""
    return " ".join(text.translate(_QUOTES).split())
