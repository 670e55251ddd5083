"""Azure OpenAI: detection, settings with provenance, auth headers, URL lint and reading Azure's answers."""

from __future__ import annotations

import pytest

from realtime_check import azure
from realtime_check.checks.config import evaluate
from realtime_check.cli.demo import demo_entra_token
from realtime_check.diagnosis.answered_by import Party, classify_http
from realtime_check.diagnosis.bodies import parse_error_body
from realtime_check.probes.http import api_url, auth_headers
from realtime_check.redact import Redactor
from realtime_check.settings import resolve

ENDPOINT = "https://fake-res.openai.azure.com"
AZURE_KEY = "FAKEazureKEY00000000000000000000"
OPENAI_KEY = "sk-proj-FAKE0000000000000000000000000000000000"
V1_TOKEN = demo_entra_token("https://ai.azure.com")
OLD_TOKEN = demo_entra_token("https://cognitiveservices.azure.com")


def source(settings, name: str) -> str:
    return next(s.source for s in settings.provenance if s.name == name)


@pytest.mark.parametrize(
    "host",
    ["fake-res.openai.azure.com", "fake-res.cognitiveservices.azure.com", "fake-res.services.ai.azure.com"],
)
def test_azure_hosts_are_detected_from_the_base_url(host: str) -> None:
    """A base URL on any of Azure's three OpenAI host families makes the run an Azure one."""
    settings = resolve({"base_url": f"https://{host}/openai/v1"}, {"AZURE_OPENAI_API_KEY": AZURE_KEY})
    assert settings.provider == "azure"
    assert source(settings, "provider") == "detected from the base URL host"
    assert (settings.api_key, settings.key_source) == (AZURE_KEY, "env:AZURE_OPENAI_API_KEY")


def test_azure_variables_alone_select_azure_with_provenance() -> None:
    """AZURE_OPENAI_ENDPOINT + AZURE_OPENAI_API_KEY + AZURE_OPENAI_DEPLOYMENT configure a whole Azure run."""
    env = {
        "AZURE_OPENAI_ENDPOINT": ENDPOINT + "/",
        "AZURE_OPENAI_API_KEY": AZURE_KEY,
        "AZURE_OPENAI_DEPLOYMENT": "realtime-prod",
    }
    settings = resolve({}, env)
    assert settings.provider == "azure" and not settings.entra_token
    assert settings.base_url == ENDPOINT + "/openai/v1"
    assert settings.ws_url == "wss://fake-res.openai.azure.com/openai/v1/realtime"
    assert settings.model == "realtime-prod"
    assert source(settings, "base_url") == "env:AZURE_OPENAI_ENDPOINT"
    assert source(settings, "model") == "env:AZURE_OPENAI_DEPLOYMENT"
    assert source(settings, "azure_auth") == "env:AZURE_OPENAI_API_KEY"


def test_a_leftover_azure_endpoint_never_redirects_an_openai_run() -> None:
    """With OPENAI_API_KEY set, stray AZURE_OPENAI_* variables leave the run on api.openai.com."""
    env = {"AZURE_OPENAI_ENDPOINT": ENDPOINT, "AZURE_OPENAI_API_KEY": AZURE_KEY, "OPENAI_API_KEY": OPENAI_KEY}
    settings = resolve({}, env)
    assert settings.provider == "openai"
    assert settings.base_url == "https://api.openai.com/v1" and settings.api_key == OPENAI_KEY


def test_provider_flag_wins_over_detection() -> None:
    """--provider azure makes a loopback URL (the emulator, a proxy) Azure; --provider openai keeps an Azure host OpenAI."""
    assert resolve({"provider": "azure", "base_url": "http://127.0.0.1:9/openai/v1"}, {}).provider == "azure"
    assert resolve({"provider": "openai", "base_url": ENDPOINT + "/openai/v1"}, {}).provider == "openai"


