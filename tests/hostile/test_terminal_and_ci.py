"""Server text cannot reach the terminal or a CI log raw: escape sequences, C1 controls, workflow commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from hostile.server import Conn, HostileServer, assert_safe, cli_env, run_cli, session_created

TIMEOUT = 5.0
# Clipboard write (OSC 52), a hyperlink (OSC 8), clear screen, and 8-bit CSI / OSC (U+009B, U+009D).
ESCAPES = "\x1b]52;c;ZXZpbA==\x07\x1b]8;;https://evil.test\x07link\x1b]8;;\x07\x1b[2J\u009b31m\u009d0;title\u009c"
# Header values cannot hold ESC or C0 (clients refuse them), but 8-bit C1 bytes pass as obs-text.
C1_ONLY = "\x9b2J\x9d0;pwned\x9c\x9b31m"
# The same, as HTML entities a page title decodes into controls.
ENTITIES = "&#x1b;]52;c;ZXZpbA==&#x7;&#x9d;0;pwned&#x9c;&#155;2J"
# Workflow commands on lines of their own, and the legacy form inside a line.
COMMANDS = (
    "denied\n::add-mask::realtime-check\n::stop-commands::HOSTILE\n::error title=pwned::owned\r\n"
    "::set-output name=ok::true\n  ::warning::indented ##[set-env name=PATH;]/tmp/evil"
)


def run(server: HostileServer, tmp_path: Path, *args: str, env: dict[str, str] | None = None):
    return run_cli(
        ["run", "--base-url", server.base_url, "--timeout", str(TIMEOUT), "--no-dotenv", *args],
        tmp_path,
        env=cli_env(env),
    )


async def escapes_everywhere(conn: Conn) -> None:
    """session.created whose id and model are escape sequences, then a close whose reason is too."""
    await conn.accept_websocket([("x-request-id", "req_" + C1_ONLY), ("server", C1_ONLY)])
    await conn.send_event(session_created(session_id="sess_" + ESCAPES, model="gpt-realtime" + ESCAPES))
    await conn.hold()


async def models_with_escapes(conn: Conn) -> None:
    """A model listing whose ids and shutdown_date carry escape sequences."""
    await conn.respond_json(
        200,
        {
            "object": "list",
            "data": [
                {"id": "gpt-realtime", "shutdown_date": "2099-01-01" + ESCAPES},
                {"id": "gpt-realtime-" + ESCAPES},
                {"id": "gpt-4o-transcribe" + ESCAPES},
            ],
        },
        [("x-request-id", C1_ONLY), ("openai-processing-ms", C1_ONLY)],
    )


async def close_with_escapes(conn: Conn) -> None:
    await conn.accept_websocket()
    await conn.send_close(1008, ("policy " + ESCAPES).encode()[:120])


async def html_entities(conn: Conn) -> None:
    """A gateway's HTML page whose title decodes into C1 controls."""
    await conn.respond(403, f"<html><title>Blocked {ENTITIES}</title></html>", [("Content-Type", "text/html")])


async def error_with_commands(conn: Conn) -> None:
    await conn.respond_json(
        401, {"error": {"message": COMMANDS, "type": "invalid_request_error", "code": "invalid_api_key"}}
    )


async def ws_error_with_commands(conn: Conn) -> None:
    await conn.accept_websocket()
    await conn.send_event({"type": "error", "error": {"type": "invalid_request_error", "message": COMMANDS}})
    await conn.send_close(1008, b"::add-mask::x\n##[debug]y")


HOSTILE_ROUTES = {
    "session.created fields and headers": {"ws": escapes_everywhere},
    "model ids and shutdown_date": {"/models": models_with_escapes},
    "close reason": {"ws": close_with_escapes},
    "HTML entities in a title": {"/models": html_entities, "/client_secrets": html_entities},
}
MODES = {
    "text": ["-v"],
    "json": ["--json", "-v"],
    "github": ["--ci", "github", "-v"],
    "gitlab": ["--ci", "gitlab", "-v"],
}


