"""A live server under hostile fixtures: the master never parses them, never dies, never grows.

Each finding of the reliability review (issue 10) has its test here, against a real
gunicorn with the production config; traffic goes to 127.0.0.1 only, bounded.
"""

from __future__ import annotations

import json

from tests.live import Traffic

ALIAS_BOMB = 'a: &a "' + "x" * 200_000 + '"\nb: [' + ", ".join(["*a"] * 20_000) + "]\n"


def test_an_alias_bomb_on_reload_is_refused_and_the_master_keeps_serving(gunicorn):
    """Finding 1: 260 kB of aliases once aborted the master; now a message names the line."""
    version = gunicorn.readiness()["data_version"]
    (gunicorn.fixtures / "bomb.yaml").write_text(ALIAS_BOMB, "utf-8")
    body = gunicorn.reload(lambda b: b["last_reload_error"], "the refusal")
    assert body["data_version"] == version
    assert body["last_reload_error"]["errors"][:2] == ["bomb.yaml:1: yaml", "bomb.yaml:2: yaml"]
    assert gunicorn.get("/api/v1/meta")[0] == 200


def test_refused_reloads_leave_the_master_rss_where_it_was(gunicorn):
    """Finding 2: each refusal once leaked its garbage into the master, for good."""
    bad = gunicorn.fixtures / "zz-bad.yaml"
    positions = "".join(
        f"  - {{id: p-{n}, party: nobody, issue: none, stance: keen, date: 2022-02-3{n % 2}}}\n"
        for n in range(3_000)
    )
    for attempt in range(31):
        # a different file each time, so that every reload really reads a new one
        bad.write_text(f"recorded: 2026-12-01\n# {attempt}\npositions:\n{positions}", "utf-8")
        gunicorn.reload(lambda b: b["last_reload_error"], f"refusal {attempt}")
        if attempt == 0:
            first = gunicorn.master_rss_kb()
    grown = gunicorn.master_rss_kb() - first
    assert grown < 2_048, f"the master grew by {grown} kB over 30 refused reloads"


def test_valid_and_invalid_reloads_alternate_under_load_and_no_request_fails(gunicorn):
    """An invalid set is never served, a valid one always is, and nothing fails meanwhile."""
    catalogue = gunicorn.fixtures / "catalogue.yaml"
    good = catalogue.read_text("utf-8")
    versions = {gunicorn.readiness()["data_version"]}
    with Traffic(gunicorn, read=lambda body: (200, body)) as traffic:
        for round_ in range(3):
            catalogue.write_text(good + f"\n# edit {round_}\n", "utf-8")
            body = gunicorn.reload(lambda b: not b["last_reload_error"], f"valid {round_}")
            versions.add(body["data_version"])
            catalogue.write_text(good.replace("stance", "stance") + "parties: [oops\n", "utf-8")
            gunicorn.reload(lambda b: b["last_reload_error"], f"invalid {round_}")
    assert len(versions) == 4
    assert [a for a in traffic.answers if a[0] == "failed"] == []
    served = {body["data_version"] for _, body in traffic.answers}
    assert served <= versions and len(served) >= 2


def test_readyz_never_shows_a_file_outside_the_directory(gunicorn, tmp_path):
    """Finding 5: a symlink to a secret once put the secret's lines into /readyz."""
    secret = tmp_path / "secret.yaml"
    secret.write_text("root: x0secret0x\n", "utf-8")
    (gunicorn.fixtures / "link.yaml").symlink_to(secret)
    body = gunicorn.reload(lambda b: b["last_reload_error"], "the refusal")
    status, raw = gunicorn.get("/readyz")
    assert b"x0secret0x" not in raw and str(tmp_path).encode() not in raw
    assert body["last_reload_error"]["errors"] == [
        "link.yaml:1: (file): a symbolic link that leads outside the fixture directory"
    ]


def test_a_large_invalid_file_is_refused_quickly_with_a_small_answer(gunicorn):
    """Finding 6: 20 MB of bad positions once held the master 23 s, grew it to 2.25 GB for
    good, and made /readyz 17.8 MB. Errors are capped per file; the parse is the child's."""
    before = gunicorn.master_rss_kb()
    line = "  - {id: p-N, party: nobody, issue: none, stance: keen, date: 2022-02-30}\n"
    rows = "".join(line.replace("N", str(n)) for n in range(160_000))
    (gunicorn.fixtures / "huge.yaml").write_text(f"recorded: 2026-12-01\npositions:\n{rows}")
    body = gunicorn.reload(lambda b: b["last_reload_error"], "the refusal", polls=1200)
    assert body["last_reload_error"]["count"] == 51  # 50 said, and "… and N more"
    assert len(json.dumps(body)) < 10_000
    assert gunicorn.master_rss_kb() - before < 10_240
