"""`realtime-check models`: the model matrix. Flags in, one matrix, the table or --json, the exit code.

The probing is in realtime_check.checks.matrix; the table in realtime_check.render.models_table.
Settings resolve exactly as for `run` (flag > env > .env), so the same key and URLs are used.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer

from realtime_check.cli.options import (
    TARGET,
    ApiKeyOpt,
    BaseUrlOpt,
    CaBundleOpt,
    JsonOpt,
    NoDotenvOpt,
    OrganizationOpt,
    ProjectOpt,
    WsBaseUrlOpt,
)
from realtime_check.exit_codes import ExitCode

MODELS_EPILOG = (
    "Exit codes: 0 a realtime model works (every probe that ran passed), 5 the key or account was refused, "
    "6 no realtime model is usable, 2 bad flags, 7 temporary (rate limit, timeout)."
)


def register(app: typer.Typer) -> None:
    """Add the `models` command to the application."""
    app.command("models", epilog=MODELS_EPILOG)(models)


def models(
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model",
            help="Probe only this model (repeatable); default: every realtime and transcription model the key lists.",
            rich_help_panel=TARGET,
        ),
    ] = None,
    deep: Annotated[
        bool,
        typer.Option(
            "--deep",
            help="Also send one text response (1 output token) per realtime model: the only "
            "proof of entitlement. Costs a fraction of a cent; said before it runs.",
        ),
    ] = False,
    api_key: ApiKeyOpt = None,
    base_url: BaseUrlOpt = None,
    ws_base_url: WsBaseUrlOpt = None,
    organization: OrganizationOpt = None,
    project: ProjectOpt = None,
    ca_bundle: CaBundleOpt = None,
    no_dotenv: NoDotenvOpt = False,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Wall-time budget for the whole matrix, in seconds.")
    ] = 60.0,
    json_: JsonOpt = False,
) -> None:
    """The model matrix: each realtime and transcription model, its shutdown date, and what this key can do with it."""
    from realtime_check import settings as settings_mod
    from realtime_check.cli.errors import fail_usage, machine_mode, remember_secret

    if not timeout > 0:
        fail_usage("--timeout must be a positive number of seconds", machine_mode(json_, False))
    try:
        dotenv_path, dotenv_values = (None, {}) if no_dotenv else settings_mod.read_dotenv()
    except settings_mod.DotenvTooLarge as exc:
        fail_usage(f"refusing to read the .env file: {exc} (use --no-dotenv)", machine_mode(json_, False))
    settings = settings_mod.resolve(
        {
            "api_key": api_key,
            "base_url": base_url,
            "ws_base_url": ws_base_url,
            "organization": organization,
            "project": project,
        },
        dict(os.environ),
        dotenv_values,
        dotenv_path,
        timeout=timeout,
        ca_bundle=ca_bundle,
    )
    remember_secret(settings.api_key)
    document = build_document(settings, list(model or []), deep, announce=lambda text: typer.echo(text, err=True))
    if json_:
        from realtime_check.render.json_report import dumps

        typer.echo(dumps(document, indent=2))
    else:
        from realtime_check.cli.outputs import make_console
        from realtime_check.render.models_table import format_matrix, format_problem

        console = make_console(sys.stdout)
        console.print(format_problem(document["problem"]) if document["problem"] else format_matrix(document))
    raise typer.Exit(document["exit_code"])


def build_document(settings: Any, wanted: list[str], deep: bool, *, announce: Any, seams: Any = None) -> dict[str, Any]:
    """Probe the models and return the --json document (schema/models.schema.json)."""
    import asyncio

    from realtime_check import __version__, model_facts
    from realtime_check.checks import matrix
    from realtime_check.checks.context import RunOptions
    from realtime_check.checks.doctor import make_redactor
    from realtime_check.checks.runner import run_in_context
    from realtime_check.diagnosis import catalog as diagnoses

    redactor = make_redactor(settings)

    async def work(ctx: Any) -> Any:
        return await matrix.build(ctx, wanted, deep, announce)

    built = asyncio.run(run_in_context(settings, RunOptions(), redactor, work, seams=seams))
    problem = None
    rows: list[dict[str, Any]] = []
    not_probed: list[str] = []
    if built is None:
        problem = {
            "summary": f"the {settings.timeout:g} s budget ran out before the matrix was complete",
            "diagnosis": "timeout",
            "advice": list(diagnoses.get("timeout").advice),
        }
        code = ExitCode.TEMPORARY
    elif built.problem is not None:
        result = built.problem
        problem = {"summary": result.summary, "diagnosis": result.diagnosis, "advice": list(result.advice)}
        code = ExitCode[diagnoses.category_of(result.diagnosis).name] if result.diagnosis else ExitCode.CONFIG
        rows, not_probed = [], []
    else:
        rows = [row.as_dict() for row in built.rows]
        not_probed = list(built.not_probed)
        usable = any(r["kind"] == "realtime" and r["verdict"] in ("usable", "retiring") for r in rows)
        code = ExitCode.OK if usable else ExitCode.UNAVAILABLE
    from realtime_check.sanitize import safe_value

    # Model ids, dates and summaries come from the server: escaped and bounded like any result.
    return safe_value(
        {
            "schema_version": 1,
            "kind": "models",
            "tool": {"name": "realtime-check", "version": __version__},
            "ok": code is ExitCode.OK,
            "exit_code": int(code),
            "facts_as_of": model_facts.FACTS_AS_OF.isoformat(),
            "deep": deep,
            "models": rows,
            "not_probed": not_probed,
            "problem": problem,
        },
        redactor,
    )
