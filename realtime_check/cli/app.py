"""The command line: flags in, settings and output choices out; exit codes only at this edge
(errors and crashes are turned into redacted lines in cli_errors.py).

Kept light on import: `realtime-check --help` and `--version` load no network
library. Everything heavy is imported inside the command that needs it.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from realtime_check import __version__
from realtime_check.checks import CHECKS
from realtime_check.cli.bench_cmd import register as register_bench
from realtime_check.cli.errors import SafeGroup, machine_mode, remember_secret
from realtime_check.cli.errors import fail_usage as _fail_usage
from realtime_check.cli.models_cmd import register as register_models
from realtime_check.cli.options import (
    TARGET,
    ApiKeyOpt,
    BaseUrlOpt,
    CaBundleOpt,
    EnvFileOpt,
    JsonOpt,
    ModelOpt,
    NoDotenvOpt,
    OrganizationOpt,
    ProjectOpt,
    RunFlags,
    UsageProblem,
    WsBaseUrlOpt,
    with_run_flags,
)
from realtime_check.cli.relay_cmd import register as register_relay
from realtime_check.cli.scan import explain_scan_rule
from realtime_check.cli.scan import register as register_scan
from realtime_check.exit_codes import EXIT_CODE_DESCRIPTIONS, ExitCode

if TYPE_CHECKING:
    from realtime_check.cli.outputs import OutputOptions

EXIT_CODES_HELP = "\n\n".join(f"{int(code)}  {text}" for code, text in EXIT_CODE_DESCRIPTIONS.items())

app = typer.Typer(
    name="realtime-check",
    cls=SafeGroup,
    help="Can this OpenAI API key really use the Realtime API? If not: exactly why, and what to do.",
    epilog="Exit codes (run and demo):\n\n" + EXIT_CODES_HELP,  # scripts branch on them: show them up front
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,  # never a traceback with locals in a tool that holds keys
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"realtime-check {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit.", callback=_version, is_eager=True)
    ] = False,
) -> None:
    """Preflight and doctor for the OpenAI Realtime API."""


def _output_options(flags: RunFlags) -> OutputOptions:
    """Validate the options `run` and `demo` share (UsageProblem if one is off) and bundle the output ones."""
    from realtime_check.cli.outputs import OutputOptions

    flags.validate()
    return OutputOptions(
        json=flags.json_,
        json_lines=flags.json_lines,
        verbose=flags.verbose,
        junit_xml=flags.junit_xml,
        prometheus=flags.prometheus,
        ci=flags.ci,
        fail_on_warn=flags.strict or flags.fail_on == "warn",
    )


def _execute(
    settings,
    out,
    selected: list[str],
    probe_response: bool,
    demo: str | None = None,
    sideband: bool = False,
    live_model: str | None = None,
) -> None:
    """Run the checks with live progress, emit every requested output, exit with the run's code."""
    from realtime_check.checks.context import RunOptions
    from realtime_check.cli.execute import execute

    options = RunOptions(verbose=out.verbose, probe_response=probe_response, sideband=sideband, live_model=live_model)
    execute(settings, out, selected, options, demo=demo)


def _select(
    flags: RunFlags,
    probe_response: bool,
    json_mode: str | None,
    *,
    deep: bool = False,
    legacy: bool = False,
    webrtc: bool = False,
    live: bool = False,
) -> list[str]:
    from realtime_check.checks import select

    try:
        return select(
            flags.only_ids(),
            flags.skip_ids(),
            probe_response=probe_response,
            deep=deep,
            legacy=legacy,
            webrtc=webrtc or flags.webrtc or flags.sideband,
            live=live or flags.live or bool(flags.live_model),
        )
    except ValueError as exc:
        _fail_usage(str(exc), json_mode)
        raise  # unreachable: _fail_usage exits


