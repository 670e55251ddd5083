"""Settings resolution (settings.py): flag > env > .env > default, with provenance, and .env reading."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from realtime_check.settings import (
    DEFAULT_BASE_URL,
    DEFAULT_MODEL,
    Settings,
    derive_ws_url,
    describe_source,
    read_dotenv,
    read_dotenv_file,
    resolve,
)

KEY = "sk-proj-FAKE0000000000000000000000000000000000000000TEST"
OTHER_KEY = "sk-proj-FAKE1111111111111111111111111111111111111111OTHR"
# A $HOME that is no ancestor of any test folder, so only the .git rule bounds the search.
NO_HOME = "/nonexistent-home-FAKE"
DOTENV_PATH = "/project/.env"

# setting name -> (flag name, env var, a flag value, an env value, a .env value)
SOURCES = {
    "api_key": (
        "OPENAI_API_KEY",
        "sk-proj-FAKEflag000000000000",
        "sk-proj-FAKEenv0000000000000",
        "sk-proj-FAKEdot0000000000000",
    ),
    "base_url": ("OPENAI_BASE_URL", "https://flag.example/v1", "https://env.example/v1", "https://dot.example/v1"),
    "ws_base_url": (
        "OPENAI_WEBSOCKET_BASE_URL",
        "wss://flag.example/v1",
        "wss://env.example/v1",
        "wss://dot.example/v1",
    ),
    "model": ("OPENAI_REALTIME_MODEL", "gpt-realtime-flag", "gpt-realtime-env", "gpt-realtime-dot"),
    "organization": ("OPENAI_ORG_ID", "org-FAKEflag", "org-FAKEenv", "org-FAKEdot"),
    "project": ("OPENAI_PROJECT_ID", "proj_FAKEflag", "proj_FAKEenv", "proj_FAKEdot"),
}


def setting(settings: Settings, name: str) -> tuple[str | None, str]:
    entry = next(s for s in settings.provenance if s.name == name)
    return entry.value, entry.source


def effective(settings: Settings, name: str) -> str | None:
    """The value later checks use (ws_base_url shows up as the derived ws_url)."""
    if name == "ws_base_url":
        return settings.ws_url
    return getattr(settings, name)


def expected_value(name: str, raw: str) -> str:
    return derive_ws_url(raw) if name == "ws_base_url" else raw


@pytest.mark.parametrize("name", list(SOURCES))
@pytest.mark.parametrize(
    ("given", "winner"),
    [
        pytest.param(("flag", "env", "dotenv"), "flag", id="flag-beats-all"),
        pytest.param(("env", "dotenv"), "env", id="env-beats-dotenv"),
        pytest.param(("dotenv",), "dotenv", id="dotenv-alone"),
    ],
)
def test_precedence_flag_env_dotenv(name: str, given: tuple[str, ...], winner: str) -> None:
    """For every setting the flag wins over the environment, which wins over .env."""
    var, flag_value, env_value, dot_value = SOURCES[name]
    flags = {name: flag_value} if "flag" in given else {}
    env = {var: env_value} if "env" in given else {}
    dotenv = {var: dot_value} if "dotenv" in given else {}
    settings = resolve(flags, env, dotenv, DOTENV_PATH)
    raw = {"flag": flag_value, "env": env_value, "dotenv": dot_value}[winner]
    assert effective(settings, name) == expected_value(name, raw)
    source = {"flag": "flag", "env": f"env:{var}", "dotenv": f"dotenv:{DOTENV_PATH}"}[winner]
    provenance_name = "ws_url" if name == "ws_base_url" else name
    assert setting(settings, provenance_name)[1] == source


@pytest.mark.parametrize(
    ("name", "default", "source"),
    [
        pytest.param("api_key", None, "unset", id="api_key-unset"),
        pytest.param("base_url", DEFAULT_BASE_URL, "default", id="base_url-default"),
        pytest.param("model", DEFAULT_MODEL, "default", id="model-default"),
        pytest.param("organization", None, "unset", id="organization-unset"),
        pytest.param("project", None, "unset", id="project-unset"),
    ],
)
def test_defaults_when_nothing_is_set(name: str, default: str | None, source: str) -> None:
    """With no flag, env or .env, the key is unset and the URL and model take their documented defaults."""
    settings = resolve({}, {})
    assert getattr(settings, name) == default
    assert setting(settings, name)[1] == source


def test_defaults_are_the_ga_endpoint_and_model() -> None:
    """The defaults point at api.openai.com/v1 and the top of the model ladder, marked as not configured."""
    settings = resolve({}, {})
    assert settings.base_url == "https://api.openai.com/v1"
    assert settings.ws_url == "wss://api.openai.com/v1/realtime"
    assert settings.model == "gpt-realtime-2.1"
    assert settings.model_source == "default"
    assert settings.key_source == "unset"


@pytest.mark.parametrize(
    ("env", "dotenv", "expected", "source"),
    [
        pytest.param(
            {"OPENAI_ORG_ID": "org-FAKEid", "OPENAI_ORGANIZATION": "org-FAKEold"},
            {},
            "org-FAKEid",
            "env:OPENAI_ORG_ID",
            id="org-id-first",
        ),
        pytest.param(
            {"OPENAI_ORGANIZATION": "org-FAKEold"}, {}, "org-FAKEold", "env:OPENAI_ORGANIZATION", id="old-spelling"
        ),
        pytest.param(
            {"OPENAI_ORG_ID": "", "OPENAI_ORGANIZATION": "org-FAKEold"},
            {},
            "org-FAKEold",
            "env:OPENAI_ORGANIZATION",
            id="empty-org-id-skipped",
        ),
        pytest.param(
            {"OPENAI_ORGANIZATION": "org-FAKEenv"},
            {"OPENAI_ORG_ID": "org-FAKEdot"},
            "org-FAKEenv",
            "env:OPENAI_ORGANIZATION",
            id="env-old-spelling-beats-dotenv",
        ),
        pytest.param(
            {}, {"OPENAI_ORGANIZATION": "org-FAKEdot"}, "org-FAKEdot", f"dotenv:{DOTENV_PATH}", id="dotenv-old-spelling"
        ),
    ],
)
def test_organization_reads_org_id_then_organization(
    env: dict[str, str], dotenv: dict[str, str], expected: str, source: str
) -> None:
    """The org comes from OPENAI_ORG_ID, else the older OPENAI_ORGANIZATION, and the environment beats .env."""
    settings = resolve({}, env, dotenv, DOTENV_PATH)
    assert settings.organization == expected
    assert setting(settings, "organization")[1] == source


@pytest.mark.parametrize(
    ("flags", "env"),
    [
        pytest.param({"api_key": ""}, {"OPENAI_API_KEY": KEY}, id="empty-flag-ignored"),
        pytest.param({"api_key": None}, {"OPENAI_API_KEY": KEY}, id="none-flag-ignored"),
    ],
)
def test_empty_flag_falls_through_to_env(flags: dict[str, str | None], env: dict[str, str]) -> None:
    """An empty or absent --api-key does not hide the key in the environment."""
    settings = resolve(flags, env)
    assert settings.api_key == KEY
    assert settings.key_source == "env:OPENAI_API_KEY"


def test_empty_env_var_falls_through_to_dotenv() -> None:
    """OPENAI_API_KEY set to the empty string does not hide the key in .env."""
    settings = resolve({}, {"OPENAI_API_KEY": ""}, {"OPENAI_API_KEY": KEY}, DOTENV_PATH)
    assert settings.api_key == KEY
    assert settings.key_source == f"dotenv:{DOTENV_PATH}"


def test_api_key_is_kept_verbatim_for_lint() -> None:
    """The key is not silently cleaned during resolution, so the config check can report the newline."""
    assert resolve({}, {"OPENAI_API_KEY": KEY + "\n"}).api_key == KEY + "\n"


def test_urls_model_org_and_project_are_trimmed() -> None:
    """Stray whitespace around URLs, model and ids is ignored, and a blank org or project counts as unset."""
    settings = resolve(
        {},
        {
            "OPENAI_BASE_URL": " https://gw.example.com/v1\n",
            "OPENAI_REALTIME_MODEL": "gpt-realtime \n",
            "OPENAI_ORG_ID": " org-FAKE ",
            "OPENAI_PROJECT_ID": "   ",
        },
    )
    assert settings.base_url == "https://gw.example.com/v1"
    assert settings.ws_url == "wss://gw.example.com/v1/realtime"
    assert settings.model == "gpt-realtime"
    assert settings.organization == "org-FAKE"
    assert settings.project is None


@pytest.mark.parametrize(
    ("base", "ws"),
    [
        pytest.param("https://api.openai.com/v1", "wss://api.openai.com/v1/realtime", id="openai"),
        pytest.param("https://api.openai.com/v1/", "wss://api.openai.com/v1/realtime", id="trailing-slash"),
        pytest.param("http://127.0.0.1:8080/v1", "ws://127.0.0.1:8080/v1/realtime", id="plain-http-keeps-port"),
        pytest.param("HTTPS://API.OPENAI.COM/v1", "wss://API.OPENAI.COM/v1/realtime", id="upper-case-scheme"),
        pytest.param(
            "https://gw.example.com/openai/proxy/v1", "wss://gw.example.com/openai/proxy/v1/realtime", id="keeps-path"
        ),
        pytest.param(
            "https://res.openai.azure.com/openai/v1?api-version=preview",
            "wss://res.openai.azure.com/openai/v1/realtime?api-version=preview",
            id="azure-keeps-query",
        ),
        pytest.param("wss://ws.example.com/v1", "wss://ws.example.com/v1/realtime", id="wss-stays-wss"),
        pytest.param("ws://localhost:9000/v1", "ws://localhost:9000/v1/realtime", id="ws-stays-ws"),
    ],
)
def test_derive_ws_url(base: str, ws: str) -> None:
    """The socket URL is the base URL with https→wss / http→ws, the same path plus /realtime, and the same query."""
    assert derive_ws_url(base) == ws


def test_ws_url_follows_a_rest_gateway_unless_a_ws_base_is_set() -> None:
    """A REST gateway in OPENAI_BASE_URL also redirects the socket, unless OPENAI_WEBSOCKET_BASE_URL is set."""
    env = {"OPENAI_BASE_URL": "https://gw.example.com/v1"}
    derived = resolve({}, env)
    assert derived.ws_url == "wss://gw.example.com/v1/realtime"
    assert setting(derived, "ws_url")[1] == "derived:base_url"
    own = resolve({}, {**env, "OPENAI_WEBSOCKET_BASE_URL": "wss://api.openai.com/v1"})
    assert own.ws_url == "wss://api.openai.com/v1/realtime"
    assert setting(own, "ws_url")[1] == "env:OPENAI_WEBSOCKET_BASE_URL"


@pytest.mark.parametrize(
    ("flags", "env", "dotenv", "shadowed"),
    [
        pytest.param({}, {"OPENAI_API_KEY": KEY}, {"OPENAI_API_KEY": OTHER_KEY}, True, id="env-differs-from-dotenv"),
        pytest.param({}, {"OPENAI_API_KEY": KEY}, {"OPENAI_API_KEY": KEY}, False, id="same-key"),
        pytest.param({}, {"OPENAI_API_KEY": KEY}, {}, False, id="no-dotenv-key"),
        pytest.param({}, {}, {"OPENAI_API_KEY": KEY}, False, id="only-dotenv"),
        pytest.param({"api_key": KEY}, {}, {"OPENAI_API_KEY": OTHER_KEY}, False, id="flag-is-explicit"),
    ],
)
def test_key_shadowed_when_env_and_dotenv_disagree(
    flags: dict[str, str], env: dict[str, str], dotenv: dict[str, str], shadowed: bool
) -> None:
    """The run notes when a shell OPENAI_API_KEY silently overrides a different key in .env."""
    assert resolve(flags, env, dotenv, DOTENV_PATH).key_shadowed is shadowed


@pytest.mark.parametrize(
    "where",
    [
        pytest.param({"flags": {"api_key": KEY}}, id="flag"),
        pytest.param({"env": {"OPENAI_API_KEY": KEY}}, id="env"),
        pytest.param({"dotenv": {"OPENAI_API_KEY": KEY}}, id="dotenv"),
        pytest.param({"env": {"OPENAI_API_KEY": f'"{KEY}"\n'}}, id="quoted-with-newline"),
    ],
)
def test_provenance_never_contains_the_raw_key(where: dict[str, dict[str, str]]) -> None:
    """Every provenance entry (shown in reports) is free of the key; the key appears only as its display form."""
    settings = resolve(where.get("flags", {}), where.get("env", {}), where.get("dotenv"), DOTENV_PATH)
    shown = repr(settings.provenance)
    assert not any(KEY[i : i + 8] in shown for i in range(8, len(KEY) - 7))
    assert "…TEST (fp " in (setting(settings, "api_key")[0] or "")


def test_settings_repr_hides_the_environment() -> None:
    """repr(Settings) does not dump the whole environment mapping (which may hold other secrets)."""
    settings = resolve({}, {"OPENAI_API_KEY": KEY, "SOME_TOKEN": "FAKEtoken0000000"})
    assert "FAKEtoken0000000" not in repr(settings)


def test_ca_bundle_provenance() -> None:
    """The CA bundle comes from --ca-bundle, else SSL_CERT_FILE, and says which."""
    assert setting(resolve({}, {}, ca_bundle="/ca.pem"), "ca_bundle") == ("/ca.pem", "flag")
    assert setting(resolve({}, {"SSL_CERT_FILE": "/env.pem"}), "ca_bundle") == ("/env.pem", "env:SSL_CERT_FILE")
    assert setting(resolve({}, {}), "ca_bundle") == (None, "default")


# --- .env files ---------------------------------------------------------------------------


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("depth", [0, 1, 3], ids=["in-cwd", "in-parent", "three-up"])
def test_read_dotenv_finds_the_nearest_file_up_to_the_project_root(tmp_path: Path, depth: int) -> None:
    """Inside a project (a folder with .git), .env is found in the working directory or the nearest parent up to the root."""
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".env", f"OPENAI_API_KEY={KEY}\n")
    cwd = tmp_path.joinpath(*["sub"] * depth)
    cwd.mkdir(parents=True, exist_ok=True)
    path, values = read_dotenv(cwd, home=NO_HOME)
    assert path == str((tmp_path / ".env").resolve())
    assert values == {"OPENAI_API_KEY": KEY}


def test_read_dotenv_prefers_the_nearest_file(tmp_path: Path) -> None:
    """A .env in the working directory wins over one in a parent directory."""
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".env", f"OPENAI_API_KEY={OTHER_KEY}\n")
    write(tmp_path / "app" / ".env", f"OPENAI_API_KEY={KEY}\n")
    assert read_dotenv(tmp_path / "app", home=NO_HOME)[1] == {"OPENAI_API_KEY": KEY}


def test_read_dotenv_does_not_climb_above_the_project_root(tmp_path: Path) -> None:
    """A .env above the folder holding .git belongs to something else and is not read."""
    write(tmp_path / ".env", f"OPENAI_API_KEY={OTHER_KEY}\n")
    (tmp_path / "project" / ".git").mkdir(parents=True)
    (tmp_path / "project" / "src").mkdir()
    assert read_dotenv(tmp_path / "project" / "src", home=NO_HOME) == (None, {})


def test_read_dotenv_outside_a_project_reads_only_the_working_directory(tmp_path: Path) -> None:
    """With no .git above, a stray .env in a parent (say /tmp/.env) is never used."""
    write(tmp_path / ".env", f"OPENAI_API_KEY={OTHER_KEY}\n")
    (tmp_path / "scratch").mkdir()
    assert read_dotenv(tmp_path / "scratch", home=NO_HOME) == (None, {})


@pytest.mark.parametrize("home_is_a_repo", [False, True], ids=["plain-home", "dotfiles-repo-home"])
def test_read_dotenv_never_uses_the_home_folder_file_from_below(tmp_path: Path, home_is_a_repo: bool) -> None:
    """~/.env is not silently used by every project under $HOME, even when $HOME itself is a git repository."""
    home = tmp_path / "home"
    write(home / ".env", f"OPENAI_API_KEY={OTHER_KEY}\n")
    if home_is_a_repo:
        (home / ".git").mkdir()
    (home / "project").mkdir()
    assert read_dotenv(home / "project", home=home) == (None, {})
    assert read_dotenv(home, home=home)[1] == {"OPENAI_API_KEY": OTHER_KEY}  # run in $HOME: it is ./.env


def test_read_dotenv_uses_the_working_directory_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without an argument, the search starts in the current working directory."""
    write(tmp_path / ".env", f"OPENAI_API_KEY={KEY}\n")
    monkeypatch.chdir(tmp_path)
    assert read_dotenv()[1] == {"OPENAI_API_KEY": KEY}