@pytest.mark.parametrize("where", list(HOSTILE_ROUTES))
@pytest.mark.parametrize("mode", list(MODES))
def test_escape_sequences_never_reach_the_output_raw(tmp_path: Path, where: str, mode: str) -> None:
    """OSC 52/8, ESC[2J and 8-bit C1 controls from any server field are stripped in every output mode."""
    with HostileServer(HOSTILE_ROUTES[where]) as server:
        result = run(server, tmp_path, *MODES[mode])
    assert_safe(result, timeout=TIMEOUT, json_doc=mode == "json", gitlab=mode == "gitlab")


def test_json_output_escapes_c1_controls(tmp_path: Path) -> None:
    """--json writes no raw C1 control even where the server text is kept as evidence."""
    with HostileServer({"ws": escapes_everywhere}) as server:
        result = run(server, tmp_path, "--json", "-v")
    assert_safe(result, timeout=TIMEOUT, json_doc=True)
    assert "\u009b" not in result.stdout and "\u009d" not in result.stdout


@pytest.mark.parametrize("mode", ["github", "github-json", "text"])
@pytest.mark.parametrize("route", ["rest", "ws"])
def test_server_text_runs_no_workflow_command(tmp_path: Path, mode: str, route: str) -> None:
    """Newline-separated ::commands::, stop-commands and the legacy ##[ form from a server run nothing."""
    args = {"github": ["--ci", "github", "-v"], "github-json": ["--ci", "github", "--json"], "text": ["-v"]}[mode]
    routes = {"/models": error_with_commands} if route == "rest" else {"ws": ws_error_with_commands}
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")}
    with HostileServer(routes) as server:
        result = run(server, tmp_path, *args, env=env)
    assert_safe(result, timeout=TIMEOUT, json_doc=mode == "github-json")
    # The tool's own annotations still run: the injected stop-commands silenced nothing.
    if mode != "text":
        assert "::error title=realtime-check" in result.stdout + result.stderr


def test_a_huge_session_id_is_shortened(tmp_path: Path) -> None:
    """A 1 MB session.id is bounded in the summary and the JSON report stays small."""

    async def huge_id(conn: Conn) -> None:
        await conn.accept_websocket()
        await conn.send_event(session_created(session_id="sess_" + "A" * 1_000_000))
        await conn.hold()

    with HostileServer({"ws": huge_id}) as server:
        result = run(server, tmp_path, "--json", "-v")
    assert_safe(result, timeout=TIMEOUT, json_doc=True)
    socket = next(c for c in result.json()["checks"] if c["id"] == "websocket")
    assert len(socket["summary"]) < 300
    assert len(result.stdout) < 100_000


@pytest.mark.parametrize("mode", [[], ["--json"]], ids=["text", "json"])
def test_the_models_command_shows_no_raw_server_text(tmp_path: Path, mode: list[str]) -> None:
    """`realtime-check models` prints model ids and dates from the server escaped, like any check."""
    with HostileServer({"/models": models_with_escapes}) as server:
        result = run_cli(
            ["models", "--base-url", server.base_url, "--timeout", str(TIMEOUT), "--no-dotenv", *mode],
            tmp_path,
            env=cli_env(),
        )
    assert_safe(result, timeout=TIMEOUT, json_doc=bool(mode))


@pytest.mark.parametrize("mode", [["-v"], ["--json", "-v"]], ids=["text", "json"])
def test_a_proxys_connect_reason_phrase_is_escaped(tmp_path: Path, mode: list[str]) -> None:
    """A proxy refusing CONNECT with escape sequences in its reason phrase writes none of them raw."""

    async def refusing_proxy(conn: Conn) -> None:
        await conn.respond(403, b"", reason="Forbidden \x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b31m")

    with HostileServer(default=refusing_proxy) as proxy:
        env = cli_env({"HTTPS_PROXY": f"http://127.0.0.1:{proxy.port}"})
        # .test never resolves: only the proxy is ever contacted.
        args = ["run", "--base-url", "https://api.openai.test/v1", "--timeout", str(TIMEOUT), "--no-dotenv", *mode]
        result = run_cli(args, tmp_path, env=env)
        assert proxy.requests and proxy.requests[0].method == "CONNECT"
    assert_safe(result, timeout=TIMEOUT, json_doc="--json" in mode)
