"""Hermetic tests: no real OPENAI_*, proxy, colour, CI or CA variables, and no stray .env."""

from __future__ import annotations

import os
import re

import pytest

FAKE_KEY = "sk-proj-FAKE0000000000000000000000000000000000000000TEST"

_CLEARED = re.compile(
    r"^(OPENAI_.*|AZURE_OPENAI_.*|(HTTP|HTTPS|ALL|NO|WS|WSS|SOCKS)_PROXY|(http|https|all|no|ws|wss|socks)_proxy"
    r"|NO_COLOR|FORCE_COLOR|CLICOLOR.*|COLUMNS|LINES|TERM|CI|GITHUB_.*|GITLAB_CI|RUNNER_.*"
    r"|SSL_CERT_FILE|SSL_CERT_DIR|REQUESTS_CA_BUNDLE|CURL_CA_BUNDLE)$"
)


@pytest.fixture(autouse=True)
def hermetic_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test starts from a cleared environment in an empty directory (no .env above it)."""
    for name in list(os.environ):
        if _CLEARED.match(name):
            monkeypatch.delenv(name, raising=False)
    workdir = tmp_path_factory.mktemp("cwd")
    monkeypatch.chdir(workdir)
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("COLUMNS", "120")


@pytest.fixture
def fake_key() -> str:
    return FAKE_KEY
