"""Turning what a probe saw into a CheckResult, in one place for every check.

Diagnosis lookup, advice and redaction happen here, so no check can forget one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from realtime_check import azure
from realtime_check.diagnosis import catalog as diagnoses
from realtime_check.diagnosis.answered_by import Party, classify_http
from realtime_check.diagnosis.bodies import ParsedBody, parse_error_body
from realtime_check.diagnosis.exceptions import classify_exception
from realtime_check.keys import KeyKind
from realtime_check.keys import classify as classify_key
from realtime_check.models import ApiError, CheckResult, Finding, Status
from realtime_check.probes.http import HttpExchange
from realtime_check.redact import Redactor
from realtime_check.settings import Settings


def key_kind(key: str | None) -> KeyKind | None:
    """The kind of the credential a check sends, for the classifiers (None if there is none)."""
    return classify_key(key) if key else None


def party_for(settings: Settings, url: str) -> Party:
    """Whom a request to `url` was meant for, so its answer is read the right way (Azure, a gateway)."""
    return Party(
        url=url,
        provider=settings.provider,
        entra_token=settings.entra_token,
        token_audience=azure.token_audience(settings.api_key) if settings.entra_token else None,
        model=settings.model,
    )


def skipped(check_id: str, reason: str) -> CheckResult:
    return CheckResult(id=check_id, status=Status.SKIP, summary=reason)


def _redact_error(error: ApiError | None, redactor: Redactor) -> ApiError | None:
    if error is None:
        return None
    return ApiError(
        type=redactor.text(error.type) if error.type is not None else None,
        code=redactor.text(error.code) if error.code is not None else None,
        message=redactor.text(error.message) if error.message is not None else None,
        param=redactor.text(error.param) if error.param is not None else None,
    )


def from_finding(
    check_id: str,
    finding: Finding,
    summary: str,
    redactor: Redactor,
    *,
    duration_ms: float | None = None,
    http_status: int | None = None,
    close_code: int | None = None,
    close_reason: str | None = None,
    request_id: str | None = None,
    details: Mapping[str, Any] | None = None,
    extra_advice: tuple[str, ...] = (),
) -> CheckResult:
    diagnosis = diagnoses.get(finding.diagnosis)
    advice = tuple(dict.fromkeys((*finding.extra_advice, *extra_advice, *diagnosis.advice)))
    return CheckResult(
        id=check_id,
        status=finding.status,
        summary=redactor.text(summary),
        duration_ms=duration_ms,
        http_status=http_status,
        error=_redact_error(finding.error, redactor),
        close_code=close_code,
        close_reason=redactor.text(close_reason) if close_reason else close_reason,
        request_id=request_id,
        diagnosis=diagnosis.id,
        advice=tuple(redactor.text(a) for a in advice),
        details=redactor.value(dict(details or {})),
    )


# A summary quotes the server's own words, which end in what matters most ("Please try again
# in 20s.", the docs URL); the console wraps them, so only a runaway message is cut.
MESSAGE_LIMIT = 320


def shorten(message: str, limit: int = MESSAGE_LIMIT) -> str:
    """`message` whole when it fits, else its beginning and its end around " … ".

    Cuts fall between words, so a URL, a retry time or a secret is either kept whole or
    dropped whole, never half-shown (a half key would slip past the redactor's patterns).
    """
    if len(message) <= limit:
        return message
    words = message.split()
    head: list[str] = []
    tail: list[str] = []
    budget = limit - 3
    # The end first: it carries the retry time and the URL; the beginning says what happened.
    for word in reversed(words):
        if sum(len(w) + 1 for w in tail) + len(word) > budget * 0.45:
            break
        tail.insert(0, word)
    for word in words[: len(words) - len(tail)]:
        if sum(len(w) + 1 for w in head) + len(word) + sum(len(w) + 1 for w in tail) > budget:
            break
        head.append(word)
    if not head:  # one giant token: keep its start, where a key's prefix would still be masked
        return message[: limit - 2] + " …"
    return " ".join(head) + " …" + "".join(f" {word}" for word in tail)


def describe_error(finding: Finding, fallback: str) -> str:
    """A one-line summary: the diagnosis title plus the API's own words, when it gave any."""
    title = diagnoses.get(finding.diagnosis).title
    message = finding.error.message if finding.error and finding.error.message else None
    code = finding.error.code if finding.error and finding.error.code else None
    if message:
        return f"{title}: {shorten(message)}"
    if code:
        return f"{title} ({code})"
    return title or fallback


def body_details(
    exchange: HttpExchange, parsed: ParsedBody, verbose: bool, redactor: Redactor | None = None
) -> dict[str, Any]:
    details: dict[str, Any] = {
        "url": exchange.url,
        "method": exchange.method,
        "elapsed_ms": round(exchange.duration_ms, 1),
        "timings": exchange.timings,
    }
    if parsed.html_title:
        details["html_title"] = parsed.html_title
    for header in (
        "cf-ray",
        "server",
        "via",
        "x-ms-region",
        "openai-organization",
        "openai-processing-ms",
        "retry-after",
        "location",
    ):
        if header in exchange.headers:
            details[header] = exchange.headers[header]
    if verbose:
        if redactor is not None:
            details["request_headers"] = redactor.headers(exchange.request_headers)
        details["response_headers"] = {
            k: v
            for k, v in exchange.headers.items()
            if k.startswith(("x-ratelimit", "openai-", "x-request-id", "content-"))
        }
        if parsed.snippet and parsed.kind != "html":
            details["body_snippet"] = parsed.snippet
    return details


def from_exchange_error(
    check_id: str,
    stage: str,
    exchange: HttpExchange,
    redactor: Redactor,
    verbose: bool,
    *,
    what: str,
    extra_details: Mapping[str, Any] | None = None,
    key_kind: Any = None,
    party: Party | None = None,
) -> CheckResult:
    """A non-2xx (or unreadable) HTTP answer, diagnosed. `key_kind` sharpens it (relay tokens, ek_);
    `party` (see party_for) reads it as Azure's or a gateway's answer where it is one."""
    if exchange.too_large:
        parsed = parse_error_body(b"", exchange.content_type)
        finding = Finding(diagnosis="response_too_large", status=Status.FAIL, error=None)
    else:
        parsed = parse_error_body(exchange.body, exchange.content_type)
        finding = classify_http(stage, exchange.status, parsed, exchange.headers, key_kind=key_kind, party=party)
    details = body_details(exchange, parsed, verbose, redactor)
    details.update(extra_details or {})
    summary = f"{what}: HTTP {exchange.status} — {describe_error(finding, 'unexpected answer')}"
    return from_finding(
        check_id,
        finding,
        summary,
        redactor,
        duration_ms=exchange.duration_ms,
        http_status=exchange.status,
        request_id=exchange.request_id,
        details=details,
    )


def from_exception(
    check_id: str,
    stage: str,
    exc: BaseException,
    redactor: Redactor,
    *,
    what: str,
    duration_ms: float | None = None,
    details: Mapping[str, Any] | None = None,
    key_kind: Any = None,
) -> CheckResult:
    finding = classify_exception(stage, exc, key_kind=key_kind)
    text = redactor.text(str(exc)) or type(exc).__name__
    summary = f"{what}: {diagnoses.get(finding.diagnosis).title} ({type(exc).__name__}: {shorten(text)})"
    merged = {"exception": type(exc).__name__, "exception_message": text[:500], **(details or {})}
    return from_finding(check_id, finding, summary, redactor, duration_ms=duration_ms, details=merged)


def unusable_body_diagnosis(kind: str) -> str:
    """Why a 200 body is of no use: a web page (captive portal, block page), broken JSON, or JSON of the wrong shape."""
    if kind == "html":
        return "html_not_api"
    return "unexpected_shape" if kind in ("json_other", "json_error") else "invalid_json"


def json_body(exchange: HttpExchange) -> tuple[ParsedBody, Any]:
    parsed = parse_error_body(exchange.body, exchange.content_type)
    return parsed, parsed.data
