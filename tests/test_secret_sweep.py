"""No secret in any output: the API key and every ephemeral secret the emulator minted are swept for,
in every output mode, healthy and failing, with the key from the environment, a flag or a .env file."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from cli_runner import cli

from realtime_check.emulator.app import KEY_SUBPROTOCOL
from realtime_check.emulator.scenarios import (
    ALL_REST,
    EVERYWHERE,
    ErrorSpec,
    HttpFault,
    Scenario,
    SocketPlan,
    WsReject,
)
from realtime_check.emulator.server import Emulator

# Obviously fake, and chosen so that no 8-character piece of it can occur by chance in a report:
# every piece after "sk-proj-" mixes letters that never appear in hex ids, model names or URLs.
SWEEP_KEY = "sk-proj-FAKEsweepQ7zR2wM9tL4bN6cV8dH1fJ3gP5kT0yWu"
KEY_PREFIX = "sk-proj-"  # public: it only says what kind of key this is
# The emulator mints "ek_FAKE" + 20 random hex digits; only the random part is secret.
SECRET_PREFIX = "ek_FAKE"
PIECE = 8

# A server (or proxy) that echoes the full key back: in the REST error body, a response header,
# the socket's error event and its close reason. The redactor must catch every one.
_ECHO = ErrorSpec(
    f"Incorrect API key provided: {SWEEP_KEY}. Check it at https://platform.openai.com/api-keys.",
    code="invalid_api_key",
)
ECHO_SCENARIO = Scenario(
    "echo-full-key",
    "Every answer echoes the full key: REST 401 body and header, WebSocket error event and close reason.",
    http_faults=(
        HttpFault(ALL_REST, status=401, error=_ECHO, headers=(("x-debug-authorization", f"Bearer {SWEEP_KEY}"),)),
    ),
    socket=SocketPlan(reject=WsReject(3000, _ECHO, reason=f"invalid_api_key {SWEEP_KEY}")),
)
SCENARIOS = ["healthy", "invalid-key", "ephemeral-rejected", "echo-full-key"]


def _start(scenario: str) -> Emulator:
    return Emulator(ECHO_SCENARIO if scenario == "echo-full-key" else scenario).start()


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """Where every file output goes; the whole directory is swept."""
    path = tmp_path / "out"
    path.mkdir()
    return path


def mode_args(mode: str, out: Path) -> tuple[list[str], dict[str, str]]:
    """CLI flags and extra environment for one output mode."""
    github = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(out / "step_summary.md"),
        "GITHUB_OUTPUT": str(out / "github_output"),
    }
    return {
        "text": ([], {}),
        "text-verbose": (["-v"], {}),
        "json": (["--json"], {}),
        "json-lines": (["--json-lines"], {}),
        "junit-xml": (["--junit-xml", str(out / "junit.xml")], {}),
        "prometheus": (["--prometheus", str(out / "realtime_check.prom")], {}),
        "github": (["-v"], github),
        "github-json": (["--json"], github),
        "gitlab": (["-v"], {"GITLAB_CI": "true"}),
        # Everything at once, for the key-source sweep.
        "all-verbose": (["-v", "--junit-xml", str(out / "junit.xml"), "--prometheus", str(out / "m.prom")], github),
        "all-json-lines": (
            ["--json-lines", "--junit-xml", str(out / "junit.xml"), "--prometheus", str(out / "m.prom")],
            {"GITLAB_CI": "true"},
        ),
    }[mode]


def minted_secrets(emu: Emulator) -> set[str]:
    """Every credential other than the API key that reached the emulator (ek_ secrets, header or subprotocol)."""
    found = set()
    for request in emu.requests:
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        if scheme == "Bearer" and value != SWEEP_KEY:
            found.add(value)
        for proto in ",".join(request.headers.getall("Sec-WebSocket-Protocol", [])).split(","):
            proto = proto.strip()
            if proto.startswith(KEY_SUBPROTOCOL):
                found.add(proto[len(KEY_SUBPROTOCOL) :])
    return found


def sent_keys(emu: Emulator) -> set[str]:
    return {r.headers.get("Authorization", "").partition(" ")[2] for r in emu.requests} & {SWEEP_KEY}


def pieces(secret: str, public_prefix: str) -> set[str]:
    """Every PIECE-character substring of the secret's private part."""
    assert secret.startswith(public_prefix), secret
    body = secret[len(public_prefix) :]
    assert len(body) >= PIECE
    return {body[i : i + PIECE] for i in range(len(body) - PIECE + 1)}


