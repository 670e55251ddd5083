"""`realtime-check relay URL`: check the user's own bridge (browser -> bridge -> OpenAI).

The relay check connects the way the user's browser client does; the direct `websocket` check runs
alongside with the same key and model, so the report can say which hop fails. With
--upstream-emulator the emulator stands in for OpenAI and reports what the bridge sent upstream.
Relay tokens and header values are secrets: registered with the redactor before anything runs.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import typer

from realtime_check.cli.errors import fail_usage, machine_mode, remember_secret
from realtime_check.cli.options import CHECKS as CHECKS_PANEL
from realtime_check.cli.options import (
    OUTPUT,
    ApiKeyOpt,
    BaseUrlOpt,
    EnvFileOpt,
    ModelOpt,
    NoDotenvOpt,
    UsageProblem,
    WsBaseUrlOpt,
)

RELAY = "Relay"
# Query parameters that carry a credential: their values are registered as secrets.
_SECRET_PARAM = re.compile(r"(?i)token|key|auth|secret|ticket|jwt|sig|pass")


def register(app: typer.Typer) -> None:
    """Add the `relay` command to the application."""
    app.command("relay")(relay)


def relay(
    url: Annotated[str, typer.Argument(help="Your relay's WebSocket URL (ws:// or wss://), as your browser uses it.")],
    relay_subprotocol: Annotated[
        list[str] | None,
        typer.Option("--relay-subprotocol", help="Subprotocol your client offers (repeatable).", rich_help_panel=RELAY),
    ] = None,
    relay_header: Annotated[
        list[str] | None,
        typer.Option(
            "--relay-header",
            help="Header 'Name: value' for the relay (repeatable; the value is treated as a secret).",
            rich_help_panel=RELAY,
        ),
    ] = None,
    relay_token_env: Annotated[
        str | None,
        typer.Option(
            "--relay-token-env", help="Read the relay's token from this environment variable.", rich_help_panel=RELAY
        ),
    ] = None,
    relay_token_in: Annotated[
        str,
        typer.Option(
            "--relay-token-in",
            help="Where the token goes: header (Authorization: Bearer), query (?token=) or subprotocol.",
            rich_help_panel=RELAY,
        ),
    ] = "header",
    relay_token_name: Annotated[
        str | None,
        typer.Option(
            "--relay-token-name",
            help="Header name, query parameter or subprotocol prefix for the token (default: Authorization/token/none).",
            rich_help_panel=RELAY,
        ),
    ] = None,
    relay_ephemeral: Annotated[
        bool,
        typer.Option(
            "--relay-ephemeral",
            help="Mint an ek_ with the API key and offer it as the browser subprotocols, as OpenAI's own client does.",
            rich_help_panel=RELAY,
        ),
    ] = False,
    upstream_emulator: Annotated[
        bool,
        typer.Option(
            "--upstream-emulator",
            help="Bridge doctor: start the emulator as the bridge's upstream and report what the bridge sends it.",
            rich_help_panel=RELAY,
        ),
    ] = False,
    no_wait: Annotated[
        bool,
        typer.Option(
            "--no-wait",
            help="With --upstream-emulator: connect at once (bridges that read their upstream per connection).",
            rich_help_panel=RELAY,
        ),
    ] = False,
    api_key: ApiKeyOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    ws_base_url: WsBaseUrlOpt = None,
    env_file: EnvFileOpt = None,
    no_dotenv: NoDotenvOpt = False,
    response: Annotated[
        bool,
        typer.Option(
            "--response", help="Also send one tiny text round trip through the relay.", rich_help_panel=CHECKS_PANEL
        ),  # fmt: skip
    ] = False,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Wall-time budget in seconds.", rich_help_panel=CHECKS_PANEL)
    ] = 30.0,
    json_: Annotated[
        bool, typer.Option("--json", help="Print exactly one JSON document on stdout.", rich_help_panel=OUTPUT)
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show details.", rich_help_panel=OUTPUT)] = False,
) -> None:
    """Check your own relay (browser -> your bridge -> OpenAI): what comes through it, and which hop fails."""
    from realtime_check.cli.demo import DEMO_KEY
    from realtime_check.cli.target import resolve_settings

    mode = machine_mode(json_, False)
    secrets: list[str] = []
    try:
        if not timeout > 0:
            raise UsageProblem("--timeout must be a positive number of seconds")
        relay_url, headers, subprotocols = relay_request(
            url,
            relay_header or [],
            relay_subprotocol or [],
            token=_token(relay_token_env),
            token_in=relay_token_in,
            token_name=relay_token_name,
            secrets=secrets,
        )
        for secret in secrets:
            remember_secret(secret)
        emulator = _start_upstream() if upstream_emulator else None
        flags = {"api_key": api_key, "model": model, "base_url": base_url, "ws_base_url": ws_base_url}
        if emulator is not None:
            flags.update(api_key=DEMO_KEY, base_url=emulator.base_url, ws_base_url=None)
        settings = resolve_settings(flags, env_file=env_file, no_dotenv=no_dotenv or emulator is not None,
                                    timeout=timeout)  # fmt: skip
        remember_secret(settings.api_key)
        if relay_ephemeral and not settings.api_key:
            raise UsageProblem("--relay-ephemeral mints an ek_ with the API key: set OPENAI_API_KEY or --api-key")
    except UsageProblem as exc:
        fail_usage(str(exc), mode)
        return
    try:
        if emulator is not None:
            _announce(emulator, to_stderr=json_)
            if not no_wait:
                sys.stdin.readline()  # Enter, or end of input
        _run(settings, relay_url, headers, subprotocols, relay_ephemeral, emulator, response, json_, verbose, secrets)
    finally:
        if emulator is not None:
            emulator.stop()


def relay_request(
    url: str,
    header_lines: list[str],
    subprotocols: list[str],
    *,
    token: str | None,
    token_in: str,
    token_name: str | None,
    secrets: list[str],
) -> tuple[str, tuple[tuple[str, str], ...], tuple[str, ...]]:
    """(url, headers, subprotocols) the way the client sends them; every secret in them is added to `secrets`.

    UsageProblem for a URL that is not ws(s):// or a header that is not 'Name: value'.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("ws", "wss") or not parts.netloc:
        raise UsageProblem("the relay URL must be a ws:// or wss:// URL, e.g. ws://localhost:8081/realtime")
    secrets.extend(value for name, value in parse_qsl(parts.query) if _SECRET_PARAM.search(name) and value)
    headers: list[tuple[str, str]] = []
    for line in header_lines:
        name, sep, value = line.partition(":")
        if not sep or not re.fullmatch(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+", name.strip()):
            raise UsageProblem("--relay-header must look like 'Name: value'")
        value = value.strip()
        secrets.extend([value, value.partition(" ")[2]])  # the whole value and, after a scheme, the credential
        headers.append((name.strip(), value))
    protocols = list(subprotocols)
    if token is not None:
        secrets.append(token)
        if token_in == "header":
            name = token_name or "Authorization"
            headers.append((name, f"Bearer {token}" if name.lower() == "authorization" else token))
        elif token_in == "query":
            query = [*parse_qsl(parts.query), (token_name or "token", token)]
            parts = parts._replace(query=urlencode(query))
        elif token_in == "subprotocol":
            protocols.append(f"{token_name or ''}{token}")
        else:
            raise UsageProblem(f"--relay-token-in must be header, query or subprotocol, not {token_in!r}")
    return urlunsplit(parts), tuple(headers), tuple(protocols)


def _token(variable: str | None) -> str | None:
    if variable is None:
        return None
    value = os.environ.get(variable, "").strip()
    if not value:
        raise UsageProblem(f"--relay-token-env: the environment variable {variable} is not set or empty")
    return value


def _start_upstream() -> Any:
    from realtime_check.emulator.server import Emulator

    try:
        return Emulator("healthy").start()
    except OSError as exc:
        raise UsageProblem(str(exc)) from exc


def _announce(emulator: Any, *, to_stderr: bool) -> None:
    """The URLs to give the bridge; on stderr under --json, so stdout stays one document."""
    lines = (
        "Bridge doctor: an emulator of the Realtime API is waiting for your bridge.",
        "Point your bridge's upstream at it (any sk- key works), restart the bridge, then press Enter:",
        f"  base URL    {emulator.base_url}",
        f"  socket URL  {emulator.ws_url}   (add ?model=… as you do for OpenAI)",
    )
    for line in lines:
        typer.echo(line, err=to_stderr)
    stream = sys.stderr if to_stderr else sys.stdout
    stream.flush()


def upstream_view(emulator: Any) -> Any:
    """A callable giving what the emulator saw from the bridge so far, as the relay check reads it."""
    from realtime_check.checks.context import UpstreamSocket

    def view() -> list[UpstreamSocket]:
        return [_upstream_socket(record, UpstreamSocket) for record in emulator.socket_log.snapshot()]

    return view


def _upstream_socket(record: Any, make: Any) -> Any:
    headers = record.headers
    protocols = [p.strip() for p in headers.get("sec-websocket-protocol", "").split(",") if p.strip()]
    if headers.get("authorization", "").lower().startswith("bearer "):
        auth = "bearer"
    elif headers.get("api-key"):
        auth = "api-key"
    elif any(p.startswith("openai-insecure-api-key.") for p in protocols):
        auth = "subprotocol"
    else:
        auth = "none"
    # Detects the retired header on the bridge's upstream connection; realtime-check never sends it.
    beta_subprotocol = "openai-beta.realtime-v1"  # realtime-check: ignore[beta-header]
    beta = "realtime" in headers.get("openai-beta", "").lower() or beta_subprotocol in protocols
    return make(
        beta_header=beta,
        auth=auth,
        model=record.query.get("model"),
        http_status=record.http_status,
        first_server_event=record.first_server_event,
        error_code=record.error_code,
        close_code=record.close_code,
        client_events=tuple(record.client_events),
        rejected_session_fields=tuple(record.rejected_session_fields),
    )


def _run(
    settings: Any,
    relay_url: str,
    headers: tuple[tuple[str, str], ...],
    subprotocols: tuple[str, ...],
    ephemeral: bool,
    emulator: Any,
    response: bool,
    json_: bool,
    verbose: bool,
    secrets: list[str],
) -> None:
    from realtime_check.checks import doctor
    from realtime_check.checks.context import RelayTarget, RunOptions
    from realtime_check.cli.execute import execute
    from realtime_check.cli.outputs import OutputOptions

    target = RelayTarget(
        url=relay_url,
        headers=headers,
        subprotocols=subprotocols,
        ephemeral=ephemeral,
        upstream=upstream_view(emulator) if emulator is not None else None,
        upstream_name="The upstream emulator" if emulator is not None else "OpenAI",
    )
    options = RunOptions(verbose=verbose, probe_response=response, relay=target)
    redactor = doctor.make_redactor(settings)
    for secret in secrets:
        redactor.add(secret)
    # The direct comparison needs a key; without one the relay's answer is judged alone. The bridge
    # doctor sees both ends itself (and a direct socket to its emulator would prove nothing).
    selected = ["config", "websocket", "relay"] if settings.api_key and emulator is None else ["relay"]
    if ephemeral:
        selected.insert(1, "session")
    out = OutputOptions(json=json_, verbose=verbose)
    execute(settings, out, selected, options, redactor=redactor)
