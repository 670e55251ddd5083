"""A userspace network model for benchmarks: a loopback TCP relay that adds a round-trip time.

Loopback hides round trips; a real network charges one for every TCP handshake, TLS flight,
request and close. The relay sits between a client and a server on 127.0.0.1 and:

- delays every chunk by RTT/2 in each direction (constant delay, so order is kept);
- holds a new connection's first client bytes for one extra RTT: on loopback `connect()`
  returns at once, on a real network the client may send only after the SYN/SYN-ACK exchange;
- records when each connection's first client byte arrived, so a benchmark can tell how long
  a process took before it put its first byte on the wire.

TLS passes through untouched (the relay sees only ciphertext). Used by bench_network.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from dataclasses import dataclass, field


@dataclass
class RelayLog:
    """What the relay saw: connection accept times and first-byte times (time.perf_counter)."""

    accepted: list[float] = field(default_factory=list)
    first_client_byte: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def clear(self) -> None:
        with self.lock:
            self.accepted.clear()
            self.first_client_byte.clear()


class LatencyRelay:
    """`with LatencyRelay(target_port, rtt_ms) as relay:` then connect to `relay.port`."""

    def __init__(self, target_port: int, rtt_ms: float, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self.rtt = rtt_ms / 1000
        self.port = 0
        self.log = RelayLog()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.AbstractServer | None = None
        self._ready = threading.Event()

    def __enter__(self) -> LatencyRelay:
        self._thread = threading.Thread(target=self._run, name="latency-relay", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(5)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)  # gather() at shutdown looks the loop up from the thread
        self._loop = loop
        self._server = loop.run_until_complete(asyncio.start_server(self._accept, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            self._server.close()
            tasks = asyncio.all_tasks(loop)
            for task in tasks:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
            loop.close()

    async def _accept(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        accepted = time.perf_counter()
        with self.log.lock:
            self.log.accepted.append(accepted)
        try:
            server_r, server_w = await asyncio.open_connection(*self.target)
        except OSError:
            client_w.close()
            return
        # The client could only have sent after the handshake: one RTT after it connected.
        upstream = self._pipe(client_r, server_w, not_before=accepted + self.rtt, first_byte=True)
        downstream = self._pipe(server_r, client_w, not_before=0.0, first_byte=False)
        await asyncio.gather(upstream, downstream, return_exceptions=True)
        for writer in (client_w, server_w):
            writer.close()

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, not_before: float, first_byte: bool
    ) -> None:
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                due, data = await queue.get()
                wait = due - time.perf_counter()
                if wait > 0:
                    await asyncio.sleep(wait)
                if not data:
                    with contextlib.suppress(OSError):
                        writer.write_eof() if writer.can_write_eof() else writer.close()
                    return
                writer.write(data)
                with contextlib.suppress(OSError, ConnectionError):
                    await writer.drain()

        sender = asyncio.ensure_future(deliver())
        seen_first = False
        try:
            while True:
                try:
                    data = await reader.read(65536)
                except (OSError, ConnectionError):
                    data = b""
                now = time.perf_counter()
                if data and first_byte and not seen_first:
                    seen_first = True
                    with self.log.lock:
                        self.log.first_client_byte.append(now)
                queue.put_nowait((max(now, not_before) + self.rtt / 2, data))
                if not data:
                    break
            await sender
        finally:
            sender.cancel()
            await asyncio.gather(sender, return_exceptions=True)
