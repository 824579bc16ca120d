"""SIGHUP to a live gunicorn: a valid change is served with no request failing, an invalid
one is refused with the last good data kept and the reason shown, until a later fix."""

from __future__ import annotations

import hashlib
import re

from tests.live import LiveServer, Traffic

NEW_POSITION = "russia-crimea-2022-03-07"
# a third round's article (hypothetical), archived beside the bundled ones
NEW_ARTICLE = (
    "The third round of talks ended on Monday without a breakthrough. Moscow said again "
    "that Crimea must be recognised as Russian.\n"
)
NEW_ROUND_FILE = f"""\
recorded: 2026-12-03
sources:
  - id: third-round-2022-03-08
    outlet: null
    title: Third round of talks ends without a breakthrough
    published: 2022-03-08
    archive: archive/third-round-2022-03-08.txt
    sha256: {hashlib.sha256(NEW_ARTICLE.encode()).hexdigest()}
    date_basis:
      method: inferred
      reasoning: Written "Tuesday", the day after talks held on Monday 7 March 2022.

positions:
  - id: {NEW_POSITION}
    party: russia
    issue: crimea
    stance: demands
    date: 2022-03-07
    summary: Russia repeated that Ukraine must recognise Crimea as Russian.
    evidence:
      - source: third-round-2022-03-08
        quote: Crimea must be recognised as Russian
"""


def readiness_traffic(server: LiveServer) -> Traffic:
    """/readyz asked in a loop: each answer as (data version, positions, reload refused)."""

    def read(body: dict) -> tuple:
        return body["data_version"], body["counts"]["positions"], bool(body["last_reload_error"])

    return Traffic(server, "/readyz", read)


def test_a_valid_change_is_served_after_hup_and_no_request_fails_meanwhile(server):
    before = server.readiness()
    (server.fixtures / "archive" / "third-round-2022-03-08.txt").write_text(NEW_ARTICLE, "utf-8")
    (server.fixtures / "2022-03-07-round-3.yaml").write_text(NEW_ROUND_FILE, "utf-8")

    with readiness_traffic(server) as traffic:
        server.hup()
        after = server.ready_when(
            lambda body: body["data_version"] != before["data_version"], "the new data version"
        )
        # until the loop itself has been answered by a new worker
        server.wait_for(lambda: after["data_version"] in {a[0] for a in traffic.answers}, "it")

    count = before["counts"]["positions"]
    # every answer whole: the old version with the old count, or the new with the new
    assert set(traffic.answers) == {
        (before["data_version"], count, False),
        (after["data_version"], count + 1, False),
    }
    assert after["counts"]["positions"] == count + 1
    assert after["last_reload_error"] is None
    status, position = server.json(f"/api/v1/positions/{NEW_POSITION}")
    assert status == 200
    assert position["recorded"] == "2026-12-03"
    assert [e["verified"] for e in position["evidence"]] == [True]  # checked against the archive
    reloaded = [e for e in server.events() if e.get("event") == "reloaded"]
    assert [(e["data_version"], e["counts"]["positions"]) for e in reloaded] == [
        (after["data_version"], count + 1)
    ]


def test_invalid_fixtures_on_hup_keep_the_last_good_data_until_a_later_fix(server):
    before = server.readiness()
    broken = server.fixtures / "2022-03-03-round-2.yaml"
    good = broken.read_text("utf-8")
    lines = good.splitlines(keepends=True)
    line = next(n for n, text in enumerate(lines, 1) if text.strip() == "stance: demands")
    lines[line - 1] = lines[line - 1].replace("demands", "insists")
    broken.write_text("".join(lines), "utf-8")

    with readiness_traffic(server) as traffic:
        server.hup()
        # new workers, forked after the master refused the fixtures, report the refusal
        server.wait_for(lambda: any(a[-1] is True for a in traffic.answers), "a new worker")

    assert {a[0] for a in traffic.answers} == {before["data_version"]}  # no failure either
    assert {a[-1] for a in traffic.answers} == {False, True}  # answered across the swap
    after = server.readiness()
    assert after["data_version"] == before["data_version"]
    assert after["counts"] == before["counts"]
    [where] = after["last_reload_error"]["errors"]
    assert re.fullmatch(rf"{broken.name}:{line}: positions\[\d+\]\.stance", where)
    failed = [e for e in server.events() if e.get("event") == "reload_failed"]
    assert len(failed) == 1
    [logged] = failed[0]["errors"]  # the log says what, too
    assert logged.startswith(f"{where}: 'insists' is not a stance")
    assert failed[0]["level"] == "ERROR"
    assert failed[0]["data_version"] == before["data_version"]

    # a later valid change clears the error
    broken.write_text(good + "\n# reviewed\n", "utf-8")
    server.hup()
    fixed = server.ready_when(lambda body: body["last_reload_error"] is None, "the reload")
    assert fixed["data_version"] != before["data_version"]
    assert [e["event"] for e in server.events() if "reload" in e.get("event", "")] == [
        "reload_failed",
        "reloaded",
    ]
