"""Diagnoses for REST answers about what the key can reach: URLs, models, secret minting, Azure deployments."""

from __future__ import annotations

from realtime_check.diagnosis.catalog._base import (
    DOCS_AUTH,
    DOCS_AZURE_REALTIME,
    DOCS_CLIENT_SECRETS,
    DOCS_MODELS,
    DOCS_ORG_SETTINGS,
    DOCS_PROJECTS,
    Entry,
    entry,
)
from realtime_check.models import Category

U = Category.UNAVAILABLE

ENTRIES: tuple[Entry, ...] = (
    # --- URL and model -----------------------------------------------------------------------
    entry(
        "unknown_url",
        "Unknown request URL",
        "The path does not exist on the API: usually a base URL without /v1, with an endpoint pasted in, or "
        "with /v1 doubled; or a gateway that does not implement this endpoint (e.g. /v1/realtime/client_secrets).",
        (
            "Set the base URL to exactly https://api.openai.com/v1 (or your gateway's /v1 root).",
            "Compare the path in the message ('Unknown request URL: ...') with the one you expect.",
        ),
        Category.CONFIG,
        docs=DOCS_AUTH,
        failures=("F05",),
        statuses=(404,),
        codes=("unknown_url",),
        terms=("Unknown request URL", "Invalid URL"),
    ),
    entry(
        "model_not_found",
        "Model does not exist or this key has no access to it",
        "The model id is wrong, retired (gpt-4o-realtime-preview snapshots), not yet released, or not enabled "
        "for this organization/project.",
        (
            "Use a Realtime model your key lists in GET /v1/models, e.g. gpt-realtime-2.1 or gpt-realtime-2.1-mini.",
            "Prefer current aliases over dated snapshots copied from old samples.",
        ),
        U,
        docs=DOCS_MODELS,
        failures=("F21",),
        statuses=(404,),
        codes=("model_not_found",),
        terms=("does not exist or you do not have access to it",),
    ),
    entry(
        "model_project_allowlist",
        "Project does not allow this model",
        "The key's project has an allowed-models list that excludes this model (set in project settings or "
        "by Terraform). It is a permission, not a typo.",
        (
            "Add the Realtime model to the project's allowed models (Project settings → Limits → Model usage).",
            "Or use a key from a project that allows it.",
        ),
        U,
        docs=DOCS_PROJECTS,
        failures=("F22",),
        statuses=(403, 404),
        terms=("does not have access to model",),
    ),
    entry(
        "org_verification_required",
        "Organization must be verified for this model",
        "Some models and features are only available to verified organizations; appearing in /v1/models does "
        "not prove access.",
        (
            "Verify the organization at https://platform.openai.com/settings/organization/general "
            "(Verify Organization).",
            "After verifying, wait up to 15 minutes for access to propagate, then run the check again.",
        ),
        U,
        docs=DOCS_ORG_SETTINGS,
        failures=("F23",),
        statuses=(400, 403),
        terms=("must be verified", "Verify Organization"),
    ),
    # --- Ephemeral secret minting -----------------------------------------------------------------
    entry(
        "beta_endpoint_retired",
        "Beta minting endpoint POST /v1/realtime/sessions is retired",
        "Ephemeral secrets were minted by the beta POST /v1/realtime/sessions (client_secret.value); the beta "
        "interface was shut down in 2026.",
        (
            "Stop calling POST /v1/realtime/sessions: mint with POST /v1/realtime/client_secrets and body "
            '{"session": {"type": "realtime", "model": "gpt-realtime-2.1"}}.',
            "Read the secret from the top-level `value` (ek_...) and `expires_at`, not client_secret.value.",
        ),
        Category.PROTOCOL,
        docs=DOCS_CLIENT_SECRETS,
        failures=("F26",),
        terms=("/v1/realtime/sessions", "client_secret.value", "transcription_sessions"),
    ),
    entry(
        "missing_session_type",
        "Session config lacks session.type",
        'The GA API requires session.type ("realtime" or "transcription"); a beta-shaped, flat session '
        "config was sent.",
        (
            'Add "type": "realtime" (or "transcription") to the session object.',
            "Move beta fields to the GA shape: output_modalities, audio.input.*, audio.output.*; drop temperature.",
        ),
        Category.PROTOCOL,
        docs=DOCS_CLIENT_SECRETS,
        failures=("F26", "F39"),
        statuses=(400,),
        codes=("missing_required_parameter",),
        terms=("session.type",),
    ),
    # --- Azure OpenAI ------------------------------------------------------------------------------
    entry(
        "azure_deployment_not_found",
        "Azure deployment not found",
        "Azure OpenAI looks models up by deployment name; no deployment with this name exists on the resource "
        "(a model name was used, or the deployment is in another resource).",
        (
            "Use the deployment name from the Azure AI Foundry portal as the model, not the model name.",
            "Check the resource endpoint and that the deployment finished provisioning.",
        ),
        U,
        docs=DOCS_AZURE_REALTIME,
        failures=("F50",),
        statuses=(404,),
        codes=("DeploymentNotFound",),
    ),
    entry(
        "azure_operation_not_supported",
        "Azure deployment does not support Realtime",
        "The deployment's model cannot serve the realtime operation (a non-realtime model, or one not offered "
        "in this region).",
        (
            "Deploy a Realtime model (e.g. gpt-realtime-2.1) in a supported region (East US 2, Sweden Central) and "
            "use that deployment name.",
            "Use the GA URL wss://<resource>.openai.azure.com/openai/v1/realtime?model=<deployment>, with no "
            "api-version.",
        ),
        U,
        docs=DOCS_AZURE_REALTIME,
        failures=("F50",),
        statuses=(400,),
        codes=("OpperationNotSupported", "OperationNotSupported"),
    ),
)

DIAGNOSES = tuple(d for d, _ in ENTRIES)
MATCHERS = {d.id: m for d, m in ENTRIES}
