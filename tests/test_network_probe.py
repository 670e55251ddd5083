"""The network probe against real loopback servers: TLS via trustme, an in-test CONNECT proxy, no internet."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime
import errno
import socket
import ssl
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
import trustme

from realtime_check.diagnosis.catalog.network import BY_ID, DIAGNOSES
from realtime_check.diagnosis.network_summary import network_summary
from realtime_check.models import Category, Status
from realtime_check.network_facts import NetworkProbe, Step, TLSInfo
from realtime_check.probes import network as netprobe
from realtime_check.probes.network import probe_network

HOST = "api.openai.test"


# --- loopback servers -------------------------------------------------------------------


def resolver_to_loopback(*names: str) -> Any:
    """A resolver that maps the given names to 127.0.0.1 and fails for anything else."""

    async def resolve(host: str, port: int, **_: Any) -> list[Any]:
        if host in names or host == "127.0.0.1":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    return resolve


def client_context(ca: trustme.CA) -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    ca.configure_trust(ctx)
    return ctx


async def _wait_for_eof(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        await reader.read()
    except (ConnectionError, ssl.SSLError):
        pass
    finally:
        writer.close()


@contextlib.asynccontextmanager
async def tls_server(ca: trustme.CA, *names: str, **cert_options: Any) -> AsyncIterator[int]:
    """A TLS server on 127.0.0.1 presenting a cert for `names` signed by `ca`; yields its port."""
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*names, **cert_options).configure_cert(ctx)
    server = await asyncio.start_server(_wait_for_eof, "127.0.0.1", 0, ssl=ctx)
    async with server:
        yield server.sockets[0].getsockname()[1]


@contextlib.asynccontextmanager
async def plain_server(answer: bytes | None) -> AsyncIterator[int]:
    """A plain TCP server that answers its first bytes with `answer` (None: just closes)."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.read(65536)
            if answer:
                writer.write(answer)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    async with server:
        yield server.sockets[0].getsockname()[1]


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


@contextlib.asynccontextmanager
async def connect_proxy(
    *, upstream_port: int = 0, status: int = 200, credentials: tuple[str, str] | None = None
) -> AsyncIterator[tuple[int, list[str]]]:
    """An HTTP CONNECT proxy tunnelling to 127.0.0.1:upstream_port; yields (port, request heads seen)."""
    seen: list[str] = []
    expected = None
    if credentials is not None:
        expected = "Proxy-Authorization: Basic " + base64.b64encode(":".join(credentials).encode()).decode()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
            seen.append(head)
            if status == 407 or (expected is not None and expected not in head):
                writer.write(
                    b'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\n\r\n'
                )
            elif status != 200:
                writer.write(f"HTTP/1.1 {status} Bad Gateway\r\nContent-Length: 0\r\n\r\n".encode())
            else:
                up_reader, up_writer = await asyncio.open_connection("127.0.0.1", upstream_port)
                writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                await writer.drain()
                await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
                return
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    async with server:
        yield server.sockets[0].getsockname()[1], seen


