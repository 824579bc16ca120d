"""The Explorer in a real browser: cells, controls, charts against the API, errors, axe-core."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest

PAGES = {
    "matrix": "/?as_of=2022-03-02",
    "issue": "/issues/neutrality",
    "compare": "/compare?parties=ukraine,russia",
    "changes": "/changes",
    "round": "/rounds/round-1",
    "party": "/parties/ukraine",
    "position": "/positions/usa-nato-membership-2022-03-01-biden",
    "corrected": "/positions/usa-neutrality-2022-03-01-biden",
    "source": "/sources/kyiv-2022-02-25",
    "first-edition": "/?as_of=2022-03-03&known_at=2026-11-30",
}
FIRST_EDITION = "2026-11-30"  # the record held only the first edition (recorded 2026-11-22)
# three cells the articles settle, at two dates (see tests/web/test_pages.py):
# - Putin "had demanded that Ukraine ... recognize Crimea ... as part of Russia" before the
#   invasion (kyiv-2022-02-25): Russia demands, at both dates;
# - "Zelensky also repeated his request for Ukraine to be accepted into NATO" (Tuesday,
#   1 March): Ukraine supports NATO membership from then on;
# - in the first round Moscow demanded that Ukraine "drop its demand that Crimea be returned
#   to Ukraine" (bombing-must-stop-2022-03-01): Russia rejects the return from then on.
CELLS = {
    "2022-02-26": {("crimea", "russia"): "demands", ("nato-membership", "ukraine"): "",
                   ("crimea-return", "russia"): ""},
    "2022-03-02": {("crimea", "russia"): "demands", ("nato-membership", "ukraine"): "supports",
                   ("crimea-return", "russia"): "rejects"},
}  # fmt: skip


def api(base_url: str, path: str) -> dict:
    with urllib.request.urlopen(base_url + path, timeout=10) as response:
        return json.load(response)


def shown(page, issue: str, party: str) -> str:
    """What a matrix cell says: its stance's word, or "" when it has none."""
    cell = page.locator(f'#matrix tr[data-issue="{issue}"] td[data-party="{party}"]')
    word = cell.locator(".word")
    return word.inner_text() if word.count() else ""


@pytest.mark.parametrize("as_of", sorted(CELLS))
def test_matrix_shows_the_articles_stances(watched, as_of):
    page = watched.open(f"/?as_of={as_of}")
    for (issue, party), stance in CELLS[as_of].items():
        assert shown(page, issue, party) == stance, (as_of, issue, party)


def test_the_date_control_changes_the_cells(watched):
    page = watched.open("/?as_of=2022-02-26")
    page.fill("#as_of", "2022-03-02")
    page.click("form.controls button[type=submit]")
    page.wait_for_url(re.compile(r"as_of=2022-03-02"))
    for (issue, party), stance in CELLS["2022-03-02"].items():
        assert shown(page, issue, party) == stance
    page.click("a[rel=prev]")  # previous move: 1 March, the day of Zelensky's request
    page.wait_for_url(re.compile(r"as_of=2022-03-01"))
    assert shown(page, "nato-membership", "ukraine") == "supports"
    assert shown(page, "crimea-return", "russia") == "rejects"  # the round, by 28 February


def test_the_known_as_of_control_shows_the_record_as_it_stood(watched):
    # The first edition filed Putin's demand "that Ukraine abandon any aspirations of joining
    # NATO" under neutrality, as demands; the second edition (2026-12-03) moved it to NATO
    # membership, as rejects: no Russian neutrality cell as the record stands.
    page = watched.open("/?as_of=2022-03-03")
    assert page.input_value("#known_at") == "2026-12-03"  # the last record day
    assert shown(page, "neutrality", "russia") == ""
    assert shown(page, "nato-membership", "russia") == "rejects"
    page.fill("#known_at", FIRST_EDITION)
    page.click("form.controls button[type=submit]")
    page.wait_for_url(re.compile(rf"as_of=2022-03-03&known_at={FIRST_EDITION}"))
    assert shown(page, "neutrality", "russia") == "demands"
    assert shown(page, "nato-membership", "russia") == ""
    assert "As the record stood on" in page.locator("p.record-time").inner_text()
    page.click("a[rel=prev]")  # the steps keep the record day
    page.wait_for_url(re.compile(rf"as_of=2022-03-01&known_at={FIRST_EDITION}"))
    assert shown(page, "neutrality", "russia") == "demands"
    page.click("p.record-time a")  # back to the record as it stands, same as_of
    page.wait_for_url(re.compile(r"/\?as_of=2022-03-01$"))
    assert shown(page, "neutrality", "russia") == ""


