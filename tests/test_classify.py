"""The pure classifiers, driven by the exact bodies, close codes and reasons quoted in
reference/failures.md and reference/protocol.md."""

from __future__ import annotations

import json
import socket
import ssl
import subprocess
import sys
from typing import Any

import httpx
import pytest
from websockets.datastructures import Headers
from websockets.exceptions import (
    ConnectionClosedError,
    InvalidMessage,
    InvalidProxy,
    InvalidProxyStatus,
    InvalidStatus,
    InvalidURI,
)
from websockets.frames import Close
from websockets.http11 import Response

from realtime_check.diagnosis import catalog as diagnoses
from realtime_check.diagnosis import classify
from realtime_check.diagnosis.bodies import parse_error_body, split_close_reason
from realtime_check.diagnosis.exceptions import classify_exception
from realtime_check.models import Status

JSON = "application/json"
HTML = "text/html; charset=UTF-8"


def err(
    message: str | None, type: str | None = "invalid_request_error", code: str | None = None, param: str | None = None
) -> str:
    """An OpenAI error body, serialised as the API sends it."""
    return json.dumps({"error": {"message": message, "type": type, "param": param, "code": code}})


SCOPE_TAIL = (
    " Check that you have the correct role in your organization (Reader, Writer, Owner) and project (Member, Owner), "
    "and if you're using a restricted API key, that it has the necessary scopes."
)
CLOUDFLARE_520 = (
    '<!DOCTYPE html>\n<html lang="en-US"><head><title>api.openai.com | 520: Web server is returning an unknown '
    "error</title></head><body><h1>Web server is returning an unknown error</h1>"
    '<span>Your IP: <span id="cf-footer-ip">203.0.113.7</span></span></body></html>'
)
CLOUDFLARE_502 = (
    "<!DOCTYPE html>\n<html><head>\n<title>api.openai.com | 502: Bad gateway</title>\n</head>\n<body><p>Cloudflare "
    "Ray ID: <strong>8e3f0c2b9a7d4e51</strong></p><span>Your IP: 203.0.113.7</span></body></html>"
)
NGINX_404 = (
    "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n"
    "<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n"
)
SERVER_ERROR_SESS = (
    "The server had an error while processing your request. Sorry about that! You can retry your request, or contact "
    "us through our help center at help.openai.com if the error persists. (Please include the session ID "
    "sess_FAKE0000000000000000 in your message.)"
)
CF = {"server": "cloudflare", "cf-ray": "8e3f0c2b9a7d4e51-SJC"}

