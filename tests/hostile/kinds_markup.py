"""XML, HTML and feeds: entity bombs, XXE, deep nesting (JSON's too), huge fields."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..conftest import REPORT, write
from .corpus import (
    MB,
    PASSWD,
    SECRET,
    Context,
    Hostile,
    Outcome,
    Writer,
    expect,
    item,
    kind,
    line,
    page,
    paragraphs,
    rejected,
    repeated,
    rss,
    stored,
    story,
)

# -- entity bombs ----------------------------------------------------------------------

LAUGHS = (
    '<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(2, 10))
).replace("&lol1;", "&lol;")  # lol9 expands to 10^8 "lol": 300 MB


@kind("billion-laughs.rss")
def _laughs_rss(path: Path, ctx: Context) -> Hostile:
    write(path, rss(item(story("laughs rss") + " &lol9;"), f"<!DOCTYPE rss [{LAUGHS}]>"))
    return expect(stored(), forbidden=("lollollol",))


@kind("billion-laughs.atom")
def _laughs_atom(path: Path, ctx: Context) -> Hostile:
    write(path, f'<?xml version="1.0"?><!DOCTYPE feed [{LAUGHS}]>'
                '<feed xmlns="http://www.w3.org/2005/Atom"><title>&lol9;</title><entry>'
                f"<title>t</title><updated>2022-01-05T10:00:00Z</updated><content>"
                f"{story('laughs atom')} &lol9;</content></entry></feed>")  # fmt: skip
    return expect(stored(), forbidden=("lollollol",))


@kind("billion-laughs.html")
def _laughs_html(path: Path, ctx: Context) -> Hostile:
    body = paragraphs("laughs html") + "<p>&lol9; &lol9;</p>"
    write(path, page(body, f"<!DOCTYPE html [{LAUGHS}]>"))
    return expect(stored(), forbidden=("lollollol",))


@kind("quadratic-blowup.xml")
def _quadratic(path: Path, ctx: Context) -> Hostile:
    entity = f'<!DOCTYPE rss [<!ENTITY a "{"QUAD" * 25_000}">]>'
    write(path, rss(item(story("quadratic") + " " + "&a;" * 10_000), entity))
    return expect(stored(), forbidden=("QUADQUAD",))


# -- XXE: external entities must never be read ----------------------------------------


def _xxe(make: Callable[[str, Context], str]) -> Writer:
    def writer(path: Path, ctx: Context) -> Hostile:
        write(path, make(story(path.name), ctx))
        return expect(stored(), forbidden=(SECRET, PASSWD))

    return writer


def _entity(target: str) -> str:
    return f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{target}">]>'


kind("xxe-file.rss")(_xxe(lambda s, c: rss(item(f"{s} &xxe;"), _entity(c.secret.as_uri()))))
kind("xxe-passwd.rss")(_xxe(lambda s, c: rss(item(f"{s} &xxe;"), _entity("file:///etc/passwd"))))
kind("xxe-http.rss")(_xxe(lambda s, c: rss(item(f"{s} &xxe;"), _entity("http://127.0.0.1:9/x"))))
kind("xxe-parameter.rss")(_xxe(lambda s, c: rss(
    item(s), f'<!DOCTYPE rss [<!ENTITY % p SYSTEM "{c.secret.as_uri()}"> %p;]>')))  # fmt: skip
kind("xxe-external-dtd.rss")(_xxe(lambda s, c: rss(
    item(s), f'<!DOCTYPE rss SYSTEM "{c.secret.as_uri()}">')))  # fmt: skip
kind("xxe-xinclude.rss")(_xxe(lambda s, c: rss(item(
    f'{s} <xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{c.secret.as_uri()}"'
    ' parse="text"/>'))))  # fmt: skip
kind("xxe-in-title.atom")(
    _xxe(
        lambda s, c: (
            f'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY xxe SYSTEM "{c.secret.as_uri()}">]>'
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>&xxe;</title><entry><title>&xxe;</title>'
            f"<updated>2022-01-05T10:00:00Z</updated><content>{s} &xxe;</content></entry></feed>"
        )
    )
)
kind("xxe-page.html")(_xxe(lambda s, c: page(
    f"<p>{s} &xxe;</p><p>{REPORT} The ministry gave no figures.</p>",
    f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "{c.secret.as_uri()}">]>')))  # fmt: skip
kind("xxe-iframe.html")(_xxe(lambda s, c: page(
    f'<p>{s}</p><iframe src="{c.secret.as_uri()}"></iframe><object data="{c.secret.as_uri()}">'
    f'</object><p>{REPORT} The ministry gave no figures.</p>')))  # fmt: skip


@kind("xxe-utf16.rss")
def _xxe_utf16(path: Path, ctx: Context) -> Hostile:
    text = rss(item(f"{story('utf16 xxe')} &xxe;"), _entity(ctx.secret.as_uri()))
    write(path, text.replace('version="1.0"?>', 'version="1.0" encoding="utf-16"?>', 1)
          .encode("utf-16"))  # fmt: skip
    return expect(stored(), forbidden=(SECRET,))


# -- deep nesting ------------------------------------------------------------------------


@kind("json-deep-arrays.json")
def _deep_arrays(path: Path, ctx: Context) -> Hostile:
    write(path, "[" * 100_000 + "]" * 100_000)
    return expect(rejected("W008"))  # deeper than the parser's stack


@kind("json-deep-objects.json")
def _deep_objects(path: Path, ctx: Context) -> Hostile:
    write(path, '{"a":' * 100_000 + "1" + "}" * 100_000)
    return expect(rejected("W008"))


@kind("jsonl-deep-field.jsonl")
def _deep_field(path: Path, ctx: Context) -> Hostile:
    deep = "[" * 100_000 + "]" * 100_000
    write(path, line(text=story("before deep"), date="2022-01-05")
          + f'{{"text": "{story("deep")}", "date": "2022-01-05", "x": {deep}}}\n')  # fmt: skip
    return expect(stored(1, W008=1))


@kind("html-nested-divs.html")
def _divs(path: Path, ctx: Context) -> Hostile:
    n = ctx.size.divs
    write(path, page("<div>" * n + paragraphs("divs") + "</div>" * n))
    # libxml2 drops what is nested deeper than 256 elements: no main text is left
    return expect(rejected("W013"))


@kind("html-unclosed-tags.html")
def _unclosed(path: Path, ctx: Context) -> Hostile:
    write(path, page("<b><i>" * (ctx.size.divs // 2) + paragraphs("unclosed")))
    return expect(rejected("W013"))  # the unclosed tags nest: as deep as the divs


@kind("feed-deep-nesting.rss")
def _feed_deep(path: Path, ctx: Context) -> Hostile:
    n = ctx.size.divs
    write(path, rss(item(story("feed deep")) + "<x>" * n + "</x>" * n))
    return expect(stored(), rejected("W014"),
                  why="the entry comes before the nesting; a parser that stops at its depth "
                      "limit may keep it or give up on the whole feed")  # fmt: skip


# -- huge fields -------------------------------------------------------------------------


@kind("json-17mb-text.json")
def _json_huge(path: Path, ctx: Context) -> Hostile:
    write(path, b'{"text": "' + b"a" * (17 << 20) + b'", "date": "2022-01-05"}')
    return expect(rejected("W007"))  # over the 16 MB read whole


@kind("jsonl-long-line.jsonl")
def _jsonl_long(path: Path, ctx: Context) -> Hostile:
    with open(path, "wb") as handle:
        handle.write(line(text=story("long a"), date="2022-01-05").encode() + b'{"text": "')
        handle.writelines(repeated(b"a", ctx.size.long_line))
        handle.write(b'", "date": "2022-01-05"}\n' + line(text=story("long b"), date="2022-01-05")
                     .encode())  # fmt: skip
    return expect(stored(2, W007=1))


@kind("html-huge-paragraph.html")
def _html_huge(path: Path, ctx: Context) -> Hostile:
    write(path, page(paragraphs("huge") + "<p>" + "word " * 60_000 + "</p>"))
    return expect(rejected("W007"))  # 300,000 characters of main text


@kind("html-huge-comment.html")
def _html_comment(path: Path, ctx: Context) -> Hostile:
    write(path, page("<!--" + "c" * (4 << 20) + "-->" + paragraphs("comment")))
    return expect(stored())


@kind("html-script-flood.html")
def _html_scripts(path: Path, ctx: Context) -> Hostile:
    write(path, page("<script>var a=1;</script>" * 20_000 + paragraphs("scripts")))
    return expect(stored(), forbidden=("var a=1",))


# -- feeds -------------------------------------------------------------------------------


@kind("feed-empty-entries.rss")
def _feed_empty(path: Path, ctx: Context) -> Hostile:
    n = ctx.size.entries
    write(path, rss("".join(item("", title=f"Entry {i}") for i in range(n))))
    return expect(rejected("W001", n))


@kind("feed-same-entries.rss")
def _feed_same(path: Path, ctx: Context) -> Hostile:
    n = ctx.size.entries
    write(path, rss(item(story("same entry")) * n))
    return expect(stored(1, duplicates=n - 1))


@kind("feed-undated-entries.rss")
def _feed_undated(path: Path, ctx: Context) -> Hostile:
    write(path, rss("".join(item(story(f"undated {i}"), pub="") for i in range(3))))
    return expect(rejected("W004", 3))


@kind("feed-hostile-dates.rss")
def _feed_dates(path: Path, ctx: Context) -> Hostile:
    pubs = ["Mon, 00 Foo 0000 99:99:99 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "-1", "1e30"]
    write(path, rss("".join(item(story(f"feed date {i}"), pub=p) for i, p in enumerate(pubs))))
    return expect(Outcome(0, 0, {"W005": 3, "W006": 1}))


@kind("feed-malformed.rss")
def _feed_malformed(path: Path, ctx: Context) -> Hostile:
    body = rss(item(story("malformed") + " <b>unclosed &nbsp; &bogus;"))
    write(path, body.replace("</channel></rss>", ""))
    return expect(stored())  # read leniently


@kind("feed-script-content.atom")
def _feed_script(path: Path, ctx: Context) -> Hostile:
    content = f"&lt;script&gt;alert('x1')&lt;/script&gt;&lt;p&gt;{story('atom script')}&lt;/p&gt;"
    write(path, '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>W</title>'
                f'<entry><title>t</title><updated>2022-01-05T10:00:00Z</updated>'
                f'<content type="html">{content}</content></entry></feed>')  # fmt: skip
    return expect(stored(), forbidden=("alert('x1')",))


@kind("feed-huge-title.rss")
def _feed_title(path: Path, ctx: Context) -> Hostile:
    write(path, rss(item(story("feed title"), title="T" * MB)))
    return expect(stored())