def unused_port() -> int:
    """A loopback port nobody listens on: bind, read the port, close."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def probe(url: str, **kwargs: Any) -> NetworkProbe:
    kwargs.setdefault("proxy", None)
    kwargs.setdefault("timeout", 5.0)
    kwargs.setdefault("resolver", resolver_to_loopback(HOST))
    return asyncio.run(probe_network(url, **kwargs))


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA(organization_name="Realtime Check Test Root")


@pytest.fixture(scope="module")
def interception_ca() -> trustme.CA:
    return trustme.CA(organization_name="Contoso Corp Inspection CA")


@pytest.fixture(scope="module")
def public_looking_ca() -> trustme.CA:
    return trustme.CA(organization_name="DigiCert Inc")


# --- direct connections -------------------------------------------------------------------


def test_trusted_tls_server_passes_with_timings_and_issuer(ca: trustme.CA) -> None:
    """A server whose CA is trusted passes, reporting the address, TLS version and issuer."""

    async def main() -> NetworkProbe:
        async with tls_server(ca, HOST) as port:
            return await probe_network(
                f"https://{HOST}:{port}/v1",
                ssl_context=client_context(ca),
                proxy=None,
                timeout=5,
                resolver=resolver_to_loopback(HOST),
            )

    result = asyncio.run(main())
    assert result.ok, result.message
    assert [s.name for s in result.steps] == ["dns", "tcp", "tls"]
    assert result.connected_to == "127.0.0.1"
    assert result.tls is not None and result.tls.version in ("TLSv1.2", "TLSv1.3")
    assert result.tls.issuer == "Realtime Check Test Root" and result.tls.sni == HOST
    status, summary, advice, details = network_summary(result)
    assert status is Status.PASS and advice == ()
    assert summary.startswith(f"{HOST} → 127.0.0.1 · TLS 1.") and summary.endswith("(issuer: Realtime Check Test Root)")
    assert details["tls"]["sni"] == HOST and details["addresses"] == [{"ip": "127.0.0.1", "family": "IPv4"}]


def test_corporate_ca_is_reported_as_tls_interception_naming_the_issuer(
    ca: trustme.CA, interception_ca: trustme.CA
) -> None:
    """A chain from an unknown corporate CA is diagnosed as TLS inspection and names that CA."""

    async def main() -> NetworkProbe:
        async with tls_server(interception_ca, HOST) as port:
            return await probe_network(
                f"https://{HOST}:{port}",
                ssl_context=client_context(ca),
                proxy=None,
                timeout=5,
                resolver=resolver_to_loopback(HOST),
            )

    result = asyncio.run(main())
    assert result.diagnosis == "tls_interception"
    assert "Contoso Corp Inspection CA" in (result.message or "")
    assert result.exception_type == "SSLCertVerificationError"
    status, _, advice, _ = network_summary(result)
    assert status is Status.FAIL
    assert any("--ca-bundle" in line for line in advice)


def test_public_ca_that_fails_verification_means_missing_local_store(
    ca: trustme.CA, public_looking_ca: trustme.CA
) -> None:
    """A chain from a well-known public CA that still fails verification points at the local CA store."""

    async def main() -> NetworkProbe:
        async with tls_server(public_looking_ca, HOST) as port:
            return await probe_network(
                f"https://{HOST}:{port}",
                ssl_context=client_context(ca),
                proxy=None,
                timeout=5,
                resolver=resolver_to_loopback(HOST),
            )

    result = asyncio.run(main())
    assert result.diagnosis == "tls_ca_store_missing"
    assert "DigiCert Inc" in (result.message or "")


def test_certificate_for_another_name_is_a_hostname_mismatch(ca: trustme.CA) -> None:
    """A trusted certificate issued for a different host is reported as a hostname mismatch naming both."""

    async def main() -> NetworkProbe:
        async with tls_server(ca, "other.test") as port:
            return await probe_network(
                f"https://{HOST}:{port}",
                ssl_context=client_context(ca),
                proxy=None,
                timeout=5,
                resolver=resolver_to_loopback(HOST),
            )

    result = asyncio.run(main())
    assert result.diagnosis == "tls_hostname_mismatch"
    assert "other.test" in (result.message or "") and HOST in (result.message or "")


def test_expired_certificate_is_reported_as_expired(ca: trustme.CA) -> None:
    """A trusted but expired certificate is diagnosed as expired, with a hint to check the clock."""

    async def main() -> NetworkProbe:
        async with tls_server(
            ca, HOST, not_before=datetime.datetime(2000, 1, 1), not_after=datetime.datetime(2001, 1, 1)
        ) as port:
            return await probe_network(
                f"https://{HOST}:{port}",
                ssl_context=client_context(ca),
                proxy=None,
                timeout=5,
                resolver=resolver_to_loopback(HOST),
            )

    result = asyncio.run(main())
    assert result.diagnosis == "tls_expired"
    assert "clock" in (result.message or "")


def test_plain_http_on_a_tls_url_is_wrong_version() -> None:
    """An https URL answered in plain HTTP is diagnosed as plain HTTP where TLS was expected."""

    async def main() -> NetworkProbe:
        async with plain_server(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n") as port:
            return await probe_network(
                f"https://{HOST}:{port}",
                ssl_context=ssl.create_default_context(),
                proxy=None,
                timeout=5,
                resolver=resolver_to_loopback(HOST),
            )

    result = asyncio.run(main())
    assert result.diagnosis == "tls_wrong_version"


def test_server_closing_during_handshake_is_a_refused_handshake() -> None:
    """A server that hangs up on the ClientHello is diagnosed as a refused TLS handshake (F15)."""

    async def main() -> NetworkProbe:
        async with plain_server(None) as port:
            return await probe_network(
                f"https://{HOST}:{port}",
                ssl_context=ssl.create_default_context(),
                proxy=None,
                timeout=5,
                resolver=resolver_to_loopback(HOST),
            )

    assert asyncio.run(main()).diagnosis == "tls_handshake_failed"


def test_tls_alert_from_the_server_is_a_refused_handshake() -> None:
    """A server that answers the ClientHello with a handshake_failure alert is diagnosed as refused (F15)."""
    fatal_handshake_failure = b"\x15\x03\x03\x00\x02\x02\x28"  # alert record: fatal, handshake_failure

    async def main() -> NetworkProbe:
        async with plain_server(fatal_handshake_failure) as port:
            return await probe_network(
                f"https://{HOST}:{port}",
                ssl_context=ssl.create_default_context(),
                proxy=None,
                timeout=5,
                resolver=resolver_to_loopback(HOST),
            )

    result = asyncio.run(main())
    assert result.diagnosis == "tls_handshake_failed"
    assert "SSLV3_ALERT_HANDSHAKE_FAILURE" in (result.message or "")


def test_http_url_skips_tls() -> None:
    """An http:// URL is probed with DNS and TCP only and says so."""

    async def main() -> NetworkProbe:
        async with plain_server(None) as port:
            return await probe_network(
                f"http://{HOST}:{port}", ssl_context=None, proxy=None, timeout=5, resolver=resolver_to_loopback(HOST)
            )

    result = asyncio.run(main())
    assert result.ok and result.tls is None
    assert [s.name for s in result.steps] == ["dns", "tcp"]
    assert "plain HTTP, no TLS" in network_summary(result)[1]


