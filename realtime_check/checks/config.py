"""The `config` check: settings, key lint and URL sanity, all local (nothing is sent)."""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

from realtime_check import azure, keys, model_facts, residency
from realtime_check.checks.context import CheckContext
from realtime_check.diagnosis import catalog as diagnoses
from realtime_check.models import CheckResult, Finding, Status
from realtime_check.redact import Redactor
from realtime_check.settings import Settings, describe_source

CHECK_ID = "config"

# Retired with the beta interface on 2026-05-07 (protocol.md §2.6).
_RETIRED_MODEL = re.compile(r"^gpt-4o(-mini)?-realtime-preview(-\d{4}-\d{2}-\d{2})?$")
_TRANSCRIPTION_MODEL = re.compile(r"(transcribe|whisper)")
_ENDPOINT_SUFFIXES = ("/chat/completions", "/completions", "/responses", "/realtime", "/models", "/embeddings")


def usable_key(key: str | None, problems: list[Finding]) -> str | None:
    """The key later checks may send: cleaned of outer quotes/whitespace, or None.

    Surrounding quotes or whitespace fail the config check, but the cleaned key is
    still tried, so the user learns whether the key itself is good.
    """
    if not key:
        return None
    blocking = {"key_missing", "key_placeholder", "key_admin", "key_non_ascii"}
    if any(p.status is Status.FAIL and p.diagnosis in blocking for p in problems):
        return None
    cleaned = key.strip().strip("\"'").strip()
    if any(c.isspace() for c in cleaned):
        return None
    return cleaned


