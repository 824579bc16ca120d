"""``parley fixtures new round``: a new round's file, every field to fill in a ``TODO``.

The skeleton is written from the fixture schemas: each record lists its fields in the
schemas' order, the required ones with the value given on the command line or a
``"TODO: …"`` placeholder, the optional ones commented out, each with its description.
``parley fixtures check`` refuses a placeholder as "still to fill in", and nothing else
in the file until it is filled in, so the check's list is the editor's to-do list.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import click
from marshmallow import Schema, fields, missing, validate

from schemas.fixtures import FixtureFileSchema
from service import config
from service.editors.reference import modeline

# What to write in place of a required value, where the schema's description does not say.
HINTS = {
    "id": "a lower-case id (letters, digits, hyphens)",
    "about": "what this file records, in a sentence",
    "title": "the article's headline, or null",
    "outlet": "the outlet's name, or null",
    "reasoning": "how the publication date is known",
    "party": "a party id (catalogue.yaml)",
    "issue": "an issue id (catalogue.yaml)",
    "summary": "what was said, in a sentence",
    "source": "the id of an article in `sources`",
}
# Fields the schemas leave optional because either of two sets will do, and the check
# requires one of: a source's archived text and its hash, written as placeholders to fill
# in, or, for an article whose text cannot be archived, `archived: false` and a reason,
# written commented out below them.
EITHER = {
    "SourceFixtureSchema": {
        "archive": "archive/<the source's id>.txt, the article's text copied byte for byte",
        "sha256": "the SHA-256 of that file (sha256sum): 64 hex digits",
    },
}
OR = {
    "SourceFixtureSchema": (
        "No text to archive? Then, in place of archive and sha256:",
        {
            "archived": ("false", "the article's text is not archived"),
            "reason": ("null", "why not: required with archived: false"),
        },
    ),
}
SECTIONS = ("sources", "rounds", "positions")  # a round's file; the others are commented
WIDTH = 100


class Skeleton:
    """YAML lines for records of the fixture schemas, with given values and placeholders."""

    def __init__(self):
        self.lines: list[str] = []

    def record(self, schema: type[Schema], given: dict, indent: int, item: bool) -> None:
        first = True
        either = EITHER.get(schema.__name__, {})
        intro, alternative = OR.get(schema.__name__, (None, {}))
        for name, field in schema._declared_fields.items():
            lead = " " * indent + ("- " if item and first else "  " if item else "")
            if name in given:
                self.value(lead, name, field, given[name])
            elif field.required or name in either:
                self.required(lead, name, field, indent + 2 * item, either.get(name))
            elif name in alternative:
                if name == next(iter(alternative)):
                    self.lines.append(f"{' ' * (indent + 2 * item)}# {intro}")
                self.optional(lead, name, field, alternative[name])
            else:
                self.optional(lead, name, field)
            first = first and not (name in given or field.required or name in either)

    def value(self, lead: str, name: str, field: fields.Field, value) -> None:
        shown = "null" if value is None else _scalar(value)
        self.add(f"{lead}{name}: {shown}", _description(field))

    def required(
        self, lead: str, name: str, field: fields.Field, indent: int, hint: str | None = None
    ) -> None:
        inner = getattr(field, "inner", None)
        nested = getattr(inner or field, "nested", None)
        if isinstance(nested, type):
            self.add(f"{lead}{name}:", _description(field))
            self.record(nested, {}, indent + 2, item=inner is not None)
            return
        self.add(f'{lead}{name}: "TODO: {hint or _hint(name, field)}"', None)

    def optional(
        self, lead: str, name: str, field: fields.Field, instead: tuple[str, str] | None = None
    ) -> None:
        """A commented-out field: its default, or ``instead`` (a value and a note)."""
        default = field.load_default
        if instead is not None:
            shown, note = instead
        else:
            if isinstance(field, fields.List) or callable(default):
                shown = "[]"
            elif default is missing or default is None:
                shown = "null"
            else:
                shown = _scalar(default)
            note = _description(field) or "optional"
        self.add(f"{lead.replace('- ', '  ')}# {name}: {shown}", note)

    def add(self, line: str, note: str | None) -> None:
        if note and len(line) + 4 + len(note) <= WIDTH:
            line = f"{line.ljust(min(max(len(line) + 2, 40), WIDTH))}# {note}"
        self.lines.append(line)


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    plain = re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ,.()/'-]*", text) and ": " not in text
    return text if plain else '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _description(field: fields.Field) -> str | None:
    return field.metadata.get("description")


def _hint(name: str, field: fields.Field) -> str:
    for validator in field.validators:
        if isinstance(validator, validate.OneOf):
            return "one of " + ", ".join(map(str, validator.choices))
    described = (_description(field) or "").rstrip(".")
    described = described[:1].lower() + described[1:]
    if isinstance(field, fields.Date):
        return described if "YYYY-MM-DD" in described else ", ".join(
            filter(None, ["YYYY-MM-DD", described])
        )
    return HINTS.get(name) or described or name


def round_file(round_: dict, recorded: date, schema_line: str) -> str:
    """The text of a new round's fixture file; ``round_`` holds the round's known fields."""
    out = Skeleton()
    out.lines += [
        schema_line,
        "# A new round of talks. Fill in every TODO (and uncomment what you need), then",
        "#     parley fixtures check && parley fixtures diff",
        "# The check lists what is still to fill in. The fields: fixtures/README.md.",
    ]
    top = FixtureFileSchema._declared_fields
    start, place = round_.get("start"), round_.get("place")
    given = {"recorded": recorded.isoformat()}
    if start and place:
        given["about"] = f"The round of talks of {start} in {place}."
    for name, field in top.items():
        if isinstance(field, fields.List):
            continue
        if name in given:
            out.value("", name, field, given[name])
        elif field.required:
            out.required("", name, field, 0)
        else:
            out.optional("", name, field)
    position = {"date": start, "round": round_["id"]} if start else {"round": round_["id"]}
    for section, known in (("sources", {}), ("rounds", round_), ("positions", position)):
        out.lines.append("")
        out.add(f"{section}:", None)
        out.record(top[section].inner.nested, known, 2, item=True)
    others = [name for name, field in top.items() if isinstance(field, fields.List)
              and name not in SECTIONS]  # fmt: skip
    out.lines += ["", f"# Also possible here: {', '.join(others)} (see fixtures/README.md)."]
    return "\n".join(out.lines) + "\n"


def _day(value) -> date | None:
    return None if value is None else value.date()


@click.group("new")
def new_group():
    """Start a fixture file from a skeleton to fill in."""


@new_group.command("round")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--date", "start", type=click.DateTime(["%Y-%m-%d"]), help="The talks' first day.")
@click.option("--place", help="Where the talks were held, as the sources say.")
@click.option("--id", "round_id", help="The round's id; default: round-NUMBER, else round-DATE.")
@click.option("--host", help="The host's party id, or null; left to fill in if not given.")
@click.option("--number", type=click.IntRange(1, 9999), help="Only if the sources number it.")
@click.option(
    "--recorded",
    type=click.DateTime(["%Y-%m-%d"]),
    default=lambda: date.today().isoformat(),
    show_default="today",
    help="When this file is recorded.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Default: DIRECTORY/DATE-ID.yaml; DIRECTORY defaults to PARLEY_FIXTURES.",
)
def new_round_command(directory, start, place, round_id, host, number, recorded, output):
    """Write a commented skeleton of a new round's file; the check then lists its TODOs."""
    start = _day(start)
    round_id = round_id or (f"round-{number}" if number else f"round-{start or 'new'}")
    round_ = {"id": round_id, "number": number, "start": start, "place": place}
    if host is not None:
        round_["host"] = None if host.lower() in ("null", "none", "") else host
    round_ = {key: value for key, value in round_.items() if value is not None or key == "host"}
    if output is None:
        if directory is None:
            try:
                directory = str(config.from_env()["PARLEY_FIXTURES"])
            except config.ConfigError as error:
                raise click.ClickException(str(error)) from None
        name = f"{start}-{round_id}.yaml" if start else f"{round_id}.yaml"
        output = str(Path(directory) / name)
    target = Path.cwd() / "new.yaml" if output == "-" else Path(output)
    if output != "-" and target.exists():
        raise click.ClickException(f"{output} exists; give another --id or --output")
    text = round_file(round_, _day(recorded), modeline(target))
    with click.open_file(output, "w", encoding="utf-8") as stream:
        stream.write(text)
    if output != "-":
        todos = text.count('"TODO')
        click.echo(
            f"Wrote {output}: fill in its {todos} TODOs, then run "
            f"`parley fixtures check {target.parent}`.",
            err=True,
        )
