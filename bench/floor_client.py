"""The floor: a minimal stdlib-only client reaching the same verdicts as a default `run`.

    OPENAI_API_KEY=... python bench/floor_client.py BASE_URL CAFILE MODEL

Models listed (key accepted, model visible), a secret minted, a socket opened with the key
and one with the minted secret (browser subprotocol), each answered by `session.created`.
Everything starts at once; the ephemeral socket's TCP+TLS is opened while the mint is in
flight. No retries, no diagnosis: it is the lower bound a real tool is compared with.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import socket
import ssl
import sys
import threading
from urllib.parse import urlsplit


def connect_tls(host: str, port: int, ctx: ssl.SSLContext) -> ssl.SSLSocket:
    return ctx.wrap_socket(socket.create_connection((host, port)), server_hostname=host)


def rest(ctx: ssl.SSLContext, host: str, port: int, method: str, path: str, key: str, body: bytes | None) -> dict:
    conn = http.client.HTTPSConnection(host, port, context=ctx)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = json.loads(response.read())
    assert response.status == 200, (response.status, data)
    return data


def first_event(sock: ssl.SSLSocket, host: str, path: str, headers: dict[str, str]) -> str:
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: {host}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf += sock.recv(65536)
    head, buf = buf.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 101"), head[:40]

    def need(n: int) -> bytes:
        nonlocal buf
        while len(buf) < n:
            buf += sock.recv(65536)
        out, buf = buf[:n], buf[n:]
        return out

    b1, b2 = need(2)
    length = b2 & 0x7F
    if length == 126:
        length = int.from_bytes(need(2), "big")
    elif length == 127:
        length = int.from_bytes(need(8), "big")
    return json.loads(need(length))["type"]


def main() -> None:
    base_url, cafile, model = sys.argv[1:4]
    key = os.environ["OPENAI_API_KEY"]
    parts = urlsplit(base_url)
    host, port, prefix = parts.hostname or "", parts.port or 443, parts.path.rstrip("/")
    ctx = ssl.create_default_context(cafile=cafile)
    verdicts: dict[str, object] = {}
    minted = threading.Event()
    secret: list[str] = []

    def models() -> None:
        ids = {m["id"] for m in rest(ctx, host, port, "GET", f"{prefix}/models", key, None)["data"]}
        verdicts["models"] = model in ids

    def mint() -> None:
        body = json.dumps({"session": {"type": "realtime", "model": model}}).encode()
        secret.append(rest(ctx, host, port, "POST", f"{prefix}/realtime/client_secrets", key, body)["value"])
        minted.set()

    def socket_with_key() -> None:
        sock = connect_tls(host, port, ctx)
        verdicts["websocket"] = first_event(
            sock, host, f"{prefix}/realtime?model={model}", {"Authorization": f"Bearer {key}"}
        )

    def socket_with_secret() -> None:
        sock = connect_tls(host, port, ctx)  # opened while the mint is in flight
        minted.wait()
        protocols = f"realtime, openai-insecure-api-key.{secret[0]}"
        verdicts["websocket_ephemeral"] = first_event(
            sock, host, f"{prefix}/realtime?model={model}", {"Sec-WebSocket-Protocol": protocols}
        )

    threads = [threading.Thread(target=t) for t in (models, mint, socket_with_key, socket_with_secret)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ok = verdicts == {"models": True, "websocket": "session.created", "websocket_ephemeral": "session.created"} or (
        verdicts.get("models") and verdicts.get("websocket") == verdicts.get("websocket_ephemeral") == "session.created"
    )
    sys.stdout.write(json.dumps({"ok": bool(ok), "verdicts": verdicts}) + "\n")
    sys.stdout.flush()
    os._exit(0 if ok else 1)  # no farewells: the verdicts are in


if __name__ == "__main__":
    main()
