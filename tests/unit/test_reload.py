"""Reload (service/state.py, and gunicorn's on_reload hook): the new dataset is swapped in
whole once valid; a refused reload keeps the last good data and says where it failed."""

from __future__ import annotations

import gc
from datetime import datetime
from types import SimpleNamespace

import pytest

from service import create_app


@pytest.fixture
def editable(fixtures_copy):
    """An app serving a copy of the bundled fixtures, which the test may change and reload."""
    return create_app({"PARLEY_FIXTURES": str(fixtures_copy), "TESTING": True}), fixtures_copy


def test_readyz_reports_a_refused_reload_with_file_and_line_and_keeps_the_old_data(editable):
    app, fixtures = editable
    client = app.test_client()
    before = client.get("/readyz").json
    broken = fixtures / "2022-03-03-round-2.yaml"
    good = broken.read_text("utf-8")
    broken.write_text(good.replace("stance: supports", "stance: keen", 1), "utf-8")
    line = 1 + good[: good.index("stance: supports")].count("\n")

    assert app.extensions["parley"].reload() is False

    body = client.get("/readyz").json
    assert (body["data_version"], body["counts"]) == (before["data_version"], before["counts"])
    error = body["last_reload_error"]
    assert datetime.fromisoformat(error["at"]).tzinfo is not None
    # where, never what: a message may quote the file, and /readyz is public
    assert error["count"] == 1
    assert error["errors"] == [f"{broken.name}:{line}: positions[1].stance"]

    broken.write_text(good + "\n# reviewed\n", "utf-8")
    assert app.extensions["parley"].reload() is True
    body = client.get("/readyz").json
    assert body["last_reload_error"] is None
    assert body["data_version"] != before["data_version"]


def test_a_reload_that_cannot_start_its_loading_process_keeps_the_data(app, monkeypatch):
    """No process to be had (fork fails): the last good data stay, and /readyz says why."""
    from service import gunicorn_conf

    holder = app.extensions["parley"]
    version = holder.dataset.version

    def fail():
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr("service.loading.isolate.os.fork", fail)
    gunicorn_conf.on_reload(SimpleNamespace(app=SimpleNamespace(wsgi=lambda: app)))

    body = app.test_client().get("/readyz").json
    assert body["data_version"] == version
    assert body["last_reload_error"]["errors"] == [
        ".: directory: cannot start the process that reads the fixtures: "
        "Resource temporarily unavailable"
    ]


def test_a_reload_is_never_answered_from_the_old_version(make_app, fixtures_copy):
    app = make_app(PARLEY_FIXTURES=str(fixtures_copy))
    client = app.test_client()
    # the first edition's answer (known_at before the second edition corrected it)
    url = "/api/v1/snapshot?as_of=2022-03-02&party=ukraine&issue=neutrality&known_at=2026-11-30"
    before = client.get(url)
    assert before.get_json()["cells"][0]["stance"] == "opposes"

    path = fixtures_copy / "2022-03-01-round-1.yaml"
    text = path.read_text(encoding="utf-8")
    edited = text.replace(
        "issue: neutrality\n    stance: opposes", "issue: neutrality\n    stance: rejects"
    )
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    assert app.extensions["parley"].reload()

    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.get_json()["cells"][0]["stance"] == "rejects"
    assert after.headers["X-Data-Version"] != before.headers["X-Data-Version"]
    assert after.headers["X-Data-Version"] == app.extensions["parley"].dataset.version
    assert after.headers["ETag"] != before.headers["ETag"]


def test_a_reload_of_unchanged_files_shows_the_new_load_time(make_app):
    app = make_app()  # not the `app` fixture, whose pushed context would pin one dataset
    client = app.test_client()
    holder = app.extensions["parley"]
    before = client.get("/api/v1/meta").get_json()
    fresh = holder.dataset
    holder._dataset = type(fresh).__new__(type(fresh))
    holder._dataset.__dict__.update(fresh.__dict__, loaded_at=fresh.loaded_at.replace(year=2030))
    after = client.get("/api/v1/meta").get_json()
    assert after["data_version"] == before["data_version"]
    assert after["loaded_at"].startswith("2030-") and not before["loaded_at"].startswith("2030-")


def test_a_load_leaves_the_collector_on_and_the_new_data_out_of_its_young_generations(
    editable,
):
    app, fixtures = editable
    holder = app.extensions["parley"]
    (fixtures / "broken.yaml").write_text("positions: [\n", "utf-8")
    assert holder.reload() is False  # refused: the collector is on again all the same
    assert gc.isenabled()
    (fixtures / "broken.yaml").unlink()
    assert holder.reload() is True
    assert gc.isenabled()
    # the dataset was filed under the oldest generation, not left for young collections
    young = {id(thing) for thing in gc.get_objects(generation=0)}
    young |= {id(thing) for thing in gc.get_objects(generation=1)}
    assert id(holder.dataset.positions) not in young
    assert id(next(iter(holder.dataset.positions.values()))) not in young
