"""A raw asyncio server whose every byte is chosen by the test, and a real CLI run against it.

Not the emulator: the emulator speaks the protocol; this server says whatever a test
tells it to, malformed or malicious. Each connection gets one request parsed and is
then handed to the test's handler (or the healthy default for that path), which
writes raw bytes. The CLI runs in a subprocess; its own peak RSS is read with wait4.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import re
import struct
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Obviously fake, and random-looking enough that any 12-character piece of it is unique to it.
HOSTILE_KEY = "sk-proj-FAKEhostileQ7zR2wM9tL4bN6cV8dH1fJ3gP5kXyUoIeAsDfGhJkLzX0TEST"
HOSTILE_EK = "ek_FAKEhostilePq4Wn8Rt2Ys6Ub0Vc3Xd7Ze1Af"
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


@dataclass
class Request:
    method: str
    target: str
    headers: dict[str, str]  # lower-cased names
    body: bytes

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]

    @property
    def is_upgrade(self) -> bool:
        return self.headers.get("upgrade", "").lower() == "websocket"


class Conn:
    """One accepted connection with its first request; helpers write raw HTTP and WebSocket bytes."""

    def __init__(self, request: Request, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.request = request
        self.reader = reader
        self.writer = writer

    async def send_raw(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def respond(
        self, status: int, body: bytes | str = b"", headers: Iterable[tuple[str, str]] = (), reason: str = "X"
    ) -> None:
        """An HTTP/1.1 answer with exactly these headers (plus Content-Length unless given) and body."""
        data = body.encode() if isinstance(body, str) else body
        names = {name.lower() for name, _ in headers}
        lines = [f"HTTP/1.1 {status} {reason}"]
        lines += [f"{name}: {value}" for name, value in headers]
        if "content-length" not in names and "transfer-encoding" not in names:
            lines.append(f"Content-Length: {len(data)}")
        lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")  # what HTTP header bytes decode as
        await self.send_raw(head + data)

    async def respond_json(self, status: int, obj: Any, headers: Iterable[tuple[str, str]] = ()) -> None:
        await self.respond(status, json.dumps(obj), [("Content-Type", "application/json"), *headers])

    async def accept_websocket(self, headers: Iterable[tuple[str, str]] = ()) -> None:
        """Answer the upgrade with 101 (echoing the `realtime` subprotocol if one was offered)."""
        key = self.request.headers.get("sec-websocket-key", "")
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        lines = [
            "HTTP/1.1 101 Switching Protocols",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Accept: {accept}",
        ]
        if "realtime" in self.request.headers.get("sec-websocket-protocol", ""):
            lines.append("Sec-WebSocket-Protocol: realtime")
        lines += [f"{name}: {value}" for name, value in headers]
        await self.send_raw(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    async def send_text(self, text: str | bytes) -> None:
        await self.send_raw(frame(0x1, text.encode() if isinstance(text, str) else text))

    async def send_event(self, event: Mapping[str, Any]) -> None:
        await self.send_text(json.dumps(event))

    async def send_close(self, code: int, reason: bytes | str = b"") -> None:
        raw = reason.encode() if isinstance(reason, str) else reason
        await self.send_raw(frame(0x8, struct.pack("!H", code) + raw))

    async def read_frame(self) -> tuple[int, bytes]:
        """One client frame (masked), unmasked: (opcode, payload)."""
        head = await self.reader.readexactly(2)
        length = head[1] & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", await self.reader.readexactly(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", await self.reader.readexactly(8))
        mask = await self.reader.readexactly(4) if head[1] & 0x80 else b"\0\0\0\0"
        payload = await self.reader.readexactly(length)
        return head[0] & 0x0F, bytes(b ^ mask[i % 4] for i, b in enumerate(payload))

    async def hold(self) -> None:
        """Keep the connection open without answering until the client goes away."""
        try:
            while await self.reader.read(65536):
                pass
        except (ConnectionError, OSError):
            pass


def frame(opcode: int, payload: bytes) -> bytes:
    """A server-to-client WebSocket frame (unmasked, FIN set)."""
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, n)
    elif n < 65536:
        head = struct.pack("!BBH", 0x80 | opcode, 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 127, n)
    return head + payload


Handler = Callable[[Conn], Awaitable[None]]


def session_created(session_id: str = "sess_FAKE001", model: str = "gpt-realtime") -> dict[str, Any]:
    return {
        "type": "session.created",
        "event_id": "event_1",
        "session": {"id": session_id, "type": "realtime", "model": model},
    }


async def healthy(conn: Conn) -> None:
    """What a healthy API answers on each path the checks use; tests override one piece."""
    req = conn.request
    if req.is_upgrade:
        await conn.accept_websocket([("x-request-id", "req_0123456789abcdef")])
        await conn.send_event(session_created())
        await conn.hold()
    elif req.path.endswith("/models/gpt-realtime") or req.path.endswith("/models"):
        models = [
            {"id": m, "object": "model", "owned_by": "system"}
            for m in ("gpt-realtime", "gpt-realtime-mini", "gpt-4o-transcribe")
        ]
        body: Any = {"object": "list", "data": models} if req.path.endswith("/models") else models[0]
        await conn.respond_json(200, body, [("x-request-id", "req_0123456789abcdef")])
    elif req.path.endswith("/realtime/client_secrets"):
        await conn.respond_json(
            200,
            {
                "value": HOSTILE_EK,
                "expires_at": int(time.time()) + 60,
                "session": {"id": "sess_FAKE002", "type": "realtime", "model": "gpt-realtime"},
            },
        )
    else:
        await conn.respond_json(404, {"error": {"message": "no such path", "type": "invalid_request_error"}})


class HostileServer:
    """127.0.0.1, port 0, in a thread of its own. `routes` map a path suffix (or "ws") to a handler."""

    def __init__(self, routes: Mapping[str, Handler] | None = None, default: Handler = healthy) -> None:
        self.routes = dict(routes or {})
        self.default = default
        self.requests: list[Request] = []
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._tasks: set[asyncio.Task[None]] = set()

    def __enter__(self) -> HostileServer:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def _serve(self) -> None:
        try:
            self._loop.run_until_complete(self._main())
        finally:
            self._loop.close()

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        await self._stop.wait()
        server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await server.wait_closed()

    def _handler_for(self, request: Request) -> Handler:
        if request.is_upgrade and "ws" in self.routes:
            return self.routes["ws"]
        for suffix, handler in self.routes.items():
            if suffix != "ws" and not request.is_upgrade and request.path.endswith(suffix):
                return handler
        return self.default

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            request = await read_request(reader)
            if request is None:
                return
            self.requests.append(request)
            await self._handler_for(request)(Conn(request, reader, writer))
        except (ConnectionError, asyncio.IncompleteReadError, OSError, asyncio.CancelledError):
            pass
        finally:
            self._tasks.discard(task)
            writer.transport.abort()


async def read_request(reader: asyncio.StreamReader) -> Request | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    body = b""
    if headers.get("content-length"):
        body = await reader.readexactly(int(headers["content-length"]))
    return Request(method, target, headers, body)


# --- running the real CLI -------------------------------------------------------------------------


@dataclass
class CliRun:
    exit_code: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mb: float
    files: dict[str, str] = field(default_factory=dict)  # every file the run wrote in its output folder

    def json(self) -> Any:
        return json.loads(self.stdout)


def cli_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A clean environment: no proxies, CI or OPENAI_* from the developer's machine; the hostile key.

    PYTHONPATH is kept, so `PYTHONPATH=/path/to/other/checkout pytest tests/hostile` runs these
    tests against another version of the tool (how each was seen failing before its fix).
    """
    keep = {
        k: v
        for k, v in os.environ.items()
        if k in ("PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR", "VIRTUAL_ENV", "PYTHONPATH")
    }
    keep.update({"OPENAI_API_KEY": HOSTILE_KEY, "TERM": "dumb", "COLUMNS": "80", "PYTHONIOENCODING": "utf-8"})
    keep.update(extra or {})
    return keep


