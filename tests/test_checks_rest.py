"""The REST checks (api_key, models, session) through an injected respx transport: what the user is told."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest
from check_harness import (
    BASE_URL,
    DATED,
    FAKE_EK,
    FAKE_KEY,
    FAKE_ORG,
    HEALTHY_IDS,
    MODELS_URL,
    REST_CHECKS,
    SECRETS_URL,
    CountingStream,
    api_error,
    assert_secret_hidden,
    http_date,
    json_response,
    listing,
    make_settings,
    minted,
    model_entry,
    new_router,
    run,
    run_async,
    session_created,
    shown_text,
    ws_server,
)

from realtime_check.checks import results
from realtime_check.checks.context import RunOptions
from realtime_check.diagnosis import catalog as diagnoses
from realtime_check.models import Category, Status

INVALID_KEY_MESSAGE = f"Incorrect API key provided: {FAKE_KEY}. You can find your API key at https://platform.openai.com/account/api-keys."
MODEL_READ_SCOPE = "You have insufficient permissions for this operation. Missing scopes: api.model.read."


def healthy_router(*, models: dict | None = None, mint: dict | None = None):
    router = new_router()
    router.get(MODELS_URL, name="listing").mock(
        return_value=json_response(200, models or listing(*HEALTHY_IDS), request_id="req_FAKElisting")
    )
    router.post(SECRETS_URL, name="mint").mock(
        return_value=json_response(200, mint or minted(expires_at=time.time() + 60), request_id="req_FAKEmint")
    )
    return router


# --- api_key ------------------------------------------------------------------------------------------------


def test_accepted_key_without_organization_header_counts_models() -> None:
    """Without an openai-organization header the api_key line says how many models (and realtime ones) the key sees."""
    result = run(make_settings(), ["config", "api_key"], router=healthy_router())["api_key"]
    assert result.status is Status.PASS
    assert result.summary == "key accepted · 7 models visible (4 realtime)"


def test_accepted_key_passes_with_counts_and_request_id() -> None:
    """A 200 model listing passes api_key, naming the key's organization (the model count in details), with the request id."""
    router = healthy_router()
    router.routes["listing"].mock(
        return_value=json_response(
            200, listing(*HEALTHY_IDS), request_id="req_FAKElisting", headers={"openai-organization": "acme-fake"}
        )
    )
    result = run(make_settings(), ["config", "api_key"], router=router)["api_key"]
    assert result.status is Status.PASS
    assert "org acme-fake" in result.summary
    assert result.details["models_visible"] == 7
    assert result.request_id == "req_FAKElisting"
    assert result.http_status == 200
    sent = router.routes["listing"].calls.last.request
    assert sent.headers["Authorization"] == f"Bearer {FAKE_KEY}"
    assert "OpenAI-Beta" not in sent.headers


def test_invalid_key_fails_with_diagnosis_and_never_shows_the_echoed_key() -> None:
    """A 401 invalid_api_key fails api_key with its diagnosis and request id; the key the server echoed is redacted everywhere."""
    router = new_router()
    router.get(MODELS_URL).mock(
        return_value=json_response(401, api_error("invalid_api_key", INVALID_KEY_MESSAGE), request_id="req_FAKE401")
    )
    outcome = run(make_settings(), ["config", "api_key", "models"], router=router, options=RunOptions(verbose=True))
    result = outcome["api_key"]
    assert result.status is Status.FAIL
    assert result.diagnosis == "invalid_api_key"
    assert result.http_status == 401
    assert result.request_id == "req_FAKE401"
    assert result.error is not None and result.error.code == "invalid_api_key"
    assert result.error.message is not None and result.error.message.startswith("Incorrect API key provided: ")
    assert "Incorrect API key provided" in result.summary
    assert result.advice, "an invalid key must come with advice"
    assert_secret_hidden(outcome.results, FAKE_KEY)


def test_missing_model_read_scope_warns_and_later_checks_still_run() -> None:
    """A restricted key without api.model.read is a warning on api_key; models skips with the reason and session still runs."""
    router = healthy_router()
    router.routes["listing"].mock(
        return_value=json_response(401, api_error("missing_scope", MODEL_READ_SCOPE), request_id="req_FAKEscope")
    )
    outcome = run(make_settings(), REST_CHECKS, router=router)
    api_key = outcome["api_key"]
    assert api_key.status is Status.WARN
    assert api_key.diagnosis == "missing_scope_model_read"
    assert any("api.model.read" in a for a in api_key.advice)
    assert outcome["models"].status is Status.SKIP
    assert "HTTP 401" in outcome["models"].summary
    assert outcome["session"].status is Status.PASS
    assert router.routes["mint"].call_count == 1


