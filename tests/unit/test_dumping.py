"""Compiled response dumps give byte-identical API responses to marshmallow's own dump."""

from __future__ import annotations

import orjson
import pytest

from schemas.dumping import CompiledDumpSchema, compile_dump
from service import create_app
from service.dataset import Dataset
from tests.conftest import BUNDLED
from tests.support import load_dataset, write_synthetic


def urls(dataset) -> list[str]:
    """Every JSON endpoint, over every record and several dates."""
    first, last = dataset.date_range()
    middle = first + (last - first) / 2
    parties = list(dataset.parties)
    found = [
        f"/api/v1/{name}?page_size=500"
        for name in ("parties", "actors", "issues", "sources", "rounds", "positions")
    ]
    for name in ("parties", "actors", "issues", "sources", "rounds", "positions"):
        found += [f"/api/v1/{name}/{key}" for key in list(getattr(dataset, name))[:40]]
    found += [f"/api/v1/issues/{issue}/timeline" for issue in list(dataset.issues)[:20]]
    for day in (first, middle, last):
        found += [
            f"/api/v1/snapshot?as_of={day}",
            f"/api/v1/changes?until={day}&page_size=500",
            f"/api/v1/compare?parties={parties[0]},{parties[1]}&as_of={day}",
        ]
    return [*found, "/api/v1/meta", "/readyz"]


def responses(app, addresses, compiled: bool, monkeypatch) -> dict[str, bytes]:
    """Every address's body; not ``compiled``: marshmallow's own dump of the model objects,
    where the views otherwise hand over ready-made snapshot cells and timeline rows."""
    with monkeypatch.context() as patch:
        if not compiled:
            patch.setattr(CompiledDumpSchema, "_compiled_dumper", lambda self: None)
            patch.setattr(Dataset, "timeline_rows", Dataset.timeline)
        client = app.test_client()
        found = {}
        for url in addresses:
            response = client.get(url)
            assert response.status_code == 200, (url, response.get_data(as_text=True))
            found[url] = response.get_data()
        return found


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    directory = tmp_path_factory.mktemp("synth")
    return write_synthetic(directory, 400, seed=5)


@pytest.mark.parametrize("which", ["bundled", "synthetic"])
def test_every_endpoint_answers_the_same_with_and_without_compiled_dumps(
    which, synthetic, monkeypatch
):
    directory = BUNDLED if which == "bundled" else synthetic
    app = create_app({"PARLEY_FIXTURES": str(directory), "PARLEY_RESPONSE_CACHE_MB": 0})
    addresses = urls(app.extensions["parley"].dataset)
    assert len(addresses) > 40
    compiled = responses(app, addresses, True, monkeypatch)
    assert compiled == responses(app, addresses, False, monkeypatch)


def test_every_response_schema_compiles():
    """A schema that silently fell back to marshmallow would lose the speed, not correctness."""
    from schemas import api, resources, views

    schemas = [
        value
        for module in (api, resources, views)
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, CompiledDumpSchema)
        and value is not CompiledDumpSchema
    ]
    assert len(schemas) >= 20
    for schema in schemas:
        assert schema()._compiled_dumper() is not None, schema.__name__


@pytest.mark.parametrize(
    "obj",
    [{"a": None}, {}, {"a": {"b": 1}}, {"a": {"b": None}}],
)
def test_dotted_attributes_missing_part_way_are_left_out_as_marshmallow_does(obj):
    from marshmallow import Schema, fields

    class Dotted(Schema):
        b = fields.Integer(attribute="a.b")

    assert compile_dump(Dotted())(obj) == Dotted().dump(obj)


@pytest.mark.parametrize(
    ("fields_", "problem"),
    [
        ("b: str\n    a: str", "in order"),
        ("a: str", "exactly"),
        ("a: str\n    b: int", "b: int cannot stand for String"),
    ],
)
def test_a_native_type_must_match_its_schema(fields_, problem):
    from marshmallow import fields

    namespace: dict = {}
    exec(f"from dataclasses import dataclass\n@dataclass\nclass Row:\n    {fields_}\n", namespace)

    class Two(CompiledDumpSchema):
        a = fields.String()
        b = fields.String()

        class Meta:
            native = namespace["Row"]

    with pytest.raises(TypeError, match=problem):
        compile_dump(Two())


def test_native_rows_pass_through_and_dump_as_marshmallow_would():
    from schemas.views import CellSchema

    dataset = load_dataset(BUNDLED)
    cells = dataset.snapshot_cells(dataset.date_range()[1])
    dumped = CellSchema(many=True).dump(cells)
    assert all(row is cell for row, cell in zip(dumped, cells, strict=True))
    plain = CellSchema(many=True)
    plain._compiled_dumper = lambda: None  # marshmallow's own dump, reading the rows' fields
    # the same JSON: a row's rivals are a tuple, which orjson writes as the array a list is
    assert orjson.dumps(cells) == orjson.dumps(plain.dump(cells), option=orjson.OPT_SORT_KEYS)
    assert any(cell.rivals for cell in cells)