def run_cli(
    args: list[str],
    out_dir: Path,
    env: Mapping[str, str] | None = None,
    hard_limit: float = 60.0,
    stdout: str = "file",
) -> CliRun:
    """Run `python -m realtime_check ARGS` and wait for it with wait4, which reports the child's own peak RSS.

    A plain getrusage(RUSAGE_CHILDREN) would report the highest of all children ever
    waited for by this test process; wait4 on the pid is this child's alone.
    `stdout` is "file", "closed" (started with fd 1 closed, `>&-`) or "broken" (a pipe
    whose reader has already gone, as after `| head -c0`).
    """
    stdout_path, stderr_path = out_dir / ".stdout", out_dir / ".stderr"
    command = [sys.executable, "-m", "realtime_check", *args]
    if stdout == "closed":
        command = ["/bin/sh", "-c", 'exec "$@" >&-', "sh", *command]  # exec: same pid, fd 1 closed
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        started = time.monotonic()
        proc = subprocess.Popen(
            command,
            stdout=subprocess.PIPE if stdout == "broken" else out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env=dict(env or cli_env()),
            cwd=out_dir,
        )
        if proc.stdout is not None:
            proc.stdout.close()  # the reader goes away before anything is written
        killer = threading.Timer(hard_limit, proc.kill)  # only a backstop against a hung test run
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        seconds = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)  # tell Popen it has been reaped
    files = {
        p.name: p.read_text("utf-8", "replace")
        for p in out_dir.iterdir()
        if p.is_file() and p.name not in (".stdout", ".stderr")
    }
    return CliRun(
        exit_code=proc.returncode,
        stdout=stdout_path.read_bytes().decode("utf-8", "replace"),
        stderr=stderr_path.read_bytes().decode("utf-8", "replace"),
        seconds=seconds,
        peak_rss_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
        files=files,
    )