# (id, stage, status, body, content_type, headers, key_kind, expected diagnosis, expected status)
HTTP_ROWS: list[tuple[str, str, int, str | bytes | None, str | None, dict[str, str], str | None, str, Status]] = [
    # F02/F03: placeholder, URL, junk and stale keys all come back as invalid_api_key.
    (
        "F02-placeholder",
        "api_key",
        401,
        err(
            "Incorrect API key provided: YOUR_OPE***_KEY. You can find your API key at https://platform.openai.com/account/api-keys.",
            code="invalid_api_key",
        ),
        JSON,
        {},
        None,
        "invalid_api_key",
        Status.FAIL,
    ),
    (
        "F02-url",
        "api_key",
        401,
        err(
            "Incorrect API key provided: https://****lETQ. You can find your API key at https://platform.openai.com/account/api-keys.",
            code="invalid_api_key",
        ),
        JSON,
        {},
        None,
        "invalid_api_key",
        Status.FAIL,
    ),
    (
        "F02-fragment",
        "api_key",
        401,
        err("Incorrect API key provided: ai.", code="invalid_api_key"),
        JSON,
        {},
        None,
        "invalid_api_key",
        Status.FAIL,
    ),
    (
        "F02-word",
        "api_key",
        401,
        err(
            "Incorrect API key provided: API_KEY. You can find your API key at https://platform.openai.com/account/api-keys.",
            code="invalid_api_key",
        ),
        JSON,
        {},
        None,
        "invalid_api_key",
        Status.FAIL,
    ),
    (
        "F02-sentence",
        "api_key",
        401,
        err(
            "Incorrect API key provided: You are ****tep. You can find your API key at https://platform.openai.com/account/api-keys.",
            code="invalid_api_key",
        ),
        JSON,
        {},
        None,
        "invalid_api_key",
        Status.FAIL,
    ),
    (
        "F04-relay-token",
        "api_key",
        401,
        err("Incorrect API key provided: fk-FA****AKE0.", code="invalid_api_key"),
        JSON,
        {},
        "unknown",
        "relay_key_rejected",
        Status.FAIL,
    ),
    ("F04-relay-bare-401", "api_key", 401, None, None, {}, "unknown", "relay_key_rejected", Status.FAIL),
    (
        "F05-unknown-url",
        "api_key",
        404,
        json.dumps(
            {
                "error": {
                    "type": "invalid_request_error",
                    "code": "unknown_url",
                    "message": "Unknown request URL: POST /chat/completions. Please check the URL for typos, or see the docs at https://platform.openai.com/docs/api-reference/.",
                }
            }
        ),
        JSON,
        {},
        None,
        "unknown_url",
        Status.FAIL,
    ),
    (
        "F05-invalid-url",
        "api_key",
        404,
        err("Invalid URL (POST /v1/chat/completions/chat/completions)"),
        JSON,
        {},
        None,
        "unknown_url",
        Status.FAIL,
    ),
    (
        "F05-nginx-404",
        "api_key",
        404,
        NGINX_404,
        "text/html",
        {"server": "nginx/1.25.3"},
        None,
        "not_found",
        Status.FAIL,
    ),
    (
        "F06-mismatched-org",
        "api_key",
        401,
        err("OpenAI-Organization header should match organization for API key", code="mismatched_organization"),
        JSON,
        {},
        None,
        "mismatched_organization",
        Status.FAIL,
    ),
    (
        "F06-no-such-org-personal",
        "api_key",
        401,
        err("No such organization: Personal."),
        JSON,
        {},
        None,
        "mismatched_organization",
        Status.FAIL,
    ),
    (
        "F06-no-such-org-null",
        "api_key",
        401,
        err("no such organization : null"),
        JSON,
        {},
        None,
        "mismatched_organization",
        Status.FAIL,
    ),
    (
        "mismatched-project",
        "api_key",
        401,
        err("OpenAI-Project header should match project for API key", code="mismatched_project"),
        JSON,
        {},
        None,
        "mismatched_project",
        Status.FAIL,
    ),
    (
        "F16-no-organization",
        "api_key",
        401,
        err(
            "You must be a member of an organization to use the API. Please contact us through our help center at help.openai.com.",
            code="no_organization",
        ),
        JSON,
        {},
        None,
        "no_organization",
        Status.FAIL,
    ),
    (
        "F17-region",
        "api_key",
        403,
        json.dumps(
            {
                "error": {
                    "code": "unsupported_country_region_territory",
                    "message": "Country, region, or territory not supported",
                    "param": None,
                    "type": "request_forbidden",
                }
            }
        ),
        JSON,
        {},
        None,
        "region_blocked",
        Status.FAIL,
    ),
    (
        "F17-region-relay-suffix",
        "session",
        403,
        json.dumps(
            {
                "error": {
                    "code": None,
                    "message": "Country, region, or territory not supported (request id: 20260101FAKE)",
                    "param": None,
                    "type": "request_forbidden",
                }
            }
        ),
        JSON,
        {},
        None,
        "region_blocked",
        Status.FAIL,
    ),
    ("F18-ip", "api_key", 401, err("IP not authorized"), JSON, {}, None, "ip_not_authorized", Status.FAIL),
    (
        "F19-model-request",
        "session",
        401,
        err(
            "You have insufficient permissions for this operation. Missing scopes: model.request." + SCOPE_TAIL,
            code="missing_scope",
        ),
        JSON,
        {},
        None,
        "missing_scope",
        Status.FAIL,
    ),
    (
        "F19-model-read-listing-warns",
        "api_key",
        401,
        err(
            "You have insufficient permissions for this operation. Missing scopes: api.model.read." + SCOPE_TAIL,
            code="missing_scope",
        ),
        JSON,
        {},
        None,
        "missing_scope_model_read",
        Status.WARN,
    ),
    (
        "F19-model-read-retrieve-warns",
        "models",
        403,
        err("You have insufficient permissions for this operation. Missing scopes: api.model.read.", code=None),
        JSON,
        {},
        None,
        "missing_scope_model_read",
        Status.WARN,
    ),
    (
        "F19-model-read-at-session-fails",
        "session",
        401,
        err(
            "You have insufficient permissions for this operation. Missing scopes: api.model.read.",
            code="missing_scope",
        ),
        JSON,
        {},
        None,
        "missing_scope",
        Status.FAIL,
    ),
    ("F20-cloudflare-520", "api_key", 520, CLOUDFLARE_520, HTML, CF, None, "html_error_page", Status.FAIL),
    ("F20-cloudflare-502", "models", 502, CLOUDFLARE_502, HTML, CF, None, "html_error_page", Status.FAIL),
    (
        "F20-overloaded",
        "api_key",
        503,
        err(
            "That model is currently overloaded with other requests. You can retry your request, or contact us through our help center at help.openai.com if the error persists. (Please include the request ID req_FAKE000000 in your message.)",
            type="server_error",
        ),
        JSON,
        {},
        None,
        "server_overloaded",
        Status.FAIL,
    ),
    (
        "F21-model-not-found",
        "models",
        404,
        err("The model `gpt-realtime` does not exist or you do not have access to it.", code="model_not_found"),
        JSON,
        {},
        None,
        "model_not_found",
        Status.FAIL,
    ),
    (
        "F21-preview-snapshot",
        "session",
        400,
        err(
            "The model `gpt-4o-realtime-preview-2024-12-17` does not exist or you do not have access to it.",
            code="model_not_found",
        ),
        JSON,
        {},
        None,
        "model_not_found",
        Status.FAIL,
    ),
    (
        "F22-project-allowlist",
        "models",
        403,
        err("Project `proj_FAKE0000` does not have access to model `gpt-4o-mini`", code="model_not_found"),
        JSON,
        {},
        None,
        "model_project_allowlist",
        Status.FAIL,
    ),
    (
        "F23-verify-stream",
        "session",
        400,
        err(
            "Your organization must be verified to stream this model. Please go to: https://platform.openai.com/settings/organization/general and click on Verify Organization. If you just verified, it can take up to 15 minutes for access to propagate.",
            code="unsupported_value",
            param="stream",
        ),
        JSON,
        {},
        None,
        "org_verification_required",
        Status.FAIL,
    ),
    (
        "F23-verify-model",
        "session",
        403,
        err("Your organization must be verified to use the model `gpt-5`", code=None),
        JSON,
        {},
        None,
        "org_verification_required",
        Status.FAIL,
    ),
    (
        "F26-missing-session-type",
        "session",
        400,
        err("Missing required parameter: 'session.type'.", code="missing_required_parameter", param="session.type"),
        JSON,
        {},
        None,
        "missing_session_type",
        Status.FAIL,
    ),
    (
        "F27-svcacct-500",
        "session",
        500,
        err("The server had an error while processing your request. Sorry about that!", type="server_error"),
        JSON,
        {},
        "service_account",
        "server_error",
        Status.FAIL,
    ),
    (
        "F30-all-empty-error",
        "handshake",
        400,
        json.dumps({"error": {"message": "", "type": "", "code": "", "param": ""}}),
        JSON,
        {"x-request-id": "req_FAKE"},
        None,
        "handshake_bad_request",
        Status.FAIL,
    ),
    (
        "F31-missing-auth",
        "handshake",
        401,
        err("Missing bearer or basic authentication in header", code=None),
        JSON,
        {"x-request-id": "req_FAKE"},
        None,
        "handshake_missing_auth",
        Status.FAIL,
    ),
    ("F32-bare-403", "handshake", 403, None, None, {}, None, "handshake_forbidden", Status.FAIL),
    ("F32-bare-400", "handshake", 400, None, None, {}, None, "handshake_bad_request", Status.FAIL),
    ("F32-bare-401", "handshake", 401, None, None, {}, None, "handshake_unauthorized", Status.FAIL),
    (
        "F33-404-cloudflare-empty",
        "handshake",
        404,
        b"",
        None,
        {"server": "cloudflare", "x-openai-proxy-wasm": "v0.1"},
        None,
        "handshake_not_found",
        Status.FAIL,
    ),
    (
        "F13-nginx-404-at-upgrade",
        "handshake",
        404,
        NGINX_404,
        "text/html",
        {"server": "nginx/1.25.3"},
        None,
        "handshake_intermediary",
        Status.FAIL,
    ),
    (
        "F13-200-html-instead-of-101",
        "handshake",
        200,
        "<html><title>Welcome</title></html>",
        "text/html",
        {"server": "nginx"},
        None,
        "handshake_intermediary",
        Status.FAIL,
    ),
    (
        "F13-bare-403-from-other-server",
        "handshake",
        403,
        b"Forbidden",
        "text/plain",
        {"server": "envoy"},
        None,
        "handshake_intermediary",
        Status.FAIL,
    ),
    ("F34-500-oauth-token", "handshake", 500, None, None, {}, "unknown", "handshake_server_error", Status.FAIL),
    (
        "F34-500-json",
        "handshake",
        500,
        err("The server had an error while processing your request. Sorry about that!", type="server_error"),
        JSON,
        {"x-request-id": "req_FAKE"},
        None,
        "handshake_server_error",
        Status.FAIL,
    ),
    (
        "F35-429-upgrade",
        "handshake",
        429,
        None,
        None,
        {"retry-after": "7"},
        None,
        "handshake_rate_limited",
        Status.FAIL,
    ),
    (
        "F36-beta-rest-400",
        "session",
        400,
        err(
            "The Realtime Beta API is no longer supported. Please use /v1/realtime/client_secrets for the GA API.",
            code="beta_api_shape_disabled",
        ),
        JSON,
        {},
        None,
        "beta_api_shape_disabled",
        Status.FAIL,
    ),
    ("F28-ek-401-at-upgrade", "handshake", 401, None, None, {}, "ephemeral", "ephemeral_expired", Status.FAIL),
    (
        "F42-insufficient-quota",
        "session",
        429,
        json.dumps(
            {
                "error": {
                    "message": "You exceeded your current quota, please check your plan and billing details.",
                    "type": "insufficient_quota",
                    "param": None,
                    "code": "insufficient_quota",
                }
            }
        ),
        JSON,
        {},
        None,
        "insufficient_quota",
        Status.FAIL,
    ),
    (
        "F42-credit-exhausted",
        "session",
        429,
        json.dumps(
            {
                "error": {
                    "message": "You have no credits remaining ...",
                    "type": "insufficient_quota",
                    "code": "credit_balance_exhausted",
                }
            }
        ),
        JSON,
        {},
        None,
        "insufficient_quota",
        Status.FAIL,
    ),
    (
        "F42-billing-hard-limit",
        "api_key",
        429,
        err("Billing hard limit has been reached", type="invalid_request_error", code="billing_hard_limit_reached"),
        JSON,
        {},
        None,
        "insufficient_quota",
        Status.FAIL,
    ),
    (
        "F42-billing-not-active",
        "api_key",
        429,
        err(
            "Your account is not active, please check your billing details on our website.",
            type="billing_not_active",
            code="billing_not_active",
        ),
        JSON,
        {},
        None,
        "insufficient_quota",
        Status.FAIL,
    ),
    (
        "F42-access-terminated",
        "api_key",
        429,
        err("You exceeded your current quota.", type="access_terminated", code="access_terminated"),
        JSON,
        {},
        None,
        "access_terminated",
        Status.FAIL,
    ),
    (
        "F43-rpd",
        "session",
        429,
        err(
            "Rate limit reached for gpt-4o-mini-realtime in organization org-xx on requests per day (RPD): Limit 1000, Used 1000, Requested 1. Please try again in 1m26.4s.",
            type="requests",
            code="rate_limit_exceeded",
        ),
        JSON,
        {},
        None,
        "rate_limited",
        Status.FAIL,
    ),
    (
        "F43-request-too-large",
        "session",
        429,
        err(
            "Request too large for gpt-4o in organization org-xx on tokens per min (TPM): Limit 30000, Requested 36000.",
            type="tokens",
            code="rate_limit_exceeded",
        ),
        JSON,
        {},
        None,
        "request_too_large",
        Status.FAIL,
    ),
    (
        "F44-server-error-sess",
        "session",
        500,
        err(SERVER_ERROR_SESS, type="server_error"),
        JSON,
        {},
        None,
        "server_error",
        Status.FAIL,
    ),
    (
        "access-not-enabled",
        "handshake",
        403,
        err("Your organization does not have access to the Realtime API.", code="access_not_enabled"),
        JSON,
        {"x-request-id": "req_FAKE"},
        None,
        "realtime_access_not_enabled",
        Status.FAIL,
    ),
    (
        "azure-deployment-not-found",
        "handshake",
        404,
        json.dumps(
            {
                "error": {
                    "code": "DeploymentNotFound",
                    "message": "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.",
                }
            }
        ),
        JSON,
        {"apim-request-id": "FAKE"},
        None,
        "azure_deployment_not_found",
        Status.FAIL,
    ),
    (
        "azure-operation-not-supported",
        "handshake",
        400,
        json.dumps(
            {
                "error": {
                    "code": "OpperationNotSupported",
                    "message": "The realtime operation does not work with the specified model, gpt-4o. Please choose different model and try again.",
                }
            }
        ),
        JSON,
        {"apim-request-id": "FAKE", "x-ms-region": "East US 2"},
        None,
        "azure_operation_not_supported",
        Status.FAIL,
    ),
    # The setup notes' table as bare statuses (no body), REST side.
    ("notes-400", "session", 400, None, None, {}, None, "bad_request", Status.FAIL),
    ("notes-401", "api_key", 401, None, None, {}, None, "unauthorized", Status.FAIL),
    ("notes-403", "session", 403, None, None, {}, None, "forbidden", Status.FAIL),
    ("notes-404", "session", 404, None, None, {}, None, "not_found", Status.FAIL),
    ("notes-404-at-upgrade", "handshake", 404, None, None, {}, None, "handshake_not_found", Status.FAIL),
    # Other statuses.
    (
        "redirect-301",
        "api_key",
        301,
        None,
        None,
        {"location": "https://example.invalid/v1/models"},
        None,
        "redirected",
        Status.FAIL,
    ),
    ("proxy-407", "api_key", 407, None, None, {}, None, "proxy_auth_required", Status.FAIL),
    ("bare-429", "api_key", 429, None, None, {}, None, "rate_limited", Status.FAIL),
    ("bare-502", "api_key", 502, None, None, {}, None, "server_error", Status.FAIL),
    ("bare-503", "api_key", 503, None, None, {}, None, "server_overloaded", Status.FAIL),
    ("teapot-418", "api_key", 418, None, None, {}, None, "unknown_error", Status.FAIL),
    # Robustness: bodies that are not the API's JSON.
    (
        "html-403-block-page",
        "api_key",
        403,
        "<html><head><title>Access denied</title></head><body>blocked</body></html>",
        "text/html",
        {},
        None,
        "html_not_api",
        Status.FAIL,
    ),
    (
        "html-200-captive-portal",
        "api_key",
        200,
        "<!doctype html><title>Hotel Wi-Fi login</title>",
        None,
        {},
        None,
        "html_not_api",
        Status.FAIL,
    ),
    (
        "truncated-json-200",
        "api_key",
        200,
        '{"object":"list","data":[{"id":"gpt-rea',
        JSON,
        {},
        None,
        "invalid_json",
        Status.FAIL,
    ),
    (
        "truncated-json-400",
        "session",
        400,
        '{"error":{"message":"Missing req',
        JSON,
        {},
        None,
        "invalid_json",
        Status.FAIL,
    ),
    ("truncated-json-502", "session", 502, '{"error":{"mess', JSON, {}, None, "server_error", Status.FAIL),
    (
        "error-as-string-401",
        "api_key",
        401,
        json.dumps({"error": "Unauthorized"}),
        JSON,
        {},
        None,
        "unauthorized",
        Status.FAIL,
    ),
    ("json-list-403", "api_key", 403, "[]", JSON, {}, None, "forbidden", Status.FAIL),
    ("json-200-wrong-shape", "models", 200, '{"hello": "world"}', JSON, {}, None, "unexpected_shape", Status.FAIL),
    ("empty-body-404", "models", 404, b"", None, {}, None, "not_found", Status.FAIL),
    (
        "binary-garbage-400",
        "api_key",
        400,
        bytes(range(256)) * 4,
        "application/octet-stream",
        {},
        None,
        "bad_request",
        Status.FAIL,
    ),
    (
        "huge-title-502",
        "api_key",
        502,
        "<html><head><title>" + "A" * 100_000 + "</title></head></html>",
        "text/html",
        {},
        None,
        "html_error_page",
        Status.FAIL,
    ),
]


