"""Diagnoses that fit any stage: unreadable answers, timeouts, redirects, library and internal problems."""

from __future__ import annotations

from realtime_check.diagnosis.catalog._base import (
    DOCS_ERRORS,
    DOCS_REALTIME_WS,
    Entry,
    entry,
)
from realtime_check.models import Category

P = Category.PROTOCOL

ENTRIES: tuple[Entry, ...] = (
    entry(
        "unknown_error",
        "Unrecognised failure",
        "The server or network answered in a way realtime-check has no diagnosis for.",
        (
            "Run with -v to see the status, headers and error body.",
            "Quote the x-request-id (or sess_ id) when you ask for help.",
        ),
        P,
        docs=DOCS_ERRORS,
        terms=("unrecognised", "unknown error"),
    ),
    entry(
        "timeout",
        "Ran out of time",
        "The run's time budget ran out while this check was still waiting for an answer: a slow network or "
        "proxy, or a server that accepted the request and never replied.",
        (
            "Run again with a larger --timeout.",
            "If it keeps timing out at the same step, try another network or without the VPN/proxy.",
        ),
        Category.TEMPORARY,
        docs=DOCS_ERRORS,
        failures=("F10",),
        statuses=(408,),
        terms=("ReadTimeout", "TimeoutError", "timed out"),
    ),
    entry(
        "usage_error",
        "Bad option or argument",
        "The command line could not be used as given (an unknown check id, an invalid value); nothing was checked.",
        ("Run `realtime-check run --help` for the options, and `realtime-check checks` for the check ids.",),
        Category.USAGE,
        terms=("No such option", "Invalid value", "bad option"),
    ),
    entry(
        "internal_error",
        "Internal error in realtime-check",
        "realtime-check itself failed while running this check; this says nothing about your key or account.",
        ("Run again with -v and report the output (it is redacted) as a bug in realtime-check.",),
        Category.INTERNAL,
        terms=("Traceback", "internal error"),
    ),
    entry(
        "redirected",
        "The API answered with a redirect",
        "The request was answered with a 3xx redirect. The OpenAI API never redirects, so the base URL is "
        "probably http:// instead of https://, or points at a website or gateway. realtime-check never follows "
        "redirects with your key, so it is not sent to another host.",
        (
            "Set the base URL to the final https:// URL (normally https://api.openai.com/v1).",
            "Check the Location header (-v) to see where the server wanted to send you.",
        ),
        Category.CONFIG,
        docs=DOCS_ERRORS,
        failures=("F05",),
        statuses=(301, 302, 303, 307, 308),
        terms=("Location", "TooManyRedirects"),
    ),
    entry(
        "response_too_large",
        "The answer was larger than expected",
        "The response body was over realtime-check's size cap; API errors are small JSON objects, so something "
        "else (a web page, a proxy, a gateway) answered.",
        ("Check that the base URL points at the API (https://api.openai.com/v1), not a website or portal.",),
        P,
        docs=DOCS_ERRORS,
        failures=("F20",),
        terms=("too large", "size cap"),
    ),
    entry(
        "html_error_page",
        "An HTML error page instead of the API's JSON",
        "The edge (e.g. Cloudflare 520/502) or a proxy returned an HTML error page: usually a transient problem "
        "between the edge and the API servers.",
        (
            "Retry in a minute with backoff; check https://status.openai.com",
            "If it persists, note the status and cf-ray id (shown with -v) for support.",
        ),
        Category.TEMPORARY,
        docs=DOCS_ERRORS,
        failures=("F20",),
        statuses=(502, 520, 521, 522, 523, 524),
        terms=("JSONDecodeError", "cf-ray", "cloudflare", "<html"),
    ),
    entry(
        "html_not_api",
        "A web page answered instead of the API",
        "An HTML page came back for an API call: a captive portal (hotel or airport Wi-Fi login), a corporate "
        "proxy's block page, or a base URL that points at a website instead of the API.",
        (
            "Open any web page in a browser to finish a captive-portal login, then run again.",
            "Check the base URL is https://api.openai.com/v1 (or your gateway's API root).",
            "If a corporate proxy blocks the API, ask for api.openai.com to be allowed.",
        ),
        Category.NETWORK,
        docs=DOCS_ERRORS,
        failures=("F20", "F05"),
        terms=("captive portal", "text/html"),
    ),
    entry(
        "invalid_json",
        "The answer is not valid JSON",
        "The body was cut off or is not JSON: a proxy or gateway interfered, or the connection was interrupted "
        "mid-answer.",
        ("Run again; if it repeats, run with -v and check for a proxy or gateway between you and the API.",),
        P,
        docs=DOCS_ERRORS,
        failures=("F20",),
        terms=("JSONDecodeError", "Expecting value"),
    ),
    entry(
        "unexpected_shape",
        "The answer has an unexpected shape",
        "The body is valid JSON but not what this endpoint returns: a gateway that reshapes answers, an "
        "emulator, or an API change.",
        (
            "Run with -v to see the body.",
            "If you use a gateway, try https://api.openai.com/v1 directly to compare.",
        ),
        P,
        docs=DOCS_ERRORS,
        terms=("unexpected shape", "KeyError", "missing field"),
    ),
    entry(
        "connection_failed",
        "Could not connect",
        "The connection failed for a reason the network checks could not pin down.",
        (
            "Run `realtime-check` with -v to see the underlying error.",
            "Check the network, VPN and proxy settings (HTTPS_PROXY) of this machine.",
        ),
        Category.NETWORK,
        docs=DOCS_ERRORS,
        failures=("F10",),
        terms=("ConnectError", "APIConnectionError"),
    ),
    entry(
        "websockets_version_mismatch",
        "websockets library version does not match the code",
        "websockets 14 renamed the header argument: code written for <= 13 passes extra_headers, newer code "
        "passes additional_headers, and each fails on the other version with a TypeError.",
        (
            "With websockets >= 14 pass additional_headers=...; only pin websockets<14 for legacy code you cannot change.",
            'For openai-python, install the matching extra: pip install "openai[realtime]"',
            "Print the installed versions with: pip show websockets openai",
        ),
        Category.CONFIG,
        docs=DOCS_REALTIME_WS,
        failures=("F07",),
        terms=("N8", "extra_headers", "additional_headers", "websockets"),
    ),
    entry(
        "dependency_missing",
        "A required Python package is missing",
        "A library needed for this check (websockets, httpx, ...) could not be imported.",
        (
            "Reinstall realtime-check with its dependencies: pip install --force-reinstall realtime-check",
            'In your own app, install the Realtime extra: pip install "openai[realtime]"',
        ),
        Category.CONFIG,
        docs=DOCS_REALTIME_WS,
        failures=("F07",),
        terms=("ModuleNotFoundError", "ImportError", "openai[realtime]"),
    ),
)

DIAGNOSES = tuple(d for d, _ in ENTRIES)
MATCHERS = {d.id: m for d, m in ENTRIES}
