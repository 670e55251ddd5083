"""The emulator's Azure OpenAI flavour: the GA routes under /openai/v1, deployments, api-key or Entra auth,
and Azure's own error shapes and headers (protocol.md §6, protocol-update-2026-11.md §4, docs/failures.md F50).

app.py asks `refuse_request` before routing and `refuse_call` once the credential is known; everything
else (minting, the socket protocol) is the same server as the plain flavour.
"""

from __future__ import annotations

import json
import uuid

from aiohttp import web

from realtime_check import azure as azure_facts
from realtime_check.emulator.scenarios import AzureFlavour

GA_PREFIX = "/openai/v1"

# Azure's 401 is not {"error": {...}} but a flat statusCode/message (update §4.1, N15).
UNAUTHORIZED_TOKEN = (
    "Unauthorized. Access token is missing, invalid, audience is incorrect (https://ai.azure.com), or have expired."
)
UNAUTHORIZED_KEY = (
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an "
    "active subscription and use a correct regional API endpoint for your resource."
)
DEPLOYMENT_NOT_FOUND = (
    "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, "
    "please wait a moment and try again."
)
# Azure's spelling, typo included (protocol.md §6).
OPERATION_NOT_SUPPORTED = ("OpperationNotSupported", "The realtime operation does not work with the specified model.")


def headers(flavour: AzureFlavour) -> dict[str, str]:
    """What Azure's API edge sets: apim-request-id is the request id; x-ms-region names the region."""
    return {"apim-request-id": str(uuid.uuid4()), "x-ms-region": flavour.region}


def ga_path(path: str) -> str | None:
    """/openai/v1/models -> /v1/models, so the plain router serves the GA routes; None off the GA prefix."""
    if path == GA_PREFIX or path.startswith(GA_PREFIX + "/"):
        return path[len("/openai") :]
    return None


def _json(status: int, payload: object, flavour: AzureFlavour) -> web.Response:
    out = headers(flavour)
    out["Content-Type"] = "application/json"
    return web.Response(status=status, body=json.dumps(payload).encode(), headers=out)


def error(status: int, code: str, message: str, flavour: AzureFlavour) -> web.Response:
    """Azure's error body: {"error": {"code", "message"}}, no type or param."""
    return _json(status, {"error": {"code": code, "message": message}}, flavour)


def unauthorized(message: str, flavour: AzureFlavour) -> web.Response:
    return _json(401, {"statusCode": 401, "message": message}, flavour)


def refuse_request(request: web.Request, flavour: AzureFlavour) -> web.Response | None:
    """Answers that come before the credential is read: a URL off the GA prefix, api-version on a GA URL."""
    if ga_path(request.path) is None:
        return error(404, "404", "Resource not found", flavour)
    if "api-version" in request.query:
        # The GA endpoint takes no api-version; sending one gets 401 (Azure's migration guide).
        return unauthorized(UNAUTHORIZED_KEY, flavour)
    return None


def credential(request: web.Request) -> tuple[str | None, bool]:
    """The credential and whether it came as an Entra Bearer token (else the api-key header or an ek_)."""
    key = request.headers.get("api-key", "").strip()
    if key:
        return key, False
    scheme, _, value = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        token = value.strip()
        return token, not token.startswith("ek_")
    return None, False


def refuse_call(
    endpoint: str, key: str | None, entra: bool, deployment: str | None, flavour: AzureFlavour, accept_keys: bool
) -> web.Response | None:
    """Auth and deployment answers, Azure's way; None lets the plain server answer."""
    if key is None:
        return unauthorized(UNAUTHORIZED_KEY, flavour)
    if entra:
        if not azure_facts.audience_is_v1(azure_facts.token_audience(key)) or not accept_keys:
            return unauthorized(UNAUTHORIZED_TOKEN, flavour)
    elif not key.startswith("ek_") and not accept_keys:
        return unauthorized(UNAUTHORIZED_KEY, flavour)
    if endpoint in ("client_secrets", "realtime"):
        if deployment in flavour.other_deployments:
            code, message = OPERATION_NOT_SUPPORTED
            return error(400, code, message, flavour)
        if deployment not in flavour.deployments:
            return error(404, "DeploymentNotFound", DEPLOYMENT_NOT_FOUND, flavour)
    return None