@pytest.mark.parametrize(
    ("stage", "status", "body", "ctype", "headers", "key_kind", "expected", "verdict"),
    [pytest.param(*row[1:], id=row[0]) for row in HTTP_ROWS],
)
def test_from_http(
    stage: str,
    status: int,
    body: Any,
    ctype: str | None,
    headers: dict[str, str],
    key_kind: str | None,
    expected: str,
    verdict: Status,
) -> None:
    """Each quoted HTTP answer maps to the diagnosis failures.md gives it, with FAIL or WARN as documented."""
    finding = classify.from_http(stage, status, parse_error_body(body, ctype), headers, key_kind=key_kind)
    assert (finding.diagnosis, finding.status) == (expected, verdict)
    assert diagnoses.exists(finding.diagnosis)


def test_from_http_keeps_the_api_error() -> None:
    """The API's own error object travels with the finding, so the report can quote it."""
    body = parse_error_body(err("IP not authorized", code=None), JSON)
    finding = classify.from_http("api_key", 401, body, {})
    assert finding.error is not None and finding.error.message == "IP not authorized"


def test_rate_limit_quotes_the_server_wait_and_limit() -> None:
    """A rate limit tells the user how long the server asked them to wait and which limit was hit."""
    message = "Rate limit reached for gpt-4o-mini-realtime in organization org-xx on requests per day (RPD): Limit 1000, Used 1000, Requested 1. Please try again in 1m26.4s."
    finding = classify.from_http(
        "session", 429, parse_error_body(err(message, type="requests", code="rate_limit_exceeded"), JSON), {}
    )
    text = " ".join(finding.extra_advice)
    assert "1m26.4s" in text and "RPD" in text


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        pytest.param({"retry-after": "7"}, "7 s", id="retry-after-seconds"),
        pytest.param({"retry-after-ms": "1500", "retry-after": "2"}, "1.5 s", id="retry-after-ms-wins"),
        pytest.param({"retry-after": "Wed, 21 Oct 2026 07:28:00 GMT"}, "Wed, 21 Oct 2026", id="retry-after-date"),
    ],
)
def test_bare_429_quotes_retry_after(headers: dict[str, str], expected: str) -> None:
    """A 429 with retry-after becomes rate_limited with the wait quoted in the advice."""
    finding = classify.from_http("api_key", 429, parse_error_body(None, None), headers)
    assert finding.diagnosis == "rate_limited"
    assert any(expected in line for line in finding.extra_advice)


