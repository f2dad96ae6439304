"""The `eventscope` command: a thin layer over the Python API with Rich output.

Exit codes: 0 success; 1 an eventscope error (message with its E code on stderr);
2 a usage error (unknown option, missing argument); 3 `ingest --strict` rejected some
input; 130 interrupted.

The commands live by what they do: ingest.py (ingest, extract, gazetteer), browse.py
(the store's articles, actors, events...), exports.py, scorecard.py (eval), serve.py
(serve, bench, bench-api); common.py holds what they share.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Annotated

import typer

from eventscope.errors import E001, InputError

from . import browse, exports, ingest, scorecard, serve
from .common import fail

app = typer.Typer(
    name="eventscope",
    help="Dated news reports in, a source-cited database of political events out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _main(
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More log.")] = 0,
    kb: Annotated[
        list[Path] | None,
        typer.Option(
            "--kb",
            help="Extra knowledge-base YAML (organizations, people or titles schema), "
            "added to the shipped one; repeatable. Same as EVENTSCOPE_KB.",
        ),
    ] = None,
) -> None:
    level = [logging.ERROR, logging.INFO, logging.DEBUG][min(verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    if kb:
        from eventscope.kb.actors import KB_ENV

        missing = [str(p) for p in kb if not p.is_file()]
        if missing:
            fail(InputError(E001, f"no such knowledge-base file: {', '.join(missing)}"))
        known = [p for p in os.environ.get(KB_ENV, "").split(os.pathsep) if p]
        os.environ[KB_ENV] = os.pathsep.join([*known, *(str(p.resolve()) for p in kb)])


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
app.command()(browse.info)
app.command("eval")(scorecard.eval_)
app.command()(exports.export)
app.command()(serve.serve)
app.command()(serve.bench)
app.command("bench-api")(serve.bench_api)
app.command()(ingest.gazetteer)


def main() -> None:
    """Entry point of the `eventscope` script (Typer exits 130 on Ctrl-C)."""
    app()