@app.command(epilog="Exit codes:\n\n" + EXIT_CODES_HELP)
@with_run_flags()
def run(
    api_key: ApiKeyOpt = None,
    base_url: BaseUrlOpt = None,
    ws_base_url: WsBaseUrlOpt = None,
    model: ModelOpt = None,
    organization: OrganizationOpt = None,
    project: ProjectOpt = None,
    provider: Annotated[
        str,
        typer.Option(
            "--provider",
            help="auto, openai or azure. auto: Azure OpenAI for *.openai.azure.com-style hosts, or when "
            "AZURE_OPENAI_ENDPOINT and an Azure key/token are set and nothing points at OpenAI.",
            rich_help_panel=TARGET,
        ),
    ] = "auto",
    ca_bundle: CaBundleOpt = None,
    env_file: EnvFileOpt = None,
    no_dotenv: NoDotenvOpt = False,
    *,
    flags: RunFlags,
) -> None:
    """Run the staged checks against the real API (or any --base-url)."""
    from realtime_check.cli.target import resolve_settings

    json_mode = machine_mode(flags.json_, flags.json_lines)
    try:
        out = _output_options(flags)
        settings = resolve_settings(
            {
                "api_key": api_key,
                "base_url": base_url,
                "ws_base_url": ws_base_url,
                "model": model,
                "organization": organization,
                "project": project,
                "transcription_model": flags.transcription_model,
                "provider": provider,
            },
            env_file=env_file,
            no_dotenv=no_dotenv,
            timeout=flags.timeout,
            ca_bundle=ca_bundle,
        )
    except UsageProblem as exc:
        _fail_usage(str(exc), json_mode)
    remember_secret(settings.api_key)
    selected = _select(flags, bool(flags.response), json_mode, deep=flags.deep, legacy=flags.legacy)
    _execute(settings, out, selected, bool(flags.response), sideband=flags.sideband, live_model=flags.live_model)


@app.command(epilog="Exit codes are those of `run`: the demo exits as the scenario's run would.")
@with_run_flags(timeout=15.0, ci="none")
def demo(
    scenario: Annotated[
        str,
        typer.Option("--scenario", "-s", help="Emulator scenario to run against (see --list).", rich_help_panel=TARGET),
    ] = "healthy",
    list_: Annotated[bool, typer.Option("--list", help="List the scenarios and exit.", rich_help_panel=TARGET)] = False,
    *,
    flags: RunFlags,
) -> None:
    """Run the real checks against the built-in emulator: no key, no network needed."""
    json_mode = machine_mode(flags.json_, flags.json_lines)
    if list_:
        _print_scenarios()
        raise typer.Exit(0)
    try:
        out = _output_options(flags)
    except UsageProblem as exc:
        _fail_usage(str(exc), json_mode)
    from realtime_check.cli.demo import demo_settings, start_demo_emulator

    try:
        emulator = start_demo_emulator(scenario)
    except KeyError as exc:
        _fail_usage(str(exc.args[0]) if exc.args else f"unknown scenario {scenario!r}", json_mode)
    try:
        settings, hints = demo_settings(emulator, flags.timeout, flags.transcription_model)
        probe = hints.probe_response if flags.response is None else flags.response
        deep, legacy = flags.deep or hints.deep, flags.legacy or hints.legacy
        selected = _select(flags, probe, json_mode, deep=deep, legacy=legacy, webrtc=hints.webrtc, live=hints.live)
        sideband = flags.sideband or hints.sideband
        _execute(
            settings, out, selected, probe, demo=emulator.scenario.name, sideband=sideband, live_model=flags.live_model
        )
    finally:
        emulator.stop()


def _print_scenarios() -> None:
    from rich.console import Console
    from rich.table import Table

    from realtime_check.emulator.scenarios import list_scenarios

    table = Table(box=None, header_style="bold")
    table.add_column("scenario", no_wrap=True)
    table.add_column("what it does", ratio=1, overflow="fold")
    table.add_column("failure modes", overflow="fold")  # ids of docs/failures.md
    for sc in list_scenarios():
        table.add_row(sc.name, sc.description, " ".join(sc.failures))
    Console(highlight=False).print(table)