def test_refused_port_is_tcp_refused() -> None:
    """A port nobody listens on is reported as refused, not as a timeout."""
    result = probe(f"https://{HOST}:{unused_port()}", ssl_context=ssl.create_default_context())
    assert result.diagnosis == "tcp_refused"
    assert result.steps[-1].name == "tcp" and result.steps[-1].ok is False


def test_dns_failure_is_dns_failed() -> None:
    """A resolver error ends the probe at the DNS step with the resolver's own message."""

    async def failing(host: str, port: int, **_: Any) -> list[Any]:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    result = probe("https://api.openai.com/v1", ssl_context=None, resolver=failing)
    assert result.diagnosis == "dns_failed"
    assert "Temporary failure in name resolution" in (result.message or "")
    assert [s.name for s in result.steps] == ["dns"]


def test_black_holed_connect_returns_within_the_timeout() -> None:
    """A connect that never completes ends as tcp_timeout within the probe's timeout, not a hang."""
    never = asyncio.Event

    async def black_hole(host: str, port: int) -> Any:
        await never().wait()  # a fresh Event nobody sets

    started = time.perf_counter()
    result = probe(
        "https://api.openai.com",
        ssl_context=None,
        timeout=0.3,
        resolver=resolver_to_loopback("api.openai.com"),
        open_connection=black_hole,
    )
    elapsed = time.perf_counter() - started
    assert result.diagnosis == "tcp_timeout"
    assert elapsed < 1.5


