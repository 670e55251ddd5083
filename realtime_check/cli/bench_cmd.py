"""`realtime-check bench`: flags in, the rounds run, the table or --json out, the exit code.

The rounds are in realtime_check.bench.run, the statistics in bench.stats, the table in
render.bench_table. Settings resolve exactly as for `run` (flag > env > .env).
"""

from __future__ import annotations

import math
import sys
from typing import Annotated

import typer

from realtime_check.cli.options import (
    MAX_TIMEOUT_SECONDS,
    ApiKeyOpt,
    BaseUrlOpt,
    CaBundleOpt,
    EnvFileOpt,
    JsonOpt,
    ModelOpt,
    NoDotenvOpt,
    OrganizationOpt,
    ProjectOpt,
    WsBaseUrlOpt,
)

BENCH_EPILOG = (
    "Exit codes: 0 every round passed, 5 the key or account was refused (the bench stops at once), "
    "7 temporary (rate limit, timeout), 2 bad flags; others as for `run`."
)


def register(app: typer.Typer) -> None:
    """Add the `bench` command to the application."""
    app.command("bench", epilog=BENCH_EPILOG)(bench)


def bench(
    count: Annotated[int, typer.Option("--count", "-n", help="Rounds to run (at most 100).")] = 10,
    concurrency: Annotated[int, typer.Option("--concurrency", "-c", help="Rounds in flight at once (at most 10).")] = 1,
    deep: Annotated[
        bool,
        typer.Option(
            "--deep",
            help="Also time a text and an audio round trip per round (costs tokens: said before it starts).",
        ),
    ] = False,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Wall-time budget for the whole bench, in seconds.")
    ] = 60.0,
    api_key: ApiKeyOpt = None,
    base_url: BaseUrlOpt = None,
    ws_base_url: WsBaseUrlOpt = None,
    model: ModelOpt = None,
    organization: OrganizationOpt = None,
    project: ProjectOpt = None,
    ca_bundle: CaBundleOpt = None,
    env_file: EnvFileOpt = None,
    no_dotenv: NoDotenvOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Time the access path (mint a secret, open a socket with it, session.created) over repeated rounds."""  # fmt: skip
    from realtime_check.bench.run import MAX_CONCURRENCY, MAX_COUNT, deep_cost
    from realtime_check.cli.errors import fail_usage, machine_mode, remember_secret
    from realtime_check.cli.options import UsageProblem
    from realtime_check.cli.target import resolve_settings

    json_mode = machine_mode(json_, False)
    if not 1 <= count <= MAX_COUNT:
        fail_usage(f"--count must be between 1 and {MAX_COUNT}", json_mode)
    if not 1 <= concurrency <= MAX_CONCURRENCY:
        fail_usage(f"--concurrency must be between 1 and {MAX_CONCURRENCY}", json_mode)
    if not (math.isfinite(timeout) and 0 < timeout <= MAX_TIMEOUT_SECONDS):
        fail_usage(f"--timeout must be a number of seconds above 0 and at most {MAX_TIMEOUT_SECONDS}", json_mode)
    try:
        settings = resolve_settings(
            {"api_key": api_key, "base_url": base_url, "ws_base_url": ws_base_url, "model": model,
             "organization": organization, "project": project},
            env_file=env_file, no_dotenv=no_dotenv, timeout=timeout, ca_bundle=ca_bundle,
        )  # fmt: skip
    except UsageProblem as exc:
        fail_usage(str(exc), json_mode)
    remember_secret(settings.api_key)
    if deep:
        typer.echo(deep_cost(count), err=True)  # before the first token is spent
    document, samples = run_bench(settings, count=count, concurrency=concurrency, deep=deep)
    if json_:
        from realtime_check.render.json_report import dumps

        typer.echo(dumps(document, indent=2))
    else:
        from realtime_check.cli.outputs import make_console, speaks_unicode
        from realtime_check.render.bench_table import format_bench

        make_console(sys.stdout).print(format_bench(document, samples, unicode=speaks_unicode(sys.stdout)))
    raise typer.Exit(document["exit_code"])


def run_bench(settings, *, count: int, concurrency: int, deep: bool):  # -> (document, samples)
    """Run the rounds; the --json document and the raw per-phase samples (for the chart)."""
    import asyncio

    from realtime_check.bench import document as bench_document
    from realtime_check.bench.run import Bench, run_round_with_runner
    from realtime_check.checks.doctor import make_redactor

    redactor = make_redactor(settings)  # the session check adds each minted ek_ secret to it

    async def one_round(round_settings, checks):
        return await run_round_with_runner(round_settings, checks, redactor)

    bench_run = Bench(settings, count=count, concurrency=concurrency, deep=deep, run_round=one_round)
    outcome = asyncio.run(bench_run.run())
    document = bench_document.build(outcome, settings, count=count, concurrency=concurrency, redactor=redactor)
    return document, outcome.samples