def test_org_mismatch_advice_says_the_key_works_without_the_org_header() -> None:
    """With OPENAI_ORG_ID set and a 401 mismatched_organization, a retry without the header that succeeds is turned into advice."""
    router = new_router()
    with_org = router.get(MODELS_URL, headers={"OpenAI-Organization": FAKE_ORG}).mock(
        return_value=json_response(
            401,
            api_error("mismatched_organization", "OpenAI-Organization header should match organization for API key"),
            request_id="req_FAKEorg",
        )
    )
    without_org = router.get(MODELS_URL).mock(return_value=json_response(200, listing(*HEALTHY_IDS)))
    result = run(make_settings(env={"OPENAI_ORG_ID": FAKE_ORG}), ["config", "api_key"], router=router)["api_key"]
    assert result.status is Status.FAIL
    assert result.diagnosis == "mismatched_organization"
    assert result.request_id == "req_FAKEorg"
    assert "Without the OpenAI-Organization/OpenAI-Project headers the same key is accepted" in result.advice[0]
    assert "OPENAI_ORG_ID" in result.advice[0]
    assert with_org.call_count == 1 and without_org.call_count == 1
    retry = without_org.calls.last.request
    assert "OpenAI-Organization" not in retry.headers
    assert retry.headers["Authorization"] == f"Bearer {FAKE_KEY}"


def test_org_mismatch_gives_no_retry_advice_when_the_retry_also_fails() -> None:
    """When the key is refused with and without the org header, no advice claims the header is the problem."""
    router = new_router()
    router.get(MODELS_URL).mock(
        return_value=json_response(
            401,
            api_error("mismatched_organization", "OpenAI-Organization header should match organization for API key"),
        )
    )
    result = run(make_settings(env={"OPENAI_ORG_ID": FAKE_ORG}), ["config", "api_key"], router=router)["api_key"]
    assert result.diagnosis == "mismatched_organization"
    assert not any("same key is accepted" in a for a in result.advice)


HTML_502 = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>"
    "<h1>Bad gateway</h1><p>Your IP: 203.0.113.7</p><p>Ray ID: 8f1FAKE</p></body></html>"
)


@pytest.mark.parametrize("verbose", [False, True])
def test_html_502_page_is_named_by_title_and_ray_without_showing_the_page(verbose: bool) -> None:
    """An HTML 502 from Cloudflare is html_error_page with the page title and ray id; the page body (and the IP in it) is never shown."""
    router = new_router()
    router.get(MODELS_URL).mock(
        return_value=httpx.Response(
            502, text=HTML_502, headers={"content-type": "text/html", "server": "cloudflare", "cf-ray": "8f1FAKE-SJC"}
        )
    )
    result = run(make_settings(), ["config", "api_key"], router=router, options=RunOptions(verbose=verbose))["api_key"]
    assert result.status is Status.FAIL
    assert result.diagnosis == "html_error_page"
    assert result.http_status == 502
    assert result.details["html_title"] == "502 Bad Gateway"
    assert any("8f1FAKE-SJC" in a for a in result.advice)
    text = shown_text(result)
    assert "203.0.113.7" not in text
    assert "Bad gateway</h1>" not in text


def test_truncated_json_listing_is_invalid_json() -> None:
    """A 200 whose JSON body is cut off fails api_key as invalid_json rather than crashing."""
    router = new_router()
    router.get(MODELS_URL).mock(
        return_value=httpx.Response(
            200, content=b'{"object":"list","data":[{"id":"gpt-rea', headers={"content-type": "application/json"}
        )
    )
    result = run(make_settings(), ["config", "api_key"], router=router)["api_key"]
    assert result.status is Status.FAIL
    assert result.diagnosis == "invalid_json"
    assert result.http_status == 200


def test_listing_of_the_wrong_shape_is_unexpected_shape() -> None:
    """A 200 JSON body that is not a model list (`data` not an array) fails api_key as unexpected_shape."""
    router = new_router()
    router.get(MODELS_URL).mock(return_value=json_response(200, {"data": "nope"}))
    result = run(make_settings(), ["config", "api_key"], router=router)["api_key"]
    assert result.status is Status.FAIL
    assert result.diagnosis == "unexpected_shape"