def test_quota_is_never_advised_as_a_wait() -> None:
    """insufficient_quota is a hard stop: no retry-after wait is offered even if a header is present."""
    body = parse_error_body(
        err(
            "You exceeded your current quota, please check your plan and billing details.",
            type="insufficient_quota",
            code="insufficient_quota",
        ),
        JSON,
    )
    finding = classify.from_http("session", 429, body, {"retry-after": "1"})
    assert finding.diagnosis == "insufficient_quota" and finding.extra_advice == ()


def test_server_error_quotes_the_session_id() -> None:
    """A server_error message with a sess_ id hands that id to the user for support (F44)."""
    finding = classify.from_http(
        "session", 500, parse_error_body(err(SERVER_ERROR_SESS, type="server_error"), JSON), {}
    )
    assert any("sess_FAKE0000000000000000" in line for line in finding.extra_advice)


def test_oauth_token_500_at_upgrade_says_use_an_api_key() -> None:
    """A non-sk- token failing the upgrade with 500 is told to use an API key (F34)."""
    finding = classify.from_http("handshake", 500, parse_error_body(None, None), {}, key_kind="unknown")
    assert any("sk-" in line for line in finding.extra_advice)


def test_html_answer_never_echoes_the_page() -> None:
    """HTML error pages (which contain the user's IP) are never copied into the finding (F20)."""
    finding = classify.from_http("api_key", 520, parse_error_body(CLOUDFLARE_520, HTML), CF)
    shown = " ".join(finding.extra_advice) + " ".join(diagnoses.get(finding.diagnosis).advice)
    assert "203.0.113.7" not in shown and "<" not in shown
    assert any("8e3f0c2b9a7d4e51" in line for line in finding.extra_advice)


# --- Close codes ---------------------------------------------------------------------------------------------

BETA_EVENT = {
    "type": "error",
    "error": {
        "type": "invalid_request_error",
        "code": "beta_api_shape_disabled",
        "message": "The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.",
    },
}
TRANSCRIPTION_MODEL_EVENT = {
    "type": "error",
    "error": {
        "code": "invalid_model",
        "message": 'Model "gpt-4o-mini-transcribe" is not supported in transcription mode.',
    },
}