def encoded_forms(secret: str) -> set[str]:
    """The secret fully percent-encoded, and every 16-character piece of its base64 encodings
    (at each of the three byte alignments an echo can put it in)."""
    raw = secret.encode()
    forms = {"".join(f"%{b:02X}" for b in raw), "".join(f"%{b:02x}" for b in raw)}
    for offset in range(3):
        body = raw[offset:][: len(raw[offset:]) - len(raw[offset:]) % 3]
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            text = encode(body).decode()
            forms |= {text[i : i + 16] for i in range(len(text) - 15)}
    return forms


def assert_no_leak(outputs: dict[str, bytes], secrets: dict[str, str]) -> None:
    """No output holds a secret, any piece of its private part or an encoded form of it (also with all
    whitespace removed, in case a terminal renderer wrapped it)."""
    leaks = []
    for name, data in outputs.items():
        squeezed = b"".join(data.split())
        for secret, prefix in secrets.items():
            for piece in pieces(secret, prefix) | encoded_forms(secret):
                if piece.encode() in data or piece.encode() in squeezed:
                    leaks.append(f"{name}: {piece!r} of {prefix}…")
    assert not leaks, leaks


def collect(stdout: bytes, stderr: bytes, out: Path) -> dict[str, bytes]:
    outputs = {"stdout": stdout, "stderr": stderr}
    for path in sorted(out.rglob("*")):
        if path.is_file():
            outputs[path.name] = path.read_bytes()
    return outputs


def run_and_sweep(scenario: str, mode: str, source: str, out: Path, extra: tuple[str, ...] = ()) -> None:
    args, env = mode_args(mode, out)
    if source == "env":
        env = {**env, "OPENAI_API_KEY": SWEEP_KEY}
    elif source == "flag":
        args = [*args, "--api-key", SWEEP_KEY]
    else:  # a .env file in the working directory (the hermetic fixture made it an empty temp dir)
        Path(".env").write_text(f"OPENAI_API_KEY={SWEEP_KEY}\n", encoding="utf-8")
    emu = _start(scenario)
    try:
        result = cli("run", "--base-url", emu.base_url, "--response", "--timeout", "10", *extra, *args, env=env)
    finally:
        emu.stop()
    assert (result.exit_code == 0) == (scenario == "healthy"), result.stdout
    outputs = collect(result.stdout_bytes, result.stderr_bytes, out)
    assert any(outputs.values())
    secrets = {SWEEP_KEY: KEY_PREFIX, **{s: SECRET_PREFIX for s in minted_secrets(emu)}}
    # The sweep means something only if the key really went out, and secrets were really minted and used.
    assert sent_keys(emu) == {SWEEP_KEY}
    mints = sum(1 for r in emu.requests if r.path == "/v1/realtime/client_secrets")
    if scenario in ("healthy", "ephemeral-rejected"):
        assert len(secrets) - 1 == mints >= 1
    assert_no_leak(outputs, secrets)


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize(
    "mode", ["text", "text-verbose", "json", "json-lines", "junit-xml", "prometheus", "github", "github-json", "gitlab"]
)
def test_no_secret_in_any_output_mode(scenario: str, mode: str, out_dir: Path) -> None:
    """No output mode shows the key or a minted secret, healthy or failing, even when the server echoes the key."""
    run_and_sweep(scenario, mode, "env", out_dir)


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("source", ["flag", "dotenv"])
@pytest.mark.parametrize("mode", ["all-verbose", "all-json-lines"])
def test_no_secret_whatever_the_key_source(scenario: str, source: str, mode: str, out_dir: Path) -> None:
    """A key given by --api-key or by a .env file is kept out of every output just the same."""
    run_and_sweep(scenario, mode, source, out_dir)


def test_echo_scenario_really_echoes_the_key(fake_key: str) -> None:
    """Guard: the echo scenario returns the full key in its body and header, so the sweep above is a real test."""
    with Emulator(ECHO_SCENARIO) as emu:
        response = httpx.get(f"{emu.base_url}/models", headers={"Authorization": f"Bearer {fake_key}"}, timeout=10)
    assert response.status_code == 401
    assert SWEEP_KEY in response.json()["error"]["message"]
    assert response.headers["x-debug-authorization"] == f"Bearer {SWEEP_KEY}"


