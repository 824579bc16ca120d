"""The fixture format for editors: a JSON Schema and a table of required fields.

Both are generated from the fixture schemas (``schemas/fixtures.py``), the loader's own,
so their fields, required-ness, enums and descriptions are the loader's. The JSON Schema
(draft-07, by marshmallow-jsonschema) is committed at ``schemas/fixture-file.schema.json``
and named by each fixture file's first line, a ``yaml-language-server`` modeline, for
editors' completion and inline errors. It checks each file alone; what spans files (ids,
references, dates against sources) only ``parley fixtures check`` can tell.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import click
from marshmallow import Schema, fields, missing, validate
from marshmallow_jsonschema import JSONSchema

import schemas
from schemas.fixtures import FixtureFileSchema

SCHEMA_PATH = Path(schemas.__file__).resolve().parent / "fixture-file.schema.json"
MODELINE = "# yaml-language-server: $schema="


class FixtureJSONSchema(JSONSchema):
    """marshmallow-jsonschema, adjusted to say what the loader accepts and no more."""

    def _get_schema_for_field(self, obj, field):
        schema = super()._get_schema_for_field(obj, field)
        return _adjusted(schema, field)


def _adjusted(schema: dict, field: fields.Field) -> dict:
    schema.pop("title", None)  # the field's own name: noise in an editor's tooltip
    schema.pop("enumNames", None)
    pattern = schema.get("pattern")
    if pattern is not None:
        # Python's \Z is ECMA-262's $ (editors and validators use ECMA-262 expressions)
        if pattern.endswith(r"\Z"):
            pattern = pattern[:-2] + "$"
        if r"\Z" in pattern or r"\A" in pattern:
            raise ValueError(f"{field.name}: no ECMA-262 equivalent for {pattern!r}")
        schema["pattern"] = pattern
    for validator in field.validators:
        if isinstance(validator, validate.URL):  # fields.URL's own: absolute, these schemes
            schema["format"] = "uri"
            schema["pattern"] = "^(?:" + "|".join(sorted(validator.schemes)) + ")://"
    default = field.load_default
    if default is not missing and default is not None and not callable(default):
        schema["default"] = default
    types = schema.get("type")
    if "enum" in schema and isinstance(types, list) and "null" in types:
        schema["enum"] = [*schema["enum"], None]
    return schema


def record_schemas(root: type[Schema] = FixtureFileSchema) -> Iterator[tuple[str, type[Schema]]]:
    """``(path, schema class)`` of the file and every record in it, parents first:
    ``("", FixtureFileSchema)``, ``("positions", ...)``, ``("positions[].evidence", ...)``."""
    yield "", root
    for name, field in root._declared_fields.items():
        inner = getattr(field, "inner", field)
        if isinstance(inner, fields.Nested) and isinstance(inner.nested, type):
            suffix = "[]" if inner is not field else ""
            for path, schema in record_schemas(inner.nested):
                yield f"{name}{suffix}{'.' + path if path else ''}", schema


def fixture_json_schema() -> dict:
    """The JSON Schema of one fixture file."""
    document = FixtureJSONSchema(props_ordered=True).dump(FixtureFileSchema())
    for _, schema in record_schemas():
        definition = document["definitions"][schema.__name__]
        if schema.__doc__:
            definition["description"] = " ".join(schema.__doc__.split("\n\n")[0].split())
    root = document.pop("$ref")
    return {
        "$schema": document.pop("$schema"),
        "title": "Parley fixture file",
        "description": "One hand-written fixture file. Generated from schemas/fixtures.py by "
        "`parley fixtures schema`; `parley fixtures check` also checks what spans files.",
        # every file says when it was recorded: an empty one (or only comments) is refused
        "allOf": [{"$ref": root}],
        **document,
    }


def schema_text() -> str:
    """The JSON Schema as committed: two-space indents, keys in the schemas' order."""
    return json.dumps(fixture_json_schema(), indent=2, ensure_ascii=False) + "\n"


def modeline(file: Path, schema: Path = SCHEMA_PATH) -> str:
    """The first line of a fixture file at ``file``: its schema, relative to it if it can."""
    target = Path(os.path.relpath(schema, file.resolve().parent))
    return f"{MODELINE}{target.as_posix()}"


# -- the required fields, as fixtures/README.md lists them ------------------------------------

# Fields the schemas leave optional because either of two sets will do, one of which the
# checks across records require (service/loading/crosscheck.py): a source has its archived
# text and its hash, or says that it has none, and why. Listed as one requirement.
ALTERNATIVES: dict[str, tuple[tuple[str, ...], str]] = {
    "SourceFixtureSchema": (
        ("archive", "sha256", "archived", "reason"),
        "`archive` + `sha256` or `archived: false` + `reason`",
    ),
}


def _shown(field: fields.Field) -> str:
    default = field.load_default
    if default is missing or default is None or callable(default):
        return f"`{field.data_key or field.name}`"
    return f"`{field.data_key or field.name}` (`{default}`)"


def requirements_table() -> str:
    """The Markdown table of each record's required and optional fields."""
    rows = ["| record | required | optional (default) |", "|---|---|---|"]
    for path, schema in record_schemas():
        declared = schema().fields.values()
        required, optional = [], []
        either, alternatives = ALTERNATIVES.get(schema.__name__, ((), None))
        for field in declared:
            if field.name in either:
                continue
            if field.required:
                minimum = next(
                    (v.min for v in field.validators if getattr(v, "min", None)), None
                )
                more = f" (at least {minimum})" if minimum else ""
                required.append(f"`{field.data_key or field.name}`{more}")
            else:
                optional.append(_shown(field))
        if alternatives:
            required.append(alternatives)
        name = f"`{path}`" if path else "the file"
        rows.append(f"| {name} | {', '.join(required) or '—'} | {', '.join(optional) or '—'} |")
    return "\n".join(rows) + "\n"


@click.command("schema")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    help="Default: standard output. The committed copy is schemas/fixture-file.schema.json.",
)
def schema_command(output):
    """Print the JSON Schema of a fixture file, generated from the loader's schemas."""
    with click.open_file(output, "w", encoding="utf-8") as stream:
        stream.write(schema_text())