CLOSE_ROWS: list[tuple[str, int, str | None, dict[str, Any] | None, str | None, str]] = [
    (
        "F36-close-4000-with-event",
        4000,
        "invalid_request_error.beta_api_shape_disabled",
        BETA_EVENT,
        None,
        "beta_api_shape_disabled",
    ),
    (
        "F36-close-4000-reason-only",
        4000,
        "invalid_request_error.beta_api_shape_disabled",
        None,
        None,
        "beta_api_shape_disabled",
    ),
    ("F37-close-3000", 3000, "invalid_request_error.invalid_api_key", None, None, "ws_invalid_api_key"),
    ("F37-close-3000-ephemeral", 3000, "invalid_request_error.invalid_api_key", None, "ephemeral", "ephemeral_expired"),
    ("close-3000-bare", 3000, "", None, None, "ws_invalid_api_key"),
    (
        "close-3000-mismatched-org",
        3000,
        "invalid_request_error.mismatched_organization",
        None,
        None,
        "mismatched_organization",
    ),
    (
        "F38-close-4000-invalid-model-transcription",
        4000,
        "invalid_request_error.invalid_model",
        TRANSCRIPTION_MODEL_EVENT,
        None,
        "ws_transcription_model_param",
    ),
    ("close-4000-invalid-model", 4000, "invalid_request_error.invalid_model", None, None, "ws_invalid_model"),
    ("close-4000-missing-model", 4000, "invalid_request_error.missing_model", None, None, "ws_missing_model"),
    ("F38-close-4000-invalid-intent", 4000, "invalid_request_error.invalid_intent", None, None, "ws_invalid_intent"),
    ("close-4004-model-not-found", 4004, "invalid_request_error.model_not_found", None, None, "ws_model_not_found"),
    ("close-4004-bare", 4004, None, None, None, "ws_model_not_found"),
    ("close-4000-unknown-reason", 4000, "invalid_request_error.something_new", None, None, "ws_error_event"),
    ("F40-close-1000-early", 1000, "", None, None, "ws_closed_normally_early"),
    ("close-1001", 1001, "going away", None, None, "ws_closed_transient"),
    ("close-1011", 1011, "", None, None, "ws_closed_transient"),
    ("close-1012", 1012, None, None, None, "ws_closed_transient"),
    ("close-1013", 1013, None, None, None, "ws_closed_transient"),
    ("F40-close-1006", 1006, None, None, None, "ws_closed_abnormally"),
    ("F40-close-1002", 1002, "protocol error", None, None, "ws_closed_protocol_error"),
    ("close-1009", 1009, None, None, None, "ws_closed_protocol_error"),
    ("close-1008", 1008, "policy violation", None, None, "ws_closed_policy"),
    ("close-1011-server-error-reason", 1011, "server_error.server_error", None, None, "server_error"),
    ("close-4321-unknown", 4321, "", None, None, "ws_closed_unexpected"),
]


@pytest.mark.parametrize(
    ("code", "reason", "event", "key_kind", "expected"),
    [pytest.param(*row[1:], id=row[0]) for row in CLOSE_ROWS],
)
def test_from_close(
    code: int, reason: str | None, event: dict[str, Any] | None, key_kind: str | None, expected: str
) -> None:
    """Each close code and reason (with the error event before it, if any) maps to the right diagnosis."""
    finding = classify.from_close(code, reason, event, key_kind=key_kind)
    assert finding.diagnosis == expected and finding.status is Status.FAIL
    assert diagnoses.exists(finding.diagnosis)


def test_close_reason_fills_in_the_error() -> None:
    """A close reason alone still yields the API error type and code for the report (F37)."""
    finding = classify.from_close(3000, "invalid_request_error.invalid_api_key", None)
    assert finding.error is not None
    assert (finding.error.type, finding.error.code) == ("invalid_request_error", "invalid_api_key")


# --- Error events ---------------------------------------------------------------------------------------------


def event(
    message: str, code: str | None = None, type: str = "invalid_request_error", param: str | None = None
) -> dict[str, Any]:
    return {
        "type": "error",
        "event_id": "event_FAKE",
        "error": {"type": type, "code": code, "message": message, "param": param, "event_id": None},
    }


EVENT_ROWS: list[tuple[str, dict[str, Any], str]] = [
    ("F36-beta-event", BETA_EVENT, "beta_api_shape_disabled"),
    (
        "F37-invalid-key-event",
        event(
            "Incorrect API key provided: sk-proj-...XXXX. You can find your API key at https://platform.openai.com/account/api-keys.",
            "invalid_api_key",
        ),
        "ws_invalid_api_key",
    ),
    (
        "F38-model-param-transcription",
        event("You must not provide a model parameter for transcription sessions."),
        "ws_transcription_model_param",
    ),
    ("F38-transcription-mode", TRANSCRIPTION_MODEL_EVENT, "ws_transcription_model_param"),
    (
        "F38-transcription-update-to-realtime",
        event("Passing a transcription session update event to a realtime session is not allowed."),
        "ws_transcription_model_param",
    ),
    (
        "F38-beta-event-name",
        event("Invalid value: 'transcription_session.update'", "invalid_value", param="type"),
        "ws_transcription_model_param",
    ),
    ("F38-invalid-intent", event("Invalid intent ", "invalid_intent"), "ws_invalid_intent"),
    (
        "missing-model",
        event(
            "You must provide a model parameter, for example wss://api.openai.com/v1/realtime?model=gpt-realtime",
            "missing_model",
        ),
        "ws_missing_model",
    ),
    (
        "invalid-model-realtime-mode",
        event('Model "gpt-4o" is not supported in realtime mode.', "invalid_model"),
        "ws_invalid_model",
    ),
    (
        "F39-ga-field-on-beta",
        event(
            "Unknown parameter: 'session.output_modalities'.", "unknown_parameter", param="session.output_modalities"
        ),
        "ws_session_param_rejected",
    ),
    (
        "F39-session-audio",
        event("Unknown parameter: 'session.audio'.", "unknown_parameter", param="session.audio"),
        "ws_session_param_rejected",
    ),
    (
        "F39-azure-session-type",
        event("Unknown parameter: 'session.type'.", "unknown_parameter", param="session.type"),
        "ws_session_param_rejected",
    ),
    (
        "F39-missing-session-type",
        event("Missing required parameter: 'session.type'.", "missing_required_parameter", param="session.type"),
        "missing_session_type",
    ),
    (
        "F46-transcription-enabled",
        event(
            "Unknown parameter: 'session.input_audio_transcription.enabled'.",
            "unknown_parameter",
            param="session.input_audio_transcription.enabled",
        ),
        "ws_session_param_rejected",
    ),
    (
        "F46-custom-voice",
        event("Unknown parameter: 'session.custom_voice_id'.", "unknown_parameter", param="session.custom_voice_id"),
        "ws_session_param_rejected",
    ),
    (
        "F46-tools-meta",
        event("Unknown parameter: 'session.tools[2].meta'.", "unknown_parameter", param="session.tools[2].meta"),
        "ws_session_param_rejected",
    ),
    (
        "F46-description-too-long",
        event(
            "Invalid 'session.tools[3].description': string too long. Expected a string with maximum length 1024, but got a string with length 2473 instead.",
            "string_above_max_length",
            param="session.tools[3].description",
        ),
        "ws_session_param_rejected",
    ),
    (
        "F45-session-expired",
        {
            "type": "error",
            "error": {
                "type": "invalid_request_error",
                "code": "session_expired",
                "message": "Your session hit the maximum duration of 30 minutes.",
            },
        },
        "session_expired",
    ),
    ("F44-server-error-event", event(SERVER_ERROR_SESS, None, type="server_error"), "server_error"),
    (
        "F42-quota-event",
        event(
            "You exceeded your current quota, please check your plan and billing details.",
            "insufficient_quota",
            type="insufficient_quota",
        ),
        "insufficient_quota",
    ),
    (
        "F43-rate-event",
        event(
            "Rate limit reached for gpt-realtime on tokens per min (TPM): Limit 20000. Please try again in 2s.",
            "rate_limit_exceeded",
            type="tokens",
        ),
        "rate_limited",
    ),
    (
        "access-not-enabled-event",
        event("Your organization does not have access to the Realtime API.", "access_not_enabled"),
        "realtime_access_not_enabled",
    ),
    ("invalid-event-unmapped", event("The 'type' field is missing.", "invalid_event"), "ws_error_event"),
    ("event-without-error", {"type": "error"}, "ws_error_event"),
    ("event-error-is-string", {"type": "error", "error": "boom"}, "ws_error_event"),
]