@pytest.mark.parametrize("status", [301, 307, 308])
def test_redirect_is_reported_and_never_followed(status: int) -> None:
    """A 3xx to another host is reported as `redirected`; the other host receives no request, so Authorization never travels."""
    router = new_router()
    router.get(MODELS_URL).mock(
        return_value=httpx.Response(status, headers={"location": "https://collector.example.test/v1/models"})
    )
    elsewhere = router.route(host="collector.example.test").mock(return_value=json_response(200, listing(*HEALTHY_IDS)))
    result = run(make_settings(), ["config", "api_key"], router=router)["api_key"]
    assert result.status is Status.FAIL
    assert result.diagnosis == "redirected"
    assert result.http_status == status
    assert result.details["location"] == "https://collector.example.test/v1/models"
    assert not elsewhere.called


def test_oversized_body_is_refused_without_reading_it_all() -> None:
    """A listing larger than max_body_bytes fails as response_too_large after reading only just past the cap."""
    stream = CountingStream(chunks=1000, size=1024)  # 1 MB on offer
    router = new_router()
    router.get(MODELS_URL).mock(
        side_effect=lambda request: httpx.Response(200, stream=stream, headers={"content-type": "application/json"})
    )
    result = run(make_settings(), ["config", "api_key"], router=router, options=RunOptions(max_body_bytes=4096))[
        "api_key"
    ]
    assert result.status is Status.FAIL
    assert result.diagnosis == "response_too_large"
    assert stream.read <= 5, f"read {stream.read} chunks of 1 KiB for a 4 KiB cap"


def test_connection_error_is_classified_not_a_traceback() -> None:
    """A refused connection fails api_key with a network diagnosis and a one-line summary, not a traceback."""
    router = new_router()
    router.get(MODELS_URL).mock(side_effect=httpx.ConnectError("[Errno 111] Connection refused"))
    result = run(make_settings(), ["config", "api_key", "models"], router=router)
    api_key = result["api_key"]
    assert api_key.status is Status.FAIL
    assert api_key.diagnosis == "tcp_refused"
    assert diagnoses.category_of(api_key.diagnosis) is Category.NETWORK
    assert "Traceback" not in shown_text(api_key)
    assert "\n" not in api_key.summary
    assert result["models"].status is Status.SKIP


# --- models -------------------------------------------------------------------------------------------------


def test_visible_model_passes_listing_realtime_and_transcription_models() -> None:
    """The configured model in the listing passes, naming the realtime and transcription models the key can see."""
    router = healthy_router()
    result = run(make_settings(), ["config", "api_key", "models"], router=router)["models"]
    assert result.status is Status.PASS
    assert result.details["realtime_models"] == sorted(["gpt-realtime-2.1", "gpt-realtime", DATED, "gpt-realtime-mini"])
    assert result.details["transcription_models"] == ["gpt-4o-transcribe", "whisper-1"]
    assert "gpt-realtime-2.1 is visible · 4 realtime models" == result.summary
    assert router.routes["listing"].call_count == 1


def test_model_missing_from_listing_and_404_fails_with_live_suggestions() -> None:
    """A model absent from the listing and 404 on retrieval fails model_not_found, suggesting visible realtime models but not retired ones."""
    router = new_router()
    router.get(MODELS_URL).mock(
        return_value=json_response(
            200,
            listing("gpt-realtime", "gpt-realtime-mini", model_entry("gpt-realtime-1.5", "2024-01-01"), "whisper-1"),
        )
    )
    router.get(f"{MODELS_URL}/gpt-realtime-2.1").mock(
        return_value=json_response(
            404,
            api_error(
                "model_not_found", "The model `gpt-realtime-2.1` does not exist or you do not have access to it."
            ),
            request_id="req_FAKE404",
        )
    )
    result = run(make_settings(model="gpt-realtime-2.1"), ["config", "api_key", "models"], router=router)["models"]
    assert result.status is Status.FAIL
    assert result.diagnosis == "model_not_found"
    assert result.http_status == 404
    assert result.request_id == "req_FAKE404"
    hint = result.advice[0]
    assert hint.startswith("Realtime models this key can see:")
    assert "gpt-realtime-mini" in hint and "gpt-realtime," in hint
    assert "gpt-realtime-1.5" not in hint


