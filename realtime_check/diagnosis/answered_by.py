"""Who answered an HTTP request, and what that changes: Azure OpenAI's own answers, and a gateway's.

`classify_http` wraps classify.from_http: an Azure answer is read with Azure's error shapes and regions;
an answer that carries none of OpenAI's headers came from whatever sits in front (a gateway, a proxy),
so the advice is about that party, quoting its message (issue 13 §3-4, docs/failures.md F04/F13/F50, N15).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

from realtime_check import azure
from realtime_check.diagnosis import classify
from realtime_check.diagnosis.bodies import ParsedBody
from realtime_check.models import Finding, Status


@dataclass(frozen=True)
class Party:
    """Whom a request was meant for: the provider, the URL, and the credential's nature."""

    url: str
    provider: str = "openai"  # "openai" or "azure"
    entra_token: bool = False
    token_audience: str | None = None  # the Entra token's `aud`, never the token
    model: str | None = None  # the model or Azure deployment asked for

    @property
    def host(self) -> str:
        parts = urlsplit(self.url)
        return parts.netloc.rpartition("@")[2] or "the server"


def classify_http(
    stage: str, status: int, body: ParsedBody, headers: Mapping[str, str], *, key_kind: Any, party: Party | None
) -> Finding:
    """classify.from_http, sharpened by who answered."""
    h = {str(k).lower(): str(v) for k, v in headers.items()}
    if party is not None and party.provider == "azure":
        found = _from_azure(status, body, h, party)
        if found is not None:
            return found
    finding = classify.from_http(stage, status, body, h, key_kind=key_kind)
    if party is None or party.provider == "azure":
        return finding
    return attribute(finding, status, h, party)


def attribute(finding: Finding, status: int, headers: Mapping[str, str], party: Party) -> Finding:
    """A finding from any classifier, re-read as the gateway's when the answer was the gateway's own."""
    if party.provider == "azure":
        return finding
    evidence = gateway_evidence(party.host, headers)
    if evidence is None:
        return finding
    return _from_gateway(finding, status, party.host, evidence)


# --- Azure ------------------------------------------------------------------------------------------------

_MODEL_ID = re.compile(r"^(gpt-|whisper|o\d|chatgpt-)", re.IGNORECASE)


def _from_azure(status: int, body: ParsedBody, h: Mapping[str, str], party: Party) -> Finding | None:
    error = body.error
    code = (error.code or "").lower() if error else ""
    region = _clean(h.get("x-ms-region"))
    fail = Status.FAIL
    if azure.preview_url(party.url) is not None and status in (400, 401, 404):
        return Finding("azure_preview_url", fail, error=error)
    if code in ("deploymentnotfound", "opperationnotsupported", "operationnotsupported"):
        if azure.region_offers_realtime(region) is False:
            return Finding(
                "azure_region_without_realtime",
                fail,
                error=error,
                extra_advice=(
                    f"The resource answered from region {region} (x-ms-region), which has no realtime deployments.",
                ),
            )
        if code == "deploymentnotfound":
            extra: tuple[str, ...] = ()
            if party.model and _MODEL_ID.match(party.model):
                extra = (
                    f"{party.model!r} is a model id: Azure wants the name you gave the deployment when you created "
                    "it (Azure AI Foundry portal → Deployments).",
                )
            return Finding("azure_deployment_not_found", fail, error=error, extra_advice=extra)
        return Finding("azure_operation_not_supported", fail, error=error)
    if status == 401:
        if "api-version" in parse_qs(urlsplit(party.url).query):
            return Finding(
                "base_url_azure_api_version",
                fail,
                error=error,
                extra_advice=("Azure answered 401 to the GA URL with api-version.",),
            )
        if party.entra_token:
            return Finding(
                "azure_entra_token_rejected", fail, error=error, extra_advice=_audience_advice(party.token_audience)
            )
        return Finding("azure_unauthorized", fail, error=error)
    if status == 403 and not code:
        return Finding("azure_forbidden", fail, error=error)
    return None


def _audience_advice(aud: str | None) -> tuple[str, ...]:
    if aud is None:
        return ("The token's audience could not be read: is it an access token (not an id token)?",)
    if azure.audience_is_v1(aud):
        return (f"The token's audience is {aud}, the right one: it has probably expired, or the role is missing.",)
    return (
        f"The token's audience is {_clean(aud)}; the GA /openai/v1 endpoint expects https://ai.azure.com "
        f"(request the token with the scope {azure.ENTRA_SCOPE}).",
    )


# --- Gateways and proxies ---------------------------------------------------------------------------------

# Headers OpenAI's API edge sets on every answer (and Azure's, for Azure hosts).
_OPENAI_MARKERS = ("x-request-id", "openai-", "x-openai-", "apim-request-id", "x-ms-region")
_OPENAI_HOST = re.compile(r"(^|\.)api\.openai\.com(:\d+)?$", re.IGNORECASE)
# Headers that name the party that answered, shown as evidence.
_TELLING = ("server", "via", "x-litellm-version", "x-powered-by")

_AUTH_LIKE = frozenset(
    {"unauthorized", "handshake_unauthorized", "forbidden", "handshake_forbidden", "relay_key_rejected"}
)
_REQUEST_LIKE = frozenset({"bad_request", "handshake_bad_request", "unknown_error", "unexpected_shape"})
_SERVER_LIKE = frozenset({"server_error", "handshake_server_error", "server_overloaded"})


def gateway_evidence(host: str, headers: Mapping[str, str]) -> tuple[str, ...] | None:
    """Why this answer is not OpenAI's, or None when it may well be.

    Any OpenAI marker header means OpenAI (or a gateway relaying OpenAI's answer) spoke. Without one, an
    answer from a host that is not api.openai.com came from that host itself; from api.openai.com's own
    name it takes a telling header (via, a server other than Cloudflare) to blame something in between.
    """
    h = {k.lower(): v for k, v in headers.items()}
    if any(name.startswith(_OPENAI_MARKERS) for name in h):
        return None
    telling = [f"{name}: {_clean(h[name])}" for name in _TELLING if h.get(name)]
    if _OPENAI_HOST.search(host) or azure.is_azure_host(f"https://{host}"):
        server = h.get("server", "").lower()
        if "via" not in h and (not server or "cloudflare" in server):
            return None
    return ("no x-request-id or openai-* header", *telling)


def _from_gateway(finding: Finding, status: int, host: str, evidence: tuple[str, ...]) -> Finding:
    said = f"This answer came from {_clean(host)} itself, not from OpenAI ({'; '.join(evidence)})."
    if finding.diagnosis in _AUTH_LIKE:
        diagnosis = "gateway_auth_rejected"
    elif finding.diagnosis in _SERVER_LIKE or (status >= 500 and finding.diagnosis == "unknown_error"):
        diagnosis = "gateway_server_error"
    elif finding.diagnosis in _REQUEST_LIKE:
        diagnosis = "gateway_request_rejected"
    else:
        # A specific diagnosis (an OpenAI error code the gateway relayed, an HTML page) stays; say who spoke.
        return replace(finding, extra_advice=(said, *finding.extra_advice))
    return Finding(diagnosis, Status.FAIL, error=finding.error, extra_advice=(said,))


_UNPRINTABLE = re.compile(r"[^\x20-\x7e]")


def _clean(value: str | None, limit: int = 80) -> str:
    """A header value safe to quote: printable ASCII only, bounded."""
    text = _UNPRINTABLE.sub("", value or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
