"""The options `run` and `demo` share, declared once, and the help panels every option sits in.

Typer reads options from a command's signature, so a shared option set is a
dataclass whose fields carry their `typer.Option`, and a decorator that adds
those fields to each command's signature and hands the command one `RunFlags`.
Adding an option to both commands is one field here (plus, if it must be
checked, a line in `validate`).
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar, get_type_hints

import typer

from realtime_check.checks import CHECK_IDS

# Help panels, in the order `--help` shows them.
TARGET = "Target and credentials"


# Where to reach the API and with what: the same options, worded once, for run, bench, models and relay.
ApiKeyOpt = Annotated[
    str | None,
    typer.Option(
        "--api-key",
        help="API key (default: $OPENAI_API_KEY, then .env). Prefer the env var: flags end up in shell history.",
        show_default=False,
        rich_help_panel=TARGET,
    ),
]
BaseUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        help="REST base URL (default: $OPENAI_BASE_URL or https://api.openai.com/v1).",
        rich_help_panel=TARGET,
    ),
]
WsBaseUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--ws-base-url",
        help="WebSocket base URL when it differs from the REST one ($OPENAI_WEBSOCKET_BASE_URL).",
        rich_help_panel=TARGET,
    ),
]
ModelOpt = Annotated[
    str | None,
    typer.Option(
        "--model",
        help="Realtime model (default: $OPENAI_REALTIME_MODEL, else the newest of gpt-realtime-2.1, -2, -1.5, gpt-realtime the key can see).",
        rich_help_panel=TARGET,
    ),
]
OrganizationOpt = Annotated[
    str | None,
    typer.Option(
        "--organization",
        "--org",
        help="Send OpenAI-Organization (default: $OPENAI_ORG_ID).",
        rich_help_panel=TARGET,
    ),
]
ProjectOpt = Annotated[
    str | None,
    typer.Option("--project", help="Send OpenAI-Project (default: $OPENAI_PROJECT_ID).", rich_help_panel=TARGET),
]
CaBundleOpt = Annotated[
    str | None,
    typer.Option(
        "--ca-bundle",
        help="PEM file of CA certificates to trust, for HTTP and WebSocket alike (default: $SSL_CERT_FILE).",
        rich_help_panel=TARGET,
    ),
]
EnvFileOpt = Annotated[
    str | None,
    typer.Option(
        "--env-file",
        help="Read settings from this .env file instead of searching from the current directory.",
        rich_help_panel=TARGET,
    ),
]
NoDotenvOpt = Annotated[bool, typer.Option("--no-dotenv", help="Do not read any .env file.", rich_help_panel=TARGET)]
CHECKS = "Checks"
OUTPUT = "Output"
CI = "CI"


# A day: longer is a typo, and event loops cannot schedule timers arbitrarily far ahead.
MAX_TIMEOUT_SECONDS = 86400


class UsageProblem(Exception):
    """A bad flag value found after parsing; exits 2 (as JSON when --json)."""


JsonOpt = Annotated[
    bool,
    typer.Option(
        "--json", help="Print exactly one JSON document on stdout (schema_version 1).", rich_help_panel=OUTPUT
    ),
]


@dataclass(frozen=True)
class RunFlags:
    """Flags `run` and `demo` share. Each field is one option; its default is the `run` default."""

    response: Annotated[
        bool | None,
        typer.Option(
            "--response/--no-response",
            help="Also run one tiny text response (costs a few tokens).",
            rich_help_panel=CHECKS,
        ),
    ] = None
    deep: Annotated[
        bool,
        typer.Option(
            "--deep",
            help="Also run the checks that cost tokens: response (text), audio and transcription round trips "
            "(a few hundred tokens in all; the report's last line says how many).",
            rich_help_panel=CHECKS,
        ),
    ] = False
    legacy: Annotated[
        bool,
        typer.Option(
            "--legacy",
            help="Also try the retired beta interface exactly as old setup notes prescribe, and show the "
            "migration (free).",
            rich_help_panel=CHECKS,
        ),
    ] = False
    transcription_model: Annotated[
        str | None,
        typer.Option(
            "--transcription-model",
            help="Model of the transcription check (default: $OPENAI_TRANSCRIPTION_MODEL or gpt-live-transcribe).",
            rich_help_panel=CHECKS,
        ),
    ] = None
    webrtc: Annotated[
        bool,
        typer.Option(
            "--webrtc",
            help="Also run the WebRTC check: POST /v1/realtime/calls, then hang the call up.",
            rich_help_panel=CHECKS,
        ),
    ] = False
    sideband: Annotated[
        bool,
        typer.Option(
            "--sideband",
            help="With --webrtc (implied): also open the call's ?call_id= sideband socket.",
            rich_help_panel=CHECKS,
        ),
    ] = False
    live: Annotated[
        bool,
        typer.Option(
            "--live",
            help="Also check GPT-Live (/v1/live/sessions): start a session and close it at once "
            "(billed per active minute: about a second).",
            rich_help_panel=CHECKS,
        ),
    ] = False
    live_model: Annotated[
        str | None,
        typer.Option(
            "--live-model", help="GPT-Live model of the live check (default: gpt-live-1).", rich_help_panel=CHECKS
        ),
    ] = None
    only: Annotated[
        list[str] | None,
        typer.Option(
            "--only",
            help=f"Run only these checks (repeat or comma-separate): {', '.join(CHECK_IDS)}.",
            rich_help_panel=CHECKS,
        ),
    ] = None
    skip: Annotated[
        list[str] | None,
        typer.Option("--skip", help="Skip these checks (repeat or comma-separate).", rich_help_panel=CHECKS),
    ] = None
    timeout: Annotated[
        float,
        typer.Option("--timeout", help="Wall-time budget for the whole run, in seconds.", rich_help_panel=CHECKS),
    ] = 30.0
    json_: JsonOpt = False
    json_lines: Annotated[
        bool,
        typer.Option(
            "--json-lines",
            help="Stream one JSON event per check as it finishes, then the report.",
            rich_help_panel=OUTPUT,
        ),
    ] = False
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            help="Show details: URLs, headers sent (secrets masked), request ids.",
            rich_help_panel=OUTPUT,
        ),
    ] = False
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Treat warnings as failures (same as --fail-on warn).", rich_help_panel=CI),
    ] = False
    fail_on: Annotated[
        str, typer.Option("--fail-on", help="Lowest status that fails the run: warn or fail.", rich_help_panel=CI)
    ] = "fail"
    junit_xml: Annotated[
        str | None,
        typer.Option("--junit-xml", help="Write a JUnit XML report to this path.", rich_help_panel=CI),
    ] = None
    prometheus: Annotated[
        str | None,
        typer.Option(
            "--prometheus",
            help="Write Prometheus text metrics to this path (textfile collector).",
            rich_help_panel=CI,
        ),
    ] = None
    ci: Annotated[
        str, typer.Option("--ci", help="CI integration: auto, github, gitlab or none.", rich_help_panel=CI)
    ] = "auto"

    def validate(self) -> None:
        """Raise UsageProblem for a value the parser cannot reject by type alone."""
        # inf and nan parse as floats; inf would wait forever on a silent server.
        if not (math.isfinite(self.timeout) and 0 < self.timeout <= MAX_TIMEOUT_SECONDS):
            raise UsageProblem(f"--timeout must be a number of seconds above 0 and at most {MAX_TIMEOUT_SECONDS}")
        if self.fail_on not in ("warn", "fail"):
            raise UsageProblem(f"--fail-on must be warn or fail, not {self.fail_on!r}")
        if self.ci not in ("auto", "github", "gitlab", "none"):
            raise UsageProblem(f"--ci must be auto, github, gitlab or none, not {self.ci!r}")
        if self.json_ and self.json_lines:
            raise UsageProblem("--json and --json-lines cannot be combined")

    def only_ids(self) -> list[str] | None:
        return _split_ids(self.only)

    def skip_ids(self) -> list[str] | None:
        return _split_ids(self.skip)


def _split_ids(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


Command = TypeVar("Command", bound=Callable[..., Any])


def with_run_flags(**defaults: Any) -> Callable[[Command], Command]:
    """Give a command every `RunFlags` option; it receives them as one `flags: RunFlags` argument.

    `defaults` overrides a field's default for this command (e.g. `timeout=15.0` for demo),
    and `--help` shows the overridden value.
    """
    fields = {f.name: f for f in dataclasses.fields(RunFlags)}
    unknown = set(defaults) - set(fields)
    if unknown:
        raise TypeError(f"not RunFlags fields: {sorted(unknown)}")
    hints = get_type_hints(RunFlags, include_extras=True)
    shared = [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            annotation=hints[name],
            default=defaults.get(name, field.default),
        )
        for name, field in fields.items()
    ]

    def decorate(command: Command) -> Command:
        own = inspect.signature(command, eval_str=True)
        if "flags" not in own.parameters:
            raise TypeError(f"{command.__name__} must take a `flags: RunFlags` parameter")
        params = [p for name, p in own.parameters.items() if name != "flags"]

        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            flags = RunFlags(**{name: kwargs.pop(name) for name in fields if name in kwargs})
            return command(*args, flags=flags, **kwargs)

        # Typer builds the options from the signature (and its annotations), not from the code.
        wrapper.__signature__ = own.replace(parameters=[*params, *shared])  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in (*params, *shared)}
        del wrapper.__wrapped__  # so introspection stops at the new signature
        return wrapper  # type: ignore[return-value]

    return decorate