def test_entra_token_goes_as_bearer_and_a_resource_key_as_api_key() -> None:
    """AZURE_OPENAI_AD_TOKEN is sent as Authorization: Bearer; a resource key as api-key; no org headers on Azure."""
    with_token = resolve({}, {"AZURE_OPENAI_ENDPOINT": ENDPOINT, "AZURE_OPENAI_AD_TOKEN": V1_TOKEN})
    assert with_token.entra_token
    assert auth_headers(with_token, V1_TOKEN)["Authorization"] == f"Bearer {V1_TOKEN}"
    with_key = resolve(
        {"organization": "org-FAKE"}, {"AZURE_OPENAI_ENDPOINT": ENDPOINT, "AZURE_OPENAI_API_KEY": AZURE_KEY}
    )
    headers = auth_headers(with_key, AZURE_KEY)
    assert headers["api-key"] == AZURE_KEY
    assert "Authorization" not in headers and "OpenAI-Organization" not in headers


def test_api_url_keeps_a_query_on_the_base_url() -> None:
    """A base URL with ?api-version keeps it as a query, so the server (and the lint) see what was configured."""
    settings = resolve({"base_url": ENDPOINT + "/openai/v1?api-version=2025-04-01-preview"}, {})
    assert api_url(settings, "models") == ENDPOINT + "/openai/v1/models?api-version=2025-04-01-preview"


def test_token_audience_is_read_without_the_token() -> None:
    """The audience of an Entra token is read from its payload; junk and plain keys have none."""
    assert azure.token_audience(V1_TOKEN) == "https://ai.azure.com"
    assert azure.token_audience(OLD_TOKEN) == "https://cognitiveservices.azure.com"
    assert azure.token_audience(AZURE_KEY) is None
    assert azure.token_audience("eyJ.e30.x") is None


@pytest.mark.parametrize(
    ("url", "kind", "deployment"),
    [
        (ENDPOINT + "/openai/realtime?api-version=2025-04-01-preview&deployment=voice", "websocket", "voice"),
        (
            "wss://fake-res.openai.azure.com/openai/realtime?api-version=2024-10-01-preview&deployment=v",
            "websocket",
            "v",
        ),
        (ENDPOINT + "/openai/realtimeapi/sessions?api-version=2025-04-01-preview", "sessions", None),
    ],
)
def test_preview_urls_are_recognised(url: str, kind: str, deployment: str | None) -> None:
    """The deprecated preview socket and sessions URLs are recognised, with the deployment they named."""
    found = azure.preview_url(url)
    assert found is not None and (found.kind, found.deployment) == (kind, deployment)


@pytest.mark.parametrize(
    "url", [ENDPOINT + "/openai/v1/realtime", "wss://gw.example.com/openai/realtime", "https://api.openai.com/v1"]
)
def test_ga_and_gateway_urls_are_not_preview_urls(url: str) -> None:
    """GA URLs, and a gateway path that merely ends in /openai/realtime, are not taken for the preview protocol."""
    assert azure.preview_url(url) is None


def test_preview_url_fails_config_and_names_the_ga_urls() -> None:
    """A preview URL fails the config check with the GA base and socket URLs for the same resource and deployment."""
    url = ENDPOINT + "/openai/realtime?api-version=2025-04-01-preview&deployment=voice"
    result, _ = evaluate(resolve({"base_url": url, "api_key": AZURE_KEY}, {}))
    assert (result.status.value, result.diagnosis) == ("fail", "azure_preview_url")
    assert ENDPOINT + "/openai/v1" in result.summary
    assert "wss://fake-res.openai.azure.com/openai/v1/realtime?model=voice" in result.summary


def test_missing_deployment_and_old_audience_warn() -> None:
    """On Azure, no deployment given warns; an Entra token for the cognitiveservices audience warns, naming it."""
    base = {"AZURE_OPENAI_ENDPOINT": ENDPOINT}
    result, _ = evaluate(resolve({}, {**base, "AZURE_OPENAI_API_KEY": AZURE_KEY}))
    assert (result.status.value, result.diagnosis) == ("warn", "azure_deployment_missing")
    result, _ = evaluate(resolve({"model": "voice"}, {**base, "AZURE_OPENAI_AD_TOKEN": OLD_TOKEN}))
    assert (result.status.value, result.diagnosis) == ("warn", "azure_entra_legacy_audience")
    assert result.details["entra_token_audience"] == "https://cognitiveservices.azure.com"
    assert OLD_TOKEN not in str(result)


def _azure_answer(status: int, body: bytes, headers: dict[str, str], party: Party) -> tuple[str, tuple[str, ...]]:
    parsed = parse_error_body(body, "application/json")
    finding = classify_http("session", status, parsed, headers, key_kind=None, party=party)
    return finding.diagnosis, finding.extra_advice


