"""Bad local input (URLs, proxy variables, --timeout, .env, closed outputs) is a usage or config error, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from hostile.server import CliRun, Conn, HostileServer, assert_safe, cli_env, run_cli

TIMEOUT = 5.0
USAGE, CONFIG = 2, 3
PROXY_PASSWORD = "FAKEproxyPw7Qz2Lm9"


def run(tmp_path: Path, *args: str, env: dict[str, str] | None = None, stdout: str = "file") -> CliRun:
    return run_cli(["run", "--timeout", str(TIMEOUT), "--no-dotenv", *args], tmp_path, env=cli_env(env), stdout=stdout)


@pytest.mark.parametrize(
    "base_url",
    ["http://[::1/v1", "http://127.0.0.1:70000/v1", "http://127.0.0.1:port/v1"],
    ids=["unclosed-ipv6", "port-above-65535", "port-not-a-number"],
)
def test_a_malformed_base_url_is_a_usage_error(tmp_path: Path, base_url: str) -> None:
    """A base URL no client can use ends in exit 2 with one JSON document saying so."""
    result = run(tmp_path, "--json", "--base-url", base_url)
    assert_safe(result, timeout=TIMEOUT, exit_code=USAGE, json_doc=True)
    assert "not a valid URL" in result.json()["checks"][0]["summary"]


def test_credentials_in_the_base_url_are_refused_before_anything_is_sent(tmp_path: Path) -> None:
    """user:password@ in the base URL is refused (it would replace the key), and nothing reaches the host."""
    with HostileServer() as server:
        url = server.base_url.replace("http://", f"http://user:{PROXY_PASSWORD}@")
        result = run(tmp_path, "--json", "--base-url", url)
    assert_safe(result, timeout=TIMEOUT, exit_code=USAGE, json_doc=True, secrets=[PROXY_PASSWORD])
    assert "credentials" in result.json()["checks"][0]["summary"]
    assert server.requests == []


def test_an_unrelated_proxy_like_variable_is_ignored(tmp_path: Path) -> None:
    """GRPC_PROXY_EXP holding a malformed URL is not read: the run goes on and passes."""
    with HostileServer() as server:
        result = run(tmp_path, "--json", "--base-url", server.base_url, env={"GRPC_PROXY_EXP": "http://[bad"})
    assert_safe(result, timeout=TIMEOUT, exit_code=0, json_doc=True)


@pytest.mark.parametrize(
    "variable",
    [f"http://user:{PROXY_PASSWORD}@[bad", "http://proxy.test:port", "http://[::1"],
    ids=["unparseable-host", "port-not-a-number", "unclosed-ipv6"],
)
def test_a_malformed_proxy_the_transports_read_is_a_config_error(tmp_path: Path, variable: str) -> None:
    """http_proxy with a URL nobody can parse is a configuration error, its password never shown."""
    with HostileServer() as server:
        result = run(tmp_path, "--json", "-v", "--base-url", server.base_url, env={"http_proxy": variable})
    assert_safe(result, timeout=TIMEOUT, exit_code=CONFIG, json_doc=True, secrets=[PROXY_PASSWORD])


@pytest.mark.parametrize("value", ["inf", "nan", "-1", "0", "1e309"])
def test_timeout_must_be_finite_and_positive(tmp_path: Path, value: str) -> None:
    """--timeout inf (which would wait forever), nan, zero and negatives are usage errors."""
    result = run(tmp_path, "--json", "--base-url", "http://127.0.0.1:9/v1", "--timeout", value)
    assert_safe(result, timeout=TIMEOUT, exit_code=USAGE, json_doc=True)


def test_a_silent_server_is_bounded_by_the_timeout(tmp_path: Path) -> None:
    """A server that accepts and never answers costs the --timeout, not more."""

    async def silent(conn: Conn) -> None:
        await conn.hold()

    with HostileServer(default=silent) as server:
        result = run(tmp_path, "--json", "--base-url", server.base_url)
    assert_safe(result, timeout=TIMEOUT, json_doc=True)
    assert result.exit_code != 0


def test_a_huge_env_file_is_refused_unread(tmp_path: Path) -> None:
    """A 100 MB .env is refused by its size, quickly and without reading it into memory."""
    (tmp_path / "input").mkdir()
    dotenv = tmp_path / "input" / "big.env"  # not in the run's folder, whose files are all read back
    with open(dotenv, "wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: costs no disk
    result = run_cli(["run", "--json", "--timeout", str(TIMEOUT), "--env-file", str(dotenv)], tmp_path, env=cli_env())
    assert_safe(result, timeout=TIMEOUT, exit_code=USAGE, json_doc=True)
    assert "limit" in result.json()["checks"][0]["summary"]


def test_a_closed_stdout_still_gives_the_runs_exit_code(tmp_path: Path) -> None:
    """Started with stdout closed (`>&-`), the run happens and exits with its own code, no traceback."""
    with HostileServer() as server:
        result = run(tmp_path, "--base-url", server.base_url, stdout="closed")
    assert_safe(result, timeout=TIMEOUT, exit_code=0)
    assert result.stderr == ""


def test_a_reader_that_went_away_ends_the_run_quietly(tmp_path: Path) -> None:
    """A broken pipe on stdout ends with 141 (128 + SIGPIPE, as a shell reports it) and nothing on stderr."""
    with HostileServer() as server:
        result = run(tmp_path, "-v", "--base-url", server.base_url, stdout="broken")
    assert_safe(result, timeout=TIMEOUT, exit_code=141)
    assert result.stderr == ""