def test_no_secret_from_a_real_process(out_dir: Path) -> None:
    """End to end in a real process (every byte the OS saw on fds 1 and 2), with every file output at once."""
    args, env = mode_args("all-verbose", out_dir)
    with Emulator(ECHO_SCENARIO) as emu:
        proc = subprocess.run(
            [sys.executable, "-m", "realtime_check", "run", "--base-url", emu.base_url, "--response", *args],
            capture_output=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **env, "OPENAI_API_KEY": SWEEP_KEY},
        )
    assert proc.returncode == 5, proc.stderr
    assert sent_keys(emu) == {SWEEP_KEY}
    outputs = collect(proc.stdout, proc.stderr, out_dir)
    assert {"junit.xml", "m.prom", "step_summary.md", "github_output"} <= set(outputs)
    assert_no_leak(outputs, {SWEEP_KEY: KEY_PREFIX})


# --- a key pasted where it does not belong --------------------------------------------------------

MISPLACED = [
    pytest.param(["run", "--only", SWEEP_KEY], id="run-only"),
    pytest.param(["run", "--skip", SWEEP_KEY, "--json"], id="run-skip-json"),
    pytest.param(["run", "--fail-on", SWEEP_KEY], id="run-fail-on"),
    pytest.param(["run", "--ci", SWEEP_KEY, "--json"], id="run-ci-json"),
    pytest.param(["run", "--env-file", SWEEP_KEY], id="run-env-file"),
    pytest.param(["demo", "--scenario", SWEEP_KEY], id="demo-scenario"),
    pytest.param(["emulate", "--scenario", SWEEP_KEY], id="emulate-scenario"),
    pytest.param(["run", SWEEP_KEY], id="run-positional"),
    pytest.param(["explain", f"upstream said: bad credentials {SWEEP_KEY}"], id="explain-unmatched-pasted-error"),
]


@pytest.mark.parametrize("args", MISPLACED)
def test_usage_errors_do_not_echo_a_misplaced_key(args: list[str]) -> None:
    """A key typed into the wrong flag or argument is masked in the usage error, text or JSON."""
    result = cli(*args)
    assert result.exit_code == 2
    assert_no_leak({"stdout": result.stdout_bytes, "stderr": result.stderr_bytes}, {SWEEP_KEY: KEY_PREFIX})


# --- credentials no pattern recognises ------------------------------------------------------------
# An sk- key is masked by its shape even if the run's redactor never heard of it. These are not:
# only a redactor that was given the credential can hide them when a server echoes them back.

NON_SK_CREDENTIALS = [
    # (credential, its public prefix, id) — each obviously fake, and none shaped like an sk-/ek_ key
    # except the ek_ secret used as the key itself.
    pytest.param("rly-FAKE-Qz7Rw2Mt9Lb4Nc6Vd8Hf1Jg3Pk5TEST", "", id="relay-token"),
    pytest.param("0000cafe7d9e2f6b1c8d3a5e7f4b9a10", "", id="azure-key"),
    pytest.param(
        "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJGQUtFLVRFU1QifQ.FAKEsigQz7Rw2Mt9Lb4Nc6Vd8TEST",
        "",
        id="entra-token",
    ),
    pytest.param("ek_FAKEQz7Rw2Mt9Lb4Nc6Vd8Hf1Jg3TEST", "ek_", id="ephemeral-secret-as-key"),
]


def echo_scenario(secret: str) -> Scenario:
    """A server that answers every request, socket upgrade included, with a 401 echoing `secret` in its body, a shown header and the request id.

    Answered before the emulator's own key check, which would mask an unknown key the way the API does.
    """
    error = ErrorSpec(f"Incorrect API key provided: {secret}. Check it.", code="invalid_api_key")
    echo = HttpFault(
        EVERYWHERE,
        status=401,
        error=error,
        headers=(("server", f"edge {secret}"), ("x-request-id", secret)),
        before_auth=True,
    )
    return Scenario("echo-credential", "Every answer echoes the credential it was sent.", http_faults=(echo,))


