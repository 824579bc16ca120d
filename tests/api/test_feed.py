"""The Atom feed of changes, read with a real XML parser: structure, entries, filters, pages."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from lxml import etree

from tests.support import links, problem

URL = "/api/v1/changes.atom"
FIRST_EDITION = "2026-11-30"  # the record held only the first edition (recorded 2026-11-22)
NS = {"a": "http://www.w3.org/2005/Atom"}


def feed(client, query: str = ""):
    response = client.get(f"{URL}?{query}" if query else URL)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/atom+xml"
    root = etree.fromstring(response.get_data())  # raises on anything that is not XML
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    return root, response


def entries(root) -> list:
    return root.findall("a:entry", NS)


def text(node, path: str) -> str:
    return node.findtext(path, namespaces=NS)


def test_every_change_is_an_entry_newest_first(client):
    root, _ = feed(client, "page_size=500")
    changes = client.get("/api/v1/changes?page_size=500").get_json()["items"]
    found = entries(root)
    assert len(found) == len(changes)
    ids = [urlsplit(text(e, "a:id")).path.rsplit("/", 1)[1] for e in found]
    assert ids == [c["position"] for c in reversed(changes)]
    updated = [text(e, "a:updated") for e in found]
    assert updated == sorted(updated, reverse=True)


def test_the_feed_has_what_atom_requires(client):
    root, _ = feed(client)
    assert text(root, "a:id") == "http://localhost/api/v1/changes.atom"
    assert text(root, "a:title")
    assert text(root, "a:updated") == "2022-03-03T00:00:00+00:00"  # the newest change
    assert text(root, "a:author/a:name") == "Parley"
    rels = {link.get("rel"): link.get("href") for link in root.findall("a:link", NS)}
    assert rels["self"] == "http://localhost/api/v1/changes.atom"
    assert rels["alternate"] == "http://localhost/changes"
    for entry in entries(root):
        assert text(entry, "a:id") and text(entry, "a:title") and text(entry, "a:updated")
        assert text(entry, "a:author/a:name")
        assert entry.find("a:content", NS).get("type") == "html"


def test_an_entry_links_to_its_positions_page(client):
    root, _ = feed(client, "party=ukraine&issue=nato-membership")
    # "Zelensky also repeated his request for Ukraine to be accepted into NATO" (a Tuesday
    # article of 1 March): a request, supports; Ukraine's first position on the issue
    (entry,) = entries(root)
    assert text(entry, "a:title") == "Ukraine on Ukraine's membership of NATO: supports (new)"
    (link,) = entry.findall("a:link", NS)
    assert link.get("rel", "alternate") == "alternate"  # Atom's default relation
    link = link.get("href")
    assert link == "http://localhost/positions/ukraine-nato-membership-2022-03-01"
    assert text(entry, "a:id") == link
    assert client.get(urlsplit(link).path).status_code == 200
    assert text(entry, "a:author/a:name") == "Volodymyr Zelensky"
    assert text(entry, "a:published") == "2022-03-01T00:00:00+00:00"
    assert {c.get("term") for c in entry.findall("a:category", NS)} == {
        "ukraine", "nato-membership"
    }  # fmt: skip
    # the quote, verbatim from the article, and its source
    content = etree.fromstring(f"<div>{text(entry, 'a:content')}</div>", etree.HTMLParser())
    quotes = [q.text for q in content.iter("blockquote")]
    assert quotes == ["Zelensky also repeated his request for Ukraine to be accepted into NATO"]
    assert (
        content.find(".//a").get("href") == "http://localhost/sources/bombing-must-stop-2022-03-01"
    )


def test_the_first_editions_feed_links_to_the_record_as_it_stood(client):
    root, _ = feed(client, f"party=ukraine&issue=neutrality&known_at={FIRST_EDITION}")
    entry, first = entries(root)  # newest first
    # the first edition read the same request as hardening on neutrality
    assert text(first, "a:title") == "Ukraine on Neutral status for Ukraine: open (new)"
    assert text(entry, "a:title") == (
        "Ukraine on Neutral status for Ukraine: open → opposes (hardened)"
    )
    page = "http://localhost/positions/ukraine-neutrality-2022-03-01"
    assert text(entry, "a:id") == page  # the same entry whatever the record day
    (link,) = entry.findall("a:link", NS)
    assert link.get("href") == f"{page}?known_at={FIRST_EDITION}"
    response = client.get(urlsplit(link.get("href")).path + f"?known_at={FIRST_EDITION}")
    assert response.status_code == 200
    content = etree.fromstring(f"<div>{text(entry, 'a:content')}</div>", etree.HTMLParser())
    assert content.find(".//a").get("href") == (
        f"http://localhost/sources/bombing-must-stop-2022-03-01?known_at={FIRST_EDITION}"
    )
    # as the record stands, that position is superseded: no neutrality entry for it
    root, _ = feed(client, "party=ukraine&issue=neutrality")
    assert [text(e, "a:title") for e in entries(root)] == [
        "Ukraine on Neutral status for Ukraine: open (new)"
    ]


def test_a_first_position_says_so(client):
    # "Putin had demanded that Ukraine ... recognize Crimea ... as part of Russia" (before the
    # invasion); the first round's demand that Ukraine drop its claim to Crimea's return is now
    # on crimea-return, so this is Russia's only position on the issue
    root, _ = feed(client, "party=russia&issue=crimea")
    titles = [text(e, "a:title") for e in entries(root)]
    assert titles == ["Russia on Recognition of Crimea as Russian: demands (new)"]


def test_filters_are_those_of_changes(client):
    for query in ["party=ukraine", "issue=no-fly-zone", "since=2022-03-01&until=2022-03-01"]:
        root, _ = feed(client, query + "&page_size=500")
        total = client.get(f"/api/v1/changes?{query}").get_json()["total"]
        assert len(entries(root)) == total, query


def test_pages_link_to_each_other(client):
    root, response = feed(client, "party=ukraine&page_size=2&page=2")
    assert len(entries(root)) == 2
    rels = {link.get("rel"): link.get("href") for link in root.findall("a:link", NS)}
    assert {"first", "previous", "next", "last", "self", "alternate"} <= set(rels)
    assert "page=3" in rels["next"] and "page=1" in rels["previous"]
    assert text(root, "a:id") == "http://localhost/api/v1/changes.atom?party=ukraine"
    assert set(links(response)) == {"first", "prev", "next", "last"}


def test_an_empty_feed_is_still_a_feed(client):
    root, _ = feed(client, "party=belarus")
    assert entries(root) == []
    assert text(root, "a:updated") == "2022-03-03T00:00:00+00:00"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("party=rusia", "party"), ("since=soon", "since"), ("format=csv", "format"), ("x=1", "x")],
)
def test_bad_arguments_are_400_problems(client, query, parameter):
    assert parameter in problem(client.get(f"{URL}?{query}"), 400)["errors"]


def test_cached_like_the_api(client):
    _, response = feed(client)
    assert response.headers["X-Data-Version"]
    again = client.get(URL, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_documented_as_atom(client):
    spec = client.get("/openapi.json").get_json()
    operation = spec["paths"][URL]["get"]
    assert list(operation["responses"]["200"]["content"]) == ["application/atom+xml"]
    assert {p["name"] for p in operation["parameters"] if "name" in p} == {
        "since", "until", "party", "issue", "page", "page_size", "known_at"
    }  # fmt: skip