@pytest.mark.parametrize(("payload", "expected"), [pytest.param(*row[1:], id=row[0]) for row in EVENT_ROWS])
def test_from_error_event(payload: dict[str, Any], expected: str) -> None:
    """Each quoted error event maps to its diagnosis; unmapped ones fall back to ws_error_event."""
    finding = classify.from_error_event(payload)
    assert finding.diagnosis == expected and finding.status is Status.FAIL


def test_session_param_rejection_names_the_field() -> None:
    """A rejected session field is named in the advice, so users know what to fix (F46)."""
    finding = classify.from_error_event(
        event("Unknown parameter: 'session.custom_voice_id'.", "unknown_parameter", param="session.custom_voice_id")
    )
    assert any("session.custom_voice_id" in line for line in finding.extra_advice)


# --- response.done ------------------------------------------------------------------------------------------


def done(status: str, error: dict[str, Any] | None = None, reason: str | None = None) -> dict[str, Any]:
    details: dict[str, Any] = {"type": status}
    if error is not None:
        details["error"] = error
    if reason is not None:
        details["reason"] = reason
    return {
        "type": "response.done",
        "event_id": "event_FAKE",
        "response": {
            "id": "resp_FAKE",
            "object": "realtime.response",
            "status": status,
            "status_details": details,
            "usage": None,
        },
    }


DONE_ROWS: list[tuple[str, dict[str, Any], str | None, Status | None]] = [
    ("completed", done("completed"), None, None),
    ("incomplete-max-tokens-proves-access", done("incomplete", reason="max_output_tokens"), None, None),
    ("incomplete-content-filter", done("incomplete", reason="content_filter"), "response_incomplete", Status.WARN),
    ("cancelled", done("cancelled", reason="turn_detected"), "response_cancelled", Status.WARN),
    (
        "F41-model-not-found",
        done(
            "failed",
            {
                "type": "invalid_request_error",
                "code": "model_not_found",
                "message": "The model `gpt-realtime` does not exist or you do not have access to it.",
            },
        ),
        "response_model_not_found",
        Status.FAIL,
    ),
    (
        "F41-F42-quota",
        done(
            "failed",
            {
                "type": "insufficient_quota",
                "code": "insufficient_quota",
                "message": "You exceeded your current quota, please check your plan and billing details.",
            },
        ),
        "response_quota",
        Status.FAIL,
    ),
    (
        "F42-credit-exhausted",
        done("failed", {"type": "insufficient_quota", "code": "credit_balance_exhausted"}),
        "response_quota",
        Status.FAIL,
    ),
    (
        "F43-rate-limited",
        done(
            "failed",
            {"type": "tokens", "code": "rate_limit_exceeded", "message": "Rate limit reached for gpt-realtime."},
        ),
        "rate_limited",
        Status.FAIL,
    ),
    (
        "F44-server-error",
        done("failed", {"type": "server_error", "code": None, "message": SERVER_ERROR_SESS}),
        "server_error",
        Status.FAIL,
    ),
    (
        "failed-unknown-code",
        done("failed", {"type": "invalid_request_error", "code": "something_new"}),
        "response_failed",
        Status.FAIL,
    ),
    ("failed-without-details", {"status": "failed"}, "response_failed", Status.FAIL),
    ("response-object-directly", {"status": "completed"}, None, None),
    ("status-missing", {"id": "resp_FAKE"}, "unexpected_shape", Status.FAIL),
]


@pytest.mark.parametrize(("payload", "expected", "verdict"), [pytest.param(*row[1:], id=row[0]) for row in DONE_ROWS])
def test_from_response_done(payload: dict[str, Any], expected: str | None, verdict: Status | None) -> None:
    """response.done is success only when the model answered; failures name their cause (F41)."""
    finding = classify.from_response_done(payload)
    if expected is None:
        assert finding is None
    else:
        assert finding is not None and (finding.diagnosis, finding.status) == (expected, verdict)


def test_response_done_rejects_non_mappings() -> None:
    """A response.done that is not an object is an unexpected shape, not a crash."""
    assert classify.from_response_done(["not", "a", "dict"]).diagnosis == "unexpected_shape"  # type: ignore[arg-type, union-attr]


# --- Exceptions ---------------------------------------------------------------------------------------------


def chained(outer: BaseException, cause: BaseException) -> BaseException:
    outer.__cause__ = cause
    return outer