def test_most_telling_connect_failure_wins_across_addresses() -> None:
    """With IPv6 unreachable and IPv4 timing out, the verdict is the IPv4 timeout."""

    async def two_addresses(host: str, port: int, **_: Any) -> list[Any]:
        return [
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("2001:db8::1", port, 0, 0)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.0.2.1", port)),
        ]

    async def connect(host: str, port: int) -> Any:
        if ":" in host:
            raise OSError(errno.ENETUNREACH, "Network is unreachable")
        await asyncio.Event().wait()

    result = probe(
        "https://api.openai.com", ssl_context=None, timeout=0.3, resolver=two_addresses, open_connection=connect
    )
    assert result.diagnosis == "tcp_timeout"
    assert [a.family for a in result.addresses] == ["IPv6", "IPv4"]
    assert "[2001:db8::1] Network is unreachable" in (result.message or "")


@pytest.mark.parametrize(
    ("error", "diagnosis"),
    [
        (ConnectionResetError(errno.ECONNRESET, "Connection reset by peer"), "tcp_reset"),
        (OSError(errno.EHOSTUNREACH, "No route to host"), "host_unreachable"),
        (OSError(errno.ETIMEDOUT, "Connection timed out"), "tcp_timeout"),
    ],
)
def test_connect_errors_map_to_their_diagnosis(error: OSError, diagnosis: str) -> None:
    """Each kind of connect error is told apart: reset, unreachable, OS-level timeout."""

    async def connect(host: str, port: int) -> Any:
        raise error

    result = probe(
        "https://api.openai.com",
        ssl_context=None,
        resolver=resolver_to_loopback("api.openai.com"),
        open_connection=connect,
    )
    assert result.diagnosis == diagnosis


def test_fake_clock_gives_deterministic_step_times() -> None:
    """Step durations come from the injected clock, so they are exact under a fake clock."""
    ticks = iter(range(1000))

    async def main() -> NetworkProbe:
        async with plain_server(None) as port:
            return await probe_network(
                f"http://{HOST}:{port}",
                ssl_context=None,
                proxy=None,
                timeout=5,
                resolver=resolver_to_loopback(HOST),
                clock=lambda: next(ticks) * 0.005,
            )

    result = asyncio.run(main())
    assert [s.ms for s in result.steps] == [5.0, 5.0]
    assert network_summary(result)[1] == f"{HOST} → 127.0.0.1 · plain HTTP, no TLS"


def test_unusable_url_is_an_answer_not_an_exception() -> None:
    """A URL without a host yields a failed probe with a message instead of raising."""
    result = probe("https://", ssl_context=None)
    assert not result.ok and "not a URL" in (result.message or "")


# --- through a proxy ---------------------------------------------------------------------


def test_tunnel_through_connect_proxy_with_credentials(ca: trustme.CA) -> None:
    """Through an authenticating proxy the probe sends CONNECT with Proxy-Authorization and verifies TLS inside."""

    async def main() -> tuple[NetworkProbe, list[str]]:
        async with (
            tls_server(ca, HOST) as upstream,
            connect_proxy(upstream_port=upstream, credentials=("alice", "s3cret-FAKE")) as (port, seen),
        ):
            result = await probe_network(
                f"https://{HOST}:{upstream}/v1",
                ssl_context=client_context(ca),
                proxy=f"http://alice:s3cret-FAKE@127.0.0.1:{port}",
                timeout=5,
                resolver=resolver_to_loopback(),
            )
            return result, seen

    result, seen = asyncio.run(main())
    assert result.ok, result.message
    assert [s.name for s in result.steps] == ["dns", "tcp", "proxy_connect", "tls"]
    assert seen[0].startswith(f"CONNECT {HOST}:")
    assert "Proxy-Authorization: Basic " in seen[0] and "\nAuthorization:" not in seen[0]
    assert result.proxy is not None and "s3cret" not in result.proxy
    summary = network_summary(result)[1]
    assert "via proxy http://***@127.0.0.1:" in summary and "TLS 1." in summary and "s3cret" not in summary


