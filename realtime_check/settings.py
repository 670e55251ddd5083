"""Settings and where each came from: flag > environment > .env > default.

Pure apart from `read_dotenv`, which reads one file. The environment is passed
in as a mapping, so tests never patch os.environ.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from realtime_check import azure, keys, model_facts
from realtime_check.models import Setting

DEFAULT_BASE_URL = "https://api.openai.com/v1"
# Top of the model ladder: with no model configured the run picks the newest the key can see
# (checks/model_choice.py); gpt-realtime shuts down 2027-01-20 (protocol-update-2026-11 §0).
DEFAULT_MODEL = model_facts.DEFAULT_MODEL
DEFAULT_TIMEOUT = 30.0
# The transcription check's model. protocol-update-2026-11 §2.1/§0.6 recommends gpt-live-transcribe for
# probes; whisper-1 and gpt-4o(-mini)-transcribe have an announced shutdown on 2027-02-26.
DEFAULT_TRANSCRIPTION_MODEL = "gpt-live-transcribe"

# Where a setting came from, in the machine form JSON carries: "flag", "env:NAME",
# "dotenv:PATH", "default", "unset", or this one for the socket URL built from the base URL.
DERIVED_FROM_BASE_URL = "derived:base_url"
# The source of the `dotenv` setting when the .env file was found by searching upwards.
DOTENV_SEARCH = "search"

# Setting name -> environment variables read, first found wins. The SDKs read
# OPENAI_ORG_ID / OPENAI_PROJECT_ID; OPENAI_ORGANIZATION is an older spelling
# users still carry around (docs/failures.md F06).
ENV_VARS: dict[str, tuple[str, ...]] = {
    "api_key": ("OPENAI_API_KEY",),
    "base_url": ("OPENAI_BASE_URL",),
    "ws_base_url": ("OPENAI_WEBSOCKET_BASE_URL",),
    "model": ("OPENAI_REALTIME_MODEL",),
    "organization": ("OPENAI_ORG_ID", "OPENAI_ORGANIZATION"),
    "project": ("OPENAI_PROJECT_ID",),
    "transcription_model": ("OPENAI_TRANSCRIPTION_MODEL",),
}
# On Azure OpenAI the same settings are also read from the names Azure's SDKs and samples use.
# AZURE_OPENAI_AD_TOKEN is a Microsoft Entra access token, sent as a Bearer token, not as api-key.
AZURE_ENV_VARS: dict[str, tuple[str, ...]] = {
    "api_key": ("AZURE_OPENAI_API_KEY", "AZURE_OPENAI_AD_TOKEN", "OPENAI_API_KEY"),
    "azure_endpoint": ("AZURE_OPENAI_ENDPOINT",),
    "model": ("OPENAI_REALTIME_MODEL", "AZURE_OPENAI_DEPLOYMENT"),
}
ENTRA_TOKEN_VAR = "AZURE_OPENAI_AD_TOKEN"
PROVIDERS = ("auto", "openai", "azure")


# A settings file is a few hundred bytes; a huge one is a mistake (or a trap) not worth parsing.
MAX_DOTENV_BYTES = 1024 * 1024


class DotenvTooLarge(ValueError):
    """A .env file larger than MAX_DOTENV_BYTES: refused unread."""


@dataclass(frozen=True)
class Settings:
    api_key: str | None
    base_url: str
    ws_url: str  # the Realtime socket URL without query
    model: str
    organization: str | None
    project: str | None
    ca_bundle: str | None
    timeout: float
    provenance: tuple[Setting, ...]
    dotenv_path: str | None = None
    # The shell's OPENAI_API_KEY differs from the one in .env (which is then ignored).
    key_shadowed: bool = False
    # Used by the transcription check only, so it stays out of the report header (provenance).
    transcription_model: str = DEFAULT_TRANSCRIPTION_MODEL
    transcription_model_source: str = "default"
    env: Mapping[str, str] = field(default_factory=dict, repr=False)
    # "openai" or "azure" (detected from the host or the Azure variables, or --provider).
    provider: str = "openai"
    # The credential is a Microsoft Entra access token (Bearer), not an Azure resource key (api-key).
    entra_token: bool = False

    @property
    def azure(self) -> bool:
        return self.provider == "azure"

    @property
    def key_source(self) -> str:
        return next((s.source for s in self.provenance if s.name == "api_key"), "unset")

    @property
    def model_source(self) -> str:
        """Where the model came from; `default` means none was configured and the run chooses one."""
        return next((s.source for s in self.provenance if s.name == "model"), "default")


def read_dotenv(
    cwd: str | os.PathLike[str] | None = None, home: str | os.PathLike[str] | None = None
) -> tuple[str | None, dict[str, str]]:
    """Find .env from `cwd` up to the project root and read it without exporting it.

    The root is the nearest folder holding `.git`; without one only `cwd` itself is
    searched. The search never climbs into `home` ($HOME) from below: a ~/.env is
    nobody's project file, and must not be used silently by every project under it.
    """
    start = Path(cwd or os.getcwd()).resolve()
    for folder in dotenv_search_path(start, Path(home).resolve() if home else Path.home().resolve()):
        candidate = folder / ".env"
        if candidate.is_file():
            return read_dotenv_file(str(candidate))
    return None, {}


def dotenv_search_path(start: Path, home: Path) -> list[Path]:
    """The folders searched for .env, nearest first: `start` up to its project root (see read_dotenv)."""
    folders = [start]
    for folder in (start, *start.parents):
        if folder != start and (folder == home or folder in home.parents):
            break  # at or above $HOME: outside any project below it
        if folder != start:
            folders.append(folder)
        if (folder / ".git").exists():
            return folders
    return [start]  # no project root: only the working directory


def read_dotenv_file(path: str) -> tuple[str | None, dict[str, str]]:
    """Read one named .env file (`--env-file`) without exporting it."""
    from dotenv import dotenv_values

    resolved = str(Path(path).resolve())
    try:
        size = os.path.getsize(resolved)
    except OSError:
        return resolved, {}
    if size > MAX_DOTENV_BYTES:
        raise DotenvTooLarge(
            f"{resolved} is {size:,} bytes, over the {MAX_DOTENV_BYTES:,}-byte limit for a settings file"
        )
    try:
        values = dotenv_values(resolved)
    except (OSError, UnicodeDecodeError):
        return resolved, {}
    return resolved, {k: v for k, v in values.items() if v is not None}


def _pick(
    name: str,
    flag: str | None,
    env: Mapping[str, str],
    dotenv: Mapping[str, str],
    dotenv_path: str | None,
    default: str | None,
    names: Mapping[str, tuple[str, ...]] = ENV_VARS,
) -> tuple[str | None, str]:
    if flag is not None and flag != "":
        return flag, "flag"
    for var in names.get(name, ()):
        if env.get(var):
            return env[var], f"env:{var}"
    for var in names.get(name, ()):
        if dotenv.get(var):
            return dotenv[var], f"dotenv:{dotenv_path}"
    if default is not None:
        return default, "default"
    return None, "unset"


def derive_ws_url(base_url: str) -> str:
    """The Realtime socket URL openai-python derives: scheme http->ws, else wss; append /realtime."""
    parts = urlsplit(base_url)
    scheme = "ws" if parts.scheme in ("http", "ws") else "wss"
    path = parts.path.rstrip("/") + "/realtime"
    return urlunsplit((scheme, parts.netloc, path, parts.query, ""))


def resolve(
    flags: Mapping[str, str | None],
    env: Mapping[str, str],
    dotenv: Mapping[str, str] | None = None,
    dotenv_path: str | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    ca_bundle: str | None = None,
    dotenv_source: str | None = None,
) -> Settings:
    """Resolve every setting with its provenance.

    `dotenv_source` says how the .env file was chosen: "flag" (--env-file, or none by
    --no-dotenv); by default the search found `dotenv_path` ("search") or nothing ("unset").
    """
    dotenv = dotenv or {}
    base_url, base_src = _pick("base_url", flags.get("base_url"), env, dotenv, dotenv_path, DEFAULT_BASE_URL)
    assert base_url is not None
    provider, provider_src = _provider(flags.get("provider"), base_url, base_src, env, dotenv)
    names = {**ENV_VARS, **AZURE_ENV_VARS} if provider == "azure" else ENV_VARS
    if provider == "azure" and base_src == "default":
        endpoint, endpoint_src = _pick("azure_endpoint", None, env, dotenv, dotenv_path, None, names)
        if endpoint:
            base_url, base_src = azure.ga_base_url(endpoint), endpoint_src
    api_key, key_src = _pick("api_key", flags.get("api_key"), env, dotenv, dotenv_path, None, names)
    ws_base, ws_src = _pick("ws_base_url", flags.get("ws_base_url"), env, dotenv, dotenv_path, None)
    model, model_src = _pick("model", flags.get("model"), env, dotenv, dotenv_path, DEFAULT_MODEL, names)
    # Entra tokens go as Bearer: known by the variable they came from, or by their JWT shape.
    entra = provider == "azure" and (key_src.endswith(ENTRA_TOKEN_VAR) or azure.looks_like_entra_token(api_key))
    org, org_src = _pick("organization", flags.get("organization"), env, dotenv, dotenv_path, None)
    project, project_src = _pick("project", flags.get("project"), env, dotenv, dotenv_path, None)
    transcription_model, transcription_src = _pick(
        "transcription_model", flags.get("transcription_model"), env, dotenv, dotenv_path, DEFAULT_TRANSCRIPTION_MODEL
    )
    ca_src = "flag" if ca_bundle else ("env:SSL_CERT_FILE" if env.get("SSL_CERT_FILE") else "default")

    assert model is not None and transcription_model is not None
    base_url = base_url.strip()
    ws_url = derive_ws_url(ws_base.strip()) if ws_base else derive_ws_url(base_url)
    if not ws_base:
        ws_src = DERIVED_FROM_BASE_URL

    dotenv_key = dotenv.get("OPENAI_API_KEY")
    shadowed = bool(key_src.startswith("env:") and dotenv_key and dotenv_key != api_key)

    provenance: tuple[Setting, ...] = (
        Setting("api_key", keys.display(api_key) if api_key else None, key_src),
        Setting("base_url", base_url, base_src),
        Setting("ws_url", ws_url, ws_src),
        Setting("model", model.strip(), model_src),
        Setting("organization", org, org_src),
        Setting("project", project, project_src),
        Setting("ca_bundle", ca_bundle or env.get("SSL_CERT_FILE"), ca_src),
        # Which .env file was read, even when no setting came from it (its keys may be shadowed).
        Setting("dotenv", dotenv_path, dotenv_source or (DOTENV_SEARCH if dotenv_path else "unset")),
    )
    if provider == "azure":
        provenance += (Setting("provider", provider, provider_src),)
        auth = "Entra token in the Authorization header" if entra else "api-key header"
        provenance += (Setting("azure_auth", auth, key_src),)
    return Settings(
        api_key=api_key,
        base_url=base_url,
        ws_url=ws_url,
        model=model.strip(),
        organization=(org or "").strip() or None,
        project=(project or "").strip() or None,
        ca_bundle=ca_bundle,
        timeout=timeout,
        provenance=provenance,
        dotenv_path=dotenv_path,
        key_shadowed=shadowed,
        transcription_model=transcription_model.strip() or DEFAULT_TRANSCRIPTION_MODEL,
        transcription_model_source=transcription_src,
        env=dict(env),
        provider=provider,
        entra_token=entra,
    )


def _provider(
    flag: str | None, base_url: str, base_src: str, env: Mapping[str, str], dotenv: Mapping[str, str]
) -> tuple[str, str]:
    """OpenAI or Azure OpenAI, and why: --provider, an Azure host, or the Azure variables alone.

    The Azure variables decide only when nothing points at OpenAI (no base URL, no OPENAI_API_KEY),
    so an AZURE_OPENAI_ENDPOINT left over for another app never redirects an OpenAI run.
    """
    wanted = (flag or "auto").strip().lower()
    if wanted in ("openai", "azure"):
        return wanted, "flag"
    if base_src != "default":
        return ("azure", "detected from the base URL host") if azure.is_azure_host(base_url) else ("openai", "default")

    def has(var: str) -> bool:
        return bool(env.get(var) or dotenv.get(var))

    azure_credential = has("AZURE_OPENAI_API_KEY") or has(ENTRA_TOKEN_VAR)
    if has("AZURE_OPENAI_ENDPOINT") and azure_credential and not has("OPENAI_API_KEY"):
        return "azure", "detected from AZURE_OPENAI_ENDPOINT and an Azure credential"
    return "openai", "default"


def describe_source(source: str, cwd: str | os.PathLike[str] | None = None) -> str:
    """A provenance in words for people: "environment (OPENAI_API_KEY)", ".env (./.env)", "not set".

    The machine form ("env:OPENAI_API_KEY") stays in JSON; this is the one place it is worded.
    A .env file under `cwd` is shown relative to it, anything else by its full path.
    """
    kind, _, rest = source.partition(":")
    if kind == "env" and rest:
        return f"environment ({rest})"
    if kind == "dotenv" and rest:
        return f".env ({_relative_path(rest, cwd)})"
    if source == DERIVED_FROM_BASE_URL:
        return "derived from the base URL"
    words = {
        "unset": "not set",
        "flag": "flag",
        "default": "default",
        DOTENV_SEARCH: "found from the working directory",
    }
    return words.get(source, source)


def _relative_path(path: str, cwd: str | os.PathLike[str] | None) -> str:
    here = Path(cwd or os.getcwd())
    try:
        return "./" + Path(path).relative_to(here).as_posix()
    except ValueError:
        return path