@app.command()
def emulate(
    scenario: Annotated[str, typer.Option("--scenario", "-s", help="Scenario to serve (see --list).")] = "healthy",
    host: Annotated[
        str, typer.Option("--host", help="Address to bind (loopback unless --allow-public).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to bind; 0 picks a free one.")] = 0,
    tls: Annotated[
        bool, typer.Option("--tls", help="Serve HTTPS/WSS with a throwaway test CA (its file is printed).")
    ] = False,
    latency_ms: Annotated[
        int | None, typer.Option("--latency-ms", help="Delay every response and socket event by this many ms.")
    ] = None,
    phase_latency: Annotated[
        list[str] | None,
        typer.Option(
            "--phase-latency",
            help="PHASE=MS: delay one phase only (mint, upgrade, session_created, first_delta, response_done); "
            "repeatable.",
        ),
    ] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the scenarios and exit.")] = False,
    allow_public: Annotated[bool, typer.Option("--allow-public", help="Allow binding a non-loopback address.")] = False,
) -> None:
    """Serve a local emulator of the Realtime API that misbehaves on demand, for your own app's tests."""
    if list_:
        _print_scenarios()
        raise typer.Exit(0)
    if latency_ms is not None and latency_ms < 0:
        _fail_usage("--latency-ms must be zero or more", None)
    from realtime_check.emulator.serve import parse_phase_latencies, serve

    try:
        phases = parse_phase_latencies(phase_latency or [])
        serve(scenario, host, port, tls, latency_ms, sys.stdout, allow_public=allow_public, phase_latency_ms=phases)
    except KeyError as exc:
        _fail_usage(str(exc.args[0]) if exc.args else f"unknown scenario {scenario!r}", None)
    except (ValueError, OSError) as exc:
        _fail_usage(str(exc), None)


@app.command("checks")
def list_checks(json_: JsonOpt = False) -> None:
    """List the checks: id, what each proves, whether it costs tokens."""
    if json_:
        import json

        from realtime_check.render.json_report import SCHEMA_VERSION

        checks = [
            {"id": c.id, "title": c.title, "proves": c.proves, "costs_tokens": c.costs_tokens, "default": c.default}
            for c in CHECKS
        ]
        typer.echo(json.dumps({"schema_version": SCHEMA_VERSION, "checks": checks}, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    # Short headers and a folding "proves" column: at 80 columns the text gets the room, nothing is cut.
    table = Table(box=None, header_style="bold")
    table.add_column("id", no_wrap=True)
    table.add_column("proves", ratio=1, overflow="fold")
    table.add_column("tokens", no_wrap=True)
    table.add_column("default", no_wrap=True)
    for c in CHECKS:
        table.add_row(c.id, c.proves, "yes" if c.costs_tokens else "no", "yes" if c.default else "opt-in")
    Console(highlight=False).print(table)


@app.command()
def explain(
    term: Annotated[
        str,
        typer.Argument(
            help="A diagnosis id, API error code, HTTP status, close code, error message words, failure mode id (F36, see docs/failures.md) or scan rule id (beta-header)."
        ),
    ],
    json_: JsonOpt = False,
) -> None:
    """Explain a diagnosis (title, cause, advice, docs) or a scan rule (why it fails, the fix)."""
    if explain_scan_rule(term, json_):
        return
    from realtime_check.diagnosis import catalog as diagnoses
    from realtime_check.render.explain import print_explanations

    found = diagnoses.lookup(term)
    if json_:
        import json

        from realtime_check.render.json_report import SCHEMA_VERSION

        matches = [
            {
                "kind": "diagnosis",
                "id": d.id,
                "title": d.title,
                "cause": d.cause,
                "advice": list(d.advice),
                "docs": d.docs,
                "category": d.category.value,
                "exit_code": int(ExitCode[d.category.name]),
                "failures": list(d.failures),
            }
            for d in found
        ]
        typer.echo(json.dumps({"schema_version": SCHEMA_VERSION, "term": term, "matches": matches}, indent=2))
    else:
        print_explanations(term, found)
    if not found:
        raise typer.Exit(int(ExitCode.USAGE))


register_scan(app)
register_relay(app)
register_models(app)
register_bench(app)


def main() -> None:
    app(prog_name="realtime-check")
