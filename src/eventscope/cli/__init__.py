"""The `eventscope` command: a thin layer over the Python API with Rich output.

Exit codes: 0 success; 1 an eventscope error (message with its E code on stderr);
2 a usage error (unknown option, missing argument); 3 `ingest --strict` rejected some
input; 130 interrupted.

The commands live by what they do: ingest.py (ingest, extract, gazetteer), browse.py
(the store's articles, actors, events...), exports.py, scorecard.py (eval), serve.py
(serve, bench, bench-api, bench-stories, bench-load); common.py holds what they share.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from eventscope.errors import E001, InputError

from . import browse, exports, ingest, scorecard, serve, stories
from .common import KB_KEY, fail

app = typer.Typer(
    name="eventscope",
    help="Dated news reports in, a source-cited database of political events out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _main(
    ctx: typer.Context,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More log.")] = 0,
    kb: Annotated[
        list[Path] | None,
        typer.Option(
            "--kb",
            envvar="EVENTSCOPE_KB",
            help="Extra knowledge-base YAML (organizations, people or titles schema), "
            "added to the shipped one; repeatable. Without it, the files of "
            "EVENTSCOPE_KB (separated by ':').",
        ),
    ] = None,
) -> None:
    level = [logging.ERROR, logging.INFO, logging.DEBUG][min(verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    from eventscope.kb.knowledge import KnowledgeBase

    missing = [str(p) for p in kb or () if not p.is_file()]
    if missing:
        fail(InputError(E001, f"no such knowledge-base file: {', '.join(missing)}"))
    # The commands pass it to the pipeline (`chosen_kb(ctx)`); the library never reads
    # the environment.
    ctx.meta[KB_KEY] = KnowledgeBase.of(p.resolve() for p in kb or ())


# Registered in this order, which `eventscope --help` keeps.
app.command()(ingest.ingest)
app.command()(browse.articles)
app.command()(browse.show)
app.command()(browse.explain)
app.command()(ingest.extract)
app.command()(browse.rejected)
app.command()(browse.actors)
app.command()(browse.events)
app.command()(browse.actor)
app.command()(stories.resolve)
app.command()(stories.stories)
app.command()(stories.story)
app.command()(browse.info)
app.command("eval")(scorecard.eval_)
app.command()(scorecard.train)
app.command()(exports.export)
app.command()(exports.copy)
app.command()(serve.serve)
app.command()(serve.bench)
app.command("bench-api")(serve.bench_api)
app.command("bench-stories")(serve.bench_stories)
app.command("bench-load")(serve.bench_load)
app.command()(ingest.gazetteer)


def main() -> None:
    """Entry point of the `eventscope` script (Typer exits 130 on Ctrl-C)."""
    app()
