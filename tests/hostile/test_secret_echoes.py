"""A server that echoes the key (or the minted ek_) back in any form gets it masked in every output."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from hostile.server import (
    HOSTILE_EK,
    HOSTILE_KEY,
    Conn,
    HostileServer,
    assert_safe,
    cli_env,
    run_cli,
    session_created,
)

TIMEOUT = 5.0
BARE_KEY = HOSTILE_KEY.removeprefix("sk-proj-")
HALF = len(HOSTILE_KEY) // 2


def percent_all(text: str) -> str:
    """Every character percent-encoded, as some gateways log a header."""
    return "".join(f"%{byte:02X}" for byte in text.encode())


def entities(text: str) -> str:
    return "".join(f"&#{ord(char)};" for char in text)


def unauthorized(message: str, headers: tuple[tuple[str, str], ...] = ()):
    async def handler(conn: Conn) -> None:
        await conn.respond_json(
            401,
            {"error": {"message": message, "type": "invalid_request_error", "code": "invalid_api_key"}},
            headers,
        )

    return handler


async def html_title_echo(conn: Conn) -> None:
    await conn.respond(
        403, f"<html><title>Denied for {entities(BARE_KEY)}</title></html>", [("Content-Type", "text/html")]
    )


async def split_across_event_and_close(conn: Conn) -> None:
    """Half the key at the end of the error event's message, the other half as the close reason."""
    await conn.accept_websocket()
    await conn.send_event(
        {"type": "error", "error": {"type": "invalid_request_error", "message": "bad key " + HOSTILE_KEY[:HALF]}}
    )
    await conn.send_close(1008, HOSTILE_KEY[HALF:])


async def ephemeral_echo_without_prefix(conn: Conn) -> None:
    """The browser path: the server echoes the ek_ it was offered, minus the ek_ prefix."""
    offered = conn.request.headers.get("sec-websocket-protocol", "")
    if "openai-insecure-api-key." not in offered:
        await conn.accept_websocket()
        await conn.send_event(session_created())
        await conn.hold()
        return
    await conn.accept_websocket([("x-request-id", HOSTILE_EK)])
    await conn.send_event({"type": "error", "error": {"message": f"secret {HOSTILE_EK[3:]} rejected", "type": "x"}})
    await conn.send_close(1008, HOSTILE_EK[3:])


ECHOES = {
    "x-request-id header": {"/models": unauthorized("no", (("x-request-id", HOSTILE_KEY),))},
    "without its prefix": {"/models": unauthorized(f"Incorrect API key provided: {BARE_KEY}")},
    "a 12-character piece": {"/models": unauthorized(f"key ends in {HOSTILE_KEY[-20:-6]}")},
    "base64": {"/models": unauthorized(base64.b64encode(f"Authorization: Bearer {HOSTILE_KEY}".encode()).decode())},
    "percent-encoded": {"/models": unauthorized("https://x.test/?k=" + percent_all(HOSTILE_KEY))},
    "an HTML title": {"/models": html_title_echo},
    "split across error event and close reason": {"ws": split_across_event_and_close},
    "ek_ without its prefix": {"ws": ephemeral_echo_without_prefix},
}
MODES = {
    "text": ["-v"],
    "json": ["--json", "-v"],
    "github": ["--ci", "github", "-v"],
}


@pytest.mark.parametrize("echo", list(ECHOES))
@pytest.mark.parametrize("mode", list(MODES))
def test_no_form_of_a_secret_is_shown(tmp_path: Path, echo: str, mode: str) -> None:
    """The key and the ek_ are masked however the server echoes them, in stdout, stderr and CI files."""
    env = {"GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"), "GITHUB_OUTPUT": str(tmp_path / "output")}
    args = ["run", "--timeout", str(TIMEOUT), "--no-dotenv", "--junit-xml", str(tmp_path / "junit.xml"), *MODES[mode]]
    with HostileServer(ECHOES[echo]) as server:
        result = run_cli([*args, "--base-url", server.base_url], tmp_path, env=cli_env(env))
    assert_safe(result, timeout=TIMEOUT, json_doc=mode == "json")
    assert result.exit_code != 0


def test_an_unusual_request_id_is_not_shown(tmp_path: Path) -> None:
    """A request id not shaped like one is replaced by a placeholder, a real one is kept."""
    odd = "req_ <b>see https://evil.test</b>"
    with HostileServer({"/models": unauthorized("no", (("x-request-id", odd),))}) as server:
        result = run_cli(
            ["run", "--timeout", str(TIMEOUT), "--no-dotenv", "--json", "--base-url", server.base_url], tmp_path
        )
    assert_safe(result, timeout=TIMEOUT, json_doc=True)
    ids = {c["id"]: c["request_id"] for c in result.json()["checks"]}
    assert ids["api_key"] == "unusual request id (redacted)"
    assert "evil.test" not in result.stdout