def verify_error(message: str, code: int) -> ssl.SSLCertVerificationError:
    exc = ssl.SSLCertVerificationError(
        1, f"[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: {message} (_ssl.c:1006)"
    )
    exc.verify_code = code
    exc.verify_message = message
    return exc


def ws_response(status: int, body: bytes, ctype: str = JSON, **headers: str) -> Response:
    return Response(status, "", Headers({"content-type": ctype, **headers}), body)


EXC_ROWS: list[tuple[str, str, BaseException, str]] = [
    ("F09-gaierror", "api_key", socket.gaierror(-3, "Temporary failure in name resolution"), "dns_failed"),
    (
        "F09-httpx-wrapped",
        "api_key",
        chained(
            httpx.ConnectError("[Errno -2] Name or service not known"), socket.gaierror(-2, "Name or service not known")
        ),
        "dns_failed",
    ),
    ("F09-httpx-text-only", "api_key", httpx.ConnectError("[Errno 11001] getaddrinfo failed"), "dns_failed"),
    ("F10-refused", "api_key", ConnectionRefusedError(111, "Connection refused"), "tcp_refused"),
    ("F10-errno-110", "api_key", TimeoutError(110, "Connection timed out"), "tcp_timeout"),
    ("F10-connect-timeout", "api_key", httpx.ConnectTimeout(""), "tcp_timeout"),
    ("F10-winerror-10060-text", "websocket", OSError("[WinError 10060] A connection attempt failed"), "tcp_timeout"),
    ("read-timeout", "models", httpx.ReadTimeout("timed out"), "timeout"),
    ("budget-timeout", "websocket", TimeoutError(), "timeout"),
    ("reset", "api_key", ConnectionResetError(104, "Connection reset by peer"), "tcp_reset"),
    (
        "remote-protocol",
        "api_key",
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        "tcp_reset",
    ),
    ("unreachable", "api_key", OSError(101, "Network is unreachable"), "host_unreachable"),
    (
        "F12-socksio",
        "api_key",
        ImportError(
            "Using SOCKS proxy, but the 'socksio' package is not installed. Make sure to install httpx using `pip install httpx[socks]`."
        ),
        "proxy_socks_missing_socksio",
    ),
    (
        "F12-wrong-version",
        "api_key",
        chained(
            httpx.ConnectError("[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)"),
            ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)"),
        ),
        "tls_wrong_version",
    ),
    ("F12-407-httpx", "api_key", httpx.ProxyError("407 Proxy Authentication Required"), "proxy_auth_required"),
    (
        "F12-tunnel-failed",
        "api_key",
        httpx.ProxyError("Tunnel connection failed: 403 Forbidden"),
        "proxy_connect_failed",
    ),
    ("F12-407-websockets", "websocket", InvalidProxyStatus(ws_response(407, b"", "text/plain")), "proxy_auth_required"),
    (
        "F12-bad-proxy-url",
        "websocket",
        InvalidProxy("ftp://proxy:21", "scheme ftp isn't supported"),
        "proxy_scheme_wrong",
    ),
    (
        "F14-self-signed",
        "api_key",
        chained(
            httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"),
            verify_error("self-signed certificate in certificate chain", 19),
        ),
        "tls_interception",
    ),
    ("F14-local-issuer", "websocket", verify_error("unable to get local issuer certificate", 20), "tls_interception"),
    (
        "F14-text-only",
        "api_key",
        httpx.ConnectError(
            "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)"
        ),
        "tls_interception",
    ),
    ("tls-expired", "api_key", verify_error("certificate has expired", 10), "tls_expired"),
    (
        "tls-hostname",
        "api_key",
        verify_error("Hostname mismatch, certificate is not valid for 'api.openai.com'.", 62),
        "tls_hostname_mismatch",
    ),
    (
        "F15-handshake-alert",
        "api_key",
        ssl.SSLError(1, "[SSL: SSLV3_ALERT_HANDSHAKE_FAILURE] sslv3 alert handshake failure (_ssl.c:1006)"),
        "tls_handshake_failed",
    ),
    (
        "F07-extra-headers",
        "websocket",
        TypeError("BaseEventLoop.create_connection() got an unexpected keyword argument 'extra_headers'"),
        "websockets_version_mismatch",
    ),
    (
        "F07-additional-headers",
        "websocket",
        TypeError("create_connection() got an unexpected keyword argument 'additional_headers'"),
        "websockets_version_mismatch",
    ),
    ("F07-websockets-missing", "websocket", ModuleNotFoundError("No module named 'websockets'"), "dependency_missing"),
    (
        "ws-invalid-uri",
        "websocket",
        InvalidURI("https://api.openai.com/v1/realtime", "scheme isn't ws or wss"),
        "base_url_invalid",
    ),
    (
        "httpx-unsupported-protocol",
        "api_key",
        httpx.UnsupportedProtocol("Request URL is missing an 'http://' or 'https://' protocol."),
        "base_url_invalid",
    ),
    (
        "httpx-too-many-redirects",
        "api_key",
        httpx.TooManyRedirects("Exceeded maximum allowed redirects."),
        "redirected",
    ),
    (
        "ws-invalid-message-eof",
        "websocket",
        chained(
            InvalidMessage("did not receive a valid HTTP response"),
            EOFError("connection closed while reading HTTP status line"),
        ),
        "tcp_reset",
    ),
    (
        "ws-invalid-message",
        "websocket",
        InvalidMessage("did not receive a valid HTTP response"),
        "handshake_intermediary",
    ),
    ("F32-invalid-status-403", "websocket", InvalidStatus(ws_response(403, b"")), "handshake_forbidden"),
    (
        "F17-invalid-status-with-body",
        "websocket",
        InvalidStatus(
            ws_response(
                403,
                err(
                    "Country, region, or territory not supported",
                    type="request_forbidden",
                    code="unsupported_country_region_territory",
                ).encode(),
                **{"x-request-id": "req_FAKE"},
            )
        ),
        "region_blocked",
    ),
    (
        "F36-connection-closed-4000",
        "websocket",
        ConnectionClosedError(Close(4000, "invalid_request_error.beta_api_shape_disabled"), None),
        "beta_api_shape_disabled",
    ),
    ("F40-no-close-frame", "websocket", ConnectionClosedError(None, None), "ws_closed_abnormally"),
    ("json-decode", "api_key", json.JSONDecodeError("Expecting value", "<html>", 0), "invalid_json"),
    ("generic-oserror", "api_key", OSError("something odd"), "connection_failed"),
    ("bug-value-error", "api_key", ValueError("bug in realtime-check"), "internal_error"),
    ("bug-key-error", "session", KeyError("value"), "internal_error"),
]