def test_proxy_407_is_proxy_auth_required() -> None:
    """A 407 from the proxy is diagnosed as missing proxy credentials and names the offered scheme."""

    async def main() -> NetworkProbe:
        async with connect_proxy(status=407) as (port, _):
            return await probe_network(
                "https://api.openai.com",
                ssl_context=None,
                proxy=f"http://127.0.0.1:{port}",
                timeout=5,
                resolver=resolver_to_loopback(),
            )

    result = asyncio.run(main())
    assert result.diagnosis == "proxy_auth_required"
    assert "Basic" in (result.message or "") and "no credentials" in (result.message or "")


def test_proxy_nobody_listens_on_is_proxy_unreachable() -> None:
    """A proxy variable pointing at a dead port blames the proxy, not the API host's port."""
    port = unused_port()
    result = probe(
        "https://api.openai.com", ssl_context=None, proxy=f"http://127.0.0.1:{port}", resolver=resolver_to_loopback()
    )
    assert result.diagnosis == "proxy_unreachable"
    assert f"127.0.0.1:{port}" in (result.message or "") and "proxy" in (result.message or "")


def test_proxy_502_is_proxy_connect_failed_with_status() -> None:
    """Any other refusal of CONNECT is reported with the proxy's status."""

    async def main() -> NetworkProbe:
        async with connect_proxy(status=502) as (port, _):
            return await probe_network(
                "https://api.openai.com",
                ssl_context=None,
                proxy=f"http://127.0.0.1:{port}",
                timeout=5,
                resolver=resolver_to_loopback(),
            )

    result = asyncio.run(main())
    assert result.diagnosis == "proxy_connect_failed"
    assert "502" in (result.message or "")


def test_interception_behind_a_proxy_still_names_the_issuer(ca: trustme.CA, interception_ca: trustme.CA) -> None:
    """Through a proxy, a verify failure reopens a tunnel to read the chain and names the corporate CA."""

    async def main() -> tuple[NetworkProbe, list[str]]:
        async with tls_server(interception_ca, HOST) as upstream, connect_proxy(upstream_port=upstream) as (port, seen):
            result = await probe_network(
                f"https://{HOST}:{upstream}",
                ssl_context=client_context(ca),
                proxy=f"http://127.0.0.1:{port}",
                timeout=5,
                resolver=resolver_to_loopback(),
            )
            return result, seen

    result, seen = asyncio.run(main())
    assert result.diagnosis == "tls_interception"
    assert "Contoso Corp Inspection CA" in (result.message or "")
    assert len(seen) == 2  # the probe's tunnel and the one that read the chain


def test_https_scheme_for_a_plain_proxy_is_wrong_version() -> None:
    """An https:// proxy URL for a proxy that speaks plain HTTP ends in tls_wrong_version at the proxy step."""
    squid_reply = b"HTTP/1.1 400 Bad Request\r\nServer: squid\r\nContent-Length: 0\r\n\r\n"

    async def main() -> NetworkProbe:
        async with plain_server(squid_reply) as port:
            return await probe_network(
                "https://api.openai.com",
                ssl_context=ssl.create_default_context(),
                proxy=f"https://127.0.0.1:{port}",
                timeout=5,
                resolver=resolver_to_loopback(),
            )

    result = asyncio.run(main())
    assert result.diagnosis == "tls_wrong_version"
    assert result.steps[-1].name == "proxy_tls"


