"""A store for the API, export and browser tests: the sample corpus's English texts and
one hostile article whose text, title, source and URL are full of HTML and script."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventscope.pipeline import ingest
from eventscope.store import Store

from .conftest import on_backend

REPO = Path(__file__).resolve().parents[1]
TEXTS = REPO / "samples" / "kazakhstan-2022" / "text"

# Each payload, if it ever ran, would set window.__xss (the browser test checks it).
PAYLOADS = (
    "<script>window.__xss = 'script'</script>",
    "<img src=x onerror=\"window.__xss = 'img'\">",
    '"><svg onload="window.__xss = \'svg\'">',
    "<iframe src=\"javascript:window.__xss='iframe'\"></iframe>",
    "<a href=\"javascript:window.__xss='link'\">click</a>",
    "{{constructor.constructor('window.__xss = 1')()}}",
)
HOSTILE_TITLE = "Police detain <b onmouseover=\"window.__xss='title'\">protesters</b> in Almaty"
HOSTILE_TEXT = (
    "ALMATY, Jan 6 - Police detained dozens of protesters <img src=x "
    "onerror=\"window.__xss='img'\"> in Almaty on Thursday, the Interior Ministry said. "
    f"Witnesses said {PAYLOADS[0]} security forces fired tear gas at demonstrators near the "
    "city hall. \"We want <script>window.__xss='quote'</script> fair prices,\" one protester "
    "told reporters. " + " ".join(PAYLOADS[1:]) + " At least 12 people were injured "
    "in the clashes, according to the <svg onload=\"window.__xss='org'\"> health ministry."
)


def hostile_record() -> dict[str, str]:
    return {
        "title": HOSTILE_TITLE,
        "text": HOSTILE_TEXT,
        "date": "2022-01-06",
        "source": "<script>window.__xss='source'</script>Wire",
        "url": "javascript:window.__xss='url'",
    }


def build_store(folder: Path) -> Path:
    """Ingest the sample texts and the hostile article into folder/web.db."""
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps(hostile_record()) + "\n", encoding="utf-8")
    path = folder / "web.db"
    with Store(path) as store:
        summary = ingest([str(TEXTS), str(hostile)], store)
    assert summary.stored == len(list(TEXTS.glob("*.txt"))) + 1, summary
    return path


def rules_store_on_backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, name: str
) -> str:
    """`build_store` on the backend of `request.param`, with the rules' events: the API's
    and the export's filters and layouts are tested on them (which events the learned
    review keeps is measured by `eventscope eval own`, not here)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EVENTSCOPE_EVENTS", "rules")
        path = build_store(tmp_path_factory.mktemp(name))
    return on_backend(request, path)
