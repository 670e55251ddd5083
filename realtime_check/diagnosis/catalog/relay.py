"""Diagnoses for the user's own relay (browser -> their WebSocket bridge -> OpenAI): `realtime-check relay URL`.

Each names the hop at fault. The bridge doctor (`--upstream-emulator`) sees both ends, so several of these
are certain there and only likely without it; the report says which evidence it used.
"""

from __future__ import annotations

from realtime_check.diagnosis.catalog._base import DOCS_REALTIME_WS, Entry, entry
from realtime_check.models import Category

P = Category.PROTOCOL
_RELAY = ("F13",)

ENTRIES: tuple[Entry, ...] = (
    entry(
        "relay_auth_rejected",
        "Your relay refused the client's credentials",
        "The relay answered the WebSocket upgrade with 401/403 itself (the answer has none of OpenAI's headers): "
        "the token, header or subprotocol the browser sends is not the one the relay expects.",
        (
            "Pass the token the way your browser client does: --relay-token-env VAR with --relay-token-in "
            "query|header|subprotocol, or --relay-header 'Name: value'.",
            "Browsers cannot set headers on a WebSocket: if the relay wants a header, browsers cannot reach it.",
        ),
        Category.AUTH,
        docs=DOCS_REALTIME_WS,
        failures=_RELAY,
        terms=("relay 401", "relay 403"),
    ),
    entry(
        "relay_upgrade_refused",
        "Your relay refused the WebSocket upgrade",
        "The relay answered the upgrade with an HTTP status instead of 101 Switching Protocols: a wrong path, a "
        "reverse proxy without upgrade headers, or a server that does not speak WebSocket on this URL.",
        (
            "Check the relay URL's path against the route your bridge registers.",
            "Behind nginx: proxy_http_version 1.1 and the Upgrade/Connection headers on that location.",
        ),
        P,
        docs=DOCS_REALTIME_WS,
        failures=_RELAY,
        terms=("relay upgrade refused", "relay refused the upgrade"),
    ),
    entry(
        "relay_adds_beta_header",
        "Your relay sends OpenAI-Beta: realtime=v1 upstream",
        "realtime-check sent no beta header, yet the session was refused as the retired beta protocol: the bridge "
        "adds `OpenAI-Beta: realtime=v1` (or the beta subprotocol) when it connects to OpenAI. Since May 2026 "
        "that closes the socket with 4000 beta_api_shape_disabled.",
        (
            "Remove the OpenAI-Beta header (and any openai-beta.realtime-v1 subprotocol) from the bridge's upstream "
            "connection.",
            "Then move the bridge to the GA shapes: session.type = realtime, output_modalities, audio.input/"
            "audio.output, response.output_text.delta.",
        ),
        P,
        docs=DOCS_REALTIME_WS,
        failures=("F36", "F13"),
        terms=("OpenAI-Beta", "relay beta"),
    ),
    entry(
        "relay_close_code_replaced",
        "Your relay replaced the upstream close code",
        "OpenAI closed the socket with a code that names the problem, but the relay closed the client's socket "
        "with a generic 1000/1005/1006: the browser cannot tell why its session ended.",
        (
            "Forward the upstream close code and reason to the client (codes 3000-4999 may be sent as is).",
            "Forward the `error` event that precedes the close, too: it carries code, message and param.",
        ),
        P,
        docs=DOCS_REALTIME_WS,
        failures=("F40", "F13"),
        terms=("relay close code", "close code replaced"),
    ),
    entry(
        "relay_closed_early",
        "Your relay closed the socket before the session started",
        "OpenAI accepts this key and model directly, but the relay closed the client's socket before forwarding "
        "session.created. The bridge's own upstream connection failed (its key, model, headers) or it gave up.",
        (
            "Read the bridge's log for its upstream connection: status, close code and reason.",
            "Run `realtime-check relay URL --upstream-emulator` to see what the bridge sends upstream.",
        ),
        P,
        docs=DOCS_REALTIME_WS,
        failures=("F40", "F13"),
        terms=("relay closed early", "relay closed the socket"),
    ),
    entry(
        "relay_swallowed_error",
        "Your relay swallowed the upstream error",
        "Upstream sent an `error` event (and usually closed), but the relay forwarded nothing: the client waits "
        "in silence for a session that will never start.",
        (
            "Forward every upstream event to the client, `error` included, and close the client's socket with the "
            "upstream's close code.",
            "The error the upstream sent is quoted above; fix that in the bridge's configuration.",
        ),
        P,
        docs=DOCS_REALTIME_WS,
        failures=("F40", "F13"),
        terms=("relay swallowed the error", "swallowed error"),
    ),
    entry(
        "relay_dropped_session_created",
        "Your relay never forwarded session.created",
        "The upstream session opened (session.created was sent to the bridge), but the client never received it: "
        "the bridge drops the first event (a handler attached too late, or a filter).",
        (
            "Attach the upstream message handler before the upstream socket opens, and forward session.created.",
            "Clients wait for session.created before sending session.update: dropping it stalls them.",
        ),
        P,
        docs=DOCS_REALTIME_WS,
        failures=("F40", "F13"),
        terms=("relay dropped session.created", "no session.created from the relay"),
    ),
    entry(
        "relay_silent",
        "Your relay sent nothing",
        "The relay accepted the socket but forwarded no event within the wait. It may swallow an upstream error, "
        "drop session.created, or never connect upstream.",
        (
            "Run `realtime-check relay URL --upstream-emulator` to see both ends and find out which.",
            "Check the bridge forwards upstream events as soon as its upstream socket opens.",
        ),
        P,
        docs=DOCS_REALTIME_WS,
        failures=("F40", "F13"),
        terms=("relay silent", "relay sends nothing"),
    ),
    entry(
        "relay_unexpected_first_event",
        "Your relay's first event is not session.created",
        "The first event through the relay was something else: the bridge's own message, or a later event because "
        "session.created was dropped.",
        (
            "Forward upstream events unchanged and in order, starting with session.created.",
            "If the bridge sends its own messages, give them a type clients can tell apart and send them after "
            "session.created.",
        ),
        P,
        docs=DOCS_REALTIME_WS,
        failures=("F40",),
        terms=("relay first event", "relay unexpected event"),
    ),
    entry(
        "relay_non_json_frame",
        "Your relay sent a frame that is not a JSON event",
        "The relay's first frame was binary or plain text, not a Realtime JSON event: it wraps, re-encodes or "
        "answers with its own text.",
        ("Forward upstream text frames unchanged: each is one JSON event.",),
        P,
        docs=DOCS_REALTIME_WS,
        failures=("F40",),
        terms=("relay non-JSON frame", "relay frame not JSON"),
    ),
    entry(
        "relay_no_upstream_connection",
        "Your relay did not connect to the upstream emulator",
        "The bridge doctor's emulator saw no socket from the bridge while the check ran: the bridge still points "
        "at another upstream (OpenAI, an old URL), connects only later, or answers by itself.",
        (
            "Set the bridge's upstream to the socket URL printed by --upstream-emulator and restart the bridge "
            "before pressing Enter.",
            "Bridges that read their upstream once at start-up need the restart; those that read it per "
            "connection can use --no-wait.",
        ),
        Category.CONFIG,
        docs=DOCS_REALTIME_WS,
        failures=("F13",),
        terms=("relay upstream", "no upstream connection"),
    ),
    entry(
        "relay_upstream_no_auth",
        "Your relay connects upstream without credentials",
        "The bridge opened its upstream socket with no Authorization header, api-key header or key subprotocol; "
        "OpenAI refuses that upgrade with 401.",
        ("Send `Authorization: Bearer <OPENAI_API_KEY>` on the bridge's upstream connection (server side only).",),
        Category.AUTH,
        docs=DOCS_REALTIME_WS,
        failures=("F31", "F13"),
        terms=("relay upstream auth", "relay sends no key upstream"),
    ),
    entry(
        "relay_events_not_forwarded",
        "Your relay does not forward the client's events",
        "The session opened through the relay, but the client's events (conversation.item.create, response.create) "
        "never reached upstream, so no response can come back.",
        ("Forward client text frames upstream unchanged, including those sent right after session.created.",),
        P,
        docs=DOCS_REALTIME_WS,
        failures=("F40",),
        terms=("relay forwarding", "events not forwarded"),
    ),
)

DIAGNOSES = tuple(d for d, _ in ENTRIES)
MATCHERS = {d.id: m for d, m in ENTRIES}