def url_problems(settings: Settings) -> list[Finding]:
    problems: list[Finding] = []
    parts = urlsplit(settings.base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [Finding("base_url_invalid", Status.FAIL, f"base URL {settings.base_url!r} is not an http(s) URL")]
    path = parts.path.rstrip("/")
    preview = next((p for p in (azure.preview_url(settings.base_url), azure.preview_url(settings.ws_url)) if p), None)
    if preview is not None:
        base, socket = azure.ga_urls_for(settings.base_url, preview.deployment or settings.model)
        return [
            Finding(
                "azure_preview_url",
                Status.FAIL,
                f"the Azure preview URL (/openai/{'realtime' if preview.kind == 'websocket' else 'realtimeapi/sessions'}"
                f"{', api-version ' + preview.api_version if preview.api_version else ''}) is deprecated: use base URL "
                f"{base} and socket {socket}",
            )
        ]
    if path.endswith(_ENDPOINT_SUFFIXES):
        problems.append(Finding("base_url_endpoint_pasted", Status.FAIL, f"base URL ends in an endpoint path ({path})"))
    elif settings.azure:
        if "api-version" in parse_qs(parts.query):
            problems.append(
                Finding("base_url_azure_api_version", Status.FAIL, "Azure GA URLs take no api-version parameter")
            )
        if not path.endswith("/openai/v1"):
            problems.append(Finding("base_url_missing_v1", Status.WARN, "Azure GA base URL should end in /openai/v1"))
    elif not path.endswith("/v1"):
        problems.append(Finding("base_url_missing_v1", Status.WARN, f"base URL path {path or '/'} does not end in /v1"))
    for url in dict.fromkeys((settings.base_url, settings.ws_url)):
        typo = residency.unknown_regional_host(url)
        if typo:
            problems.append(Finding("unknown_regional_host", Status.FAIL, f"{typo} is not an OpenAI API host"))
    if parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        problems.append(
            Finding("base_url_invalid", Status.WARN, "base URL uses plain http: the key would travel unencrypted")
        )
    return problems


def model_problems(settings: Settings) -> list[Finding]:
    model = settings.model
    if settings.azure:
        # Azure takes deployment names, which can be anything; but one must be given.
        if settings.model_source == "default":
            return [Finding("azure_deployment_missing", Status.WARN, f"no Azure deployment given: trying {model!r}")]
        return []
    if model_facts.is_gpt_live(model):
        return [
            Finding(
                "gpt_live_model",
                Status.FAIL,
                f"{model} is a GPT-Live model: it works on /v1/live/sessions, not on /v1/realtime",
            )
        ]
    if _RETIRED_MODEL.match(model):
        return [Finding("model_retired", Status.WARN, f"{model} was retired with the beta interface on 2026-05-07")]
    if _TRANSCRIPTION_MODEL.search(model) or ("realtime" not in model and not model.startswith("gpt-audio")):
        return [Finding("model_not_realtime", Status.WARN, f"{model} is not a realtime model")]
    return []


def entra_problems(settings: Settings) -> list[Finding]:
    """An Entra token for the older audience may be refused by the GA endpoint (update 2026-11, C5)."""
    if not settings.entra_token:
        return []
    aud = azure.token_audience(settings.api_key)
    if aud is not None and not azure.audience_is_v1(aud):
        return [Finding("azure_entra_legacy_audience", Status.WARN, f"the Entra token's audience is {aud}")]
    return []


def header_problems(settings: Settings) -> list[Finding]:
    problems = []
    if settings.organization and not settings.organization.startswith("org-"):
        problems.append(Finding("org_id_malformed", Status.WARN, "organization id does not start with org-"))
    if settings.project and not settings.project.startswith("proj_"):
        problems.append(Finding("project_id_malformed", Status.WARN, "project id does not start with proj_"))
    return problems


def evaluate(settings: Settings) -> tuple[CheckResult, str | None]:
    """The config result and the key later checks may use (None: they must skip).

    Every string in the result is redacted: users paste keys into the wrong
    setting, and base URLs can carry passwords or query-string keys.
    """
    result, key = _evaluate(settings)
    redactor = Redactor(settings.api_key)
    return (
        replace(
            result,
            summary=redactor.text(result.summary),
            advice=tuple(redactor.text(a) for a in result.advice),
            details=redactor.value(dict(result.details)),
        ),
        key,
    )


def _evaluate(settings: Settings) -> tuple[CheckResult, str | None]:
    kind, key_lint = keys.lint(settings.api_key)
    if settings.azure:
        key_lint = [p for p in key_lint if p.diagnosis != "key_unknown_format"]
    problems = list(key_lint)
    if settings.api_key is None:
        problems[0] = Finding(
            "key_missing",
            Status.FAIL,
            "no API key: looked in --api-key, "
            + ("$AZURE_OPENAI_API_KEY, $AZURE_OPENAI_AD_TOKEN, " if settings.azure else "")
            + "$OPENAI_API_KEY and "
            + (f".env ({settings.dotenv_path})" if settings.dotenv_path else "a .env file (none found)"),
        )
    if settings.key_shadowed:
        problems.append(
            Finding(
                "key_shadowed_by_env",
                Status.WARN,
                f"$OPENAI_API_KEY overrides a different key in {settings.dotenv_path}",
            )
        )
    problems += url_problems(settings) + model_problems(settings) + header_problems(settings)
    problems += entra_problems(settings)

    key = usable_key(settings.api_key, key_lint)
    worst = next((p for p in problems if p.status is Status.FAIL), None) or next(
        (p for p in problems if p.status is Status.WARN), None
    )
    # The header shows the key's fingerprint and the model; the line keeps to what this check
    # found (kind and source), so it fits 80 columns.
    kind_label = keys.KIND_LABELS[kind] if kind else "key"
    if settings.azure and settings.api_key and not settings.api_key.startswith(("sk-", "ek_")):
        # Azure credentials have no prefix to recognise: say which of the two it is sent as.
        kind_label = "Entra token" if settings.entra_token else "Azure resource key"
    target = f"{kind_label} from {describe_source(settings.key_source)}"
    details = {
        "key": keys.display(settings.api_key),
        "key_kind": kind.value if kind else None,
        "key_source": settings.key_source,
        "problems": [{"status": p.status.value, "diagnosis": p.diagnosis, "message": p.message} for p in problems],
        "settings": {s.name: {"value": s.value, "source": s.source} for s in settings.provenance},
    }
    if settings.entra_token:
        details["entra_token_audience"] = azure.token_audience(settings.api_key)
    if worst is None:
        return CheckResult(CHECK_ID, Status.PASS, target, duration_ms=0.0, details=details), key
    advice: list[str] = []
    for p in problems:
        if p.status is worst.status:
            advice.extend(diagnoses.get(p.diagnosis).advice)
    others = [p.message for p in problems if p is not worst]
    summary = worst.message + (f" (+{len(others)} more)" if others else "")
    result = CheckResult(
        CHECK_ID,
        worst.status,
        summary,
        duration_ms=0.0,
        diagnosis=worst.diagnosis,
        advice=tuple(dict.fromkeys([*(f"Also: {m}" for m in others), *advice])),
        details=details,
    )
    return result, key


def prepare(ctx: CheckContext) -> None:
    """Evaluate the configuration before any check starts: every check needs its facts,
    even when the `config` check itself is not selected."""
    result, key = evaluate(ctx.settings)
    ctx.facts.config_result = result
    ctx.facts.key = key
    ctx.facts.azure = ctx.settings.azure
    ctx.facts.base_url_invalid = any(
        p.status is Status.FAIL and p.diagnosis == "base_url_invalid" for p in url_problems(ctx.settings)
    )


async def run(ctx: CheckContext) -> CheckResult:
    # prepare() evaluated it before any check started; evaluating again gives the same result.
    return ctx.facts.config_result or evaluate(ctx.settings)[0]
