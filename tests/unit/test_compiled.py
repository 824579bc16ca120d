"""The compiled fixture checkers (schemas/compiled.py) accept exactly what marshmallow accepts,
and return the same; and the marshmallow they were written against is the one installed."""

from __future__ import annotations

import copy
from importlib.metadata import version

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from schemas.compiled import Invalid, compile_schema
from schemas.fixtures import SECTIONS, FixtureFileSchema
from service.loading import yamlsubset
from service.model import Evidence, Position
from tests.conftest import BUNDLED

FILES = sorted(BUNDLED.glob("*.yaml"))
DOCUMENTS = [yamlsubset.read(path.read_text("utf-8")) for path in FILES]
CHECK = compile_schema(FixtureFileSchema)

ODD_VALUES = [
    None, "", " ", "insists", "rusia", "2022-02-30", "2022-13-01", "20220228", "Not A Slug",
    0, -1, 1.5, True, [], {}, ["x"], {"source": "x"}, "demands", "day", "agreed", "state",
]


def outcome(function, document):
    try:
        return "ok", function(document)
    except (Invalid, ValidationError):
        return "invalid", None


def paths(node, prefix=()):
    """Every path to a mapping key or list item in a document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*prefix, index)
            yield from paths(value, (*prefix, index))


def parent_and_key(document, path):
    node = document
    for step in path[:-1]:
        node = node[step]
    return node, path[-1]


@pytest.mark.parametrize("document", DOCUMENTS, ids=[path.name for path in FILES])
def test_bundled_files_load_identically(document):
    assert CHECK(document) == FixtureFileSchema().load(document)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(DOCUMENTS),
    st.data(),
    st.sampled_from(["replace", "delete", "add-unknown"]),
    st.sampled_from(ODD_VALUES),
)
def test_any_one_edit_is_judged_the_same_way(document, data, edit, value):
    document = copy.deepcopy(document)
    path = data.draw(st.sampled_from(list(paths(document))))
    parent, key = parent_and_key(document, path)
    if edit == "replace":
        parent[key] = copy.deepcopy(value)
    elif edit == "delete":
        del parent[key]
    elif isinstance(parent[key], dict):
        parent[key]["sumary"] = "a misspelt key"
    assert outcome(CHECK, document) == outcome(FixtureFileSchema().load, document)


def scalar_paths(document):
    for path in paths(document):
        parent, key = parent_and_key(document, path)
        if not isinstance(parent[key], dict | list):
            yield path


def sample_entries():
    """Two entries of each section (between them, every field the bundled data use)."""
    for section, schema_class in SECTIONS.items():
        entries = [e for d in DOCUMENTS for e in d.get(section, [])]
        for entry in entries[:1] + [max(entries, key=lambda e: len(str(e)))]:
            yield section, schema_class, entry


@pytest.mark.parametrize("value", ODD_VALUES, ids=repr)
def test_every_scalar_replaced_by_an_odd_value_is_judged_the_same_way(value):
    for section, schema_class, entry in sample_entries():
        check, schema = compile_schema(schema_class), schema_class()
        for path in list(scalar_paths(entry)):
            edited = copy.deepcopy(entry)
            parent, key = parent_and_key(edited, path)
            parent[key] = copy.deepcopy(value)
            assert outcome(check, edited) == outcome(schema.load, edited), (section, path)


@pytest.mark.parametrize("schema_class", [FixtureFileSchema, *SECTIONS.values()])
def test_every_fixture_schema_compiles_and_makes_its_records(schema_class):
    """No fixture schema falls back to marshmallow on the fast path; records come out."""
    assert compile_schema(schema_class).__code__.co_filename.startswith("<compiled ")
    loaded = CHECK(DOCUMENTS[-1])
    assert all(type(p) is Position for p in loaded["positions"])
    assert all(type(e) is Evidence for p in loaded["positions"] for e in p.evidence)


# schemas/compiled.py and schemas/dumping.py read marshmallow's private ``Schema._hooks`` (and
# dumping calls ``Field._serialize``); pyproject.toml pins marshmallow below the next major.
MARSHMALLOW_MAJOR = 4
UPGRADE = (
    "schemas/compiled.py and schemas/dumping.py read marshmallow's private Schema._hooks and "
    "call Field._serialize: check them against this marshmallow, then change the bound in "
    "pyproject.toml, MARSHMALLOW_MAJOR here and the lock files (make lock)"
)


def test_marshmallow_is_the_major_version_the_compilers_were_written_for():
    installed = version("marshmallow")
    assert int(installed.split(".")[0]) == MARSHMALLOW_MAJOR, f"marshmallow {installed}: {UPGRADE}"


def test_marshmallow_hooks_have_the_layout_the_compilers_read():
    from schemas.fixtures import PositionFixtureSchema
    from schemas.health import HealthSchema

    hooks = PositionFixtureSchema._hooks
    layout = {tag: names for tag, names in hooks.items() if names}
    assert layout == {"post_load": [("make_record", False, {"pass_original": False})]}, UPGRADE
    assert not any(HealthSchema._hooks.values()), UPGRADE  # a schema without hooks has none