@pytest.mark.parametrize(("secret", "prefix"), NON_SK_CREDENTIALS)
@pytest.mark.parametrize("mode", ["all-verbose", "all-json-lines"])
def test_echoed_credential_of_any_kind_is_hidden(secret: str, prefix: str, mode: str, out_dir: Path) -> None:
    """A relay token, Azure key, Entra token or ek_ secret echoed by the server appears in no output: the run's redactor knows it."""
    args, env = mode_args(mode, out_dir)
    with Emulator(echo_scenario(secret)) as emu:
        result = cli("run", "--base-url", emu.base_url, "--timeout", "10", *args, env={**env, "OPENAI_API_KEY": secret})
    assert result.exit_code != 0, result.stdout
    # Meaningful only if the credential really went out and really came back.
    sent = {r.headers.get("Authorization", "").partition(" ")[2] for r in emu.requests}
    assert secret in sent
    assert_no_leak(collect(result.stdout_bytes, result.stderr_bytes, out_dir), {secret: prefix})


# --- relay tokens (realtime-check relay URL) ------------------------------------------------------

RELAY_TOKEN = "rlytok-FAKE-Qz7Rw2Mt9Lb4Nc6Vd8Hf1Jg3Pk5TEST"


@pytest.mark.parametrize(
    "how",
    [
        ["--relay-token-env", "SWEEP_RELAY_TOKEN", "--relay-token-in", "query", "--relay-token-name", "t"],
        ["--relay-token-env", "SWEEP_RELAY_TOKEN", "--relay-token-in", "subprotocol", "--relay-token-name", ""],
        ["--relay-header", f"X-Relay-Auth: {RELAY_TOKEN}"],
    ],
    ids=["query", "subprotocol", "header"],
)
@pytest.mark.parametrize("mode", [[], ["-v"], ["--json"], ["--json", "-v"]], ids=["text", "verbose", "json", "json-v"])
def test_relay_token_echoed_by_a_hostile_relay_is_hidden(how: list[str], mode: list[str]) -> None:
    """A relay that quotes the client's token back (error event, close reason) leaks it into no output mode."""
    from example_bridge import ExampleBridge, Faults

    with ExampleBridge("ws://127.0.0.1:9/unused", faults=Faults(echo_credentials=True), token=RELAY_TOKEN) as bridge:
        env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "realtime_check",
                "relay",
                bridge.url,
                "--no-dotenv",
                "--timeout",
                "10",
                *how,
                *mode,
            ],
            capture_output=True,
            timeout=60,
            env={**env, "SWEEP_RELAY_TOKEN": RELAY_TOKEN},
            stdin=subprocess.DEVNULL,
        )
    assert proc.returncode not in (0, 1, 2), proc.stdout[-2000:]  # a diagnosed failure, not a crash or usage error
    assert b"rejected:" in proc.stdout or b"bad_credentials" in proc.stdout  # the echo really came back
    assert_no_leak({"stdout": proc.stdout, "stderr": proc.stderr}, {RELAY_TOKEN: ""})


# --- the forms a server that is trying might echo the key in ---------------------------------------

ENCODED_ECHOES = {
    "without-prefix": SWEEP_KEY.removeprefix(KEY_PREFIX),
    "a-piece": SWEEP_KEY[14:30],
    "base64": base64.b64encode(f"Bearer {SWEEP_KEY}".encode()).decode(),
    "percent-encoded": "".join(f"%{b:02X}" for b in SWEEP_KEY.encode()),
}


@pytest.mark.parametrize("form", list(ENCODED_ECHOES))
@pytest.mark.parametrize("mode", ["all-verbose", "all-json-lines", "github"])
def test_encoded_echoes_of_the_key_are_hidden(form: str, mode: str, out_dir: Path) -> None:
    """The key echoed without its prefix, in part, base64- or percent-encoded (body, header, request id) is in no output."""
    args, env = mode_args(mode, out_dir)
    with Emulator(echo_scenario(ENCODED_ECHOES[form])) as emu:
        result = cli(
            "run", "--base-url", emu.base_url, "--timeout", "10", *args, env={**env, "OPENAI_API_KEY": SWEEP_KEY}
        )
    assert result.exit_code != 0, result.stdout
    assert_no_leak(collect(result.stdout_bytes, result.stderr_bytes, out_dir), {SWEEP_KEY: KEY_PREFIX})