def test_model_absent_from_listing_but_retrievable_is_not_a_failure() -> None:
    """The listing is advisory: a model missing from it that GET /v1/models/{id} returns is not reported as unavailable."""
    router = new_router()
    router.get(MODELS_URL).mock(return_value=json_response(200, listing("gpt-realtime", "whisper-1")))
    router.get(f"{MODELS_URL}/gpt-realtime-2.1").mock(return_value=json_response(200, model_entry("gpt-realtime-2.1")))
    result = run(make_settings(model="gpt-realtime-2.1"), ["config", "api_key", "models"], router=router)["models"]
    assert result.status is Status.PASS


def test_model_past_its_shutdown_date_is_retired() -> None:
    """A configured model whose shutdown_date has passed fails as model_retired, naming the date and live alternatives."""
    router = new_router()
    router.get(MODELS_URL).mock(
        return_value=json_response(
            200, listing("gpt-realtime", model_entry("gpt-realtime-1.5", "2024-01-01"), "whisper-1")
        )
    )
    result = run(make_settings(model="gpt-realtime-1.5"), ["config", "api_key", "models"], router=router)["models"]
    assert result.status is Status.FAIL
    assert result.diagnosis == "model_retired"
    assert "2024-01-01" in result.summary
    assert any("gpt-realtime" in a and "gpt-realtime-1.5" not in a for a in result.advice)


def test_model_with_a_future_shutdown_date_warns() -> None:
    """A configured model with a shutdown_date still ahead is a warning that names the date."""
    router = new_router()
    router.get(MODELS_URL).mock(
        return_value=json_response(200, listing(model_entry("gpt-realtime", "2999-12-31"), "whisper-1"))
    )
    result = run(make_settings(model="gpt-realtime"), ["config", "api_key", "models"], router=router)["models"]
    assert result.status is Status.WARN
    assert result.diagnosis == "model_shutdown_scheduled"
    assert "2999-12-31" in result.summary


def test_no_transcription_model_visible_warns() -> None:
    """A key that sees the realtime model but no transcription model gets a warning saying so."""
    router = new_router()
    router.get(MODELS_URL).mock(return_value=json_response(200, listing("gpt-realtime-2.1", "gpt-4.1")))
    result = run(make_settings(), ["config", "api_key", "models"], router=router)["models"]
    assert result.status is Status.WARN
    assert result.diagnosis == "transcription_model_missing"
    assert "no transcription model visible" in result.summary


def test_models_skips_with_reason_when_listing_is_unavailable() -> None:
    """Without a model listing (401 missing scope) models is skipped with the reason and does not guess with a retrieval."""
    router = new_router()
    router.get(MODELS_URL).mock(return_value=json_response(401, api_error("missing_scope", MODEL_READ_SCOPE)))
    retrieve = router.get(f"{MODELS_URL}/gpt-realtime").mock(
        return_value=json_response(200, model_entry("gpt-realtime"))
    )
    result = run(make_settings(), ["config", "api_key", "models"], router=router)["models"]
    assert result.status is Status.SKIP
    assert "model list is not available" in result.summary
    assert "HTTP 401" in result.summary
    assert not retrieve.called


# --- session ------------------------------------------------------------------------------------------------

SERVER_NOW = 1_700_000_000  # 2023-11-14: far from the local clock, so a lifetime against it would be absurd


def test_minted_secret_passes_is_redacted_and_lifetime_uses_the_server_clock() -> None:
    """A minted ek_ secret passes; its lifetime is measured against the server's Date header and the secret appears nowhere."""
    router = new_router()
    mint = router.post(SECRETS_URL).mock(
        return_value=json_response(
            200, minted(expires_at=SERVER_NOW + 60), request_id="req_FAKEmint", headers={"date": http_date(SERVER_NOW)}
        )
    )
    outcome = run(make_settings(), ["config", "session"], router=router, options=RunOptions(verbose=True))
    result = outcome["session"]
    assert result.status is Status.PASS
    assert result.details["lifetime_seconds"] == 60.0
    assert "valid 60 s" in result.summary
    assert "local clock is" in result.summary  # the local clock is years off this server's
    assert result.request_id == "req_FAKEmint"
    assert_secret_hidden(outcome.results, FAKE_EK)
    # Registered, not merely pattern-matched: glued to a word, no key-shaped regex would catch it.
    assert FAKE_EK not in outcome.redactor.text(f"id{FAKE_EK}")
    sent = mint.calls.last.request
    assert sent.headers["Authorization"] == f"Bearer {FAKE_KEY}"
    assert "OpenAI-Beta" not in sent.headers
    body = json.loads(sent.content)
    assert body["session"] == {"type": "realtime", "model": "gpt-realtime-2.1"}  # no listing: top of the ladder
    assert body["expires_after"] == {"anchor": "created_at", "seconds": RunOptions().ephemeral_ttl_seconds}