def test_the_controls_work_from_the_keyboard(watched):
    page = watched.open("/?as_of=2022-02-26")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the content"
    page.focus("a[rel=next]")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # focus is visible
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"as_of=2022-02-28"))
    assert shown(page, "crimea-return", "russia") == "rejects"  # the first round's demand


@pytest.mark.parametrize("issue", ["nato-membership", "no-fly-zone", "leaders-talks"])
def test_an_issue_chart_has_a_series_per_party_and_a_step_per_position(watched, base_url, issue):
    page = watched.open(f"/issues/{issue}")
    timeline = api(base_url, f"/api/v1/issues/{issue}/timeline")["parties"]
    names = {p["id"]: p["name"] for p in api(base_url, "/api/v1/parties")["items"]}
    lines = page.locator('svg.chart-plot g[data-label="line"] path')
    assert lines.count() == len(timeline)
    dots = page.locator('svg.chart-plot g[data-label="dot"] > *')
    labels = [dots.nth(i).get_attribute("data-label") for i in range(dots.count())]
    for n, series in enumerate(timeline):
        name = names[series["party"]]
        assert lines.nth(n).get_attribute("data-label") == name
        steps = len(series["entries"])
        assert sum(label.startswith(name + ",") for label in labels) == steps
        # a step-after line: two segments per position (across, then up or down); the
        # last runs on to the end of the data
        assert lines.nth(n).get_attribute("d").count("L") == 2 * steps
        for entry in series["entries"]:
            assert f"{name}, {entry['date']}: {entry['stance']}" in " | ".join(labels)
    legend = page.locator(".chart-legend li")
    assert legend.all_inner_texts() == [names[s["party"]] for s in timeline]


@pytest.mark.parametrize("pair", ["ukraine,russia", "ukraine,usa"])
def test_the_compare_chart_and_table_agree_with_the_api(watched, base_url, pair):
    page = watched.open(f"/compare?parties={pair}")
    series = api(base_url, f"/api/v1/convergence?parties={pair}")["points"]
    rows = page.locator("#convergence-table tbody tr")
    table = [
        (rows.nth(i).get_attribute("data-date"), rows.nth(i).locator("td").first.inner_text())
        for i in range(rows.count())
    ]
    assert table == [
        (p["date"], "—" if p["mean_gap"] is None else str(p["mean_gap"])) for p in series
    ]
    dots = page.locator('svg.chart-plot g[data-label="dot"] circle')
    drawn = []
    for i in range(dots.count()):
        label = dots.nth(i).get_attribute("data-label")
        day, gap, issues = re.fullmatch(r"(\S+): mean gap (\S+) over (\d+) issues", label).groups()
        drawn.append((day, float(gap), int(issues), float(dots.nth(i).get_attribute("cy"))))
    known = [p for p in series if p["mean_gap"] is not None]
    assert [(d, g, n) for d, g, n, _ in drawn] == [
        (p["date"], p["mean_gap"], p["issues"]) for p in known
    ]
    # and drawn where they belong: a larger gap is higher up (a smaller y)
    for _, gap, _, y in drawn:
        for _, other, _, other_y in drawn:
            if gap > other:
                assert y < other_y


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_is_clean_and_photographed(browser, base_url, name):
    """No console error, no failed request, no serious axe violation; a screenshot per width."""
    from tests.browser.conftest import Watched

    for width in (390, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        watched = Watched(context.new_page(), base_url)
        try:
            page = watched.open(PAGES[name])
            overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
            assert overflow <= 0, (name, width, "wider than the window")
            watched.screenshot(f"{name}-{width}")
            assert watched.axe() == [], (name, width)
            assert watched.problems == [], (name, width)
        finally:
            context.close()


def test_pages_work_without_javascript(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(base_url + "/?as_of=2022-03-02")
        assert shown(page, "crimea-return", "russia") == "rejects"
        page.goto(base_url + f"/?as_of=2022-03-02&known_at={FIRST_EDITION}")
        assert shown(page, "crimea", "ukraine") == "rejects"  # the first edition's, retracted
        # Zelensky's plea and appeal, the White House's refusal and Biden's "not the time"
        page.goto(base_url + "/issues/no-fly-zone")
        assert page.locator("svg.chart-plot").count() == 0
        assert page.locator("#moves-table tbody tr").count() == 4  # the chart's data, as a table
    finally:
        context.close()
