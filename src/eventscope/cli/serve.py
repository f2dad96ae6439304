"""Commands that run something long: serve (the HTTP API and the dashboard), bench (the
pipeline's throughput), bench-api (the API's latency on a large store), bench-stories
and bench-load (the API under concurrent clients while an ingest writes)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from eventscope.errors import InputError

from .common import (
    DEFAULT_DB,
    DbOption,
    JsonOption,
    check_paths,
    err,
    fail,
    failing,
    out,
    print_json,
)


def served_hosts(bind: str, token: str | None, allowed: list[str]) -> frozenset[str] | None:
    """The Host header names the server answers for (None: any). Without a token the
    loopback names, the bound address and `--allowed-host`s, so that a DNS-rebinding page
    cannot read the store; with a token any name (the token guards it) unless
    `--allowed-host` narrows them."""
    from eventscope.api.security import LOOPBACK_HOSTS, host_name

    if token and not allowed:
        return None
    named = {host_name(h) for h in allowed}
    if bind not in ("0.0.0.0", "::", ""):
        named.add(host_name(f"[{bind}]" if ":" in bind else bind))
    return frozenset(LOOPBACK_HOSTS | named)


def _loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    token: Annotated[
        str | None,
        typer.Option(envvar="EVENTSCOPE_TOKEN", help="Every request must carry it (Bearer)."),
    ] = None,
    stats_cache: Annotated[
        int, typer.Option(min=0, help="/stats answers kept until the store changes (0: none).")
    ] = 64,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            help="A host name the server answers for besides the loopback names"
            " (repeatable; other Host headers get 421)."
        ),
    ] = None,
) -> None:
    """Serve the HTTP API (docs at /docs) and the dashboard from one process."""
    from eventscope.errors import E002, E009, StoreError

    if not _loopback(host) and not token:
        fail(InputError(E009, f"refusing to serve on {host} without a token: anyone who can"
                         " reach it could read the store",
                         hint="give --token or EVENTSCOPE_TOKEN, or bind 127.0.0.1"))  # fmt: skip
    from eventscope.store.pg import is_url
    from eventscope.store.pg import shown as masked

    if not is_url(db) and not Path(db).is_file():
        fail(StoreError(E002, f"no store at {db}", hint="ingest something first"))
    import uvicorn

    from eventscope.api import Limits, create_app
    from eventscope.api.assets import missing_assets

    with failing():
        hosts = served_hosts(host, token, allowed_host or [])
        web = create_app(db, token=token, limits=Limits(stats_cache=stats_cache), hosts=hosts)
    missing = missing_assets()
    if missing:
        err.print(
            f"[yellow]warning:[/] the dashboard's libraries are not installed"
            f" ({len(missing)} missing): run `make setup`; the API works",
            highlight=False,
        )
    shown = f"[{host}]" if ":" in host else host
    where = masked(db) if is_url(db) else db
    out.print(f"eventscope: serving {where} at http://{shown}:{port}/ (API docs at /docs)"
              + ("; token required" if token else ""), highlight=False)  # fmt: skip
    uvicorn.run(web, host=host, port=port, log_level="warning", access_log=False)


def bench(
    corpus: Annotated[
        Path | None, typer.Argument(help="Any input ingest reads (default: the sample corpus).")
    ] = None,
    rounds: Annotated[int, typer.Option(min=1, help="Alternating rounds of each.")] = 3,
    batch_size: Annotated[int, typer.Option(min=1)] = 64,
    n_process: Annotated[int, typer.Option(min=1, help="spaCy worker processes.")] = 1,
    limit: Annotated[int | None, typer.Option(min=1, help="Use the first N articles.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Throughput and peak memory of the full pipeline against the bare spaCy parse."""
    from eventscope.bench import bench as run_bench

    if corpus is not None:
        check_paths([str(corpus)])
    with failing():
        report = run_bench(
            corpus, rounds=rounds, batch_size=batch_size, n_process=n_process, limit=limit
        )
    if as_json:
        print_json(report.to_dict())
        return
    table = Table("", "bare spaCy parse", "full pipeline", title_justify="left",
                  title=f"{report.articles} articles, {report.words:,} words, "
                  f"{report.rounds} rounds, batch {report.batch_size}, "
                  f"{report.n_process} process(es): {report.corpus}")  # fmt: skip
    for key, label in (
        ("words_per_s", "words/s"),
        ("articles_per_s", "articles/s"),
        ("seconds_median", "seconds (median)"),
        ("peak_rss_mb", "peak RSS MB"),
        ("load_seconds", "loading s (not timed)"),
    ):
        table.add_row(label, f"{report.bare[key]:,.1f}", f"{report.full[key]:,.1f}")
    table.add_row("ratio full/bare", "", f"{report.ratio:.3f}")
    out.print(table)
    shares = Table("step", "seconds", "share", title="full pipeline by step", title_justify="left")
    for step, share in sorted(report.stages.items(), key=lambda kv: -kv[1]):
        shares.add_row(step, f"{report.stage_seconds[step]:.3f}", f"{share:.1%}")
    out.print(shares)
    loading = Table("part", "seconds", title="full pipeline loading (not timed)",
                    title_justify="left")  # fmt: skip
    for part, seconds in report.loading.items():
        loading.add_row(part.replace("_", " "), f"{seconds:.3f}")
    out.print(loading)


