"""Diagnoses particular to Azure OpenAI: its URLs, its two credentials, its 401 shape and its regions.

DeploymentNotFound and OperationNotSupported live in access.py with the other "what the key can reach" answers.
"""

from __future__ import annotations

from realtime_check.diagnosis.catalog._base import DOCS_AZURE_REALTIME, Entry, entry
from realtime_check.models import Category

DOCS_AZURE_ERRORS = "https://learn.microsoft.com/azure/ai-foundry/openai/how-to/troubleshoot-errors"
DOCS_AZURE_MIGRATION = (
    "https://learn.microsoft.com/azure/ai-foundry/openai/how-to/realtime-audio-preview-api-migration-guide"
)
DOCS_AZURE_REGIONS = (
    "https://learn.microsoft.com/azure/ai-foundry/openai/concepts/models#global-standard-model-availability"
)

ENTRIES: tuple[Entry, ...] = (
    entry(
        "azure_preview_url",
        "Azure preview Realtime URL (deprecated)",
        "The URL is the preview protocol's (/openai/realtime?api-version=…&deployment=… or "
        "/openai/realtimeapi/sessions), deprecated from 2026-04-30; many samples and older SDKs still build it. "
        "The GA protocol lives under /openai/v1 and takes no api-version.",
        (
            "Use the GA endpoint: base URL https://<resource>.openai.azure.com/openai/v1, socket "
            "wss://<resource>.openai.azure.com/openai/v1/realtime?model=<deployment>.",
            "Mint browser secrets with POST /openai/v1/realtime/client_secrets (session.model = the deployment).",
        ),
        Category.CONFIG,
        docs=DOCS_AZURE_MIGRATION,
        failures=("F50",),
        terms=("realtimeapi/sessions", "/openai/realtime", "deployment="),
    ),
    entry(
        "azure_deployment_missing",
        "No Azure deployment given",
        "On Azure OpenAI the model is the name of a deployment on the resource; none was configured, so the "
        "default model id is tried as a deployment name.",
        (
            "Pass --model <deployment> (or set OPENAI_REALTIME_MODEL / AZURE_OPENAI_DEPLOYMENT) with the "
            "deployment name shown in the Azure AI Foundry portal.",
        ),
        Category.CONFIG,
        docs=DOCS_AZURE_REALTIME,
        failures=("F50",),
        terms=("AZURE_OPENAI_DEPLOYMENT",),
    ),
    entry(
        "azure_unauthorized",
        "Azure rejected the credential",
        'Azure OpenAI answered 401 ({"statusCode": 401, "message": …}): the api-key is not a key of this '
        "resource (another resource, regenerated, or an OpenAI key), or the endpoint is wrong.",
        (
            "Copy Key 1 or Key 2 from the resource's Keys and Endpoint page into AZURE_OPENAI_API_KEY, and the "
            "endpoint from the same page into AZURE_OPENAI_ENDPOINT.",
            "An OpenAI key (sk-…) does not work on Azure, nor an Azure key on api.openai.com.",
        ),
        Category.AUTH,
        docs=DOCS_AZURE_ERRORS,
        failures=("F50",),
        statuses=(401,),
        terms=("statusCode", "invalid subscription key", "Access denied due to invalid subscription key"),
    ),
    entry(
        "azure_entra_token_rejected",
        "Azure rejected the Entra token",
        "Azure OpenAI answered 401 to the Microsoft Entra token: it has expired, was issued for another "
        "audience (the GA /openai/v1 endpoint documents https://ai.azure.com; the older "
        "https://cognitiveservices.azure.com scope is for dated api-versions), or the identity lacks the "
        "Cognitive Services OpenAI User role on the resource.",
        (
            "Get a fresh token for the v1 scope: az account get-access-token --scope https://ai.azure.com/.default "
            "--query accessToken -o tsv",
            "Give the identity the 'Cognitive Services OpenAI User' role on the resource (role assignments can "
            "take minutes to apply).",
        ),
        Category.AUTH,
        docs=DOCS_AZURE_ERRORS,
        failures=("F50",),
        terms=("N15", "audience is incorrect", "Access token is missing", "ai.azure.com/.default", "Entra"),
    ),
    entry(
        "azure_entra_legacy_audience",
        "Entra token for the older audience",
        "The Entra token's audience is https://cognitiveservices.azure.com, the scope of the dated api-version "
        "examples; the GA /openai/v1 endpoint documents https://ai.azure.com/.default (update 2026-11, C5).",
        ("If the token is refused, request it with --scope https://ai.azure.com/.default.",),
        Category.AUTH,
        docs=DOCS_AZURE_ERRORS,
        failures=("F50",),
        terms=("cognitiveservices.azure.com/.default",),
    ),
    entry(
        "azure_forbidden",
        "Azure refused access to the resource",
        "Azure OpenAI answered 403: the resource's network rules or private endpoint do not admit this machine, "
        "or the resource is suspended.",
        (
            "Check the resource's Networking page (firewall, virtual networks, private endpoint) for this "
            "machine's address.",
            "If the message says the resource is blocked, check the subscription's state in the Azure portal.",
        ),
        Category.AUTH,
        docs=DOCS_AZURE_ERRORS,
        failures=("F50",),
        terms=("temporarily blocked", "private endpoint"),
    ),
    entry(
        "azure_region_without_realtime",
        "This Azure region offers no realtime models",
        "The resource is in a region where Azure offers no realtime deployments (global realtime deployments are "
        "in East US 2 and Sweden Central), so no deployment on it can serve /realtime.",
        (
            "Create an Azure OpenAI resource in East US 2 or Sweden Central, deploy a realtime model "
            "(gpt-realtime-2.1 or gpt-realtime-2.1-mini) and use that resource's endpoint and deployment name.",
        ),
        Category.UNAVAILABLE,
        docs=DOCS_AZURE_REGIONS,
        failures=("F50",),
        terms=("x-ms-region",),
    ),
)

DIAGNOSES = tuple(d for d, _ in ENTRIES)
MATCHERS = {d.id: m for d, m in ENTRIES}
