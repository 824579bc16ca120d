"""Ids from a request checked against the dataset: a 400 or 404 that says what was meant."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask import g
from flask_smorest import abort

from service.dataset import Dataset
from service.model import RECORD_KINDS
from service.restapi import suggest

NOUNS = RECORD_KINDS


def _guess(dataset: Dataset, catalogue: str, value: str) -> str:
    """A did-you-mean for an unknown id: the record spelled so (name, alias), else the closest."""
    wanted = value.casefold()
    for record in getattr(dataset, catalogue).values():
        spellings = (record.id, getattr(record, "name", ""), *getattr(record, "aliases", ()))
        if any(s.casefold() == wanted for s in spellings):
            return f" Did you mean '{record.id}'?"
    return suggest(wanted, getattr(dataset, catalogue), where=f"/api/v1/{catalogue}")


def _current(dataset: Dataset, catalogue: str, key: str) -> str:
    """The id an issue now has, for an earlier id (an alias); the response says so in
    ``Parley-Replaced-Ids``. Other ids are taken as they are."""
    if catalogue != "issues" or key not in dataset.issue_aliases:
        return key
    current = dataset.issue_aliases[key]
    g.setdefault("parley_replaced", {})[key] = current
    return current


def get_or_404(dataset: Dataset, catalogue: str, key: str, parameter: str):
    """The record ``key`` of a catalogue, or a 404 naming the path parameter."""
    record = getattr(dataset, catalogue).get(_current(dataset, catalogue, key))
    if record is None:
        message = f"Unknown {NOUNS[catalogue]} '{key}'.{_guess(dataset, catalogue, key)}"
        abort(404, errors={parameter: [message]})
    return record


class Ids:
    """Checks the id-valued arguments of one request; ``done()`` answers 400 for the unknown."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.errors: dict[str, list[str]] = {}

    def _unknown(self, parameter: str, catalogue: str, value: str) -> None:
        message = f"Unknown {NOUNS[catalogue]} '{value}'.{_guess(self.dataset, catalogue, value)}"
        self.errors.setdefault(parameter, []).append(message)

    def many(self, parameter: str, catalogue: str, values: Iterable[str] | None):
        """Known ids, in the order given without repeats; ``None`` when not filtered on."""
        if values is None:
            return None
        known = getattr(self.dataset, catalogue)
        values = list(dict.fromkeys(_current(self.dataset, catalogue, v) for v in values))
        for value in values:
            if value not in known:
                self._unknown(parameter, catalogue, value)
        return values

    def one(self, parameter: str, catalogue: str, value: str | None) -> str | None:
        """A known id, or ``None`` when not filtered on."""
        return None if value is None else self.many(parameter, catalogue, [value])[0]

    def actor(self, parameter: str, name: str | None) -> str | None:
        """The id of the actor known by ``name`` in any spelling and case."""
        if name is None:
            return None
        actor = self.dataset.resolve_actor(name)
        if actor is None:
            self._unknown(parameter, "actors", name)
        return actor

    def done(self) -> None:
        """A 400 naming every unknown id found, if any was."""
        if self.errors:
            abort(400, errors=self.errors)


def party_issue_filters(dataset: Dataset, args: Mapping) -> tuple[list | None, list | None]:
    """The ``party`` and ``issue`` filters of a view, checked: (parties, issues)."""
    ids = Ids(dataset)
    parties = ids.many("party", "parties", args.get("party"))
    issues = ids.many("issue", "issues", args.get("issue"))
    ids.done()
    return parties, issues


def position_filters(dataset: Dataset, args: Mapping) -> dict:
    """``Dataset.filter_positions`` keyword arguments from the parsed query arguments."""
    ids = Ids(dataset)
    filters = {
        "parties": ids.many("party", "parties", args.get("party")),
        "issues": ids.many("issue", "issues", args.get("issue")),
        "actor": ids.actor("actor", args.get("actor")),
        "source": ids.one("source", "sources", args.get("source")),
        "round": ids.one("round", "rounds", args.get("round")),
        "stances": args.get("stance"),
        "since": args.get("since"),
        "until": args.get("until"),
        "disputed": args.get("disputed"),
    }
    ids.done()
    return filters