def test_secret_that_already_expired_by_the_server_clock_fails() -> None:
    """A secret whose expires_at is before the server's own Date fails as ephemeral_expired."""
    router = new_router()
    router.post(SECRETS_URL).mock(
        return_value=json_response(200, minted(expires_at=SERVER_NOW - 5), headers={"date": http_date(SERVER_NOW)})
    )
    outcome = run(make_settings(), ["config", "session"], router=router)
    result = outcome["session"]
    assert result.status is Status.FAIL
    assert result.diagnosis == "ephemeral_expired"
    assert "already expired" in result.summary
    assert_secret_hidden(outcome.results, FAKE_EK)


def test_mint_answer_without_value_is_unexpected_shape() -> None:
    """A 200 from client_secrets without `value` fails as unexpected_shape."""
    router = new_router()
    body = minted(expires_at=time.time() + 60)
    del body["value"]
    router.post(SECRETS_URL).mock(return_value=json_response(200, body))
    result = run(make_settings(), ["config", "session"], router=router)["session"]
    assert result.status is Status.FAIL
    assert result.diagnosis == "unexpected_shape"


def test_insufficient_quota_fails_once_without_retrying() -> None:
    """A 429 insufficient_quota fails session with its diagnosis after exactly one request (quota is never retried)."""
    router = new_router()
    mint = router.post(SECRETS_URL).mock(
        return_value=json_response(
            429,
            api_error(
                "insufficient_quota",
                "You exceeded your current quota, please check your plan and billing details.",
                type_="insufficient_quota",
            ),
            request_id="req_FAKEquota",
        )
    )
    result = run(make_settings(), ["config", "session"], router=router)["session"]
    assert result.status is Status.FAIL
    assert result.diagnosis == "insufficient_quota"
    assert result.http_status == 429
    assert result.request_id == "req_FAKEquota"
    assert mint.call_count == 1


def test_ephemeral_key_as_main_key_skips_rest_checks_but_opens_the_socket() -> None:
    """An ek_ secret configured as the key skips api_key, models and session with the reason; the websocket check still runs with it."""

    async def handler(ws) -> None:  # type: ignore[no-untyped-def]
        await ws.send(session_created())
        await ws.wait_closed()

    async def scenario():  # type: ignore[no-untyped-def]
        async with ws_server(handler) as server:
            settings = make_settings(api_key=FAKE_EK, ws_base_url=server.ws_base_url, model="gpt-realtime")
            outcome = await run_async(settings, [*REST_CHECKS, "websocket"], router=new_router())
            return outcome, server.headers

    outcome, headers = asyncio.run(scenario())
    for check_id in ("api_key", "models", "session"):
        assert outcome[check_id].status is Status.SKIP
        assert "ephemeral client secret only opens Realtime sockets" in outcome[check_id].summary
    assert outcome["websocket"].status is Status.PASS
    assert headers["Authorization"] == f"Bearer {FAKE_EK}"
    assert_secret_hidden(outcome.results, FAKE_EK)


def test_base_url_is_used_for_every_rest_call() -> None:
    """Every REST call goes under the configured base URL (no hard-coded host)."""
    router = healthy_router()
    run(make_settings(), REST_CHECKS, router=router)
    urls = {str(call.request.url) for call in router.calls}
    assert urls == {MODELS_URL, SECRETS_URL}
    assert all(u.startswith(BASE_URL) for u in urls)


CAPTIVE_PORTAL = (
    "<html><head><title>Hotel Wi-Fi Login</title></head><body>"
    "<form>Room number <input name=room></form><p>Your device 203.0.113.7</p></body></html>"
)


@pytest.mark.parametrize("check_id", ["api_key", "session"])
def test_html_page_with_200_is_a_web_page_not_bad_json(check_id: str) -> None:
    """A 200 HTML page (captive portal, proxy block page) is reported as html_not_api with its title, not as broken JSON."""
    page = httpx.Response(200, text=CAPTIVE_PORTAL, headers={"content-type": "text/html; charset=utf-8"})
    router = new_router()
    router.get(MODELS_URL).mock(return_value=page)
    router.post(SECRETS_URL).mock(return_value=page)
    result = run(make_settings(), ["config", check_id], router=router)[check_id]
    assert result.status is Status.FAIL
    assert result.diagnosis == "html_not_api"
    assert result.details["html_title"] == "Hotel Wi-Fi Login"
    assert "203.0.113.7" not in shown_text(result)


