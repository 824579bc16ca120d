"""The Explorer's pages through Flask's test client: content, links, errors and HTTP headers."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from lxml import html

from service.security import PAGE_CSP as CONTENT_SECURITY_POLICY

FIRST_EDITION = "2026-11-30"  # a day when the record held only the first edition (2026-11-22)
PAGES = [
    "/",
    "/?as_of=2022-02-26",
    f"/?as_of=2022-03-01&known_at={FIRST_EDITION}",
    "/issues/neutrality",
    "/compare",
    "/compare?parties=ukraine,usa&as_of=2022-03-02",
    "/changes",
    "/changes?party=ukraine&since=2022-03-01",
    "/rounds/round-1",
    "/parties/ukraine",
    "/positions/usa-nato-membership-2022-03-01-biden",
    "/positions/usa-neutrality-2022-03-01-biden",  # superseded on 2026-12-03
    "/positions/ukraine-crimea-2022-02-28",  # retracted on 2026-12-03
    f"/positions/usa-neutrality-2022-03-01-biden?known_at={FIRST_EDITION}",
    "/sources/kyiv-2022-02-25",
    f"/issues/neutrality?known_at={FIRST_EDITION}",
]


def page(client, path: str, status: int = 200):
    response = client.get(path)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/html"
    return html.fromstring(response.get_data(as_text=True)), response


def cell(doc, issue: str, party: str):
    """A matrix cell: its stance word ("" when empty) and its element."""
    (td,) = doc.xpath(f'//table[@id="matrix"]//tr[@data-issue="{issue}"]/td[@data-party="{party}"]')
    return td.get("data-stance", ""), td


def island(doc, name: str) -> dict:
    (script,) = doc.xpath(f'//script[@id="{name}"]')
    assert script.get("type") == "application/json"
    return json.loads(script.text)


# -- HTTP --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_the_apis_validators_and_a_strict_csp(client, path):
    _, response = page(client, path)
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["X-Data-Version"]
    assert response.cache_control.public and response.cache_control.max_age == 60
    etag = response.headers["ETag"]
    assert etag.startswith('"')
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""


@pytest.mark.parametrize("path", PAGES)
def test_no_inline_script_or_style(client, path):
    doc, _ = page(client, path)
    for script in doc.iter("script"):
        assert script.get("src") or script.get("type") == "application/json"
        if script.get("src"):
            assert not (script.text or "").strip()
    assert not doc.xpath("//style | //*[@style] | //*[@*[starts-with(name(), 'on')]]")
    assert "http://" not in html.tostring(doc, encoding="unicode").split("<footer")[0].replace(
        "http://www.w3.org", ""
    )  # nothing from another origin


@pytest.mark.parametrize("path", PAGES)
def test_every_link_and_asset_on_a_page_answers(client, path):
    doc, _ = page(client, path)
    targets = {a for a in doc.xpath("//a/@href | //link/@href | //script/@src | //form/@action")}
    for target in sorted(targets):
        if target.startswith("#"):
            continue
        response = client.get(target)
        assert response.status_code == 200, (path, target)
        response.close()


@pytest.mark.parametrize("path", PAGES)
def test_tables_have_header_cells_and_captions(client, path):
    doc, _ = page(client, path)
    for table in doc.iter("table"):
        assert table.find("caption") is not None, path
        assert table.xpath("./thead//th[@scope='col']"), path
        for row in table.xpath("./tbody/tr[td]"):
            assert row.xpath("./th[@scope='row']") or len(row) == 1, path


def test_the_shared_cache_replays_a_page(app, client):
    cache = app.extensions["parley.replay"]  # one cache for the API and the pages
    first = client.get("/issues/crimea")
    assert len(cache.entries) == 1
    again = client.get("/issues/crimea")
    assert again.get_data() == first.get_data()
    assert again.headers["ETag"] == first.headers["ETag"]
    assert len(cache.entries) == 1
    client.get("/issues/nope")  # errors are not kept
    assert len(cache.entries) == 1
    client.get("/api/v1/meta")  # the API's responses go to the same cache
    assert len(cache.entries) == 2
    old = client.get(f"/issues/crimea?known_at={FIRST_EDITION}")  # another record day
    assert old.get_data() != first.get_data()
    assert len(cache.entries) == 3


# -- the matrix -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "issue", "party", "stance"),
    [
        # "Ukraine was 'not afraid to talk about neutral status,' Zelensky had said in his
        # earlier comments this week" (kyiv-2022-02-25): open, and nothing later on neutrality
        ("2022-02-26", "neutrality", "ukraine", "open"),
        ("2022-03-02", "neutrality", "ukraine", "open"),
        # "Zelensky also repeated his request for Ukraine to be accepted into NATO"
        # (bombing-must-stop-2022-03-01, a Tuesday: 1 March): a request, supports
        ("2022-02-26", "nato-membership", "ukraine", ""),
        ("2022-03-02", "nato-membership", "ukraine", "supports"),
        # "Before the onslaught ..., Putin had demanded that Ukraine abandon any aspirations of
        # joining NATO, give up all weapons and recognize Crimea ... as part of Russia"
        ("2022-02-26", "crimea", "russia", "demands"),
        ("2022-03-02", "crimea", "russia", "demands"),
        ("2022-02-26", "nato-membership", "russia", "rejects"),  # a demand for its opposite
        # first round: Moscow demanded that Ukraine "drop its demand that Crimea be returned to
        # Ukraine": Russia rejects the return; nothing Ukraine said about Crimea is reported
        ("2022-02-26", "crimea-return", "russia", ""),
        ("2022-03-02", "crimea-return", "russia", "rejects"),
        ("2022-03-02", "crimea", "ukraine", ""),
    ],
)
def test_matrix_cells(client, as_of, issue, party, stance):
    doc, _ = page(client, f"/?as_of={as_of}")
    found, td = cell(doc, issue, party)
    assert found == stance
    if stance:
        assert td.get("class").split()[0] == f"s-{stance}"
        assert stance in td.text_content()  # the word, beside the colour and the symbol
        (link,) = td.xpath(".//a/@href")
        assert link.startswith(f"/positions/{party}-{issue}-")
    else:
        assert "no position" in td.text_content()


@pytest.mark.parametrize(
    ("issue", "party", "first_edition", "as_it_stands"),
    [
        # the first edition filed Putin's "abandon any aspirations of joining NATO" under
        # neutrality as demands; the second files it under nato-membership, rejects
        ("neutrality", "russia", "demands", ""),
        ("nato-membership", "russia", "", "rejects"),
        # and read "plead with members of NATO to impose a no-fly zone" as demands, where an
        # appeal is supports
        ("no-fly-zone", "ukraine", "demands", "supports"),
        # Ukraine's Crimea position of the first round was inferred, and is retracted
        ("crimea", "ukraine", "rejects", ""),
    ],
)
def test_the_known_at_control_shows_the_record_as_it_stood(
    client, issue, party, first_edition, as_it_stands
):
    doc, _ = page(client, f"/?as_of=2022-03-03&known_at={FIRST_EDITION}")
    assert doc.xpath('//input[@type="date"][@name="known_at"]/@value') == [FIRST_EDITION]
    assert cell(doc, issue, party)[0] == first_edition
    (note,) = doc.xpath('//p[contains(@class, "record-time")]')
    assert "As the record stood on 22 Nov 2026" in note.text_content()  # its last record day
    # every link keeps the record day, beside as_of
    assert doc.xpath('//a[@rel="prev"]/@href') == [f"/?as_of=2022-03-01&known_at={FIRST_EDITION}"]
    for href in doc.xpath('//table[@id="matrix"]//a/@href'):
        assert href.endswith(f"?known_at={FIRST_EDITION}"), href
    doc, _ = page(client, "/?as_of=2022-03-03")
    assert cell(doc, issue, party)[0] == as_it_stands
    # as it stands, the control shows the last record day (the second edition's)
    assert doc.xpath('//input[@name="known_at"]/@value') == ["2026-12-03"]
    assert not doc.xpath('//p[contains(@class, "record-time")]')


def test_matrix_defaults_to_the_latest_date_and_steps_between_moves(client):
    doc, _ = page(client, "/")
    assert doc.xpath('//input[@id="as_of"]/@value') == ["2022-03-03"]
    assert doc.xpath('//a[@rel="prev"]/@href') == ["/?as_of=2022-03-01"]
    assert not doc.xpath('//a[@rel="next"]')
    doc, _ = page(client, "/?as_of=2022-02-26")
    assert doc.xpath('//a[@rel="prev"]/@href') == ["/?as_of=2022-02-25"]
    assert doc.xpath('//a[@rel="next"]/@href') == ["/?as_of=2022-02-28"]


def test_matrix_has_every_issue_and_party(client, bundled):
    doc, _ = page(client, "/")
    rows = doc.xpath('//table[@id="matrix"]/tbody/tr')
    assert [row.get("data-issue") for row in rows] == list(bundled.issues)
    for row in rows:
        assert [td.get("data-party") for td in row.xpath("./td")] == list(bundled.parties)


def test_matrix_marks_disputed_and_conditional_cells(client):
    doc, _ = page(client, "/?as_of=2022-03-01")
    # Biden's "now was not the time", read as about NATO membership by one article ("to make
    # that move") and about a no-fly zone by the other ("to introduce such a measure")
    _, td = cell(doc, "nato-membership", "usa")
    assert "disputed" in td.get("class") and "(disputed)" in td.text_content()
    assert td.get("data-rivals") == "usa-no-fly-zone-2022-03-01-biden"
    assert td.xpath('.//span[@class="rivals"]/a/@href') == [
        "/positions/usa-no-fly-zone-2022-03-01-biden"
    ]
    # "not afraid to talk about neutral status ... But what security guarantees will we have?"
    _, td = cell(doc, "neutrality", "ukraine")
    assert "(with conditions)" in td.text_content() and "disputed" not in td.get("class")
    _, td = cell(doc, "nato-membership", "russia")
    assert "disputed" not in td.get("class") and "(with" not in td.text_content()
    # the first edition filed the first reading under neutrality, with conditions
    doc, _ = page(client, f"/?as_of=2022-03-01&known_at={FIRST_EDITION}")
    _, td = cell(doc, "neutrality", "usa")
    assert "disputed" in td.get("class")
    assert "(disputed)" in td.text_content() and "(with conditions)" in td.text_content()


# -- other pages ----------------------------------------------------------------------------


def test_issue_page_chart_data_and_moves(client, bundled):
    doc, _ = page(client, "/issues/no-fly-zone")
    chart = island(doc, "issue-chart-data")
    timeline = bundled.timeline("no-fly-zone")
    assert [s["party"] for s in chart["series"]] == [party for party, _ in timeline]
    for series, (_, entries) in zip(chart["series"], timeline, strict=True):
        assert [p["position"] for p in series["points"]] == [e.position.id for e in entries]
    assert chart["domain"] == ["2022-02-23", "2022-03-03"]
    assert [r["id"] for r in chart["rounds"]] == ["round-1", "round-2"]
    rows = doc.xpath('//table[@id="moves-table"]/tbody/tr')
    # Zelensky's plea of 1 March (Tuesday); the White House "not willing to enforce" and Biden's
    # "not the time to introduce such a measure", both said by 1 March; the appeal of Thursday
    assert [(r.get("data-date"), r.get("data-party")) for r in rows] == [
        ("2022-03-01", "ukraine"), ("2022-03-01", "usa"), ("2022-03-01", "usa"),
        ("2022-03-03", "ukraine"),
    ]  # fmt: skip
    assert "plead with members of NATO to impose a no-fly zone" in rows[0].text_content()
    assert "reiterated" in rows[3].text_content()  # an appeal again: supports, as before
    # the first edition: Russia's demand and Ukraine's two statements, under neutrality
    doc, _ = page(client, f"/issues/neutrality?known_at={FIRST_EDITION}")
    rows = doc.xpath('//table[@id="moves-table"]/tbody/tr')
    assert [r.get("data-date") for r in rows] == [
        "2022-02-23", "2022-02-25", "2022-03-01", "2022-03-01"
    ]  # fmt: skip
    assert "not afraid to talk about neutral status" in rows[1].text_content()
    assert "hardened" in rows[2].text_content()


def test_compare_page_defaults_and_agrees_with_the_api(client):
    doc, _ = page(client, "/compare")
    assert doc.xpath("//h1")[0].text_content() == "Ukraine and Russia"
    series = client.get("/api/v1/convergence?parties=ukraine,russia").get_json()["points"]
    assert island(doc, "convergence-chart-data")["points"] == series
    rows = doc.xpath('//table[@id="convergence-table"]/tbody/tr')
    assert [(r.get("data-date"), r.get("data-mean-gap")) for r in rows] == [
        (p["date"], "" if p["mean_gap"] is None else str(p["mean_gap"])) for p in series
    ]
    # "repeated his request for Ukraine to be accepted into NATO" against "demanded that Ukraine
    # abandon any aspirations of joining NATO"
    nato = doc.xpath('//table[@id="compare-table"]//tr[@data-issue="nato-membership"]')[0]
    assert nato.get("data-status") == "opposed"
    assert "supports" in nato.text_content() and "rejects" in nato.text_content()
    # "The two sides said they agreed on the need for humanitarian corridors"
    corridors = doc.xpath('//table[@id="compare-table"]//tr[@data-issue="humanitarian-corridors"]')
    assert corridors[0].get("data-status") == "agreed"


def test_compare_page_marks_conditional_rows(client):
    # the first edition gave Ukraine's corridors the local ceasefire as conditions: the same
    # leaning as Russia's, with conditions; the second edition files that as its own issue
    path = f"/compare?parties=ukraine,russia&as_of=2022-03-03&known_at={FIRST_EDITION}"
    doc, _ = page(client, path)
    (row,) = doc.xpath('//table[@id="compare-table"]//tr[@data-issue="humanitarian-corridors"]')
    assert row.get("data-status") == "conditional" and "conditional" in row.get("class")
    assert "conditional" in row.xpath('.//td[@data-label="Status"]')[0].text_content()
    assert "Conditions:" in row.text_content()
    assert doc.xpath('//input[@type="hidden"][@name="known_at"]/@value') == [FIRST_EDITION]
    series = client.get(
        f"/api/v1/convergence?parties=ukraine,russia&known_at={FIRST_EDITION}"
    ).get_json()["points"]
    assert island(doc, "convergence-chart-data")["points"] == series


def test_compare_form_sends_the_parties_as_two_fields(client):
    doc, _ = page(client, "/compare?parties=usa&parties=nato")
    assert doc.xpath("//h1")[0].text_content() == "United States and NATO"
    assert doc.xpath('//select[@id="first"]/option[@selected]/@value') == ["usa"]
    assert doc.xpath('//select[@id="second"]/option[@selected]/@value') == ["nato"]


def test_changes_page_filters_pages_and_links_the_feed(client):
    doc, _ = page(client, "/changes?party=ukraine&issue=&since=")  # a form's empty fields
    api = client.get("/api/v1/changes?party=ukraine&page_size=500").get_json()
    rows = doc.xpath('//table[@id="changes-table"]/tbody/tr')
    assert [r.get("data-position") for r in rows] == [c["position"] for c in api["items"]][::-1]
    feed = doc.xpath('//link[@rel="alternate"][@type="application/atom+xml"]/@href')
    assert feed == ["/api/v1/changes.atom?party=ukraine"]
    # 33 positions as the record stands, less 6 reiterations of the same party's stance on the
    # same issue: Russia's demilitarisation and denazification (23/24 and 25 February),
    # Ukraine's leaders' talks, security guarantees, troop withdrawal and no-fly zone (each
    # asked for again); Biden's and the White House's same-day no-fly-zone readings are one
    # uncertain move, neither labelled against the other
    doc, _ = page(client, "/changes")
    total = client.get("/api/v1/changes").get_json()["total"]
    assert len(doc.xpath('//table[@id="changes-table"]/tbody/tr')) == total == 27
    assert doc.xpath('//p[@id="changes-count"]')[0].text_content() == "27 changes."
    doc, _ = page(client, f"/changes?known_at={FIRST_EDITION}")  # the first edition's 26
    assert doc.xpath('//p[@id="changes-count"]')[0].text_content() == "26 changes."


def test_position_page_shows_evidence_conditions_and_the_rival_reading(client):
    doc, _ = page(client, "/positions/usa-nato-membership-2022-03-01-biden")
    text = doc.text_content()
    assert "now was not the time to make that move" in text  # the quote
    assert "Disputed." in text
    assert doc.xpath('//a[@href="/positions/usa-no-fly-zone-2022-03-01-biden"]')
    assert doc.xpath('//a[@href="/sources/bombing-must-stop-2022-03-01"]')
    # the quote is in the archived article: verified
    assert doc.xpath('//figure[@class="quote"]/@data-verified') == ["true"]
    assert "verified against the archived text" in text
    # it corrects the first edition's reading, and says so
    (note,) = doc.xpath('//div[@id="corrects"]')
    assert note.xpath('.//a/@href') == ["/positions/usa-neutrality-2022-03-01-biden"]
    # as the record stood on 30 November: the first edition's position, with its conditions
    doc, _ = page(client, f"/positions/usa-neutrality-2022-03-01-biden?known_at={FIRST_EDITION}")
    assert "Membership deferred" in doc.text_content()
    assert not doc.xpath('//div[@id="correction"]')
    assert doc.xpath(
        f'//a[@href="/positions/usa-no-fly-zone-2022-03-01-biden?known_at={FIRST_EDITION}"]'
    )


def test_a_superseded_position_says_by_what_when_and_why(client):
    doc, _ = page(client, "/positions/usa-neutrality-2022-03-01-biden")
    (note,) = doc.xpath('//div[@id="correction"]')
    text = " ".join(note.text_content().split())
    assert text.startswith("Superseded by United States opposes on Ukraine's membership of NATO")
    assert "on 3 Dec 2026:" in text
    assert "concerns when Ukraine is admitted to NATO, not neutral status" in text  # the reason
    assert note.xpath(".//a/@href")[0] == "/positions/usa-nato-membership-2022-03-01-biden"
    # the page before the correction, as the record stood the day before
    assert "/?as_of=2022-03-01&known_at=2026-12-02" in note.xpath(".//a/@href")


def test_a_retracted_position_says_when_and_why(client):
    doc, _ = page(client, "/positions/ukraine-crimea-2022-02-28")
    (note,) = doc.xpath('//div[@id="correction"]')
    text = " ".join(note.text_content().split())
    assert text.startswith("Retracted on 3 Dec 2026:")
    assert "nothing Ukraine said in the round" in text
    # a position recorded after the day asked for is not in that record
    page(client, f"/positions/usa-nato-membership-2022-03-01-biden?known_at={FIRST_EDITION}", 404)


def test_round_party_and_source_pages(client):
    doc, _ = page(client, "/rounds/round-1")
    assert "five hours" in doc.text_content()
    # TASS: Moscow demanded that Ukraine commit to keeping out of the EU, recognise Donetsk and
    # Luhansk, and drop its demand that Crimea be returned; "Ukraine, in turn, demanded a
    # cease-fire and a withdrawal of Russian troops": five positions (the first edition had a
    # sixth, Ukraine on Crimea, inferred and retracted)
    assert len(doc.xpath('//table[@id="round-positions-table"]/tbody/tr')) == 5
    doc, _ = page(client, f"/rounds/round-1?known_at={FIRST_EDITION}")
    assert len(doc.xpath('//table[@id="round-positions-table"]/tbody/tr')) == 6
    doc, _ = page(client, "/parties/usa")
    assert "Joe Biden" in doc.text_content()
    assert doc.xpath('//a[@href="/compare?parties=usa,ukraine"]')
    doc, _ = page(client, "/sources/kyiv-2022-02-25")
    assert "dateline" in doc.text_content()
    assert "archive/kyiv-2022-02-25.txt" in doc.text_content()
    # from the article of 25 February: Putin's three demands "before the onslaught" (NATO,
    # weapons, Crimea); Peskov's offer of ministers for talks and the insistence on
    # "demilitarization and denazification" (two); Zelensky's call to "sit down for talks",
    # his urging for more sanctions, "not afraid to talk about neutral status" and "what
    # security guarantees will we have?": ten. (The first edition's eleven also had the USA's
    # and the EU's sanctions, from "the sanctions by Western allies", but not the offer.)
    assert len(doc.xpath('//table[@id="source-positions-table"]/tbody/tr')) == 10


# -- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/issues/neutrallity", "There is no issue 'neutrallity'. Did you mean 'neutrality'?"),
        ("/rounds/round-9", "There is no round 'round-9'."),
        ("/parties/rusia", "There is no party 'rusia'. Did you mean 'russia'?"),
        ("/positions/nope", "There is no position 'nope'."),
        ("/sources/nope", "There is no source 'nope'."),
    ],
)
def test_unknown_ids_are_html_404_pages(client, path, message):
    doc, response = page(client, path, 404)
    assert message in doc.text_content()
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "ETag" not in response.headers


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/?as_of=yesterday", "as_of"),
        ("/?asof=2022-03-01", "asof"),
        ("/compare?parties=ukraine", "parties"),
        ("/compare?parties=ukraine,ukraine", "parties"),
        ("/compare?parties=ukraine,rusia", "parties"),
        ("/changes?party=rusia", "party"),
        ("/changes?page=0", "page"),
        ("/issues/crimea?page=x", "page"),
        ("/positions/ukraine-neutrality-2022-03-01?x=1", "x"),
    ],
)
def test_bad_parameters_are_html_400_pages(client, path, parameter):
    doc, _ = page(client, path, 400)
    assert doc.xpath(f'//ul[@class="errors"]/li/code[text()="{parameter}"]')


def test_an_unknown_route_stays_a_problem(client):
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_assets_are_served_from_the_app(client):
    for name in ("explorer.css", "charts.js", "vendor/plot.umd.min.js", "vendor/d3.min.js"):
        response = client.get(f"/assets/{name}")
        assert response.status_code == 200, name
        response.close()
    doc, _ = page(client, "/issues/crimea")
    scripts = [urlsplit(src).path for src in doc.xpath("//script/@src")]
    assert scripts == [
        "/assets/vendor/d3.min.js",
        "/assets/vendor/plot.umd.min.js",
        "/assets/charts.js",
    ]
    plot = client.get("/assets/vendor/plot.umd.min.js")
    assert re.search(r"v0\.6\.17", plot.get_data(as_text=True)[:200])
    plot.close()


def test_a_long_matrix_comes_in_pages_of_issues(client, bundled, monkeypatch):
    from service.web import pages

    monkeypatch.setattr(pages, "ISSUES_PER_PAGE", 6)
    doc, _ = page(client, "/?as_of=2022-03-02&page=2")
    rows = doc.xpath('//table[@id="matrix"]/tbody/tr')
    assert [r.get("data-issue") for r in rows] == list(bundled.issues)[6:12]
    assert "(issues 7–12)" in doc.xpath("//caption")[0].text_content()
    pager = doc.xpath('//nav[@class="pager"]//a/@href')
    assert pager == ["/?page=1&as_of=2022-03-02", "/?page=3&as_of=2022-03-02"]


def test_a_long_issue_comes_in_pages_of_moves(client, monkeypatch):
    from service.web import pages

    monkeypatch.setattr(pages, "MOVES_PER_PAGE", 3)
    doc, _ = page(client, "/issues/no-fly-zone?page=2")  # the four moves of the test above
    rows = doc.xpath('//table[@id="moves-table"]/tbody/tr')
    assert [r.get("data-date") for r in rows] == ["2022-03-03"]
    chart = island(doc, "issue-chart-data")  # the chart has every point on every page
    assert sum(len(s["points"]) for s in chart["series"]) == 4
    pager = doc.xpath('//nav[@class="pager"]//a/@href')
    assert pager == ["/issues/no-fly-zone?page=1#moves"]
    doc, _ = page(client, f"/issues/no-fly-zone?page=2&known_at={FIRST_EDITION}")
    pager = doc.xpath('//nav[@class="pager"]//a/@href')
    assert pager == [f"/issues/no-fly-zone?page=1&known_at={FIRST_EDITION}#moves"]


def test_every_page_of_another_dataset_answers(tmp_path):
    """A synthetic dataset (other ids, a record of several days): crawl the pages from /."""
    from service import create_app
    from tests.support import write_synthetic

    fixtures = write_synthetic(tmp_path / "fixtures", 120, seed=7)
    client = create_app({"PARLEY_FIXTURES": str(fixtures), "TESTING": True}).test_client()
    seen, queue = set(), ["/", "/compare", "/changes", "/?known_at=2026-01-02"]
    while queue:
        path = queue.pop()
        if path in seen or len(seen) > 200:
            continue
        seen.add(path)
        doc, _ = page(client, path)
        for href in doc.xpath("//a/@href"):
            target = urlsplit(href)
            local = target.path and not target.netloc
            if local and not target.path.startswith(("/api/", "/docs", "/openapi")):
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    kinds = {path.split("/")[1].split("?")[0] for path in seen}
    pages = {"", "issues", "compare", "changes", "rounds", "parties", "positions", "sources"}
    assert pages <= kinds