def test_silent_proxy_times_out_as_proxy_connect_failed() -> None:
    """A proxy that accepts but never answers CONNECT ends within the timeout as a failed CONNECT."""

    async def main() -> NetworkProbe:
        async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await _wait_for_eof(reader, writer)

        server = await asyncio.start_server(silent, "127.0.0.1", 0)
        async with server:
            port = server.sockets[0].getsockname()[1]
            return await probe_network(
                "https://api.openai.com",
                ssl_context=None,
                proxy=f"http://127.0.0.1:{port}",
                timeout=0.3,
                resolver=resolver_to_loopback(),
            )

    result = asyncio.run(main())
    assert result.diagnosis == "proxy_connect_failed"
    assert "no answer" in (result.message or "")


@pytest.mark.parametrize(("installed", "diagnosis"), [(False, "proxy_socks_missing_socksio"), (True, None)])
def test_socks_proxy_is_reached_but_tunnel_not_probed(
    monkeypatch: pytest.MonkeyPatch, installed: bool, diagnosis: str | None
) -> None:
    """A SOCKS proxy is checked for reachability only; it is an error only when socksio is missing."""
    monkeypatch.setattr(netprobe, "_importable", lambda module: installed)

    async def main() -> NetworkProbe:
        async with plain_server(None) as port:
            return await probe_network(
                "https://api.openai.com",
                ssl_context=None,
                proxy=f"socks5h://127.0.0.1:{port}",
                timeout=5,
                resolver=resolver_to_loopback(),
            )

    result = asyncio.run(main())
    assert result.diagnosis == diagnosis
    assert result.steps[-1] == Step("socks", None, None, "SOCKS tunnel not probed")
    if installed:
        assert "tunnel not probed" in network_summary(result)[1]


# --- summary and the diagnosis table -------------------------------------------------------


def test_summary_line_has_the_documented_shape() -> None:
    """A passing probe reads host → address · TLS version with the issuer (step times are in the details)."""
    result = NetworkProbe(
        url="https://api.openai.com/v1",
        host="api.openai.com",
        port=443,
        tls_expected=True,
        steps=(Step("dns", True, 3.2, ""), Step("tcp", True, 12.4, ""), Step("tls", True, 31.0, "")),
        connected_to="162.159.140.245",
        tls=TLSInfo("TLSv1.3", "TLS_AES_128_GCM_SHA256", "Google Trust Services", "api.openai.com", 31.0),
    )
    status, summary, _, details = network_summary(result)
    assert summary == "api.openai.com → 162.159.140.245 · TLS 1.3 (issuer: Google Trust Services)"
    assert [step["ms"] for step in details["steps"]] == [3.2, 12.4, 31.0] and details["tls"]["ms"] == 31.0


def test_probe_bug_is_an_error_status_not_a_fail() -> None:
    """A failure without a diagnosis (a bug in the probe) maps to ERROR, never to the API's fault."""
    result = NetworkProbe(
        url="x", host="h", port=1, tls_expected=False, message="internal error", exception_type="KeyError"
    )
    assert network_summary(result)[0] is Status.ERROR


def test_diagnosis_table_has_every_network_id_and_never_advises_disabling_verification() -> None:
    """Every id the stage can emit is in the table with advice, and no advice says to turn verification off."""
    required = {
        "dns_failed", "tcp_refused", "tcp_timeout", "tcp_reset", "host_unreachable", "tls_interception",
        "tls_ca_store_missing", "tls_hostname_mismatch", "tls_handshake_failed", "tls_wrong_version", "tls_expired",
        "proxy_socks_missing_socksio", "proxy_auth_required", "proxy_connect_failed", "proxy_unreachable", "proxy_scheme_wrong",
        "proxy_env_typo", "proxy_transports_differ", "ca_bundle_unreadable",
    }  # fmt: skip
    assert set(BY_ID) == required and len(DIAGNOSES) == len(required)
    for diagnosis in DIAGNOSES:
        assert diagnosis.advice and diagnosis.failures and diagnosis.category in (Category.NETWORK, Category.CONFIG)
        for line in diagnosis.advice:
            lowered = line.lower()
            assert "verify=false" not in lowered and "rejectunauthorized" not in lowered
            assert "verification off" not in lowered or lowered.startswith("never")