@pytest.mark.parametrize("expires_at", ["1e400", "NaN", "true", '"1700000060"'])
def test_mint_answer_with_an_unusable_expiry_is_unexpected_shape(expires_at: str) -> None:
    """An expires_at that is not a finite number of seconds (overflow, NaN, boolean, string) fails as unexpected_shape, never as a crash."""
    body = f'{{"value": "{FAKE_EK}", "expires_at": {expires_at}, "session": {{"type": "realtime"}}}}'
    router = new_router()
    router.post(SECRETS_URL).mock(
        return_value=httpx.Response(
            200, content=body.encode(), headers={"content-type": "application/json", "date": http_date(SERVER_NOW)}
        )
    )
    outcome = run(make_settings(), ["config", "session"], router=router)
    result = outcome["session"]
    assert result.status is Status.FAIL
    assert result.diagnosis == "unexpected_shape"
    assert_secret_hidden(outcome.results, FAKE_EK)


# --- 429s: a wait to honour, or a hard stop -----------------------------------------------------------------


def test_json_rate_limit_quotes_the_retry_after_header() -> None:
    """A JSON 429 rate_limit_exceeded with Retry-After tells the user the wait the server asked for, from the header."""
    router = new_router()
    router.post(SECRETS_URL).mock(
        return_value=json_response(
            429,
            api_error("rate_limit_exceeded", "Rate limit reached for requests.", type_="requests"),
            headers={"retry-after": "7"},
        )
    )
    result = run(make_settings(), ["config", "session"], router=router)["session"]
    assert result.diagnosis == "rate_limited"
    assert any("wait 7 s" in line for line in result.advice), result.advice


def test_credit_balance_exhausted_is_a_quota_stop_not_a_rate_limit() -> None:
    """A 429 whose only clue is the code credit_balance_exhausted is insufficient_quota, never advice to wait and retry."""
    # No type: a gateway passing the API's code on in its own error shape (the code alone must decide, F42).
    body = {"error": {"message": "You have no credits remaining.", "type": None, "code": "credit_balance_exhausted"}}
    router = new_router()
    router.post(SECRETS_URL).mock(return_value=json_response(429, body, headers={"retry-after": "7"}))
    outcome = run(make_settings(), ["config", "session"], router=router)
    result = outcome["session"]
    assert result.diagnosis == "insufficient_quota"
    assert not any("wait" in line.lower() for line in result.advice), result.advice


# --- long server messages --------------------------------------------------------------------------------

QUOTA_MESSAGE = (
    "You exceeded your current quota, please check your plan and billing details. For more information on "
    "this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors."
)
RATE_MESSAGE = (
    "Rate limit reached for gpt-realtime in organization org-FAKE00000000000000000000 on requests per min "
    "(RPM): Limit 3, Used 3, Requested 1. Please try again in 20s. Visit "
    "https://platform.openai.com/account/rate-limits to learn more."
)


@pytest.mark.parametrize("message", [QUOTA_MESSAGE, RATE_MESSAGE], ids=["quota-url", "rate-limit-wait"])
def test_real_api_messages_are_quoted_whole(message: str) -> None:
    """The quota message keeps its docs URL and the rate-limit message its wait time: neither is cut."""
    assert results.shorten(message) == message


def test_runaway_message_keeps_its_beginning_and_its_end() -> None:
    """A message too long for a summary keeps what happened and how it ends (retry time, URL), cut between words."""
    message = "Rate limit reached. " + "filler " * 300 + "Please try again in 1m26.4s. Visit https://x.test/limits"
    short = results.shorten(message)
    assert len(short) <= results.MESSAGE_LIMIT
    assert short.startswith("Rate limit reached.")
    assert short.endswith("Please try again in 1m26.4s. Visit https://x.test/limits")
    assert " … " in short


def test_shortening_never_leaves_half_a_secret() -> None:
    """A long message is cut between words, so a key near the cut is shown whole (then masked) or not at all."""
    key = "sk-proj-FAKE" + "0" * 150
    for padding in range(0, 300, 7):
        short = results.shorten("x " * padding + key + " y" * 200)
        assert key in short or "sk-proj-FAKE" not in short and "0" * 10 not in short