def test_read_dotenv_without_a_file(tmp_path: Path) -> None:
    """With no .env anywhere above, nothing is read and no path is reported."""
    assert read_dotenv(tmp_path) == (None, {})


def test_read_dotenv_skips_a_directory_named_env(tmp_path: Path) -> None:
    """A directory called .env is not mistaken for the file."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "app" / ".env").mkdir(parents=True)
    write(tmp_path / ".env", f"OPENAI_API_KEY={KEY}\n")
    assert read_dotenv(tmp_path / "app", home=NO_HOME)[1] == {"OPENAI_API_KEY": KEY}


def test_read_dotenv_does_not_export(tmp_path: Path) -> None:
    """Reading .env never changes os.environ: the tool reports what the file says without altering the process."""
    write(tmp_path / ".env", f"OPENAI_API_KEY={KEY}\nOPENAI_BASE_URL=https://gw.example.com/v1\n")
    before = dict(os.environ)
    read_dotenv(tmp_path)
    read_dotenv_file(str(tmp_path / ".env"))
    assert dict(os.environ) == before
    assert "OPENAI_API_KEY" not in os.environ


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(f'OPENAI_API_KEY="{KEY}"\n', {"OPENAI_API_KEY": KEY}, id="double-quoted"),
        pytest.param(f"OPENAI_API_KEY='{KEY}'\n", {"OPENAI_API_KEY": KEY}, id="single-quoted"),
        pytest.param(f"export OPENAI_API_KEY={KEY}\n", {"OPENAI_API_KEY": KEY}, id="export-prefix"),
        pytest.param(
            f"OPENAI_API_KEY={KEY}\r\nOPENAI_REALTIME_MODEL=gpt-realtime\r\n",
            {"OPENAI_API_KEY": KEY, "OPENAI_REALTIME_MODEL": "gpt-realtime"},
            id="crlf",
        ),
        pytest.param(f"\ufeffOPENAI_API_KEY={KEY}\n".encode(), {"OPENAI_API_KEY": KEY}, id="utf8-bom"),
        pytest.param(
            f"# OPENAI_API_KEY={OTHER_KEY}\nOPENAI_API_KEY={KEY} # mine\n", {"OPENAI_API_KEY": KEY}, id="comments"
        ),
        pytest.param("OPENAI_API_KEY\nOPENAI_ORG_ID=org-FAKE\n", {"OPENAI_ORG_ID": "org-FAKE"}, id="bare-name-dropped"),
        pytest.param(b"OPENAI_API_KEY=caf\xe9\n", {}, id="not-utf8"),
        pytest.param("", {}, id="empty-file"),
    ],
)
def test_read_dotenv_file_parses_what_editors_write(
    tmp_path: Path, content: str | bytes, expected: dict[str, str]
) -> None:
    """A .env written by any common editor is read like python-dotenv reads it, and unreadable files give no values instead of a traceback."""
    path = write(tmp_path / "custom.env", content)
    assert read_dotenv_file(str(path)) == (str(path.resolve()), expected)


def test_read_dotenv_file_that_does_not_exist(tmp_path: Path) -> None:
    """A missing --env-file gives no values, not a traceback."""
    path, values = read_dotenv_file(str(tmp_path / "missing.env"))
    assert values == {}
    assert path == str((tmp_path / "missing.env").resolve())


def test_resolve_with_dotenv_read_from_disk(tmp_path: Path) -> None:
    """A key in .env is used, and its provenance names the file it came from."""
    path, values = read_dotenv(write(tmp_path / ".env", f"OPENAI_API_KEY={KEY}\n").parent)
    settings = resolve({}, {}, values, path)
    assert settings.api_key == KEY
    assert settings.key_source == f"dotenv:{path}"
    assert settings.dotenv_path == path


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("flag", "flag"),
        ("env:OPENAI_API_KEY", "environment (OPENAI_API_KEY)"),
        ("dotenv:/work/project/.env", ".env (./.env)"),
        ("dotenv:/work/project/app/.env", ".env (./app/.env)"),
        ("dotenv:/elsewhere/.env", ".env (/elsewhere/.env)"),
        ("derived:base_url", "derived from the base URL"),
        ("unset", "not set"),
        ("default", "default"),
        ("search", "found from the working directory"),
    ],
)
def test_provenance_reads_as_words(source: str, words: str) -> None:
    """The header says where a setting came from in words, a .env under the working folder by its relative path."""
    assert describe_source(source, cwd="/work/project") == words


def test_every_resolved_provenance_has_words() -> None:
    """No setting resolve() produces is shown to people in its machine form (env:, dotenv:, derived:, unset)."""
    resolved = resolve(
        {"model": "gpt-realtime"},
        {"OPENAI_API_KEY": "sk-proj-FAKE0000000000000000000000000000"},
        {"OPENAI_BASE_URL": "http://localhost:1/v1"},
        "/work/project/.env",
    )
    shown = [describe_source(s.source, cwd="/work/project") for s in resolved.provenance]
    assert not [words for words in shown if ":" in words or words == "unset"], shown


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        pytest.param("/p/.env", None, ("/p/.env", "search"), id="found-by-search"),
        pytest.param(None, None, (None, "unset"), id="none-found"),
        pytest.param("/p/ci.env", "flag", ("/p/ci.env", "flag"), id="env-file-flag"),
        pytest.param(None, "flag", (None, "flag"), id="no-dotenv-flag"),
    ],
)
def test_provenance_names_the_dotenv_file_used(path: str | None, source: str | None, expected: tuple) -> None:
    """The settings' provenance says which .env file was read (and how it was chosen), even if no setting came from it."""
    settings = resolve({}, {"OPENAI_API_KEY": KEY}, {}, path, dotenv_source=source)
    dotenv = next(s for s in settings.provenance if s.name == "dotenv")
    assert (dotenv.value, dotenv.source) == expected
