"""/docs: the vendored swagger-ui-dist, served by the app alone, started without inline script."""

from __future__ import annotations

import re
import tomllib
from html.parser import HTMLParser

import pytest

from tests.support import ROOT

WEB = ROOT / "service" / "web"
VENDORED = WEB / "static" / "swagger-ui"


class Scripts(HTMLParser):
    """The page's ``<script>`` elements (``src`` and inline text) and event-handler attributes."""

    def __init__(self):
        super().__init__()
        self.found: list[dict] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        if tag == "script":
            self.found.append({"src": dict(attrs).get("src"), "text": ""})

    def handle_data(self, data):
        if self.found and self.lasttag == "script":
            self.found[-1]["text"] += data


def test_docs_page_loads_its_assets_from_the_app(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(assets) == 4
    types = set()
    for url in assets:
        assert url.startswith("/docs/assets/"), url
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert asset.get_data(), url
        types.add(asset.mimetype)
        asset.close()
    assert types == {"text/css", "text/javascript", "image/png"}
    assert "http://" not in html and "https://" not in html
    assert 'data-openapi-url="/openapi.json"' in html


def test_the_page_has_no_inline_script(client):
    parser = Scripts()
    parser.feed(client.get("/docs").get_data(as_text=True))
    assert [s["src"] for s in parser.found] == [
        "/docs/assets/swagger-ui/swagger-ui-bundle.js",
        "/docs/assets/docs.js",
    ]
    assert all(not s["text"].strip() for s in parser.found)
    assert parser.handlers == []


def test_the_initialiser_reads_the_document_url_from_the_page_and_stays_offline(client):
    with client.get("/docs/assets/docs.js") as response:
        script = response.get_data(as_text=True)
    assert "root.dataset.openapiUrl" in script
    assert "validatorUrl: null" in script


@pytest.mark.parametrize(
    "name",
    [
        "index.html",
        "swagger-ui/index.html",
        "swagger-ui/oauth2-redirect.html",
        "swagger-ui/swagger-initializer.js",
        "swagger-ui/index.js",
        "swagger-ui/absolute-path.js",
    ],
)
def test_the_distribution_s_own_pages_and_initialiser_are_not_served(client, name):
    with client.get(f"/docs/assets/{name}") as response:
        assert response.status_code == 404


def test_only_the_needed_files_are_vendored_with_their_licences_and_version():
    assert {path.name for path in VENDORED.iterdir()} == {
        "swagger-ui-bundle.js",
        "swagger-ui-bundle.js.LICENSE.txt",
        "swagger-ui.css",
        "favicon-32x32.png",
        "LICENSE",
        "NOTICE",
        "VERSION",
        "README.md",
    }
    version = (VENDORED / "VERSION").read_text("utf-8").strip()
    bundle = (VENDORED / "swagger-ui-bundle.js").read_text("utf-8")
    assert f'PACKAGE_VERSION:"{version}"' in bundle
    assert f"**{version}**" in (VENDORED / "README.md").read_text("utf-8")
    assert "Apache License" in (VENDORED / "LICENSE").read_text("utf-8")


def test_the_wheel_ships_every_template_and_static_file():
    """What package-data globs take (setuptools reads them recursively) covers service/web."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    patterns = project["tool"]["setuptools"]["package-data"]["service"]
    shipped = {p for pattern in patterns for p in (ROOT / "service").glob(pattern) if p.is_file()}
    needed = {p for p in WEB.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    needed -= set(WEB.glob("*.py"))  # modules ship as the package itself
    assert needed and needed <= shipped
    assert not any("swagger-ui-bundle" in d for d in project["project"]["dependencies"])
