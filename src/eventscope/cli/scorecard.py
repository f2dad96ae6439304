"""`eventscope eval`: extraction scored against gold data, and the Markdown scorecard."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from eventscope.errors import E008, InputError

from .common import JsonOption, check_paths, chosen_kb, err, fail, failing, out, print_json


def eval_(
    ctx: typer.Context,
    task: Annotated[
        str, typer.Argument(help="A task name, or all (see `eventscope eval --help`).")
    ],
    path: Annotated[Path, typer.Argument(help="Gold data: an eval folder, a task folder or file.")],
    as_json: JsonOption = False,
    errors: Annotated[int, typer.Option(help="Print N misses: text, gold, prediction.")] = 0,
    limit: Annotated[int | None, typer.Option(help="Read at most N gold documents.")] = None,
    scorecard: Annotated[
        Path | None, typer.Option(help="With `all`: also write the Markdown scorecard here.")
    ] = None,
) -> None:
    """Score extraction against gold data in its original format.

    Tasks: events-plover, events-cameo, event-classes, geoparse, event-location, dates,
    quotes, figures, clustering, entities, own (the annotated corpus: `eval own corpus`);
    `all` runs every task whose data is present.
    With `eventscope --kb FILE eval ...` the extraction uses that knowledge base too.
    """
    from eventscope.evaluate import run_task, tasks
    from eventscope.evaluate.report import errors_text, scorecard_markdown

    check_paths([str(path)])
    kb = chosen_kb(ctx)
    with failing():
        if task == "all":
            reports = []
            for name, one in tasks().items():
                err.print(f"[dim]eval {name} ...[/]")
                report = one.run(path, limit, errors, kb)
                if report.counts:
                    reports.append(report)
        else:
            reports = [run_task(task, path, limit=limit, errors=errors, kb=kb)]
    if not reports or not reports[0].counts:
        fail(InputError(E008, f"no gold data for {task} under {path}",
                         hint="give the eval folder or the task's own folder"))  # fmt: skip
    extra = "".join(f"--kb {p} " for p in kb.extra)  # a scorecard says which KB it scored
    command = f"eventscope {extra}eval {task} {path}" + (f" --limit {limit}" if limit else "")
    markdown = scorecard_markdown(reports, command=command)
    if scorecard:
        scorecard.parent.mkdir(parents=True, exist_ok=True)
        scorecard.write_text(markdown, encoding="utf-8")
    if as_json:
        print_json({"data": str(path), "command": command,
                     "tasks": [r.to_dict() for r in reports]})  # fmt: skip
        return
    for report in reports:
        table = Table("metric", "value", title=f"{report.task} ({report.seconds:.0f} s)",
                      title_justify="left")  # fmt: skip
        for name, value in report.metrics.items():
            table.add_row(name, "n/a" if value is None else f"{value:.3f}")
        out.print(table)
        out.print(", ".join(f"{k} {v}" for k, v in report.counts.items()), highlight=False)
        for note in report.notes:
            out.print(f"[dim]{note}[/]", highlight=False)
        if report.errors:
            out.print(errors_text(report), highlight=False, markup=False)


def train(
    ctx: typer.Context,
    corpus: Annotated[
        Path | None, typer.Option(help="The annotated corpus (default: the repository's).")
    ] = None,
    to: Annotated[
        Path | None,
        typer.Option("--out", help="Where to write the models (default: kb/learned)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Train the learned event review on the corpus's train split (`make model`).

    Writes `events-combined.npz` and `events-learned.npz`; prints each one's setting and
    its cross-validated event precision, recall and F1 over the train split's stories,
    beside the rules alone.
    """
    from eventscope.evaluate import own
    from eventscope.extract.events_learned import MODELS
    from eventscope.learn.events import train as fit_models

    root = corpus or own.ROOT
    check_paths([str(root)])
    with failing():
        try:
            summary = fit_models(root, to or MODELS, chosen_kb(ctx))
        except ValueError as exc:
            fail(InputError(E008, str(exc), hint="give a corpus folder with splits.yaml"))
    if as_json:
        print_json(summary)
        return
    counted = f"{summary['articles']} articles, {summary['candidates']} candidates"
    out.print(f"{counted}, {summary['gold_events']} gold events (train split)", highlight=False)
    title = "cross-validated over the train split's stories"
    table = Table("arm", "setting", "precision", "recall", "F1", title=title, title_justify="left")
    for arm in ("rules", "combined", "learned"):
        row = summary[arm]
        setting = "C {C}, context vectors {dense}, drop at P(none) {threshold}, retype {retype}"
        scores = [f"{row[k]:.3f}" for k in ("precision", "recall", "f1")]
        table.add_row(arm, "" if arm == "rules" else setting.format(**row), *scores)
    out.print(table)
