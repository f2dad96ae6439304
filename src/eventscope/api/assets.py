"""Where the dashboard's files are: its own (package data) and the front-end libraries
that `make setup` installs from the npm registry into `web/node_modules` (pinned in
`web/package.json` and `web/package-lock.json`; never committed, never from a CDN).

Only the files listed in ASSETS are served, so the server exposes nothing else of
node_modules. `EVENTSCOPE_WEB_ASSETS` points at another node_modules folder.
"""

from __future__ import annotations

import os
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "web"
_NODE_MODULES = Path(__file__).resolve().parents[3] / "web" / "node_modules"

# (url package, file name) -> path inside node_modules
ASSETS: dict[tuple[str, str], str] = {
    ("vega", "vega.min.js"): "vega/build/vega.min.js",
    ("vega-lite", "vega-lite.min.js"): "vega-lite/build/vega-lite.min.js",
    ("vega-embed", "vega-embed.min.js"): "vega-embed/build/vega-embed.min.js",
    ("d3", "d3.min.js"): "d3/dist/d3.min.js",
    ("topojson-client", "topojson-client.min.js"): "topojson-client/dist/topojson-client.min.js",
    ("world-atlas", "countries-50m.json"): "world-atlas/countries-50m.json",
    ("world-atlas", "countries-110m.json"): "world-atlas/countries-110m.json",
    ("cytoscape", "cytoscape.min.js"): "cytoscape/dist/cytoscape.min.js",
    ("swagger-ui", "swagger-ui-bundle.js"): "swagger-ui-dist/swagger-ui-bundle.js",
    ("swagger-ui", "swagger-ui.css"): "swagger-ui-dist/swagger-ui.css",
}


def node_modules() -> Path:
    configured = os.environ.get("EVENTSCOPE_WEB_ASSETS")
    return Path(configured) if configured else _NODE_MODULES


def asset_path(package: str, name: str) -> Path | None:
    """The installed file of an allowed asset, or None when set-up has not installed it."""
    relative = ASSETS.get((package, name))
    if relative is None:
        return None
    file = node_modules() / relative
    return file if file.is_file() else None


def missing_assets() -> list[str]:
    """The allowed assets that are not installed (empty when `make setup` has run)."""
    return [f"{p}/{n}" for (p, n) in ASSETS if asset_path(p, n) is None]