@pytest.mark.parametrize(("stage", "exc", "expected"), [pytest.param(*row[1:], id=row[0]) for row in EXC_ROWS])
def test_from_exception(stage: str, exc: BaseException, expected: str) -> None:
    """Each exception users hit (failures.md symptoms) maps to its diagnosis; unknown ones are our bug."""
    finding = classify_exception(stage, exc)
    assert finding.diagnosis == expected and finding.status is Status.FAIL


def test_exception_with_own_diagnosis_is_honoured() -> None:
    """An exception carrying a diagnosis_id (e.g. tls.TLSConfigError) keeps that diagnosis."""

    class CarriesDiagnosis(Exception):
        diagnosis_id = "ca_bundle_unreadable"

    assert classify_exception("api_key", CarriesDiagnosis("bad bundle")).diagnosis == "ca_bundle_unreadable"


def test_exception_chain_cycles_terminate() -> None:
    """A cause/context cycle in an exception chain does not hang the classifier."""
    a, b = ValueError("a"), ValueError("b")
    a.__context__, b.__context__ = b, a
    assert classify_exception("api_key", a).diagnosis == "internal_error"


def test_exception_with_broken_str_is_still_classified() -> None:
    """An exception whose __str__ raises gives a finding, not a traceback."""

    class Unprintable(Exception):
        def __str__(self) -> str:
            raise RuntimeError("no")

    assert classify_exception("api_key", Unprintable()).diagnosis == "internal_error"


# --- errors_body -------------------------------------------------------------------------------------------


BODY_ROWS: list[tuple[str, Any, str | None, str]] = [
    ("openai-error", err("IP not authorized"), JSON, "json_error"),
    (
        "azure-error",
        json.dumps(
            {"error": {"code": "DeploymentNotFound", "message": "The API deployment for this resource does not exist."}}
        ),
        JSON,
        "json_error",
    ),
    ("error-string", json.dumps({"error": "Unauthorized"}), JSON, "json_error"),
    ("error-null", json.dumps({"error": None}), JSON, "json_other"),
    ("error-number", json.dumps({"error": 42}), JSON, "json_other"),
    (
        "flat-gateway-error",
        json.dumps({"statusCode": 401, "message": "Access denied due to invalid subscription key."}),
        JSON,
        "json_error",
    ),
    ("json-list", "[]", JSON, "json_other"),
    ("json-without-content-type", '{"error": {"message": "x"}}', None, "json_error"),
    ("html-by-type", "<p>hi</p>", "text/html", "html"),
    ("html-by-sniff", "\n  <!DOCTYPE html><html></html>", "application/json", "html"),
    ("empty-bytes", b"", None, "empty"),
    ("none", None, None, "empty"),
    ("whitespace", "  \r\n", "text/plain", "empty"),
    ("truncated", '{"error": {"message": "cut', JSON, "invalid_json"),
    ("plain-text", "Unauthorized", "text/plain", "text"),
    ("binary", bytes(range(256)), "application/octet-stream", "text"),
]


@pytest.mark.parametrize(("body", "ctype", "kind"), [pytest.param(*row[1:], id=row[0]) for row in BODY_ROWS])
def test_parse_error_body_kind(body: Any, ctype: str | None, kind: str) -> None:
    """Every body shape seen in the wild is classified without raising."""
    assert parse_error_body(body, ctype).kind == kind


def test_parse_error_body_reads_all_four_fields() -> None:
    """The OpenAI error object's four fields are all read (protocol.md §4.1)."""
    parsed = parse_error_body(
        err("Unknown parameter: 'session.audio'.", code="unknown_parameter", param="session.audio"), JSON
    )
    assert parsed.error is not None
    assert parsed.error.as_dict() == {
        "type": "invalid_request_error",
        "code": "unknown_parameter",
        "message": "Unknown parameter: 'session.audio'.",
        "param": "session.audio",
    }


def test_parse_error_body_treats_empty_fields_as_missing() -> None:
    """The all-empty error body of F30 gives an error with no fields rather than empty strings."""
    parsed = parse_error_body(json.dumps({"error": {"message": "", "type": "", "code": "", "param": ""}}), JSON)
    assert parsed.kind == "json_error" and parsed.error is not None
    assert set(parsed.error.as_dict().values()) == {None}


def test_html_title_is_short_and_page_is_not_kept() -> None:
    """Only the collapsed <title> of an HTML page is kept, capped at 120 characters."""
    parsed = parse_error_body(
        "<html><head><title>\n  api.openai.com |\n 520: Web server &amp; more "
        + "x" * 500
        + "</title></head><body>Your IP: 203.0.113.7</body></html>",
        HTML,
    )
    assert parsed.html_title is not None and parsed.html_title.startswith("api.openai.com | 520: Web server & more")
    assert len(parsed.html_title) <= 120
    assert parsed.snippet is None and parsed.data is None


def test_text_snippet_is_capped_and_binary_has_none() -> None:
    """A text body gives a snippet of at most 200 characters; binary garbage gives none."""
    assert len(parse_error_body("E" * 5000, "text/plain").snippet or "") <= 200
    assert parse_error_body(bytes(range(256)) * 8, None).snippet is None


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        pytest.param(
            "invalid_request_error.beta_api_shape_disabled",
            ("invalid_request_error", "beta_api_shape_disabled"),
            id="type-dot-code",
        ),
        pytest.param(
            "invalid_request_error.invalid_api_key", ("invalid_request_error", "invalid_api_key"), id="invalid-key"
        ),
        pytest.param(" server_error ", (None, "server_error"), id="bare-code"),
        pytest.param("going away", (None, None), id="free-text"),
        pytest.param("", (None, None), id="empty"),
        pytest.param(None, (None, None), id="none"),
    ],
)
def test_split_close_reason(reason: str | None, expected: tuple[str | None, str | None]) -> None:
    """Close reasons "<type>.<code>" split into type and code; free text gives nothing."""
    assert split_close_reason(reason) == expected


def test_classifiers_import_no_network_library() -> None:
    """Importing the classifiers and the table loads neither httpx nor websockets nor ssl (keeps --help fast)."""
    code = (
        "import sys, realtime_check.diagnosis.classify, realtime_check.diagnosis.exceptions, realtime_check.diagnosis.bodies,"
        " realtime_check.diagnosis.catalog;"
        "print(sorted(m for m in ('httpx', 'websockets', 'ssl', 'aiohttp') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