# --- the generic rules every hostile run must keep ------------------------------------------------

# Any C0 control but tab and newline, DEL, and every C1 control (8-bit CSI, OSC, ...).
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The tool's own GitLab section markers are the only escape sequences it may write.
_OWN_GITLAB_MARKERS = re.compile(
    r"\x1b\[0K(section_(start|end):\d+:[a-z0-9_]+(\[collapsed=true\])?)?\r?(\x1b\[0K)?"
    r"|\x1b\[(3[0-9]|90|0)m"
)
_OWN_COMMAND = re.compile(
    r"^::(error|warning|notice) title=realtime-check(%3A [a-z0-9_]+)?::"
    r"|^::(group|endgroup)::|^::stop-commands::[0-9a-f]{32}$"
)


def workflow_commands(text: str) -> list[str]:
    """Lines GitHub's runner would execute as workflow commands, with its own rules.

    `::name ...::` at the start of a line (leading whitespace ignored), except between
    `::stop-commands::TOKEN` and `::TOKEN::`; the legacy `##[name]` form anywhere in a line.
    """
    commands = []
    stopped_by: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if stopped_by is not None:
            if stripped == f"::{stopped_by}::":
                stopped_by = None
            continue
        if "##[" in line:
            commands.append(line)
        if stripped.startswith("::"):
            commands.append(stripped)
            if stripped.startswith("::stop-commands::"):
                stopped_by = stripped[len("::stop-commands::") :]
    return commands


def secret_forms(secret: str) -> list[str]:
    """Every way a server might echo `secret` that the report must not repeat."""
    encoded = secret.encode()
    forms = {
        secret,
        urllib.parse.quote(secret, safe=""),
        "".join(f"%{b:02X}" for b in encoded),
        "".join(f"%{b:02x}" for b in encoded),
    }
    forms |= {secret[i : i + 12] for i in range(len(secret) - 11)}
    for offset in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            text = encode(secret.encode()[offset:]).decode().rstrip("=")
            forms |= {text[i : i + 16] for i in range(0, max(len(text) - 20, 1))}
    return sorted(forms)


def assert_safe(
    run: CliRun,
    *,
    timeout: float,
    exit_code: int | None = None,
    json_doc: bool = False,
    secrets: Iterable[str] = (HOSTILE_KEY, HOSTILE_EK),
    gitlab: bool = False,
) -> None:
    """The generic rules: no traceback, bounded time and memory, no raw controls, no command, no secret."""
    everything = run.stdout + run.stderr + "".join(run.files.values())
    assert "Traceback" not in everything, run.stderr[-3000:]
    assert "internal error" not in everything, run.stderr[-3000:]
    assert run.seconds <= timeout + 1.5, f"took {run.seconds:.1f} s with --timeout {timeout}"
    assert run.peak_rss_mb < 150, f"peak RSS {run.peak_rss_mb:.0f} MB"
    if exit_code is not None:
        assert run.exit_code == exit_code, (run.exit_code, run.stderr[-2000:], run.stdout[-2000:])
    if json_doc:
        document = json.loads(run.stdout)  # exactly one document: anything after it fails to parse
        assert document["exit_code"] == run.exit_code
    for name, text in (("stdout", run.stdout), ("stderr", run.stderr)):
        shown = _OWN_GITLAB_MARKERS.sub("", text) if gitlab else text
        control = RAW_CONTROL.search(shown)
        assert control is None, (
            f"raw control {control.group()!r} on {name}: {shown[max(control.start() - 80, 0) : control.end() + 40]!r}"
        )
    # GitHub's runner reads every step's output, whatever --ci says, so this holds in every mode.
    for name, text in (("stdout", run.stdout), ("stderr", run.stderr)):
        for command in workflow_commands(text):
            assert _OWN_COMMAND.match(command), f"workflow command on {name}: {command[:200]!r}"
    for secret in secrets:
        for form in secret_forms(secret):
            assert form not in everything, f"a form of a secret was shown: {form!r}"
