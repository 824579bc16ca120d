"""The JSON Schema of the fixture format: generated from the loader's schemas, committed up
to date, named by every bundled file, and agreeing with the loader on the test files."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from marshmallow import validate

from schemas.fixtures import FixtureFileSchema
from service.editors.reference import (
    MODELINE,
    SCHEMA_PATH,
    fixture_json_schema,
    record_schemas,
    schema_text,
)
from service.loading.validate import validate as validate_file
from tests.conftest import BUNDLED
from tests.support import DATA, ROOT, fixture_files, invoke

BROKEN = sorted((DATA / "broken").glob("*.yaml"))


def check_jsonschema(*files) -> dict:
    """check-jsonschema's verdict on ``files`` against the committed schema (JSON output)."""
    command = [sys.executable, "-m", "check_jsonschema", "--schemafile", str(SCHEMA_PATH)]
    result = subprocess.run(
        [*command, "-o", "json", *map(str, files)], capture_output=True, text=True, timeout=120
    )
    return json.loads(result.stdout)


def test_the_committed_schema_is_up_to_date():
    assert SCHEMA_PATH == ROOT / "schemas" / "fixture-file.schema.json"
    assert SCHEMA_PATH.read_text("utf-8") == schema_text(), "run: parley fixtures schema -o " + (
        "schemas/fixture-file.schema.json"
    )


def test_parley_fixtures_schema_prints_it(runner):
    result = invoke(runner, "fixtures", "schema")
    assert result.exit_code == 0
    assert result.output == schema_text()


def test_required_fields_enums_and_descriptions_are_the_loaders():
    definitions = fixture_json_schema()["definitions"]
    for _, schema in record_schemas():
        definition = definitions[schema.__name__]
        assert definition["additionalProperties"] is False
        declared = schema().fields
        assert list(definition["properties"]) == list(declared)
        assert sorted(definition.get("required", [])) == sorted(
            name for name, field in declared.items() if field.required
        )
        for name, field in declared.items():
            prop = definition["properties"][name]
            for validator in field.validators:
                if isinstance(validator, validate.OneOf):
                    nullable = [None] if field.allow_none else []
                    assert prop["enum"] == [*validator.choices, *nullable], name
            if "description" in field.metadata:
                assert prop["description"] == field.metadata["description"]


def test_the_stances_are_listed_with_their_scores():
    position = fixture_json_schema()["definitions"]["PositionFixtureSchema"]["properties"]
    assert position["stance"]["enum"] == ["demands", "supports", "open", "opposes", "rejects"]
    assert "rejects (-2)" in position["stance"]["description"]
    assert position["date_precision"]["default"] == "day"


def test_every_bundled_file_names_the_schema_on_its_first_line():
    for path in fixture_files(BUNDLED):
        first = path.read_text("utf-8").splitlines()[0]
        assert first == f"{MODELINE}../schemas/fixture-file.schema.json", path.name
        assert (path.parent / first.removeprefix(MODELINE)).resolve() == SCHEMA_PATH


def test_every_bundled_file_passes_check_jsonschema():
    verdict = check_jsonschema(*fixture_files(BUNDLED))
    assert verdict["status"] == "ok", verdict


def test_the_schema_rejects_exactly_the_broken_files_the_loader_refuses_alone():
    """A file the loader refuses on its own (YAML or schema) fails the JSON Schema; one that
    fails only the checks across files (unknown ids, dates against sources) passes it."""
    refused_alone = {
        path.name for path in BROKEN if validate_file(path.name, path.read_bytes()).problems
    }
    assert refused_alone == {
        "bad-date.yaml", "bad-stance.yaml", "duplicate-key.yaml", "no-evidence.yaml",
        "not-a-mapping.yaml", "unclosed-bracket.yaml", "unknown-field.yaml",
    }  # fmt: skip
    verdict = check_jsonschema(*BROKEN)
    failed = {error["filename"].rsplit("/", 1)[-1] for error in verdict.get("errors", [])}
    unparsed = {error["filename"].rsplit("/", 1)[-1] for error in verdict.get("parse_errors", [])}
    assert failed | unparsed == refused_alone
    assert unparsed == {"duplicate-key.yaml", "unclosed-bracket.yaml"}


RECORDED = "recorded: 2026-12-03\n"


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("", False),  # every file says when it was recorded
        ("# only a comment\n", False),
        (RECORDED, True),
        (RECORDED + "# only a comment\n", True),
        ("recorded: 2026-02-30\n", False),
        (RECORDED + "rounds:\n  - {id: r, start: 2022-03-07, place: Minsk}\n", True),
        (RECORDED + "rounds:\n  - {id: r, number: 0, start: 2022-03-07, place: Minsk}\n", False),
        (RECORDED + "sources:\n  - {id: s, published: 2022-03-01, url: ftp://x.org,\n"
         "     archived: false, reason: r, date_basis: {method: dateline, reasoning: r}}\n", False),
        (RECORDED + "sources:\n  - {id: s, published: 2022-03-01, url: null,\n"
         "     archived: false, reason: r, date_basis: {method: dateline, reasoning: r}}\n", True),
        (RECORDED + "about: '   '\n", False),
        (RECORDED + "about: null\n", True),
    ],
)
def test_small_files_agree_with_the_loader(tmp_path, text, valid):
    path = tmp_path / "file.yaml"
    path.write_text(text, "utf-8")
    assert (not validate_file(path.name, path.read_bytes()).problems) == valid
    assert (check_jsonschema(path)["status"] == "ok") == valid


def test_the_file_schema_is_the_loaders_root():
    root = fixture_json_schema()
    assert root["allOf"] == [{"$ref": f"#/definitions/{FixtureFileSchema.__name__}"}]


def test_the_fixtures_readme_lists_the_required_fields_generated_from_the_schemas():
    from service.editors.reference import requirements_table

    table = requirements_table()
    assert "| `positions[]` | `id`, `party`, `issue`, `stance`, `date`, `summary`, " in table
    assert "`number`" in table.split("| `rounds[]` |")[1].split("|")[1]  # optional
    readme = (ROOT / "fixtures" / "README.md").read_text("utf-8")
    assert table in readme, "regenerate with service.editors.reference.requirements_table()"