def bench_api(
    events: Annotated[int, typer.Option(min=1, help="Events in the generated store.")] = 100_000,
    requests: Annotated[int, typer.Option(min=1, help="Requests per URL.")] = 200,
    concurrency: Annotated[int, typer.Option(min=1, help="Concurrent clients.")] = 4,
    source: Annotated[
        Path | None, typer.Option(help="Store to copy (default: the sample corpus, ingested).")
    ] = None,
    keep: Annotated[Path | None, typer.Option(help="Keep the generated store here.")] = None,
    as_json: JsonOption = False,
) -> None:
    """API latency (p50/p95/p99) on a generated store of N events, loaded with ab."""
    from eventscope.bench_api import bench_api as run

    with failing():
        report = run(events=events, requests=requests, concurrency=concurrency,
                     source=source, keep=keep)  # fmt: skip
    if as_json:
        print_json(report.to_dict())
        return
    table = Table("URL", "p50 ms", "p95 ms", "p99 ms", "max ms", title_justify="left",
                  title=f"{report.events:,} events in {report.articles:,} articles (built in"
                  f" {report.build_seconds} s); {report.requests} requests per URL,"
                  f" {report.concurrency} concurrent, on loopback")  # fmt: skip
    for url, ms in report.latency_ms.items():
        table.add_row(url, *(f"{ms[k]:.0f}" for k in ("p50", "p95", "p99", "max")))
    out.print(table)


def bench_load(
    db: Annotated[
        Path | None,
        typer.Option(help="Store to serve and ingest into (default: a new one of the corpus)."),
    ] = None,
    clients: Annotated[int, typer.Option(min=1, help="Concurrent client threads.")] = 8,
    seconds: Annotated[float, typer.Option(min=0.1, help="Length of the load.")] = 30.0,
    ingest: Annotated[
        list[Path] | None,
        typer.Option(
            help="Corpus ingested (copies of it) meanwhile; repeatable"
            " (default: the sample corpus)."
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Throughput, p50/p95/p99 and errors of /events and /stats under N clients while an
    ingest writes to the store; exits 1 on any error (non-2xx, connection, ingest)."""
    from eventscope.bench_load import bench_load as run

    if ingest:
        check_paths([str(p) for p in ingest])
    with failing():
        report = run(db=db, clients=clients, seconds=seconds, ingest=ingest or ())
    if as_json:
        print_json(report.to_dict())
    else:
        stored = report.articles_after - report.articles_before
        table = Table("route", "requests", "p50 ms", "p95 ms", "p99 ms", "max ms",
                      title_justify="left",
                      title=f"{report.clients} clients for {report.seconds} s:"
                      f" {report.requests:,} requests, {report.throughput:,.1f}/s,"
                      f" {report.error_count} errors; {stored:,} articles ingested meanwhile"
                      f" ({report.articles_before:,} -> {report.articles_after:,})")  # fmt: skip
        for route, ms in report.latency_ms.items():
            cells = [f"{ms[k]:.0f}" if k in ms else "-" for k in ("p50", "p95", "p99", "max")]
            table.add_row(route, f"{ms['requests']:,.0f}", *cells)
        out.print(table)
    if report.error_count:
        shown = ", ".join(f"{kind}: {n}" for kind, n in report.errors.items())
        err.print(f"[bold red]error[/] {report.error_count} errors under load ({shown})",
                  highlight=False)  # fmt: skip
        for sample in report.error_samples:
            err.print(f"  {sample}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)


def bench_stories(
    corpus: Annotated[Path, typer.Argument(help="Any input ingest reads.")],
    runs: Annotated[int, typer.Option(min=1, help="Consecutive ingest runs into one store.")] = 4,
    limit: Annotated[int | None, typer.Option(min=1, help="Use the first N articles.")] = None,
    as_json: JsonOption = False,
) -> None:
    """The story stage's share of ingest time as the store grows, run by run, and the
    last run again into an empty store."""
    from eventscope.bench_stories import bench_stories as run

    check_paths([str(corpus)])
    with failing():
        report = run(corpus, runs=runs, limit=limit)
    if as_json:
        print_json(report.to_dict())
        return
    title = f"{report.articles} articles in {len(report.runs)} runs: {report.corpus}"
    table = Table("run", "articles", "ingest ms/article", "stories ms/article", "share",
                  "stories in store", title_justify="left", title=title)  # fmt: skip
    rows = [(str(i + 1), r) for i, r in enumerate(report.runs)]
    for label, r in [*rows, ("last, empty store", report.control)]:
        table.add_row(label, str(r["stored"]), f"{r['ms_per_article']:.1f}",
                      f"{r['stories_ms_per_article']:.2f}", f"{r['stories_share']:.1%}",
                      str(r["stories_in_store"]))  # fmt: skip
    out.print(table)