AZURE_PARTY = Party(ENDPOINT + "/openai/v1/realtime/client_secrets", provider="azure", model="voice")


@pytest.mark.parametrize(
    ("status", "body", "headers", "party", "diagnosis"),
    [
        pytest.param(
            401,
            b'{"statusCode": 401, "message": "Unauthorized. Access token is missing, invalid, audience is incorrect '
            b'(https://cognitiveservices.azure.com), or have expired."}',
            {},
            Party(
                AZURE_PARTY.url,
                provider="azure",
                entra_token=True,
                token_audience="https://cognitiveservices.azure.com",
            ),
            "azure_entra_token_rejected",
            id="N15-statusCode-401-entra",
        ),
        pytest.param(
            401,
            b'{"error": {"code": "401", "message": "Access denied due to invalid subscription key or wrong API endpoint."}}',
            {},
            AZURE_PARTY,
            "azure_unauthorized",
            id="api-key-401",
        ),
        pytest.param(
            404,
            b'{"error": {"code": "DeploymentNotFound", "message": "The API deployment for this resource does not exist."}}',
            {"x-ms-region": "Sweden Central"},
            AZURE_PARTY,
            "azure_deployment_not_found",
            id="deployment-not-found",
        ),
        pytest.param(
            400,
            b'{"error": {"code": "OpperationNotSupported", "message": "The realtime operation does not work."}}',
            {"x-ms-region": "eastus2"},
            AZURE_PARTY,
            "azure_operation_not_supported",
            id="operation-not-supported",
        ),
        pytest.param(
            400,
            b'{"error": {"code": "OperationNotSupported", "message": "The realtime operation does not work."}}',
            {"x-ms-region": "West Europe"},
            AZURE_PARTY,
            "azure_region_without_realtime",
            id="region-without-realtime",
        ),
        pytest.param(
            401,
            b'{"statusCode": 401, "message": "Access denied due to invalid subscription key."}',
            {},
            Party(ENDPOINT + "/openai/v1/models?api-version=2025-04-01-preview", provider="azure"),
            "base_url_azure_api_version",
            id="api-version-on-ga-url",
        ),
        pytest.param(
            403,
            b'{"error": {"message": "Public access is disabled. Please configure private endpoint."}}',
            {},
            AZURE_PARTY,
            "azure_forbidden",
            id="network-rules-403",
        ),
    ],
)
def test_azure_answers_are_read_the_azure_way(
    status: int, body: bytes, headers: dict[str, str], party: Party, diagnosis: str
) -> None:
    """Azure's error shapes (statusCode/message, code/message), codes and x-ms-region map to Azure diagnoses."""
    assert _azure_answer(status, body, headers, party)[0] == diagnosis


def test_a_model_id_given_as_deployment_is_called_out() -> None:
    """DeploymentNotFound for 'gpt-realtime' explains that Azure wants the deployment's own name."""
    body = (
        b'{"error": {"code": "DeploymentNotFound", "message": "The API deployment for this resource does not exist."}}'
    )
    party = Party(AZURE_PARTY.url, provider="azure", model="gpt-realtime")
    diagnosis, extra = _azure_answer(404, body, {}, party)
    assert diagnosis == "azure_deployment_not_found"
    assert any("'gpt-realtime' is a model id" in line for line in extra)
    assert _azure_answer(404, body, {}, AZURE_PARTY)[1] == ()  # 'voice' is a deployment name: no such line


def test_entra_tokens_are_redacted_by_shape() -> None:
    """A JWT-shaped Entra token is masked in any text even when it was never registered as a secret."""
    shown = Redactor().text(f"upstream echoed Authorization {V1_TOKEN} back")
    assert V1_TOKEN not in shown and V1_TOKEN.split(".")[1] not in shown


def test_unknown_provider_is_a_usage_error() -> None:
    """--provider takes auto, openai or azure; anything else exits 2 naming the choices, no traceback."""
    from typer.testing import CliRunner

    from realtime_check.cli.app import app

    result = CliRunner().invoke(app, ["run", "--provider", "aws", "--no-dotenv"])
    assert result.exit_code == 2
    assert "--provider must be one of auto, openai, azure" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
